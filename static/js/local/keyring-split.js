// The key ring's (密钥体检) paste split into pieces in the browser, for local mode (本地计算): the
// page keeps the secret pieces (private keys, 32-character keys, values named as keys, tokens it
// does not know) and posts only the public ones and facts, so it must cut the paste exactly where
// the server would. This is a mirror of diagnostics/wechat_v3/keyring_paste.py (split_paste and
// the helpers it shares with keyring_items.py), kept equal to it by tests/js/keyring_split.test.js
// on the cases tests/js/write_keyring_split_fixtures.py has the Python write.
//
// Python's semantics, where JavaScript's differ:
// - len() counts code points, .length UTF-16 units: lengths that decide are counted in code points,
//   and every regex carries the u flag so {m,n} counts code points too;
// - str.strip() and \s are Python's whitespace (str.isspace): \x1c-\x1f and \x85 are in it, the BOM
//   is not; \w is Unicode letters, numbers and _, \d is Unicode decimal digits (Nd); "." is any
//   character but \n (\u2028 too);
// - re.IGNORECASE lets an "i" match "İ" and "ı" (and "s" match "ſ", as /iu does);
// - str.split("&", n) splits at most n times and keeps the rest whole (n = 0: no split).
// Every regex has the shape of its Python twin, reviewed to run in linear time on hostile input.

/** @typedef {{text: string, hint: string, spaced: boolean, withheld?: boolean}} Piece */

// keyring_paste.py's bounds: configuration lines (and query-string parts) read from one paste,
// and diagnostics/core/params.py's MAX_INPUT_CHARS, in code points.
export const MAX_LINES = 1000;
export const MAX_INPUT_CHARS = 256 * 1024;
export const PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_";

// Item kinds, as the API names them.
export const PRIVATE = "private_key";
export const MERCHANT_CERTIFICATE = "merchant_certificate";
export const PLATFORM_CERTIFICATE = "platform_certificate";
export const ENCRYPTED_CERTIFICATE = "encrypted_platform_certificate";
export const OTHER_CERTIFICATE = "certificate";
export const WECHATPAY_PUBLIC_KEY = "wechatpay_public_key";
export const MERCHANT_PUBLIC_KEY = "merchant_public_key";
export const CERTIFICATES_ANSWER = "certificates_answer";
export const PUBLIC_KEY_ID = "public_key_id";
export const APIV3_KEY = "apiv3_key";
export const API_KEY = "api_key";
export const KEY_32 = "apiv3_or_api_key";
export const SERIAL = "serial";
export const WECHATPAY_SERIAL = "wechatpay_serial";
export const MCHID = "mchid";
export const UNREADABLE = "unreadable";

export const SECRET_KINDS = new Set([PRIVATE, APIV3_KEY, API_KEY, KEY_32]);
export const CERTIFICATE_KINDS = new Set([
  MERCHANT_CERTIFICATE,
  PLATFORM_CERTIFICATE,
  OTHER_CERTIFICATE,
]);

// Python's classes, as regex class contents (exported for the parity test, which holds them to
// Python's own over every code point).
export const SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
export const WORD = "\\p{L}\\p{N}_";
export const DIGIT = "\\p{Nd}";

const S = `[${SPACE}]`;
const W = `[${WORD}]`;
const SPACE_RE = new RegExp(S, "u");
// Every whitespace character is in the BMP: a set of UTF-16 units serves str.strip().
const SPACE_UNITS = new Set();
for (let unit = 0; unit <= 0x3000; unit += 1) {
  if (SPACE_RE.test(String.fromCharCode(unit))) SPACE_UNITS.add(unit);
}

const QUOTES = "\"'`“”‘’()[]{}<>";
const QUOTE_UNITS = unitSet(QUOTES + " \t");
const TOKEN_TRIM_UNITS = unitSet(QUOTES + ".:：=");
const HEADER_TRIM_UNITS = unitSet(QUOTES);
const NEWLINE_UNITS = unitSet("\n");

