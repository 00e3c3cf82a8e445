// Notification decryption in local mode: the server's plan (diagnostics/wechat_v3/decryption.py
// plan_decryption — the attempts in order, each with the slip it proves) run here with the
// APIv3 key, which never leaves the page; then the plaintext shown as the server shows it
// (workbenches.run_v3_decrypt: pretty JSON, the summary fields, the personal fields).
import { fromBase64 } from "./bytes.js";
import { openAesGcm } from "./aes-gcm.js";

/**
 * @typedef {{code: string, message: string}} Fault
 * @typedef {{nonce: string, associated_data: string, ciphertext: string, error: Fault | null}} Attempt
 * @typedef {{key_errors: Record<string, Fault>, attempts: Attempt[], failure: Fault,
 *   summary_fields: string[], personal_words: string[]}} DecryptPlan
 */

/**
 * Why this APIv3 key cannot be one (decryption.apiv3_key_error), with its length filled in.
 * @param {string} key
 * @param {Record<string, Fault>} errors the server's sentences, "{length}" left to fill
 * @returns {Fault | null}
 */
export function keyFault(key, errors) {
  const length = new TextEncoder().encode(key).length;
  if (length === 32) return null;
  let kind = "apiv3_key_length";
  if (new TextEncoder().encode(key.trim()).length === 32) kind = "apiv3_key_whitespace";
  else if (/^[0-9a-fA-F]{64}$/.test(key.trim())) kind = "apiv3_key_hex";
  const error = errors[kind];
  return { code: error.code, message: error.message.replaceAll("{length}", String(length)) };
}

/**
 * Run the plan with the key: the plaintext, or the fault the server would name.
 * @param {DecryptPlan} plan
 * @param {string} key
 * @returns {Promise<{plaintext: string} | {fault: Fault}>}
 */
export async function runPlan(plan, key) {
  const fault = keyFault(key, plan.key_errors);
  if (fault) return { fault };
  const keyBytes = new TextEncoder().encode(key);
  for (const attempt of plan.attempts) {
    const plain = await openAesGcm(
      keyBytes,
      fromBase64(attempt.nonce),
      fromBase64(attempt.associated_data),
      fromBase64(attempt.ciphertext),
    );
    if (plain === null) continue;
    if (attempt.error) return { fault: attempt.error };
    return { plaintext: new TextDecoder("utf-8").decode(plain) };
  }
  return { fault: plan.failure };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A value as Python's str() writes it (the summary shows str(value)).
 * @param {unknown} value
 * @returns {string}
 */
function pythonStr(value) {
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

/**
 * The dotted names of the leaves (workbenches.field_paths): payer.openid, amount.total, a[0].
 * @param {unknown} data
 * @param {number} [limit]
 * @returns {string[]}
 */
export function fieldPaths(data, limit = 200) {
  /** @type {string[]} */
  const paths = [];
  /** @type {[string, unknown][]} */
  const stack = [["", data]];
  while (stack.length && paths.length < limit) {
    const [path, value] = /** @type {[string, unknown]} */ (stack.pop());
    if (isObject(value)) {
      const entries = Object.entries(value).reverse();
      for (const [name, item] of entries) stack.push([path ? `${path}.${name}` : name, item]);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push([`${path}[${index}]`, value[index]]);
    } else if (path) {
      paths.push(path);
    }
  }
  return paths;
}

/**
 * What the page shows of a plaintext: the summary rows, the pretty text, the personal fields.
 * @param {string} plaintext
 * @param {DecryptPlan} plan
 * @returns {{pretty: string, summary: [string, string][], personal: string[], fields: string[]}}
 */
export function describePlaintext(plaintext, plan) {
  let data = null;
  try {
    data = JSON.parse(plaintext);
  } catch {
    data = null;
  }
  /** @type {[string, string][]} */
  const summary = [];
  for (const path of plan.summary_fields) {
    /** @type {unknown} */
    let value = data;
    for (const part of path.split(".")) value = isObject(value) ? value[part] : undefined;
    if (value !== undefined && value !== null && typeof value !== "object") summary.push([path, pythonStr(value)]);
  }
  const paths = fieldPaths(data);
  const personal = paths.filter((path) => plan.personal_words.some((word) => path.toLowerCase().includes(word)));
  const pretty = isObject(data) ? JSON.stringify(data, null, 2) : plaintext;
  return { pretty, summary, personal, fields: paths };
}
