// A pasted private key read the way the server reads it (diagnostics/core/keys.py load_key and
// load_private_key), step for step, so a damaged key gets the same named message: the copy's
// slips repaired (BOM, quotes, literal \n), the PEM block found and its label judged, the base64
// decoded, the DER read (pkcs8.js). The result names the server's code and the values of its
// sentence; the page (task-page.js) tells it in the server's words, from the data block.
import { readAnyDer, readPrivateKey } from "./pkcs8.js";

// keys.py's caps: MAX_KEY_CHARS, MAX_RSA_BITS, MAX_RSA_EXPONENT (tests/js/ checks they agree).
export const MAX_KEY_CHARS = 64 * 1024;
export const CAPS = { max_bits: 4096, max_exponent: 2 ** 32 };

/**
 * @typedef {{code: string, values?: Record<string, string | number | string[]>, sentence?: string}} KeyFault
 *   (``sentence``: the catalogue's message to use when one code has two, as pem_incomplete does)
 * @typedef {{ok: true, format: string, notes: string[], pkcs8: Uint8Array, numbers: import("./pkcs8.js").RsaNumbers}} ReadKey
 * @typedef {{ok: false, fault: KeyFault}} RefusedKey
 */

// The labels keys.py reads, with what they hold and the format it shows.
const PEM_LABELS = {
  "PRIVATE KEY": ["private", "PEM PKCS#8"],
  "RSA PRIVATE KEY": ["private", "PEM PKCS#1"],
  "PUBLIC KEY": ["public", "PEM SubjectPublicKeyInfo"],
  "RSA PUBLIC KEY": ["public", "PEM PKCS#1"],
  CERTIFICATE: ["certificate", "PEM X.509"],
};

// A label is words separated by spaces: one way to match a run of spaces, so no backtracking.
// Spaces before the label are allowed too, as keys.py's label group takes them (then strips them).
const PEM_BLOCK = /-----\s*BEGIN +([A-Z0-9]+(?: +[A-Z0-9]+)*) *\s*-----([\s\S]*?)(?:-----\s*END +([A-Z0-9]+(?: +[A-Z0-9]+)*) *\s*-----|$)/g;

// Python's whitespace (str.isspace): JS's \s also takes U+FEFF, which Python keeps (and reports).
const PY_SPACE = "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const LEADING = new RegExp(`^${PY_SPACE}+`);
const TRAILING = new RegExp(`${PY_SPACE}+$`);

/**
 * ``text`` without Python's leading and trailing whitespace (str.strip()).
 * @param {string} text
 * @returns {string}
 */
function pyStrip(text) {
  return text.replace(LEADING, "").replace(TRAILING, "");
}

/**
 * Undo what copying does to a key (keys.clean_paste), and say which repairs were made.
 * @param {string} text
 * @returns {{text: string, notes: string[]}}
 */
export function cleanPaste(text) {
  const notes = [];
  if (text.replace(LEADING, "").startsWith("\ufeff")) notes.push("bom_removed");
  let cleaned = pyStrip(text.replaceAll("\ufeff", ""));
  if (cleaned.length >= 2 && cleaned[0] === cleaned[cleaned.length - 1] && `"'`.includes(cleaned[0])) {
    cleaned = pyStrip(cleaned.slice(1, -1));
    notes.push("quotes_removed");
  }
  if (cleaned.includes("\\n") || cleaned.includes("\\r")) {
    cleaned = cleaned.replaceAll("\\r", "").replaceAll("\\n", "\n");
    notes.push("literal_newlines");
  }
  cleaned = cleaned.replaceAll("\r\n", "\n").replaceAll("\r", "\n");
  return { text: cleaned, notes };
}

// The first block's BEGIN line (its label) and where its END line starts.
const FIRST_BEGIN = /-----\s*BEGIN +([A-Z0-9]+(?: +[A-Z0-9]+)*) *\s*-----/;
const FIRST_END = /-----\s*END /;

/**
 * The first PEM block of a cleaned paste: its label (spaces collapsed) and the base64 under it,
 * header lines such as ``Proc-Type:`` left out; the whole text and label "" when there is no
 * BEGIN line (bare base64).
 * @param {string} cleaned a paste after cleanPaste
 * @returns {{label: string, body: string}}
 */
export function pemParts(cleaned) {
  const begin = FIRST_BEGIN.exec(cleaned);
  if (!begin) return { label: "", body: cleaned };
  const rest = cleaned.slice(begin.index + begin[0].length);
  const end = FIRST_END.exec(rest);
  const body = (end ? rest.slice(0, end.index) : rest)
    .split("\n")
    .filter((line) => !line.includes(":"))
    .join("\n");
  return { label: begin[1].replace(/ +/g, " "), body };
}

/**
 * Base64 to bytes as Python's b64decode(validate=True) after padding is added; a fault otherwise.
 * @param {string} body
 * @param {string} what "private_key" or "content": the word the sentence puts in {what}
 * @returns {Uint8Array | KeyFault}
 */
