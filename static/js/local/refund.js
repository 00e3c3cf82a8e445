// The V2 refund notification's req_info in local mode (本地计算): the server's plan
// (diagnostics/wechat_v2/refund_notify.py local_plan — req_info's bytes, DERIVATIONS, the
// sentences) run here with the API key, which never leaves the page, nor does its MD5 (the AES
// key). What goes back is what the server reads as in server mode: the plaintext (the refund's
// data), or which slips opened req_info and which were tried (refund_notify.local_outcome_error).
import { aesEcbDecrypt } from "./aes-ecb.js";
import { fromBase64, toHex, utf8 } from "./bytes.js";
import { md5Bytes } from "./digest.js";

/**
 * @typedef {{code: string, message: string}} Fault
 * @typedef {{ciphertext: string, repaired: string, failure: Fault | null,
 *   derivations: [string, string, string][], max_key_chars: number, key_long: Fault,
 *   plus_as_space: Fault}} RefundPlan
 * @typedef {{opened: string[], tried: string[], key_length: number}} Outcome
 */

// Python's str.split()/strip() whitespace (str.isspace), which JavaScript's \s does not match
// exactly (it adds U+FEFF, lacks U+001C–U+001F and U+0085).
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACES = new RegExp(`[${SPACE}]`, "g");
const EDGES = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** @param {string} text */
function md5Hex(text) {
  return toHex(md5Bytes(utf8(text)));
}

/**
 * The AES key one slip makes from the API key (refund_notify.derive), or null when it does not apply.
 * @param {[string, string, string]} derivation code, "key" | "trimmed", the form
 * @param {string} apiKey
 * @returns {Uint8Array | null}
 */
export function derive([, which, form], apiKey) {
  let text = apiKey;
  if (which === "trimmed") {
    text = apiKey.replace(SPACES, "");
    if (!text || text === apiKey) return null;
  }
  if (form === "md5_hex") return utf8(md5Hex(text));
  if (form === "md5_hex_upper") return utf8(md5Hex(text).toUpperCase());
  if (form === "md5_digest") return md5Bytes(utf8(text));
  const raw = utf8(text);
  if (![16, 24, 32].includes(raw.length)) return null;
  return /^[0-9A-Fa-f]{32}$/.test(text) ? utf8(text.toLowerCase()) : raw;
}

/**
 * The plaintext when it is text (refund_notify._readable): strict UTF-8, no control characters.
 * @param {Uint8Array | null} plain
 * @returns {string | null}
 */
function readable(plain) {
  if (plain === null) return null;
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(plain);
  } catch {
    return null;
  }
  return CONTROL.test(text) ? null : text;
}

/**
 * Run the plan with the API key (refund_notify.decrypt_req_info once the key is checked present):
 * the plaintext, a fault the page shows, or the outcome of the slips for the server to read.
 * @param {RefundPlan} plan
 * @param {string} apiKey
 * @returns {Promise<{plaintext: string} | {fault: Fault} | {outcome: Outcome}>}
 */
export async function runRefundPlan(plan, apiKey) {
  if ([...apiKey].length > plan.max_key_chars) return { fault: plan.key_long };
  const key = derive(["", "key", "md5_hex"], apiKey);
  if (plan.repaired && readable(await aesEcbDecrypt(fromBase64(plan.repaired), key)) !== null) {
    return { fault: plan.plus_as_space };
  }
  if (plan.failure) return { fault: plan.failure };
  const ciphertext = fromBase64(plan.ciphertext);
  const plaintext = readable(await aesEcbDecrypt(ciphertext, key));
  if (plaintext !== null) return { plaintext };
  /** @type {Outcome} */
  const outcome = { opened: [], tried: [], key_length: [...apiKey.replace(EDGES, "")].length };
  const seen = new Set([toHex(key)]);
  for (const derivation of plan.derivations) {
    const candidate = derive(derivation, apiKey);
    if (candidate === null || seen.has(toHex(candidate))) continue;
    seen.add(toHex(candidate));
    const opened = readable(await aesEcbDecrypt(ciphertext, candidate)) !== null;
    (opened ? outcome.opened : outcome.tried).push(derivation[0]);
  }
  return { outcome };
}
