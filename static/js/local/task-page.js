// A task workbench in local mode (本地计算): the secret stays in this page, the server does the rest.
//
// RSA pages (APIv3 request signing, Baidu rsaSign): before any request (htmx:confirm) the pasted
// private key is read (pem.js, the server's rules and messages) and imported (rsa.js); every
// request carries only its public half, the format it was read as and the last signature
// (htmx:configRequest) — the key input has no name in local mode (mode.js). The answer holds the
// exact message to sign (data element #local-task); the signature is made here and put where the
// server mode answer has it (the signature, the Authorization header, the corrected orderInfo).
// Decryption: the answer holds the server's plan; the APIv3 key opens it here, and typing the key
// again runs the plan again without a request.
// A damaged key, a missing one or a failed decryption shows the server's "输入有问题" block with the
// server's sentence (templates/diagnostics/task.html, template#local-error).
import { readData } from "./data.js";
import { guardRequest } from "./guard.js"; // a secret pasted outside its field is not sent
import { isLocal } from "./mode.js";
import { CAPS, keyMessage, readPastedPrivateKey } from "./pem.js";
import { importPrivateKey, publicKeyPem, signText } from "./rsa.js";

/** @type {Record<string, import("./rsa.js").Hash>} the RSA pages and their hash */
const RSA_PAGES = {
  "wechat_v3:sign": "SHA-256",
  "wechat_v3:pay-sign": "SHA-256",
  "wechat_v3:sensitive": "SHA-256", // the key is read and its public half posted; sensitive.js decrypts
  "baidu:sign": "SHA-1",
  "alipay:sign": "SHA-256", // the key is read here; each answer names its hash (alipay-sign.js)
  "alipay:keys": "SHA-256", // the key is read and its public half posted; nothing is signed
  "alipay:certs": "SHA-256",
  "alipay:notify": "SHA-256", // the optional 应用私钥's public half tells the app key from Alipay's
};

const form = /** @type {HTMLFormElement | null} */ (document.querySelector("form.workbench-form[data-local-mode]"));
const secret = /** @type {HTMLInputElement | HTMLTextAreaElement | null} */ (
  form && form.querySelector("[data-local-secret]")
);
const htmx = /** @type {any} */ (globalThis).htmx;
const hash = form ? RSA_PAGES[form.dataset.task || ""] : undefined;
const task = form ? form.dataset.task || "" : "";
const keyring = task === "wechat_v3:keyring";
// Each page's own modules, loaded on that page only (the other pages need none of them): the key
// ring keeps three secrets and splits the paste here; the simulators and the refund page hash.
// Loaded without holding up the listeners below: every request waits for them in htmx:confirm,
// every answer in finish().
const own = {
  /** @type {typeof import("./alipay-keys.js") | null} */ alipayKeys: null,
  /** @type {typeof import("./alipay-sign.js") | null} */ alipaySign: null,
  /** @type {typeof import("./decrypt.js") | null} */ decrypt: null,
  /** @type {typeof import("./refund-page.js") | null} */ refund: null,
  /** @type {typeof import("./simulate.js") | null} */ simulate: null,
  /** @type {typeof import("./simulate-v2.js") | null} */ simulateV2: null,
  /** @type {typeof import("./sensitive.js") | null} */ sensitive: null,
  /** @type {typeof import("./keyring-page.js") | null} */ ring: null,
};
let ownLoaded = false;
/** @type {Promise<void>} */
const ownReady = (async () => {
  if (task === "alipay:keys") own.alipayKeys = await import("./alipay-keys.js");
  if (task === "alipay:sign") own.alipaySign = await import("./alipay-sign.js");
  if (task === "wechat_v3:decrypt") own.decrypt = await import("./decrypt.js");
  if (task === "wechat_v2:refund-notify") own.refund = await import("./refund-page.js");
  if (task.endsWith(":simulate")) own.simulate = await import("./simulate.js");
  if (task === "wechat_v2:simulate") own.simulateV2 = await import("./simulate-v2.js");
  if (task === "wechat_v3:sensitive") own.sensitive = await import("./sensitive.js");
  if (keyring) own.ring = await import("./keyring-page.js");
})()
  .catch(report) // a module that did not load: the key ring refuses to post without it
  .finally(() => {
    ownLoaded = true;
  });

