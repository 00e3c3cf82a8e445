// AES-ECB decryption for local mode, built from WebCrypto's AES-CBC (WebCrypto has no ECB): the V2
// refund notification's req_info is AES-256-ECB with PKCS#7 (diagnostics/wechat_v2/refund_notify.py).
//
// Why it is exact. CBC decryption with IV = 0 of blocks C1…Cn gives P1 = D(C1) and
// Pi = D(Ci) xor C(i-1), so ECB's D(Ci) is CBC's Pi xor C(i-1). WebCrypto checks and strips PKCS#7
// after decrypting, which the ECB plaintext need not satisfy (a wrong key): one block X is appended
// whose CBC plaintext is a whole padding block, D(X) xor Cn = 0x10×16, i.e. X = E(Cn xor 0x10×16) —
// the first block of CBC-encrypting 0x10×16 with IV = Cn. WebCrypto then strips exactly that block
// and returns n blocks; the padding of the ECB plaintext itself is checked by the caller, as the
// server does. Chromium's WebCrypto has no AES-192: a 24-byte key gives null (see importEcbKey).

const PAD_BLOCK = new Uint8Array(16).fill(16);
const ZERO_IV = new Uint8Array(16);

/**
 * @param {Uint8Array} key
 * @returns {Promise<CryptoKey | null>} null when the browser does not take this key size
 */
async function importEcbKey(key) {
  if (![16, 24, 32].includes(key.length)) return null;
  try {
    return await crypto.subtle.importKey("raw", key, { name: "AES-CBC" }, false, ["encrypt", "decrypt"]);
  } catch {
    return null;
  }
}

/**
 * AES-ECB decryption without padding removal: the raw plaintext blocks, or null when the key has
 * no AES size (or one this browser lacks) or the ciphertext is not whole blocks.
 * @param {Uint8Array} ciphertext
 * @param {Uint8Array} key 16, 24 or 32 bytes
 * @returns {Promise<Uint8Array | null>}
 */
export async function aesEcbDecryptBlocks(ciphertext, key) {
  if (ciphertext.length === 0 || ciphertext.length % 16) return null;
  const imported = await importEcbKey(key);
  if (!imported) return null;
  const last = ciphertext.subarray(ciphertext.length - 16);
  const encrypted = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: last }, imported, PAD_BLOCK));
  const extended = new Uint8Array(ciphertext.length + 16);
  extended.set(ciphertext);
  extended.set(encrypted.subarray(0, 16), ciphertext.length);
  const cbc = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv: ZERO_IV }, imported, extended));
  for (let index = 16; index < cbc.length; index += 1) cbc[index] ^= ciphertext[index - 16];
  return cbc;
}

/**
 * PKCS#7 removed as cryptography's unpadder does: the last byte n in 1..16, the last n bytes all n.
 * @param {Uint8Array} padded
 * @returns {Uint8Array | null}
 */
export function stripPkcs7(padded) {
  if (padded.length === 0 || padded.length % 16) return null;
  const count = padded[padded.length - 1];
  if (count < 1 || count > 16) return null;
  for (let index = padded.length - count; index < padded.length; index += 1) {
    if (padded[index] !== count) return null;
  }
  return padded.slice(0, padded.length - count);
}

/**
 * AES-ECB with PKCS#7, as refund_notify.aes_ecb_decrypt: the plaintext, or null (wrong key, bad
 * padding, a key of no AES size).
 * @param {Uint8Array} ciphertext
 * @param {Uint8Array} key
 * @returns {Promise<Uint8Array | null>}
 */
export async function aesEcbDecrypt(ciphertext, key) {
  const blocks = await aesEcbDecryptBlocks(ciphertext, key);
  return blocks && stripPkcs7(blocks);
}

/**
 * AES-ECB encryption with PKCS#7, as refund_notify.aes_ecb_encrypt: each block is CBC-encrypted
 * alone with a zero IV (C = E(P xor 0) = E(P)); WebCrypto appends a padding block to each, dropped.
 * Null when the key has no AES size this browser takes.
 * @param {Uint8Array} plaintext
 * @param {Uint8Array} key 16, 24 or 32 bytes
 * @returns {Promise<Uint8Array | null>}
 */
export async function aesEcbEncrypt(plaintext, key) {
  const imported = await importEcbKey(key);
  if (!imported) return null;
  const count = 16 - (plaintext.length % 16);
  const padded = new Uint8Array(plaintext.length + count);
  padded.set(plaintext);
  padded.fill(count, plaintext.length);
  const out = new Uint8Array(padded.length);
  for (let index = 0; index < padded.length; index += 16) {
    const block = padded.subarray(index, index + 16);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: ZERO_IV }, imported, block));
    out.set(sealed.subarray(0, 16), index);
  }
  return out;
}
