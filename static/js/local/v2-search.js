// WeChat Pay V2 in local mode (本地计算): the sign and the mistake search, computed with a key that
// never leaves the browser. The server sends everything else (diagnostics/wechat_v2/mistakes.py
// plan_data): string1, the sign_type, the merchant's sign, and the search's plan — every
// candidate as data: a string, how the key joins it (a tail: suffix form, whitespace around the
// key, algorithm, encoding), its stage. This module is the browser's half of
// mistakes.reproducing and report.compare_their_string, rule for rule; tests/js/v2.test.js runs
// both on the same cases and requires the same answers. No DOM: Node 20 imports it as is.
import { concat, equalBytes, fromBase64, fromHex, gbk, isAscii, toHex, utf8 } from "./bytes.js";
import { digestBytes, HMAC_SHA256 } from "./digest.js";

/**
 * @typedef {{text: string, gbk?: string | null}} PlanString  gbk: base64 bytes, null = GBK cannot carry it, absent = ASCII
 * @typedef {{suffix: "named" | "none" | "bare" | "amp_bare", key_before: string, key_after: string, algorithm: string, encoding: string}} PlanTail
 * @typedef {[number, number, number, number[]]} PlanRecipe  [stage, string, tail, millis_at]
 * @typedef {{expected: string, correct_is_ascii: boolean, limits: Record<string, number | null>,
 *            strings: PlanString[], tails: PlanTail[], recipes: PlanRecipe[]}} Plan
 * @typedef {{string1: string, sign_type: string, expected: string | null, plan: Plan | null, plan_id: string}} V2Data
 * @typedef {{digest: string, sign: string, match: boolean | null, found: [number, string][]}} V2Outcome
 */

/** 002 §3.2 b appends "&key=KEY"; the mistakes append nothing, the bare key, or "&KEY". */
const SUFFIXES = {
  named: (/** @type {string} */ key) => "&key=" + key,
  none: () => "",
  bare: (/** @type {string} */ key) => key,
  amp_bare: (/** @type {string} */ key) => "&" + key,
};

/**
 * The sign 002 §3.2 gives: string1 + "&key=" + key, MD5 or HMAC-SHA256 (keyed with the key),
 * UTF-8; the digest in lower-case hex and the sign upper-cased.
 * @param {string} string1
 * @param {string} key
 * @param {string} signType
 * @returns {Promise<{digest: string, sign: string}>}
 */
export async function signV2(string1, key, signType) {
  const digest = toHex(await digestBytes(signType, utf8(key), utf8(string1 + SUFFIXES.named(key))));
  return { digest, sign: digest.toUpperCase() };
}

/**
 * Bytes of a plan string in an encoding; null when they cannot be had (GBK cannot carry it).
 * @param {PlanString} string
 * @param {string} encoding
 * @returns {Uint8Array | null}
 */
function stringBytes(string, encoding) {
  if (encoding === "utf-8" || !("gbk" in string)) return utf8(string.text);
  return string.gbk === null || string.gbk === undefined ? null : fromBase64(string.gbk);
}

/**
 * A key's bytes in an encoding; null when the encoding cannot carry it (GBK, as Python's codec).
 * @param {string} text
 * @param {string} encoding
 * @returns {Uint8Array | null}
 */
function keyBytes(text, encoding) {
  return encoding === "utf-8" ? utf8(text) : gbk(text);
}

/**
 * ``text`` with three digits put back at each position (the lost milliseconds).
 * @param {string} text
 * @param {number[]} positions  indices in ``text``, in code points, ascending
 * @param {string} millis
 */
export function withMillis(text, positions, millis) {
  const chars = [...text];
  let out = "";
  let last = 0;
  for (const position of positions) {
    out += chars.slice(last, position).join("") + millis;
    last = position;
  }
  return out + chars.slice(last).join("");
}

/**
 * The recipes whose digest with ``key`` is the merchant's sign, as [index, milliseconds]: from
 * the first stage that has any, at most its limit, one per hashed bytes (the first, the
 * simplest). The browser's mistakes.reproducing.
 * @param {Plan} plan
 * @param {string} key
 * @returns {Promise<[number, string][]>}
 */