/**
 * @typedef {{key: CryptoKey, pem: string, format: string, notes: string[], read: import("./pem.js").ReadKey} | {fault: import("./pem.js").KeyFault}} KeyState
 * @type {{text: string, promise: Promise<KeyState>, settled: KeyState | null} | null}
 */
let cached = null;
let lastSignature = "";
/** @type {string[]} the field names of the last plaintext opened here (a share keeps names only) */
let lastFields = [];
let retries = 0;

/**
 * The pasted key read and imported, once per text.
 * @param {string} text
 * @param {import("./rsa.js").Hash} algorithm
 * @returns {Promise<KeyState>}
 */
function keyState(text, algorithm) {
  if (cached && cached.text === text) return cached.promise;
  /** @type {{text: string, promise: Promise<KeyState>, settled: KeyState | null}} */
  const entry = { text, settled: null, promise: Promise.resolve(/** @type {KeyState} */ ({ fault: { code: "" } })) };
  async function read() {
    const result = readPastedPrivateKey(text, CAPS);
    /** @type {KeyState} */
    let state;
    if (!result.ok) state = { fault: result.fault };
    else {
      try {
        const key = await importPrivateKey(result.pkcs8, algorithm);
        state = { key, pem: await publicKeyPem(key), format: result.format, notes: result.notes, read: result };
      } catch {
        state = { fault: { code: "key_invalid" } };
      }
    }
    entry.settled = state;
    return state;
  }
  entry.promise = read();
  cached = entry;
  return entry.promise;
}

/**
 * Show the server's input-error block instead of the result.
 * @param {HTMLElement} section
 * @param {string} label
 * @param {string} message
 */
function showError(section, label, message) {
  const template = /** @type {HTMLTemplateElement | null} */ (section.querySelector("template#local-error"));
  if (!template) return;
  const block = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  const labelBox = /** @type {HTMLElement} */ (block.querySelector("[data-local-label]"));
  if (label) {
    labelBox.hidden = false;
    /** @type {HTMLElement} */ (labelBox.querySelector("strong")).textContent = label;
  } else {
    labelBox.remove();
  }
  /** @type {HTMLElement} */ (block.querySelector("[data-local-message]")).textContent = message;
  section.replaceChildren(block, template);
}

/**
 * Whether the secret counts as not given (the form's required check, or the page's own).
 * @param {string} text
 * @param {{blank_is_missing?: boolean}} missing
 */
function isMissing(text, missing) {
  return missing.blank_is_missing ? !text.trim() : text === "";
}

/**
 * The pasted private key, read, for an answer whose ``plan`` the server made from its public half;
 * null once the page has said why not: the key is missing or damaged (the server's sentence), or
 * the answer was asked before the key was read (then it is asked again, with the public half).
 * @param {HTMLElement} section
 * @param {any} data
 * @param {string} text
 * @param {import("./rsa.js").Hash} algorithm
 * @param {unknown} plan
 * @returns {Promise<{key: CryptoKey, read: import("./pem.js").ReadKey} | null>}
 */
async function usableKey(section, data, text, algorithm, plan) {
  if (data.missing && isMissing(text, data.missing)) {
    showError(section, data.missing.label, data.missing.message);
    return null;
  }
  const state = await keyState(text, algorithm);
  if ("fault" in state) {
    showError(section, "", keyMessage(state.fault, data.keys));
    return null;
  }
  if (!plan) {
    if (retries < 2 && htmx && form) {
      retries += 1;
      htmx.trigger(form, "submit");
    }
    return null;
  }
  retries = 0;
  return state;
}

/**
 * Finish an RSA page's answer: sign the message and fill the signature in.
 * @param {HTMLElement} section
 * @param {any} data
 * @param {import("./rsa.js").Hash} algorithm
 */
