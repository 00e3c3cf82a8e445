// The key ring (密钥体检) in local mode (本地计算): the paste, the APIv3 key and the API key stay in
// this page. The paste is split here exactly as the server splits it (keyring-split.js); each
// piece is posted as it is when it is public (a certificate, a public key, the /v3/certificates
// answer reduced to what the server reads, a serial, an mchid, a PUB_KEY_ID), and each secret as a
// stand-in — equal secrets, equal stand-ins — with what the checks use of it: a private key's
// public half and what it was read as, or the code of its fault (pem.js); a 32-character key's
// lengths. Unrecognised pieces (which may be keys) are only counted.
//
// Opening the /v3/certificates answer needs the key's value: the server's answer names the pairs
// (certificate, key) still to open and the attempts of each; they are opened here (AES-256-GCM)
// and the outcomes go with the next request, which gives the whole ring
// (diagnostics/wechat_v3/keyring_local.py).
import { openAesGcm } from "./aes-gcm.js";
import { fromBase64 } from "./bytes.js";
import { INTEGER, OID, readElement, SEQUENCE } from "./der.js";
import {
  API_KEY,
  APIV3_KEY,
  CERTIFICATES_ANSWER,
  KEY_32,
  SERIAL,
  isKnown,
  loneToken,
  splitPaste,
  tokenKind,
} from "./keyring-split.js";
import { CAPS, cleanPaste, decodeBase64, pemParts, readPastedPrivateKey } from "./pem.js";
import { readAnyDer } from "./pkcs8.js";
import { importPrivateKey, publicKeyPem } from "./rsa.js";

// The pieces posted: MAX_ITEMS (20) are read, an answer's certificates counting too; past this
// many the rest is only counted (diagnostics/forms/v3_keyring.py MAX_SENT_PIECES).
export const SENT_PIECES = 64;

// The PEM labels of what is public; any other block (a private key, a CSR, a label we do not
// know) stays here and is named by its fault.
const PUBLIC_LABELS = new Set(["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY"]);
// Spaces after BEGIN are allowed as keys.py allows them (its label is "[A-Z0-9 ]++", spaced out).
const BEGIN = /-----\s*BEGIN +([A-Z0-9]+(?: +[A-Z0-9]+)*) *\s*-----/;
const END = /-----\s*END /;
// A block's closing line at the very end of the block (keyring_paste._pem_blocks ends it there).
const CLOSING = /-----\s*END [A-Z0-9]+(?: +[A-Z0-9]+)* *\s*-----\s*$/;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;

/**
 * @typedef {{text?: string, key?: string, blob?: string, broken_json?: boolean, hint?: string, spaced?: boolean}} PostedPiece
 * @typedef {{chars: number, size: number, serial_like: boolean, key_error: string}} KeyFacts
 * @typedef {{private: boolean, public_pem?: string, format?: string, notes?: string[], fault?: string, sentence?: string, values?: Record<string, unknown>}} BlobFacts
 * @typedef {{too_large?: boolean, cut?: boolean, unknown?: number, more?: number, pieces?: PostedPiece[],
 *   named?: PostedPiece[], keys?: Record<string, KeyFacts>, blobs?: Record<string, BlobFacts>}} Ring
 * @typedef {{ring: Ring, values: Map<string, string>}} Prepared the post, and each stand-in's value (kept here)
 */

/**
 * The byte length of ``text`` in UTF-8.
 * @param {string} text
 */
function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

/**
 * What the server's checks use of a 32-character key (keyring_paste.SecretFacts.of).
 * @param {string} value
 * @returns {KeyFacts}
 */
export function keyFacts(value) {
  const size = utf8Length(value);
  const trimmed = value.trim();
  const decimal = /^[1-9][0-9]{0,59}$/.test(trimmed) && trimmed.length !== 40;
  let keyError = "";
  if (size !== 32) {
    if (utf8Length(trimmed) === 32) keyError = "apiv3_key_whitespace";
    else if (/^[0-9a-fA-F]{64}$/.test(trimmed)) keyError = "apiv3_key_hex";
    else keyError = "apiv3_key_length";
  }
  return {
    chars: [...value].length,
    size,
    serial_like: size === 40 && (decimal || /^[0-9A-Fa-f]{1,128}$/.test(trimmed)),
    key_error: keyError,
  };
}

