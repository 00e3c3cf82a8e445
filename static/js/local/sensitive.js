// Sensitive fields in local mode: a value WeChat Pay returned, opened here with the merchant
// private key that never leaves the page (003 §2.1 敏感信息加解密: RSAES-OAEP, SHA-1, MGF1-SHA1),
// following the server's plan (diagnostics/wechat_v3/sensitive_crypto.py plan_sensitive_decryption):
// when OAEP with SHA-1 does not open it, PKCS#1 v1.5 padding and OAEP with SHA-256 are tried to
// name the cause, as open_sensitive does. WebCrypto has no PKCS#1 v1.5 encryption, so that block
// is read from the raw RSA result (c^d mod n by the Chinese remainder theorem, BigInt).
import { fromBase64 } from "./bytes.js";

/**
 * @typedef {{code: string, message: string}} Fault
 * @typedef {{ciphertext: string, pkcs1v15: Fault, oaep_sha256: Fault, other_key: Fault}} SensitivePlan
 */

// KNOWN_KEY_BITS: the RSA sizes a ciphertext's length is read against.
const KNOWN_KEY_BITS = [2048, 3072, 4096];

/**
 * base^exponent mod modulus.
 * @param {bigint} base
 * @param {bigint} exponent
 * @param {bigint} modulus
 * @returns {bigint}
 */
function modPow(base, exponent, modulus) {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/**
 * Whether ``raw`` is a PKCS#1 v1.5 encryption block under this key (00 02, 8+ non-zero bytes, 00).
 * @param {import("./pkcs8.js").RsaNumbers} numbers
 * @param {Uint8Array} raw
 * @returns {boolean}
 */
export function opensWithPkcs1v15(numbers, raw) {
  let c = 0n;
  for (const byte of raw) c = (c << 8n) | BigInt(byte);
  if (c >= numbers.n) return false;
  const m1 = modPow(c, numbers.dp, numbers.p);
  const m2 = modPow(c, numbers.dq, numbers.q);
  const h = (((numbers.qinv * (m1 - m2)) % numbers.p) + numbers.p) % numbers.p;
  let m = m2 + h * numbers.q;
  const block = new Uint8Array(raw.length);
  for (let index = raw.length - 1; index >= 0; index -= 1) {
    block[index] = Number(m & 0xffn);
    m >>= 8n;
  }
  if (block[0] !== 0 || block[1] !== 2) return false;
  const end = block.indexOf(0, 2);
  return end >= 10;
}

/**
 * RSA-OAEP decryption with ``hash``, or null when it does not open.
 * @param {Uint8Array} pkcs8
 * @param {"SHA-1" | "SHA-256"} hash
 * @param {Uint8Array} raw
 * @returns {Promise<Uint8Array | null>}
 */
async function openOaep(pkcs8, hash, raw) {
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSA-OAEP", hash }, false, ["decrypt"]);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "RSA-OAEP" }, key, raw));
  } catch {
    return null;
  }
}

/**
 * Open the value as the server's open_sensitive does: the bytes, or the fault that names why not.
 * @param {SensitivePlan} plan
 * @param {Uint8Array} pkcs8
 * @param {import("./pkcs8.js").RsaNumbers} numbers
 * @returns {Promise<{plain: Uint8Array} | {fault: Fault}>}
 */
export async function openSensitive(plan, pkcs8, numbers) {
  const raw = fromBase64(plan.ciphertext);
  const plain = await openOaep(pkcs8, "SHA-1", raw);
  if (plain) return { plain };
  if (opensWithPkcs1v15(numbers, raw)) return { fault: plan.pkcs1v15 };
  if (await openOaep(pkcs8, "SHA-256", raw)) return { fault: plan.oaep_sha256 };
  return { fault: plan.other_key };
}

/**
 * Whether a text already is Base64 of an RSA ciphertext (sensitive_crypto.looks_encrypted with
 * read_base64: line breaks, spaces and the URL-safe alphabet tolerated).
 * @param {string} text
 * @returns {boolean}
 */
export function looksEncrypted(text) {
  let compact = text.replace(/\s+|\\[rn]/g, "");
  if (/[-_]/.test(compact)) compact = compact.replaceAll("-", "+").replaceAll("_", "/");
  if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return false;
  const padded = compact + "=".repeat((4 - (compact.length % 4)) % 4);
  if (padded.length % 4 !== 0 || /=[^=]/.test(padded)) return false;
  let size;
  try {
    size = atob(padded).length;
  } catch {
    return false;
  }
  return KNOWN_KEY_BITS.includes(size * 8);
}

/**
 * The opened bytes as the server shows them (read_plaintext): the text, whether it was not UTF-8,
 * and, when it is itself a ciphertext, its length in characters (Python's len of the trimmed text).
 * @param {Uint8Array} plain
 * @returns {{text: string, notUtf8: boolean, twice: number | null}}
 */
export function readPlaintext(plain) {
  let text;
  let notUtf8 = false;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    text = new TextDecoder("utf-8").decode(plain);
    notUtf8 = true;
  }
  const twice = looksEncrypted(text) ? [...text.trim()].length : null;
  return { text, notUtf8, twice };
}