async function finishSign(section, data, algorithm) {
  const text = secret ? secret.value : "";
  if (!data.sign && !text.trim() && !(data.missing && isMissing(text, data.missing))) return;
  const state = await usableKey(section, data, text, algorithm, data.sign);
  if (!state) return;
  // Alipay's answer names the hash (RSA2 or RSA) and, for GBK, the bytes (alipay-sign.js).
  const signature =
    "bytes" in data.sign && own.alipaySign
      ? await own.alipaySign.signPlan(state.read.pkcs8, data.sign)
      : await signText(state.key, data.sign.message);
  lastSignature = signature;
  // A fill marked "url" takes the signature URL-encoded (the Alipay request to send).
  for (const [id, [head, tail, encoding]] of Object.entries(data.sign.fills)) {
    const target = section.querySelector(`#${CSS.escape(id)}`);
    if (target) target.textContent = head + (encoding === "url" ? encodeURIComponent(signature) : signature) + tail;
  }
}

/**
 * Finish an answer the server judged with the key's public half (Alipay's key and certificate
 * pages): nothing to compute, but a damaged key gets the server's sentence, and an answer asked
 * before the key was read is asked again. The key is optional there: an empty field is no error.
 * @param {HTMLElement} section
 * @param {any} data
 */
async function finishKeyCheck(section, data) {
  const text = secret ? secret.value : "";
  if (text.trim()) await usableKey(section, data, text, "SHA-256", data.key_check);
}

/**
 * Finish the decryption page's answer: run the plan with the key, show the plaintext.
 * @param {HTMLElement} section
 * @param {any} data
 */
async function finishDecrypt(section, data) {
  lastFields = [];
  const key = secret ? secret.value : "";
  if (data.missing && isMissing(key, data.missing)) {
    showError(section, data.missing.label, data.missing.message);
    return;
  }
  if (!own.decrypt) return;
  const outcome = await own.decrypt.runPlan(data.decrypt, key);
  if ("fault" in outcome) {
    showError(section, "", outcome.fault.message);
    return;
  }
  const shown = own.decrypt.describePlaintext(outcome.plaintext, data.decrypt);
  lastFields = shown.fields;
  const template = /** @type {HTMLTemplateElement | null} */ (section.querySelector("template#local-decrypted"));
  if (!template) return;
  const block = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  const table = /** @type {HTMLElement} */ (block.querySelector("[data-local-summary]"));
  const body = /** @type {HTMLElement} */ (table.querySelector("tbody"));
  for (const [name, value] of shown.summary) {
    const row = document.createElement("tr");
    const head = document.createElement("th");
    const cell = document.createElement("td");
    const code = document.createElement("code");
    head.textContent = name;
    code.textContent = value;
    cell.append(code);
    row.append(head, cell);
    body.append(row);
  }
  table.hidden = shown.summary.length === 0;
  /** @type {HTMLElement} */ (block.querySelector("#plaintext")).textContent = shown.pretty;
  const personal = /** @type {HTMLElement} */ (block.querySelector("[data-local-personal]"));
  const paths = /** @type {HTMLElement} */ (personal.querySelector("[data-local-paths]"));
  shown.personal.forEach((path, index) => {
    const code = document.createElement("code");
    code.textContent = path;
    if (index) paths.append(" ");
    paths.append(code);
  });
  personal.hidden = shown.personal.length === 0;
  template.before(block);
}

/**
 * Finish the sensitive-field page's answer: open the value with the key, show it as the server does.
 * @param {HTMLElement} section
 * @param {any} data
 */