/**
 * Whether DER has a private key's shape: SEQUENCE { INTEGER 0 or 1, … } (keys.looks_like_private_key).
 * @param {Uint8Array} der
 */
function looksPrivate(der) {
  const outer = readElement(der, 0);
  if (!outer || outer.tag !== SEQUENCE) return false;
  const version = readElement(der, outer.start);
  return Boolean(version && version.tag === INTEGER && version.end - version.start === 1 && der[version.start] <= 1);
}

// PKCS#8 algorithms other than RSA, by their OID's content octets: the key ring names such a key
// (keyring_items._read_key: "这是 EC 私钥…需要 RSA 私钥").
const OTHER_ALGORITHMS = [
  ["EC", [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]], // id-ecPublicKey 1.2.840.10045.2.1
  ["DSA", [0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]], // 1.2.840.10040.4.1
  ["X25519", [0x2b, 0x65, 0x6e]], // 1.3.101.110 (RFC 8410)
  ["X448", [0x2b, 0x65, 0x6f]],
  ["Ed25519", [0x2b, 0x65, 0x70]],
  ["Ed448", [0x2b, 0x65, 0x71]],
];

/**
 * The name of a PKCS#8 key's algorithm when it is not RSA ("" otherwise, or when not PKCS#8):
 * PrivateKeyInfo ::= SEQUENCE { INTEGER version, SEQUENCE { OID algorithm, … }, … }.
 * @param {Uint8Array} der
 */
export function pkcs8Algorithm(der) {
  const outer = readElement(der, 0);
  // A copy cut short does not fill its SEQUENCE: the server cannot load it (unreadable), so
  // neither is it named here by its algorithm.
  const whole = outer && outer.tag === SEQUENCE && outer.next === der.length;
  const version = whole ? readElement(der, outer.start, outer.end) : null;
  const algorithm = version && version.tag === INTEGER ? readElement(der, version.next, outer.end) : null;
  const oid = algorithm && algorithm.tag === SEQUENCE ? readElement(der, algorithm.start, algorithm.end) : null;
  if (!oid || oid.tag !== OID) return "";
  const content = der.subarray(oid.start, oid.end);
  for (const [name, octets] of OTHER_ALGORITHMS) {
    if (content.length === octets.length && octets.every((octet, at) => content[at] === octet)) return String(name);
  }
  return "";
}

/**
 * A long piece (a PEM block or 200 characters and more): the DER under it, and its label ("" bare).
 * @param {string} text
 * @returns {{label: string, der: Uint8Array | null}}
 */
function blobDer(text) {
  const { label, body } = pemParts(cleanPaste(text).text);
  const der = decodeBase64(body, "content");
  return { label, der: der instanceof Uint8Array ? der : null };
}

/**
 * Whether a long piece is public — a certificate or a public key, by its label and its content —
 * so that it may be posted as it is. Anything else stays here.
 * @param {string} text
 */
export function isPublicBlob(text) {
  const { label, der } = blobDer(text);
  if (!der) return false;
  const read = readAnyDer(der, CAPS);
  const publicContent = read.kind === "certificate" || read.kind === "public";
  if (text.startsWith("-----")) return PUBLIC_LABELS.has(label) && publicContent;
  return publicContent;
}

/**
 * Bytes as base64, 64 characters a line (PEM).
 * @param {Uint8Array} bytes
 */
function pemBase64(bytes) {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return (btoa(binary).match(/.{1,64}/g) || []).join("\n");
}

/**
 * A public block as posted: as pasted when it holds nothing but its own lines (BEGIN, base64,
 * END), else rebuilt from its DER. Another line — a header, or the configuration a block ran
 * into when its END line was lost — may hold a secret (``apiv3_key: …``, a private key's body),
 * and it is not needed: the server reads the certificate or key from the base64.
 * @param {string} text
 */
