// Digests for local mode (本地计算): MD5 from @noble/hashes (copied into static/vendor/ by
// scripts/copy-vendor.mjs), HMAC-SHA256 from WebCrypto (crypto.subtle: the browser's, or Node 20's
// globalThis.crypto in tests/js/). Everything returns lower-case hex, as Python's hexdigest();
// a sign is its upper case (signHex). The key stays in this page: nothing here sends anything.
import { md5 } from "../../vendor/noble-hashes/legacy.js";
import { toHex, utf8 } from "./bytes.js";

export const MD5 = "MD5";
export const HMAC_SHA256 = "HMAC-SHA256";

/**
 * MD5 of some bytes.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export function md5Bytes(bytes) {
  return md5(bytes);
}

/** @type {Map<string, Promise<CryptoKey>>} imported HMAC keys, by their bytes in hex */
const hmacKeys = new Map();

/**
 * HMAC-SHA256 of some bytes under a key (WebCrypto; the imported key is kept for the page's life,
 * so a search over hundreds of candidates imports each key once).
 * @param {Uint8Array} key
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
export async function hmacSha256Bytes(key, bytes) {
  const id = toHex(key);
  let imported = hmacKeys.get(id);
  if (!imported) {
    // An empty HMAC key is legal (RFC 2104) but WebCrypto refuses length 0: one zero byte is the
    // same key once padded to the block size.
    const raw = key.length ? key : new Uint8Array(1);
    imported = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    hmacKeys.set(id, imported);
  }
  return new Uint8Array(await crypto.subtle.sign("HMAC", await imported, bytes));
}

/**
 * The digest of ``bytes`` by a V2 sign_type: MD5, or HMAC-SHA256 keyed with ``key``.
 * @param {string} algorithm "MD5" or "HMAC-SHA256"
 * @param {Uint8Array} key the HMAC key (ignored for MD5)
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
export async function digestBytes(algorithm, key, bytes) {
  if (algorithm === HMAC_SHA256) return hmacSha256Bytes(key, bytes);
  if (algorithm === MD5) return md5Bytes(bytes);
  throw new Error(`unknown algorithm ${algorithm}`);
}

/**
 * Lower-case hex digest of a text's UTF-8 bytes.
 * @param {string} algorithm
 * @param {string} key
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function digestHex(algorithm, key, text) {
  return toHex(await digestBytes(algorithm, utf8(key), utf8(text)));
}

/**
 * The sign as sent: the hex digest upper-cased (002 §3.2 b).
 * @param {string} hex
 * @returns {string}
 */
export function signHex(hex) {
  return hex.toUpperCase();
}