const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const DIGITS = new RegExp(`^${DIGIT}+$`, "u");
const ASSIGNMENT = new RegExp(
  `^(?:export${S}+|set${S}+|define\\(${S}*)?["']?([A-Za-z_][${WORD}.\\-]{0,60})["']?${S}*(?:=>|:=|[:=,])${S}*([^\\n]*)$`,
  "u",
);
// A name starts a word (the look-behind): tried inside a long word, the name's {0,60} would be
// re-run at every letter.
const CALL = new RegExp(
  `\\.?(?<!${W})(?:set|with)?([A-Za-z_]${W}{0,60})\\(${S}*["']([^"']{1,200})["']${S}*\\)`,
  "gu",
);
const HEADER = new RegExp(`^wechatpay-ser[iIİı]al${S}*:${S}*([^${SPACE}]+)`, "iu");
const TOKEN_SPLIT = new RegExp(`[${SPACE},;，；、|]+`, "u");
const UNKNOWN_TOKEN = /^[A-Za-z0-9_\-+/=]{12,}$/;
const HAS_SPACE = SPACE_RE;

// A public-key ID as shown: ASCII letters, digits and "_" after the prefix (keyring_paste._PUBLIC_KEY_ID).
const PUBLIC_KEY_ID_SHAPE = /^PUB_KEY_ID_[A-Za-z0-9_]{0,64}$/;
const SERIAL_SHAPE = /^(?:[0-9A-Fa-f]{1,128}|PUB_KEY_ID_[A-Za-z0-9_]{0,64})$/;
/** What a value must look like for its name to be believed (a secret's value is never checked). */
const NAMED_SHAPES = new Map([
  [MCHID, new RegExp(`^${DIGIT}{1,32}$`, "u")],
  [SERIAL, SERIAL_SHAPE],
  [WECHATPAY_SERIAL, SERIAL_SHAPE],
  [PUBLIC_KEY_ID, PUBLIC_KEY_ID_SHAPE],
]);

// What a ``name = value`` line's name says its value is (the name lower-cased, letters and digits
// only), checked in order: "apiv3key" before the plain "key" of a V2 API key.
/** @type {[RegExp, string][]} */
const NAME_HINTS = [
  [/(pub(lic)?key|wechatpay(pub)?key)id$/, PUBLIC_KEY_ID],
  [/(api)?v3(api)?(secret|key)$|apiv3/, APIV3_KEY],
  // The header's own name only: WECHATPAY_SERIAL_NO in a .env holds the merchant's own serial.
  [/^wechatpayserial$|platformserial|platformcertserial/, WECHATPAY_SERIAL],
  [/serial/, SERIAL],
  [/(mch|merchant)(id|no)$/, MCHID],
  [/(api|mch|partner|paterner|pay|v2|sign|^)key$/, API_KEY],
];

const SERIAL_HEX = /^[0-9A-Fa-f]{40}$/;
const SERIAL_DECIMAL = new RegExp(`^[1-9]${DIGIT}{15,59}$`, "u");
const ASCII_DECIMAL = /^[1-9][0-9]{0,59}$/;
const MCHID_SHAPE = new RegExp(`^[1-9]${DIGIT}{5,11}$`, "u");
const KEY_32_SHAPE = /^[!-~]{32}$/;

/**
 * @param {string} chars
 * @returns {Set<number>}
 */
function unitSet(chars) {
  return new Set([...chars].map((char) => char.charCodeAt(0)));
}

/**
 * Python's len(): code points, a lone surrogate counting one, as Python counts it.
 * @param {string} text
 * @returns {number}
 */
function codePoints(text) {
  let count = text.length;
  for (let at = 0; at < text.length - 1; at += 1) {
    const unit = text.charCodeAt(at);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(at + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        at += 1;
      }
    }
  }
  return count;
}

/**
 * Python's str.strip(): whitespace by default, else the characters given (all in the BMP, so a
 * surrogate is never one of them).
 * @param {string} text
 * @param {Set<number>} [units]
 * @returns {string}
 */
function strip(text, units = SPACE_UNITS) {
  let start = 0;
  let stop = text.length;
  while (start < stop && units.has(text.charCodeAt(start))) start += 1;
  while (stop > start && units.has(text.charCodeAt(stop - 1))) stop -= 1;
  return start === 0 && stop === text.length ? text : text.slice(start, stop);
}

/**
 * Python's str.rstrip(chars).
 * @param {string} text
 * @param {string} chars
 */
