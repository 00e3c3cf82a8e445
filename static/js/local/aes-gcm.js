// AES-256-GCM with WebCrypto for local mode: APIv3 notifications' AEAD_AES_256_GCM (003 §2.1
// 敏感信息加解密; §3.2.6), 16-byte tag at the end of the ciphertext as WeChat Pay sends it.

/**
 * The plaintext, or null when the tag does not match (wrong key, nonce, associated data or bytes).
 * @param {Uint8Array} key 32 bytes
 * @param {Uint8Array} nonce
 * @param {Uint8Array} associatedData
 * @param {Uint8Array} ciphertext ciphertext followed by the tag
 * @returns {Promise<Uint8Array | null>}
 */
export async function openAesGcm(key, nonce, associatedData, ciphertext) {
  const imported = await crypto.subtle.importKey("raw", key, { name: "AES-GCM" }, false, ["decrypt"]);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: associatedData, tagLength: 128 },
      imported,
      ciphertext,
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}