async function finishSensitive(section, data) {
  const text = secret ? secret.value : "";
  if (data.check_needs_key) {
    if (text.trim()) showError(section, "", data.check_needs_key);
    return;
  }
  if (!data.missing) return; // encrypting needs no private key (server mode ignores one too)
  const state = await usableKey(section, data, text, "SHA-256", data.sensitive);
  if (!state) return;
  if (!own.sensitive) return;
  const opened = await own.sensitive.openSensitive(data.sensitive, state.read.pkcs8, state.read.numbers);
  if ("fault" in opened) {
    showError(section, "", opened.fault.message);
    return;
  }
  const shown = own.sensitive.readPlaintext(opened.plain);
  const template = /** @type {HTMLTemplateElement | null} */ (section.querySelector("template#local-sensitive"));
  const extra = /** @type {HTMLTemplateElement | null} */ (section.querySelector("template#local-sensitive-extra"));
  if (!template || !extra) return;
  const block = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  /** @type {HTMLElement} */ (block.querySelector("#plaintext")).textContent = shown.text;
  const extras = /** @type {DocumentFragment} */ (extra.content.cloneNode(true));
  const wanted = [shown.notUtf8 ? "plaintext_not_utf8" : "", shown.twice !== null ? "encrypted_twice" : ""];
  for (const item of extras.querySelectorAll("li[data-code]")) {
    const code = item.getAttribute("data-code") || "";
    if (!wanted.includes(code)) item.remove();
    else if (code === "encrypted_twice") fillChars(item, String(shown.twice));
  }
  const added = [...extras.querySelectorAll("li[data-code]")];
  const list = block.querySelector(".findings ul");
  if (list) list.append(...added);
  else if (added.length) /** @type {Element} */ (block.querySelector(".verdict")).after(extras);
  template.before(block);
}

/**
 * Put the number of characters where the server's sentence has {chars}.
 * @param {Element} item
 * @param {string} chars
 */
function fillChars(item, chars) {
  const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue && node.nodeValue.includes("{chars}")) node.nodeValue = node.nodeValue.replaceAll("{chars}", chars);
  }
}

/** @type {{section: HTMLElement, pristine: Node[], data: any} | null} */
let current = null;

/**
 * Finish the answer now in #result (again, from its server-rendered state, when the key changes).
 * @param {HTMLElement} section
 */
async function finish(section) {
  if (!form || !isLocal(form)) return;
  await ownReady;
  const { ring } = own;
  if (!current || current.section !== section) {
    const data = readData("local-task", section);
    if (!data) return;
    current = { section, pristine: [...section.childNodes].map((node) => node.cloneNode(true)), data };
  } else {
    section.replaceChildren(...current.pristine.map((node) => node.cloneNode(true)));
  }
  const { data } = current;
  if (data.keyring && ring && htmx && form) {
    // Pairs still to open: opened here, then asked again; the pending note stays meanwhile.
    if (await ring.finishRing(data.keyring, () => htmx.trigger(form, "submit"))) return;
    if (data.keyring.pending) return; // the fields changed meanwhile: the next answer replaces this one
  } else if ((data.refund || data.simulate || data.simulate_v2) && form && secret && htmx) {
    const missing = data.missing && isMissing(secret.value, data.missing) ? data.missing : null;
    const page = { showError: (/** @type {string} */ label, /** @type {string} */ message) => showError(section, label, message), missing, resubmit: () => htmx.trigger(form, "submit") };
    const { refund, simulate, simulateV2 } = own;
    if (data.refund && refund) await refund.finishRefund(form, secret, data.refund, page);
    else if (data.simulate && simulate) await simulate.finishSimulate(form, secret, (key) => simulate.v3Params(data.simulate, key), page);
    else if (simulate && simulateV2) await simulate.finishSimulate(form, secret, (key) => simulateV2.v2Params(data.simulate_v2, key), page);
  } else if (data.decrypt) await finishDecrypt(section, data);
  else if ("sensitive" in data) await finishSensitive(section, data);
  else if ("key_check" in data) await finishKeyCheck(section, data);
  else if (hash) await finishSign(section, data, hash);
  const pending = section.querySelector("[data-local-pending]");
  if (pending) /** @type {HTMLElement} */ (pending).hidden = true;
}