function rstrip(text, chars) {
  let stop = text.length;
  while (stop > 0 && chars.includes(text[stop - 1])) stop -= 1;
  return text.slice(0, stop);
}

/**
 * Python's str.split(separator, maxsplit): at most ``maxsplit`` cuts, the rest kept whole
 * (a negative maxsplit: no limit).
 * @param {string} text
 * @param {string} separator
 * @param {number} maxsplit
 * @returns {string[]}
 */
function splitAtMost(text, separator, maxsplit) {
  const parts = [];
  let at = 0;
  while (maxsplit < 0 || parts.length < maxsplit) {
    const found = text.indexOf(separator, at);
    if (found < 0) break;
    parts.push(text.slice(at, found));
    at = found + separator.length;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * push(...more) without the spread, which has a limit on its arguments (a line may hold tens of
 * thousands of tokens).
 * @param {Piece[]} pieces
 * @param {Piece[]} more
 */
function append(pieces, more) {
  for (const found of more) pieces.push(found);
}

/**
 * @param {string} text
 * @param {string} [hint]
 * @param {boolean} [spaced]
 * @returns {Piece}
 */
function piece(text, hint = "", spaced = false) {
  return { text, hint, spaced };
}

/**
 * The PEM blocks of ``text`` with their offsets, and the text with each replaced by a line end.
 * A BEGIN without an END takes the rest of the text.
 * @param {string} text
 * @returns {[string[], string]}
 */
function pemBlocks(text) {
  /** @type {string[]} */
  const blocks = [];
  const rest = [];
  let at = 0;
  let start;
  while ((start = text.indexOf("-----BEGIN ", at)) >= 0) {
    const end = text.indexOf("-----END ", start);
    const close = end >= 0 ? text.indexOf("-----", end + 9) : -1;
    const stop = close >= 0 ? close + 5 : text.length;
    rest.push(text.slice(at, start));
    blocks.push(text.slice(start, stop));
    rest.push("\n");
    at = stop;
  }
  rest.push(text.slice(at));
  return [blocks, rest.join("")];
}

/**
 * Top-level ``{…}`` spans holding "data" or "encrypt_certificate" (strings respected), and the
 * text without them. The characters that matter are ASCII: UTF-16 units serve as Python's
 * characters.
 * @param {string} text
 * @returns {[string[], string]}
 */
function jsonObjects(text) {
  /** @type {string[]} */
  const spans = [];
  const rest = [];
  let depth = 0;
  let start = -1;
  let at = 0;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"' && depth) {
      inString = true;
    } else if (char === "{") {
      if (depth === 0) start = index;
      depth += 1;
    } else if (char === "}" && depth) {
      depth -= 1;
      if (depth === 0) {
        const candidate = text.slice(start, index + 1);
        if (candidate.includes('"data"') || candidate.includes('"encrypt_certificate"')) {
          rest.push(`${text.slice(at, start)}\n`);
          spans.push(candidate);
          at = index + 1;
        }
      }
    }
  }
  rest.push(text.slice(at));
  return [spans, rest.join("")];
}

/**
 * A value without its quotes and trailing punctuation; whether spaces sat inside the quotes.
 * @param {string} raw
 * @returns {[string, boolean]}
 */
function unquote(raw) {
  const value = rstrip(strip(raw), ",;");
  // A quote is one unit: an astral last character never equals it, as in Python.
  if (value.length >= 2 && "\"'`".includes(value[0]) && value[value.length - 1] === value[0]) {
    const inner = value.slice(1, -1);
    const stripped = strip(inner);
    return [stripped, inner !== stripped];
  }
  return [strip(value, QUOTE_UNITS), false];
}

/**
 * The pieces of what is left once PEM blocks and JSON answers are out: runs of base64 lines (bare
 * DER), ``name = value`` lines, header lines and bare tokens, read until ``budget`` lines and
 * query-string parts are spent; and what is left of it (below zero: lines left unread).
 * @param {string} text
 * @param {number} budget
 * @returns {[Piece[], number]}
 */
