// The V2 notification simulator in local mode (本地计算): the server's first answer holds the plan
// (wechat_v2/simulator.local_plan). A payment notification is signed here by 002 §3.2 — string1
// then "&key=" and the API key, MD5 or HMAC-SHA256 (digest.js), upper-case hex; a refund
// notification's req_info is the <root> XML encrypted with AES-256-ECB and PKCS#7 under the
// lower-case hex MD5 of the key (aes-ecb.js), in Base64. The form is sent again with the plan, the
// sign or req_info (both travel in the notification) and the key's shape — whether blanks surround
// it and its trimmed length, for the server's notes — never the key or its MD5.
import { aesEcbEncrypt } from "./aes-ecb.js";
import { toHex, utf8 } from "./bytes.js";
import { MD5, digestHex, md5Bytes, signHex } from "./digest.js";
import { toBase64 } from "./simulate.js";

/**
 * @typedef {{kind: string, sign_type: string, string1: string, fields: string[][], req_info_plaintext: string}} V2Plan
 */

/**
 * The sign (payment) or req_info (refund) the server would make with this key.
 * @param {V2Plan} plan
 * @param {string} key
 * @returns {Promise<string>}
 */
export async function sealV2(plan, key) {
  if (plan.kind === "payment") return signHex(await digestHex(plan.sign_type || MD5, key, `${plan.string1}&key=${key}`));
  const aesKey = utf8(toHex(md5Bytes(utf8(key))));
  const sealed = await aesEcbEncrypt(utf8(plan.req_info_plaintext), aesKey);
  return sealed ? toBase64(sealed) : "";
}

/**
 * What the V2 page posts back for a plan and key (the key is never missing here: task-page.js
 * shows the server's sentence for an empty field first).
 * @param {V2Plan} plan
 * @param {string} key
 * @returns {Promise<{params: Record<string, string>}>}
 */
export async function v2Params(plan, key) {
  const trimmed = key.trim();
  return {
    params: {
      local_plan: JSON.stringify({ fields: plan.fields, req_info_plaintext: plan.req_info_plaintext }),
      local_sealed: await sealV2(plan, key),
      local_key_length: String([...trimmed].length),
      local_key_whitespace: key !== trimmed ? "1" : "",
    },
  };
}
