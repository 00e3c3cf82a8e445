// The V2 refund notification page in local mode (本地计算): the first answer holds the plan
// (refund_notify.local_plan); refund.js runs it here with the API key, then the form is sent again
// with what was found — the plaintext (the refund's data) or the slips' outcome — never the key or
// its MD5. The server reads that as in server mode, so the table, verdict, findings and shares are
// server mode's. task-page.js calls finishRefund for a plan and refundParams for every request.
import { runRefundPlan } from "./refund.js";

/** @type {{notification: string, key: string, params: Record<string, string>} | null} */
let found = null;

/**
 * @param {HTMLFormElement} form
 * @returns {string}
 */
function notificationText(form) {
  const field = /** @type {HTMLTextAreaElement | null} */ (form.elements.namedItem("notification"));
  return field ? field.value : "";
}

/**
 * Run the answer's plan with the key, then ask again with what was found.
 * @param {HTMLFormElement} form
 * @param {HTMLInputElement | HTMLTextAreaElement} secret
 * @param {any} plan
 * @param {{showError: (label: string, message: string) => void, missing: {label: string, message: string} | null,
 *   resubmit: () => void}} page
 */
export async function finishRefund(form, secret, plan, page) {
  if (page.missing) {
    page.showError(page.missing.label, page.missing.message);
    return;
  }
  const notification = notificationText(form);
  const key = secret.value;
  if (found && found.notification === notification && found.key === key) return; // asked once already
  const result = await runRefundPlan(plan, key);
  if ("fault" in result) {
    page.showError("", result.fault.message);
    return;
  }
  const params = "plaintext" in result
    ? { local_plaintext: result.plaintext, local_outcome: "" }
    : { local_plaintext: "", local_outcome: JSON.stringify(result.outcome) };
  found = { notification, key, params };
  page.resubmit();
}

/**
 * What a request carries: what was found for the form's current notification and key, else nothing.
 * @param {HTMLFormElement} form
 * @param {HTMLInputElement | HTMLTextAreaElement} secret
 * @param {Record<string, string>} params
 */
export function refundParams(form, secret, params) {
  const current = found && found.notification === notificationText(form) && found.key === secret.value;
  Object.assign(params, current && found ? found.params : { local_plaintext: "", local_outcome: "" });
}