function linePieces(text, budget) {
  /** @type {Piece[]} */
  let pieces = [];
  /** @type {string[]} */
  let run = [];

  function flush() {
    if (run.length) {
      const joined = run.join("");
      if (joined.length >= 300) {
        pieces.push(piece(joined)); // an RSA-2048 public key is 392 base64 characters
      } else {
        for (const line of run) append(pieces, tokenPieces(line));
      }
      run = [];
    }
  }

  for (const raw of text.split("\n")) {
    const line = strip(raw);
    if (!line) {
      flush();
      continue;
    }
    budget -= 1;
    if (budget < 0) break;
    // Base64 is ASCII: its length in units is its length in code points.
    if (line.length >= 40 && BASE64_LINE.test(line) && !DIGITS.test(line)) {
      run.push(line);
      continue;
    }
    flush();
    const header = HEADER.exec(line);
    if (header) {
      // A serial's or a public-key ID's shape only (keyring_paste: never anyone's words as received).
      const value = strip(header[1], HEADER_TRIM_UNITS);
      if (SERIAL_SHAPE.test(value)) pieces.push(piece(value, WECHATPAY_SERIAL));
      else for (const found of tokenPieces(value)) pieces.push(found);
      continue;
    }
    const calls = [...line.matchAll(CALL)]; // Java / JS builders: .merchantId("1900009191")
    if (calls.length) {
      for (const call of calls) pieces.push(namedPiece(call[1], call[2]));
      continue;
    }
    // A query string holds several assignments; a line of code or YAML holds one.
    const parts = line.includes("&") && line.includes("=") ? splitAtMost(line, "&", budget) : [line];
    budget -= parts.length - 1;
    if (budget === 0 && parts[parts.length - 1].includes("&")) {
      parts.pop(); // split no further: the rest is left unread
      budget = -1;
    }
    for (const part of parts) {
      const assignment = ASSIGNMENT.exec(strip(part));
      if (assignment) pieces.push(namedPiece(assignment[1], assignment[2]));
      else append(pieces, tokenPieces(part));
    }
    if (budget < 0) break;
  }
  flush();
  pieces = pieces.filter((found) => found.text);
  return [pieces, budget];
}

/**
 * A ``name = value`` pair: the value, with the kind its name gives it when it fits.
 * @param {string} name
 * @param {string} raw
 * @returns {Piece}
 */
function namedPiece(name, raw) {
  const hint = nameHint(name);
  const [value, spaced] = unquote(raw);
  const shape = NAMED_SHAPES.get(hint);
  if (!value || !hint || (shape !== undefined && !shape.test(value))) {
    const tokens = tokenPieces(value);
    const found = tokens.length === 1 ? tokens[0] : piece("");
    if (!hint && saysSecret(name) && !["", KEY_32].includes(tokenKind(found.text))) return { ...piece(found.text), withheld: true };
    return found;
  }
  return piece(value, hint, spaced);
}

// A name saying its value is a secret of another kind than ours (a password, a token, a database
// key): its value may still have a public shape, and is then withheld (counted, never posted).
const SECRET_NAME = /secret|passw|pwd|token|credential|private|key$/;

/**
 * keyring_paste._says_secret: the name lower-cased to letters and digits as name_hint does.
 * @param {string} name
 */
function saysSecret(name) {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_NAME.test(compact) && !compact.includes("pub");
}

/**
 * The tokens of ``text`` known by shape, then those that look like a key or an identifier but are
 * not one we know (letters and digits, 12 characters or more, one digit at least).
 * @param {string} text
 * @returns {Piece[]}
 */
function tokenPieces(text) {
  const known = [];
  const unknown = [];
  for (const raw of text.split(TOKEN_SPLIT)) {
    const token = strip(raw, TOKEN_TRIM_UNITS);
    if (!token) continue;
    if (tokenKind(token)) known.push(piece(token));
    // The token is ASCII here, so Python's str.isdigit() is [0-9].
    else if (UNKNOWN_TOKEN.test(token) && /[0-9]/.test(token)) unknown.push(piece(token));
  }
  return known.concat(unknown);
}

/**
 * The kind a configuration name says its value is; "" when it says nothing we use.
 * e.g. nameHint("APIV3_KEY") === "apiv3_key", nameHint("mch_serial_no") === "serial".
 * @param {string} name
 * @returns {string}
 */
