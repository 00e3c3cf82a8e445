// The mode switch of a secret-taking form: 本地计算 (local: the secret stays in this browser) or
// 服务器计算 (server: the secret goes with the form post, used for that one computation).
//
// Markup: templates/diagnostics/_local_mode.html. A form with local mode carries
// `data-local-mode` and includes the partial (the toggle: radio inputs name="mode", values
// "local" and "server"); each secret input carries `data-local-secret`, with the partial's
// guarantee (`data-local-guarantee`) beside it. Without JavaScript nothing here runs: the
// "server" radio is checked and the page says it computes on the server.
//
// In local mode (the default wherever this runs and WebCrypto exists) each secret input loses its
// `name`, so no form post, htmx request or share can carry it; its `input` and `change` events stop at the
// field (htmx's `hx-trigger="input"` on the form never sees them) and the form gets a
// `local:secret-input` event instead, so the page recomputes without a request. Every change of
// mode dispatches `local:mode` on the form with `detail.mode` ("local" | "server").
// Importing this module sets up every such form on the page; page modules import `isLocal`.
// No import of digest.js here: the task pages need no MD5, and this module is on every one of them.

/** Whether this browser can compute locally (WebCrypto exists only in secure contexts: https, localhost). */
export function localCryptoAvailable() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

const STORAGE_KEY = "paydoctor.mode";

/**
 * Whether this form is in local mode now.
 * @param {HTMLFormElement} form
 * @returns {boolean}
 */
export function isLocal(form) {
  const checked = form.querySelector('input[type="radio"][name="mode"]:checked');
  return Boolean(checked && checked.value === "local");
}

/**
 * Put the form's secret inputs, guarantees and labels in the state of ``mode``.
 * @param {HTMLFormElement} form
 * @param {"local" | "server"} mode
 */
function apply(form, mode) {
  for (const input of form.querySelectorAll("[data-local-secret]")) {
    const field = /** @type {HTMLInputElement} */ (input);
    if (mode === "local") {
      if (field.name) field.dataset.secretName = field.name;
      field.removeAttribute("name");
    } else if (field.dataset.secretName) {
      field.name = field.dataset.secretName;
    }
  }
  for (const note of form.querySelectorAll("[data-local-guarantee]")) {
    /** @type {HTMLElement} */ (note).hidden = mode !== "local";
  }
  for (const note of form.querySelectorAll("[data-server-guarantee]")) {
    /** @type {HTMLElement} */ (note).hidden = mode === "local";
  }
  const choice = form.querySelector(`input[type="radio"][name="mode"][value="${mode}"]`);
  if (choice) /** @type {HTMLInputElement} */ (choice).checked = true;
  form.dataset.mode = mode;
  form.dispatchEvent(new CustomEvent("local:mode", { detail: { mode }, bubbles: true }));
}

/** @param {HTMLFormElement} form */
function setUp(form) {
  const choices = form.querySelector("[data-mode-choices]");
  const noScript = form.querySelector("[data-mode-noscript]");
  if (!localCryptoAvailable()) {
    // http on a LAN address: no WebCrypto, so no local mode; the page says why, stays server.
    const unavailable = form.querySelector("[data-mode-unavailable]");
    if (unavailable) /** @type {HTMLElement} */ (unavailable).hidden = false;
    if (noScript) /** @type {HTMLElement} */ (noScript).hidden = true;
    apply(form, "server");
    return;
  }
  if (choices) /** @type {HTMLElement} */ (choices).hidden = false;
  if (noScript) /** @type {HTMLElement} */ (noScript).hidden = true;
  form.addEventListener("change", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    // Only the switch's radios: a page's own select may be named "mode" too (Baidu's scope).
    if (target.name !== "mode" || target.type !== "radio") return;
    try {
      localStorage.setItem(STORAGE_KEY, target.value);
    } catch {
      // storage refused (private mode): the choice lasts for this page only
    }
    apply(form, target.value === "server" ? "server" : "local");
  });
  for (const input of form.querySelectorAll("[data-local-secret]")) {
    input.addEventListener("input", (event) => {
      if (!isLocal(form)) return;
      event.stopPropagation();
      form.dispatchEvent(new CustomEvent("local:secret-input", { bubbles: true }));
    });
    // Its change event (the field losing focus) would be one more request: local:secret-input
    // already asked for the one needed, and a late one replaced a share link just made.
    input.addEventListener("change", (event) => {
      if (isLocal(form)) event.stopPropagation();
    });
  }
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  apply(form, stored === "server" ? "server" : "local");
}

for (const form of document.querySelectorAll("form[data-local-mode]")) {
  setUp(/** @type {HTMLFormElement} */ (form));
}