export async function reproducing(plan, key) {
  const expected = fromHex(plan.expected);
  if (!expected || !plan.recipes.length) return [];
  const keyIsAscii = isAscii(key);
  /** @type {[number, string][]} */
  const found = [];
  let foundStage = 0;
  const seen = new Set();
  /** @type {Map<string, Uint8Array | null>} */
  const encoded = new Map();
  /** @type {Map<number, {suffix: Uint8Array, hmacKey: Uint8Array, appended: string, hmacText: string} | null>} */
  const tails = new Map();
  for (let index = 0; index < plan.recipes.length; index += 1) {
    const [stage, stringIndex, tailIndex, millisAt] = plan.recipes[index];
    if (found.length && stage !== foundStage) break; // an earlier stage explains it
    const tail = plan.tails[tailIndex];
    if (tail.encoding !== "utf-8" && keyIsAscii && plan.correct_is_ascii) continue; // same bytes as UTF-8
    if (!tails.has(tailIndex)) {
      const keyText = tail.key_before + key + tail.key_after;
      const appended = SUFFIXES[tail.suffix](keyText);
      const hmacText = tail.algorithm === HMAC_SHA256 ? keyText : "";
      const suffix = keyBytes(appended, tail.encoding);
      const hmacKey = keyBytes(hmacText, tail.encoding);
      tails.set(tailIndex, suffix && hmacKey ? { suffix, hmacKey, appended, hmacText } : null);
    }
    const hashedBy = tails.get(tailIndex);
    if (!hashedBy) continue; // a key the encoding cannot carry
    const string = plan.strings[stringIndex];
    let text = string.text;
    let millis = "";
    if (millisAt.length) {
      millis = await lostMillis(text, millisAt, tail, hashedBy, expected);
      if (!millis) continue;
      text = withMillis(text, millisAt, millis);
    } else {
      const id = `${stringIndex}/${tail.encoding}`;
      if (!encoded.has(id)) encoded.set(id, stringBytes(string, tail.encoding));
      const data = encoded.get(id);
      if (!data) continue;
      const digest = await digestBytes(tail.algorithm, hashedBy.hmacKey, concat(data, hashedBy.suffix));
      if (!equalBytes(digest, expected)) continue;
    }
    const hashed = JSON.stringify([text + hashedBy.appended, hashedBy.hmacText, tail.algorithm, tail.encoding]);
    if (seen.has(hashed)) continue;
    seen.add(hashed);
    found.push([index, millis]);
    foundStage = stage;
    const limit = plan.limits[String(stage)];
    if (limit !== null && limit !== undefined && found.length >= limit) break;
  }
  return found;
}

/**
 * The first of 000…999 that, put back, reproduces the sign; "" if none.
 * @param {string} text
 * @param {number[]} positions
 * @param {PlanTail} tail
 * @param {{suffix: Uint8Array, hmacKey: Uint8Array}} hashedBy
 * @param {Uint8Array} expected
 */
async function lostMillis(text, positions, tail, hashedBy, expected) {
  for (let number = 0; number < 1000; number += 1) {
    const millis = String(number).padStart(3, "0");
    const data = stringBytes({ text: withMillis(text, positions, millis) }, "utf-8");
    if (!data) return "";
    const digest = await digestBytes(tail.algorithm, hashedBy.hmacKey, concat(data, hashedBy.suffix));
    if (equalBytes(digest, expected)) return millis;
  }
  return "";
}

/**
 * Everything the page shows that needs the key: the sign, whether it is the merchant's, and
 * which recipes reproduce the merchant's sign when it is not.
 * @param {V2Data} data
 * @param {string} key  already trimmed
 * @returns {Promise<V2Outcome>}
 */
export async function computeV2(data, key) {
  const { digest, sign } = await signV2(data.string1, key, data.sign_type);
  const match = data.expected === null ? null : data.expected === sign;
  const found = match === false && data.plan ? await reproducing(data.plan, key) : [];
  return { digest, sign, match, found };
}

/**
 * What the server is told of the key (never the key): missing, short, ok, or ok with whitespace
 * around it — the form's own checks (V2SignForm.clean) and the report's trimmed-key finding.
 * @param {string} typed
 * @returns {"missing" | "short" | "ok" | "ok_spaced"}
 */
export function keyState(typed) {
  const key = typed.trim();
  if (!key) return "missing";
  if ([...key].length < 8) return "short";
  return key === typed ? "ok" : "ok_spaced";
}

/**
 * The key as the page shows it: all but its last four characters hidden (signing.mask_key).
 * @param {string} key
 */
export function maskKey(key) {
  const chars = [...key];
  if (chars.length <= 4) return "•".repeat(chars.length);
  return "•".repeat(chars.length - 4) + chars.slice(-4).join("");
}

export const KEY_MASK = "⟨KEY⟩";

/**
 * Their string1 or stringSignTemp made fit to send: the key hidden wherever it is, the part after
 * the last "&key=" kept here and compared with the key (report.compare_their_string's rules).
 * @param {string} their
 * @param {string} key  already trimmed
 * @returns {{head: string, state: string}}  state: "" | same | spaced | different:THEIRS:OURS
 */
export function theirString(their, key) {
  const at = their.lastIndexOf("&key=");
  const hide = (/** @type {string} */ text) => (key ? text.split(key).join(KEY_MASK) : text);
  if (at < 0) return { head: hide(their), state: "" };
  const theirKey = their.slice(at + "&key=".length);
  const head = hide(their.slice(0, at));
  if (theirKey === key) return { head, state: "same" };
  if (theirKey.trim() === key) return { head, state: "spaced" };
  const count = (/** @type {string} */ text) => Math.min([...text].length, 999);
  return { head, state: `different:${count(theirKey)}:${count(key)}` };
}