if (form && secret && htmx) {
  // Before any request: the page's modules loaded, then its secret read (a private key's public
  // half, the key ring's split paste), so that htmx:configRequest has what it posts.
  form.addEventListener("htmx:confirm", (/** @type {any} */ event) => {
    if (!isLocal(form)) return;
    // A submit (计算, 保存并分享) covers the latest input: the live update it scheduled would only
    // come after it, and replace its answer (a share's link) with the same result without one.
    const trigger = event.detail.triggeringEvent;
    if (trigger && trigger.type === "submit") clearTimeout(timer);
    if (ownLoaded && !unread()) return;
    event.preventDefault();
    ownReady.then(readSecret).finally(() => event.detail.issueRequest(true));
  });

  /** Whether the secret as it is now has yet to be read (the modules being loaded). */
  function unread() {
    if (!form || !secret) return false;
    if (own.ring) return !own.ring.isPrepared(form);
    return Boolean(hash && secret.value.trim() && !(cached && cached.text === secret.value && cached.settled));
  }

  /** What htmx:confirm waits for once the modules are there (each read once per text). */
  async function readSecret() {
    if (!form || !secret) return;
    if (own.ring) await own.ring.prepareForm(form);
    else if (hash && secret.value.trim()) await keyState(secret.value, hash);
  }

  form.addEventListener("htmx:configRequest", (/** @type {any} */ event) => {
    if (!isLocal(form)) return;
    if (keyring) {
      configureRing(event);
      return;
    }
    if (guardRequest(form, event)) return;
    const params = event.detail.parameters;
    const state = hash && cached && cached.text === secret.value ? cached.settled : null;
    const usable = state && "key" in state ? state : null;
    params.local_public_key = usable ? usable.pem : "";
    params.local_key_format = usable ? usable.format : "";
    params.local_key_notes = usable ? usable.notes.join(",") : "";
    params.local_signature = usable ? lastSignature : "";
    if (!hash) params.local_fields = lastFields.join("\n");
    if (own.refund) own.refund.refundParams(form, secret, params);
    if (form.dataset.task === "alipay:keys") {
      Object.assign(params, usable && own.alipayKeys ? own.alipayKeys.keyFacts(secret.value) : { local_key_label: "", local_key_content: "" });
      params.local_key_pasted = secret.value.trim() ? "1" : "";
    }
    if (own.simulate) own.simulate.simulateParams(form, secret, params);
  });

  /**
   * The key ring's request: its post as prepared for the fields as they are, or none — the module
   * did not load (the page says so), or the fields changed since htmx:confirm (asked again once
   * read) — never a request without the paste that would be judged as if nothing were pasted.
   * @param {any} event htmx:configRequest
   */
  function configureRing(event) {
    if (!form) return;
    const { ring } = own;
    if (!ring) {
      event.preventDefault();
      const failed = form.querySelector("[data-local-failed]");
      if (failed) /** @type {HTMLElement} */ (failed).hidden = false;
      return;
    }
    const prepared = ring.ringParams(form);
    if (!prepared.local_ring) {
      event.preventDefault();
      ring.prepareForm(form).then(() => htmx.trigger(form, "change"), report);
      return;
    }
    // Its public fields take no 32-character value either: one there is a key typed astray.
    if (guardRequest(form, event, { keyShaped: true, typedKeys: ring.keptValues(form) })) return;
    Object.assign(event.detail.parameters, prepared);
  }

  let timer = 0;
  form.addEventListener("local:secret-input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      const section = document.getElementById("result");
      // The decryption's plan does not depend on the key: run it again without a request.
      if (!hash && !keyring && section && current && current.section === section) finish(section).catch(report);
      else htmx.trigger(form, "change");
    }, 400);
  });

  // An outerHTML swap replaces #result: each new one is finished once.
  document.body.addEventListener("htmx:afterSettle", () => {
    const section = document.getElementById("result");
    if (!section || section.dataset.localDone) return;
    section.dataset.localDone = "1";
    finish(section).catch(report);
  });
}

/** @param {unknown} error */
function report(error) {
  console.warn("local mode:", error);
}
