// Local mode (本地计算) keeps the secret out of every request only when it is typed into its own
// field (mode.js takes that input's name). A secret pasted elsewhere — a V2 key as a "key=…" line
// or a logged stringSignTemp's "&key=…", a private key pasted into a body — would go with the
// other fields. Before a request leaves, this module looks for one in every field it sends and,
// finding one, stops the request and says so beside the field (issue 17).

// A PEM private key (PKCS#1, PKCS#8, EC, encrypted): its header is enough.
const PEM_PRIVATE = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/;
// A bare base64 private key: DER SEQUENCE with a two-byte length (MII…), then INTEGER 0 — the
// version of PKCS#8 ("MII…IBADAN", then the algorithm) and of PKCS#1 ("MII…IBAAK", then the
// modulus) — and at least a key's worth more. A certificate or a public key does not start so.
const BARE_PRIVATE = /MII[A-Za-z0-9+/]{3}IBA(?:DAN|AK)[A-Za-z0-9+/]{200}/;
// A V2 API key as a parameter: "key=" at a line's start or after "&", 32 characters (002 §3.2 b:
// the key is 32 characters), as in a configuration file or a logged stringSignTemp.
const V2_KEY_PARAM = /(?:^|[\n&])[ \t]*key[ \t]*=[ \t]*[^\s&]{32}(?![^\s&])/;

// The message when the page has none (templates/diagnostics/_local_mode.html gives it translated).
export const MESSAGE = "这里像是粘贴了密钥：本地计算不会把它发给服务器。请把它移到密钥框里，或改用服务器计算。";

// A key's shape on its own in a field (the key ring's 商户号, 序列号, Wechatpay-Serial): 32
// printable characters, as APIv3 and V2 API keys are; a serial is 40, an mchid 6–12 digits.
const KEY_SHAPED = /^[!-~]{32}$/;
// …but not a public-key ID or a decimal serial that happens to be 32 long.
const PUBLIC_SHAPED = /^(?:PUB_KEY_ID_\w*|\d+)$/;

/**
 * Whether ``text`` holds a secret that belongs in the secret field.
 * @param {string} text a field's value as it would be sent
 * @param {{v2?: boolean, typedKey?: string, typedKeys?: string[], keyShaped?: boolean}} [options]
 *   v2: the page takes a V2 key; typedKey(s): the secrets as typed in their own fields (found
 *   anywhere from 8 characters); keyShaped: a value that is a 32-character key on its own
 * @returns {boolean}
 */
export function holdsSecret(text, options = {}) {
  if (PEM_PRIVATE.test(text) || BARE_PRIVATE.test(text)) return true;
  if (options.v2 && V2_KEY_PARAM.test(text)) return true;
  if (options.keyShaped && KEY_SHAPED.test(text.trim()) && !PUBLIC_SHAPED.test(text.trim())) return true;
  const typed = [options.typedKey || "", ...(options.typedKeys || [])].map((value) => value.trim());
  return typed.some((value) => value.length >= 8 && text.includes(value));
}

/**
 * The names of the parameters that hold a secret (local_* are this module's siblings' own).
 * @param {Record<string, unknown>} parameters
 * @param {{v2?: boolean, typedKey?: string}} [options]
 * @returns {string[]}
 */
export function fieldsWithSecrets(parameters, options = {}) {
  return Object.entries(parameters)
    .filter(([name, value]) => !name.startsWith("local_") && typeof value === "string" && holdsSecret(value, options))
    .map(([name]) => name);
}

/**
 * On htmx:configRequest in local mode: a secret in a field that is not its own stops the request
 * and is named beside that field; otherwise earlier messages go.
 * @param {HTMLFormElement} form
 * @param {{preventDefault(): void, detail: {parameters: Record<string, unknown>}}} event
 * @param {{v2?: boolean, keyShaped?: boolean, typedKeys?: string[]}} [options]
 * @returns {boolean} whether the request was stopped
 */
export function guardRequest(form, event, options = {}) {
  for (const shown of form.querySelectorAll("[data-local-guard]")) shown.remove();
  // Every secret field's value, unless the page says what its secrets are (the key ring: what it
  // kept of the paste — its whole text may be an mchid a field rightly repeats).
  const typedKeys =
    options.typedKeys ||
    [...form.querySelectorAll("[data-local-secret]")].map(
      (field) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (field).value,
    );
  const names = fieldsWithSecrets(event.detail.parameters, { ...options, typedKeys });
  if (names.length === 0) return false;
  event.preventDefault();
  const page = form.querySelector("[data-local-guard-message]");
  const text = (page && page.textContent && page.textContent.trim()) || MESSAGE;
  for (const name of names) {
    const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!field) continue;
    const note = document.createElement("p");
    note.className = "error local-guard";
    note.setAttribute("role", "alert");
    note.dataset.localGuard = name;
    note.textContent = text;
    field.insertAdjacentElement("afterend", note);
  }
  return true;
}
