// RSA with WebCrypto for local mode: RSASSA-PKCS1-v1_5 signing with SHA-256 (APIv3, 003 §2.1)
// or SHA-1 (Baidu's rsaSign), from a PKCS#8 private key that never leaves this page; the key's
// public half as a SubjectPublicKeyInfo PEM (what the page may send: the server runs the pair
// check and the mistake search with it, as with a certificate), and its modulus.

/** @typedef {"SHA-256" | "SHA-1"} Hash */

/**
 * Bytes as base64 (the signature as the server writes it).
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toBase64(bytes) {
  let binary = "";
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

/**
 * A PKCS#8 RSA private key for signing with ``hash``; extractable so its public half (n, e) can
 * be exported as JWK.
 * @param {Uint8Array} pkcs8
 * @param {Hash} hash
 * @returns {Promise<CryptoKey>}
 */
export function importPrivateKey(pkcs8, hash) {
  return crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash }, true, ["sign"]);
}

/**
 * ``text`` (UTF-8) signed with PKCS#1 v1.5, base64 — keys.rsa_sign.
 * @param {CryptoKey} key
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function signText(key, text) {
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(text));
  return toBase64(new Uint8Array(signature));
}

/**
 * The modulus of a key as JWK's base64url ``n`` (RFC 7518 §6.3.1).
 * @param {CryptoKey} key
 * @returns {Promise<string>}
 */
export async function modulus(key) {
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return String(jwk.n);
}

/**
 * The public half of a private key as a SubjectPublicKeyInfo PEM: only n and e go in.
 * @param {CryptoKey} key
 * @returns {Promise<string>}
 */
export async function publicKeyPem(key) {
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const algorithm = /** @type {RsaHashedKeyAlgorithm} */ (key.algorithm);
  const publicOnly = { kty: "RSA", n: jwk.n, e: jwk.e, ext: true };
  const imported = await crypto.subtle.importKey(
    "jwk",
    publicOnly,
    { name: "RSASSA-PKCS1-v1_5", hash: algorithm.hash },
    true,
    ["verify"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", imported));
  const lines = toBase64(spki).match(/.{1,64}/g) || [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`;
}