export function nameHint(name) {
  // Both languages lower-case by the full Unicode mapping ("İ" to "i̇", "K" to "k").
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (compact.includes("private") || (compact.endsWith("key") && compact.includes("public"))) {
    return "";
  }
  for (const [pattern, kind] of NAME_HINTS) {
    if (pattern.test(compact)) return kind;
  }
  return "";
}

/**
 * The kind a bare token has by its shape alone; "" for none.
 * e.g. tokenKind("1900009191") === "mchid", tokenKind("a".repeat(32)) === "apiv3_or_api_key".
 * @param {string} token
 * @returns {string}
 */
export function tokenKind(token) {
  if (PUBLIC_KEY_ID_SHAPE.test(token)) return PUBLIC_KEY_ID;
  if (token.length > 120) return ""; // more than 60 code points whatever they are
  const length = codePoints(token);
  if (length < 6 || length > 60) return "";
  if (SERIAL_HEX.test(token)) return SERIAL; // 40 digits are hex too
  if (SERIAL_DECIMAL.test(token) && serialIsDecimal(token)) return SERIAL;
  if (MCHID_SHAPE.test(token)) return MCHID;
  if (KEY_32_SHAPE.test(token)) return KEY_32;
  return "";
}

/**
 * diagnostics/core/serials.py serial_is_decimal: digits only, not 40 long, no leading 0.
 * @param {string} text
 */
function serialIsDecimal(text) {
  const serial = strip(text);
  return ASCII_DECIMAL.test(serial) && serial.length !== 40;
}

/**
 * A field holding one value and nothing else, noting spaces or tabs around it (a line end around
 * it is what a textarea or a file adds, and no slip); null when it is not one value.
 * @param {string} text
 * @param {string} [hint]
 * @returns {Piece | null}
 */
export function loneToken(text, hint = "") {
  const stripped = strip(text);
  if (!stripped || HAS_SPACE.test(stripped) || stripped.includes("-----")) return null;
  if (!hint && tokenKind(stripped) !== KEY_32) return null;
  return piece(stripped, hint, strip(text, NEWLINE_UNITS) !== stripped);
}

/**
 * Whether a piece without a hint is one the key ring knows (keyring_items.py _is_known): a PEM
 * block, a blob of 200 characters or more, a token of a known shape, or a value with spaces.
 * @param {Piece} found
 * @returns {boolean}
 */
export function isKnown(found) {
  const { text } = found;
  if (found.withheld) return false;
  return (
    text.startsWith("-----") ||
    (text.length >= 200 && codePoints(text) >= 200) ||
    Boolean(tokenKind(text)) ||
    found.spaced
  );
}

/**
 * Every piece of every text, in the order pasted (a text's PEM blocks where they stand, then its
 * /v3/certificates answers, then its lines), and whether the paste held more than MAX_LINES lines
 * (all texts together) and the rest was left unread. ``tooLarge``: a text is longer than
 * MAX_INPUT_CHARS, which the server refuses (ParseError "too_large").
 * @param {string[]} texts
 * @returns {{pieces: Piece[], cut: boolean, tooLarge: boolean}}
 */
export function splitPaste(texts) {
  /** @type {Piece[]} */
  const pieces = [];
  let budget = MAX_LINES;
  for (const original of texts) {
    if (original.length > MAX_INPUT_CHARS && codePoints(original) > MAX_INPUT_CHARS) {
      return { pieces: [], cut: false, tooLarge: true };
    }
    const text = original.replaceAll("\ufeff", "").replaceAll("\r\n", "\n").replaceAll("\r", "\n");
    const lone = loneToken(text);
    if (lone) {
      pieces.push(lone);
      continue;
    }
    const [blocks, afterBlocks] = pemBlocks(text);
    const [answers, rest] = afterBlocks.includes("{") ? jsonObjects(afterBlocks) : [[], afterBlocks];
    let lines;
    [lines, budget] = linePieces(rest, budget);
    for (const block of blocks) pieces.push(piece(block));
    for (const answer of answers) pieces.push(piece(answer, CERTIFICATES_ANSWER));
    append(pieces, lines);
    if (budget < 0) return { pieces, cut: true, tooLarge: false };
  }
  return { pieces, cut: false, tooLarge: false };
}