export function decodeBase64(body, what) {
  const compact = body.replace(/\s+/g, "");
  if (!compact) return { code: "pem_empty_body", values: { what } };
  // Python's strict decoder after the server pads to a multiple of four: data, then only "=";
  // a complete last group may be followed by any number of "=", an open one by just its padding.
  const padded = compact + "=".repeat((4 - (compact.length % 4)) % 4);
  const parts = /^([A-Za-z0-9+/]+)(=*)$/.exec(padded);
  const open = parts ? parts[1].length % 4 : 1;
  if (parts && (open === 0 || (open === 2 && parts[2].length === 2) || (open === 3 && parts[2].length === 1))) {
    try {
      const binary = atob(parts[1] + "=".repeat((4 - open) % 4));
      const bytes = new Uint8Array(binary.length);
      for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
      return bytes;
    } catch {
      // fall through to the fault
    }
  }
  const bad = [...new Set([...compact].filter((char) => !/[A-Za-z0-9+/=]/.test(char)))].sort();
  if (bad.length) {
    return { code: "bad_base64_chars", values: { what, chars: bad.slice(0, 5).map(pythonRepr) } };
  }
  return { code: "bad_base64", values: { what } };
}

/**
 * A character as Python's repr() shows it (the server lists bad characters that way).
 * @param {string} char
 * @returns {string}
 */
export function pythonRepr(char) {
  const escapes = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  const code = char.codePointAt(0) || 0;
  let shown = char;
  if (char in escapes) shown = escapes[/** @type {keyof typeof escapes} */ (char)];
  else if (code < 0x20 || code === 0x7f) shown = `\\x${code.toString(16).padStart(2, "0")}`;
  else if (code >= 0x80 && code < 0xa0) shown = `\\x${code.toString(16).padStart(2, "0")}`;
  if (char === "'") return `"'"`;
  return `'${shown}'`;
}

/**
 * A pasted private key, read as load_private_key reads it.
 * @param {string} text
 * @param {{max_bits: number, max_exponent: number}} caps
 * @returns {ReadKey | RefusedKey}
 */
export function readPastedPrivateKey(text, caps) {
  /** @param {string} code @param {Record<string, string | number | string[]>} [values] @returns {RefusedKey} */
  const refuse = (code, values) => ({ ok: false, fault: { code, values } });
  if (text.length > MAX_KEY_CHARS) return refuse("too_large");
  const { text: cleaned, notes } = cleanPaste(text);
  if (!cleaned) return refuse("empty");
  const blocks = [...cleaned.matchAll(PEM_BLOCK)];
  let der;
  let format;
  let read;
  if (blocks.length) {
    const [, rawLabel, body, endLabel] = blocks[0];
    const label = rawLabel.replace(/ +/g, " ");
    if (!endLabel) {
      // As core/keys.py: a private key's header is not quoted (the redaction would remove it).
      if (!label.includes("PRIVATE KEY")) return refuse("pem_incomplete", { label });
      return { ok: false, fault: { code: "pem_incomplete", sentence: "pem_incomplete_private" } };
    }
    if (label.includes("ENCRYPTED") || /Proc-Type:\s*4,\s*ENCRYPTED/.test(body)) return refuse("key_encrypted");
    if (!(label in PEM_LABELS)) {
      if (["EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY"].includes(label)) {
        return refuse("not_rsa", { algorithm: label.split(" ")[0] });
      }
      if (["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"].includes(label)) return refuse("csr_given");
      return refuse("pem_unknown_label", { label });
    }
    const [kind, labelFormat] = PEM_LABELS[/** @type {keyof typeof PEM_LABELS} */ (label)];
    if (kind === "certificate") return refuse("certificate_not_private_key");
    if (kind === "public") return refuse("public_key_not_private_key");
    const lines = body.split(/\r\n|\r|\n/).filter((line) => !line.includes(":"));
    der = decodeBase64(lines.join("\n"), "private_key");
    if (!(der instanceof Uint8Array)) return { ok: false, fault: der };
    read = readPrivateKey(der, caps);
    if (read.kind === "unreadable") return refuse("unreadable_der", { what: "private_key" });
    format = labelFormat;
  } else {
    if (cleaned.includes("-----")) return refuse("pem_malformed");
    der = decodeBase64(cleaned, "content");
    if (!(der instanceof Uint8Array)) return { ok: false, fault: der };
    read = readAnyDer(der, caps);
    if (read.kind === "certificate") return refuse("certificate_not_private_key");
    if (read.kind === "public") return refuse("public_key_not_private_key");
    if (read.kind === "unreadable") return refuse("unreadable_der", { what: "key_or_certificate" });
    if (read.kind === "private") format = `base64 DER ${read.format}`;
  }
  if (read.kind === "invalid") return refuse(read.code, read.values);
  if (read.kind !== "private" || !format) return refuse("unreadable_der", { what: "private_key" });
  return { ok: true, format, notes, pkcs8: read.pkcs8, numbers: read.numbers };
}

/**
 * A server sentence with its {names} filled in ({what} is a word of the catalogue, a list is
 * joined with its separator).
 * @param {import("./pem.js").KeyFault} fault
 * @param {{messages: Record<string, string>, words: Record<string, string>}} catalogue
 * @returns {string}
 */
export function keyMessage(fault, catalogue) {
  const template =
    catalogue.messages[fault.sentence || fault.code] || catalogue.messages.unreadable_der;
  const values = fault.values || {};
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (Array.isArray(value)) return value.join(catalogue.words.separator);
    if (name === "what") return catalogue.words[String(value)] || String(value);
    return String(value);
  });
}