export function publicText(text) {
  const cleaned = cleanPaste(text).text;
  const begin = BEGIN.exec(cleaned);
  if (!begin) return text; // bare base64: a run of base64 lines or one token (keyring-split.js)
  const rest = cleaned.slice(begin.index + begin[0].length);
  const closing = CLOSING.exec(rest);
  const body = closing ? rest.slice(0, closing.index) : rest;
  const ownLines = !cleaned.slice(0, begin.index).trim() && BASE64_BODY.test(body) && (closing || !END.test(rest));
  if (ownLines) return text;
  const { label, der } = blobDer(text);
  const rebuilt = `-----BEGIN ${label}-----\n${pemBase64(/** @type {Uint8Array} */ (der))}\n`;
  // Without a closing line of its own (none, or one short of a dash) the server names the block
  // incomplete, as it would the paste.
  return closing ? `${rebuilt}-----END ${label}-----\n` : rebuilt;
}

/**
 * A private key (or a blob that may be one) read as the server reads it: its public half, or its
 * fault in the server's terms.
 * @param {string} text
 * @returns {Promise<BlobFacts>}
 */
export async function readBlob(text) {
  const { der } = blobDer(text);
  const isPrivate = text.slice(0, 100).includes("PRIVATE KEY") || (!text.startsWith("-----") && der !== null && looksPrivate(der));
  const read = readPastedPrivateKey(text, CAPS);
  const algorithm = der ? pkcs8Algorithm(der) : "";
  if (!read.ok && read.fault.code === "unreadable_der" && algorithm) {
    return { private: isPrivate, fault: "not_rsa", values: { algorithm } };
  }
  if (!read.ok) {
    const { code, values, sentence } = read.fault;
    return { private: isPrivate, fault: code, ...(sentence ? { sentence } : {}), values: values || {} };
  }
  try {
    const key = await importPrivateKey(read.pkcs8, "SHA-256");
    return { private: isPrivate, public_pem: await publicKeyPem(key), format: read.format, notes: read.notes };
  } catch {
    return { private: isPrivate, fault: "key_invalid", values: {} };
  }
}

/**
 * The /v3/certificates answer with only what the server reads of it (each certificate's serial_no,
 * effective_time, expire_time and encrypt_certificate); null when it is not JSON.
 * @param {string} text
 * @returns {string | null}
 */
export function reduceAnswer(text) {
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  const isObject = (/** @type {unknown} */ value) => typeof value === "object" && value !== null && !Array.isArray(value);
  const data = isObject(document) ? document.data : undefined;
  if (!Array.isArray(data) || !data.every(isObject)) return "{}";
  const kept = ["serial_no", "effective_time", "expire_time", "encrypt_certificate"];
  // What decryption reads of an encrypted certificate (keyring_local.BrowserOpener): anything
  // else written inside it (a key beside the ciphertext) stays here.
  const opened = ["algorithm", "associated_data", "ciphertext", "nonce"];
  /** @param {Record<string, unknown>} entry @param {string} name */
  const value = (entry, name) => {
    const found = entry[name];
    if (name !== "encrypt_certificate" || !isObject(found)) return found;
    const encrypted = /** @type {Record<string, unknown>} */ (found);
    return Object.fromEntries(opened.filter((field) => field in encrypted).map((field) => [field, encrypted[field]]));
  };
  return JSON.stringify({
    data: data.map((entry) => Object.fromEntries(kept.filter((name) => name in entry).map((name) => [name, value(entry, name)]))),
  });
}

/**
 * Split the paste and keep its secrets: the post (``local_ring``) and the stand-ins' values.
 * @param {string} paste the big field
 * @param {{apiv3_key?: string, key?: string}} fields the APIv3 key and API key fields
 * @returns {Promise<Prepared>}
 */
