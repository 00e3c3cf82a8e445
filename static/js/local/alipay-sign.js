// Alipay's request sign in local mode (本地计算): the string to sign the server sends, signed here
// with the 应用私钥 that never leaves this page — RSA2 is SHA256withRSA, RSA is SHA1withRSA
// (RSASSA-PKCS1-v1_5), over the string's bytes in the request's charset. Browsers encode text as
// UTF-8 only, so a charset=GBK request's bytes come from the server as base64
// (diagnostics/alipay/workbenches.py run_alipay_sign_local).
import { importPrivateKey, toBase64 } from "./rsa.js";

/**
 * What the server sends for the browser to sign.
 * @typedef {{message: string, hash: import("./rsa.js").Hash, bytes: string | null}} AlipaySignPlan
 */

/**
 * The bytes signed: the GBK bytes as sent, else the message in UTF-8.
 * @param {AlipaySignPlan} plan
 * @returns {Uint8Array}
 */
export function planBytes(plan) {
  if (!plan.bytes) return new TextEncoder().encode(plan.message);
  return Uint8Array.from(atob(plan.bytes), (char) => char.charCodeAt(0));
}

/**
 * The sign, base64, as signing.sign makes it on the server.
 * @param {Uint8Array} pkcs8 the private key as read from the paste (pem.js)
 * @param {AlipaySignPlan} plan
 * @returns {Promise<string>}
 */
export async function signPlan(pkcs8, plan) {
  const key = await importPrivateKey(pkcs8, plan.hash);
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, planBytes(plan));
  return toBase64(new Uint8Array(signature));
}
