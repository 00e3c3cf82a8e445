// The APIv3 notification simulator in local mode (本地计算): the server's first answer holds what
// `resource` encrypts (simulator.run_simulate_local: the plaintext, its 12-character nonce and
// associated_data); it is encrypted here with AEAD_AES_256_GCM under the APIv3 key (003 §2.1,
// §3.2.6), then the form is sent again with the ciphertext alone — public, it travels in the
// notification — and the server builds, signs and shows the notification as in server mode.
// The V2 simulator's page does the same with a sign or req_info (simulate-v2.js).
// task-page.js calls finishSimulate for a plan and simulateParams for every request.
import { keyFault } from "./decrypt.js";

/**
 * @typedef {{plaintext: string, nonce: string, associated_data: string,
 *   key_errors: Record<string, {code: string, message: string}>}} SimulatePlan
 */

/**
 * AES-256-GCM over the plan's plaintext: Base64 of the ciphertext with its 16-byte tag at the end,
 * as the notification carries it; or the server's sentence for a key that cannot be an APIv3 key.
 * @param {SimulatePlan} plan
 * @param {string} key
 * @returns {Promise<{ciphertext: string} | {fault: {code: string, message: string}}>}
 */
export async function sealResource(plan, key) {
  const fault = keyFault(key, plan.key_errors);
  if (fault) return { fault };
  const encoder = new TextEncoder();
  const imported = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "AES-GCM" }, false, ["encrypt"]);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: encoder.encode(plan.nonce), additionalData: encoder.encode(plan.associated_data), tagLength: 128 },
    imported,
    encoder.encode(plan.plaintext),
  );
  return { ciphertext: toBase64(new Uint8Array(sealed)) };
}

/**
 * Standard Base64 (padded), as the notifications carry their ciphertexts.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toBase64(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * What the V3 page posts back for a plan and key: the ciphertext with the plan's plaintext and nonce.
 * @param {SimulatePlan} plan
 * @param {string} key
 * @returns {Promise<{params: Record<string, string>} | {fault: {code: string, message: string}}>}
 */
export async function v3Params(plan, key) {
  const result = await sealResource(plan, key);
  if ("fault" in result) return result;
  return { params: { local_ciphertext: result.ciphertext, local_resource: plan.plaintext, local_nonce: plan.nonce } };
}

// The simulators' key-independent inputs (V3 and V2), and what a request carries without a result.
const FIELDS = ["kind", "mode", "sign_type", "url", "resource"];
const EMPTY = {
  local_ciphertext: "", local_resource: "", local_nonce: "", // V3
  local_plan: "", local_sealed: "", local_key_length: "", local_key_whitespace: "", // V2
};

/** @type {{inputs: string, key: string, params: Record<string, string>} | null} */
let sealed = null;

/**
 * The form's key-independent inputs, to tell whether a ciphertext still fits them.
 * @param {HTMLFormElement} form
 */
function inputs(form) {
  const data = new FormData(form);
  return JSON.stringify(FIELDS.map((name) => data.getAll(name)));
}

/**
 * Seal the answer's plan with the key (encrypt or sign: ``seal``), then ask again with the result.
 * @param {HTMLFormElement} form
 * @param {HTMLInputElement | HTMLTextAreaElement} secret
 * @param {(key: string) => Promise<{params: Record<string, string>} | {fault: {code: string, message: string}}>} seal
 * @param {{showError: (label: string, message: string) => void, missing: {label: string, message: string} | null,
 *   resubmit: () => void}} page
 */
export async function finishSimulate(form, secret, seal, page) {
  if (page.missing) {
    page.showError(page.missing.label, page.missing.message);
    return;
  }
  const result = await seal(secret.value);
  if ("fault" in result) {
    page.showError("", result.fault.message);
    return;
  }
  sealed = { inputs: inputs(form), key: secret.value, params: result.params };
  page.resubmit();
}

/**
 * What a request carries: the ciphertext made for the form's current inputs and key, once; else
 * nothing (the server then answers with a new plan).
 * @param {HTMLFormElement} form
 * @param {HTMLInputElement | HTMLTextAreaElement} secret
 * @param {Record<string, string>} params
 */
export function simulateParams(form, secret, params) {
  const current = sealed && sealed.inputs === inputs(form) && sealed.key === secret.value;
  Object.assign(params, current && sealed ? sealed.params : EMPTY);
  sealed = null; // each notification is new: the next request starts from a new plan
}