export async function prepareRing(paste, fields) {
  /** @type {Map<string, string>} */
  const values = new Map();
  /** @type {Map<string, string>} value -> stand-in */
  const standIns = new Map();
  /** @type {Record<string, KeyFacts>} */
  const keys = {};
  /** @type {Record<string, BlobFacts>} */
  const blobs = {};
  const split = splitPaste(paste ? [paste] : []);
  if (split.tooLarge) return { ring: { too_large: true }, values };

  /**
   * @param {string} value
   * @param {"k" | "p"} prefix
   */
  function standIn(value, prefix) {
    const known = standIns.get(prefix + value);
    if (known) return { id: known, fresh: false };
    const id = `${prefix}${standIns.size + 1}`;
    standIns.set(prefix + value, id);
    values.set(id, value);
    return { id, fresh: true };
  }

  /**
   * A recognised piece as posted, tried in the order read_entries tries it.
   * @param {{text: string, hint: string, spaced: boolean}} piece
   * @returns {Promise<PostedPiece>}
   */
  async function posted(piece) {
    const { text, hint, spaced } = piece;
    if (hint === CERTIFICATES_ANSWER) {
      const reduced = reduceAnswer(text);
      return reduced === null ? { broken_json: true, hint } : { text: reduced, hint, spaced };
    }
    if (text.startsWith("-----") || [...text].length >= 200) {
      if (isPublicBlob(text)) return { text: publicText(text), hint, spaced };
      const { id, fresh } = standIn(text, "p");
      if (fresh) blobs[id] = await readBlob(text);
      return { blob: id };
    }
    // 32 digits read as a decimal serial by their shape alone are a key: a WeChat Pay serial is
    // 40 hex digits, some 48 in decimal (keyring_paste.token_kind reads them as a serial).
    const digitKey = !hint && tokenKind(text) === SERIAL && /^[0-9]{32}$/.test(text);
    if (hint === APIV3_KEY || hint === API_KEY || (!hint && tokenKind(text) === KEY_32) || digitKey) {
      const { id, fresh } = standIn(text, "k");
      if (fresh) keys[id] = keyFacts(text);
      return { key: id, hint, spaced };
    }
    return { text, hint, spaced };
  }

  /** @type {PostedPiece[]} */
  const pieces = [];
  let unknown = 0;
  let more = 0;
  for (const piece of split.pieces) {
    // Unrecognised, or named as a secret of another kind (DB_PASSWORD=20230615): only counted.
    if (!piece.hint && !isKnown(piece)) unknown += 1;
    else if (pieces.length >= SENT_PIECES) more += 1;
    else pieces.push(await posted(piece));
  }
  /** @type {PostedPiece[]} */
  const named = [];
  for (const [name, hint] of /** @type {const} */ ([["apiv3_key", APIV3_KEY], ["key", API_KEY]])) {
    const piece = loneToken(fields[name] || "", hint);
    if (piece) named.push(await posted(piece));
  }
  return { ring: { cut: split.cut, unknown, more, pieces, named, keys, blobs }, values };
}

/**
 * Open each pair the server asked for with the key kept here: the plaintext, or the code of the
 * slip the opening attempt proves, or the plan's failure (decrypt.js runPlan, without the key
 * checks the server already made from the key's facts).
 * @param {{certificates: {index: number, attempts: import("./decrypt.js").Attempt[]}[], pairs: [number, string][]}} plan
 * @param {Map<string, string>} values
 * @returns {Promise<{index: number, key: string, plaintext?: string, code?: string}[]>}
 */
export async function openPairs(plan, values) {
  const attemptsOf = new Map(plan.certificates.map((certificate) => [certificate.index, certificate.attempts]));
  const outcomes = [];
  for (const [index, key] of plan.pairs) {
    const value = values.get(key);
    const attempts = attemptsOf.get(index) || [];
    /** @type {{plaintext?: string, code?: string}} */
    let outcome = { code: "decrypt_failed" };
    if (value !== undefined) {
      const keyBytes = new TextEncoder().encode(value);
      for (const attempt of attempts) {
        const plain = await openAesGcm(keyBytes, fromBase64(attempt.nonce), fromBase64(attempt.associated_data), fromBase64(attempt.ciphertext));
        if (plain === null) continue;
        outcome = attempt.error ? { code: attempt.error.code } : { plaintext: new TextDecoder("utf-8").decode(plain) };
        break;
      }
    }
    outcomes.push({ index, key, ...outcome });
  }
  return outcomes;
}

// --- the page: one prepared post per state of the three fields --------------------------------

/**
 * @typedef {{signature: string, promise: Promise<Prepared>, settled: Prepared | null,
 *   opened: {index: number, key: string, plaintext?: string, code?: string}[], asked: number}} State
 * @type {State | null}
 */
let state = null;

/**
 * The three secret fields' values (mode.js keeps each name in data-secret-name in local mode).
 * @param {HTMLFormElement} form
 * @returns {{private_key: string, apiv3_key: string, key: string}}
 */
function fieldValues(form) {
  /** @type {Record<string, string>} */
  const found = {};
  for (const input of form.querySelectorAll("[data-local-secret]")) {
    const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (input);
    found[field.dataset.secretName || field.name] = field.value;
  }
  return { private_key: found.private_key || "", apiv3_key: found.apiv3_key || "", key: found.key || "" };
}

/**
 * The post for the fields as they are now, prepared once (reading a private key is async).
 * @param {HTMLFormElement} form
 * @returns {Promise<Prepared>}
 */
export function prepareForm(form) {
  const values = fieldValues(form);
  const signature = JSON.stringify(values);
  if (state && state.signature === signature) return state.promise;
  /** @type {State} */
  const entry = { signature, settled: null, opened: [], asked: 0, promise: prepareRing(values.private_key, values) };
  entry.promise.then((prepared) => {
    entry.settled = prepared;
  });
  state = entry;
  return entry.promise;
}

/**
 * Whether the post for the fields as they are now is ready.
 * @param {HTMLFormElement} form
 */
export function isPrepared(form) {
  return Boolean(state && state.settled && state.signature === JSON.stringify(fieldValues(form)));
}

/**
 * The secrets this page keeps for the fields as they are now (what guard.js looks for in the other
 * fields): each stand-in's value, and the two key fields; the raw paste until it is prepared.
 * @param {HTMLFormElement} form
 * @returns {string[]}
 */
export function keptValues(form) {
  const values = fieldValues(form);
  const prepared = state && state.settled && state.signature === JSON.stringify(values) ? state.settled : null;
  const kept = prepared ? [...prepared.values.values()] : [values.private_key];
  return [...kept, values.apiv3_key, values.key];
}

/**
 * The request's ``local_ring`` (empty until prepared: the server then says nothing was pasted).
 * @param {HTMLFormElement} form
 * @returns {{local_ring: string}}
 */
export function ringParams(form) {
  if (!state || !state.settled || state.signature !== JSON.stringify(fieldValues(form))) return { local_ring: "" };
  return { local_ring: JSON.stringify({ ...state.settled.ring, opened: state.opened }) };
}

/**
 * After an answer: when it names pairs still to open, open them here and ask again (twice at
 * most per state of the fields). Whether a request was made.
 * @param {{pending: boolean, certificates: {index: number, attempts: import("./decrypt.js").Attempt[]}[], pairs: [number, string][]}} plan
 * @param {() => void} resubmit
 * @returns {Promise<boolean>}
 */
export async function finishRing(plan, resubmit) {
  if (!plan.pending || !state || !state.settled || state.asked >= 2) return false;
  const current = state;
  const opened = await openPairs(plan, current.settled.values);
  if (state !== current) return false; // the fields changed meanwhile: their own request follows
  const done = new Set(current.opened.map((outcome) => `${outcome.index} ${outcome.key}`));
  current.opened.push(...opened.filter((outcome) => !done.has(`${outcome.index} ${outcome.key}`)));
  current.asked += 1;
  resubmit();
  return true;
}
