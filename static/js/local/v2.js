// The V2 workbench in local mode (本地计算): the page's wiring around v2-search.js.
//
// 1. Every request the form makes in local mode (htmx:configRequest) carries no key — mode.js
//    took the key input's name — but says what the form's checks need of it (local_key: missing,
//    short, ok, ok_spaced); their string goes with the key hidden and the part after "&key="
//    kept here (their_key says how it compares); a key typed into another field is hidden too.
// 2. The answer (#result, data-local-stage="plan") holds everything that needs no key and a JSON
//    block (id local-v2): string1, sign_type, the merchant's sign, the search's plan. This
//    module computes the sign and the search with the key, then asks for the full result
//    with the outcome only (local_outcome: match, which recipes, the plan's fingerprint).
// 3. The answer to that (data-local-stage="outcome") is filled in where the key shows: the
//    masked key's last four characters, the digest, the sign, the sign in the corrected request.
// A share sends the sign and digest too (a share stores them, as in server mode): never the key.
import { readData } from "./data.js";
import { guardRequest } from "./guard.js";
import { isLocal } from "./mode.js";
import { computeV2, KEY_MASK, keyState, maskKey, theirString } from "./v2-search.js";

const form = /** @type {HTMLFormElement | null} */ (document.querySelector("form.workbench-form[data-local-mode]"));
const keyInput = /** @type {HTMLInputElement | null} */ (form && form.querySelector("[data-local-secret]"));
const htmx = /** @type {any} */ (globalThis).htmx;

/** @type {{data: import("./v2-search.js").V2Data, outcome: import("./v2-search.js").V2Outcome, key: string} | null} */
let last = null;
let shareNext = false;
// Outcomes sent since the merchant last changed something: an outcome answered with a new plan
// (the inputs changed on the way) is recomputed once more, never in a loop.
let outcomesSent = 0;

/** The key as typed, and trimmed (the report trims it too, and says so). */
function typedKey() {
  const typed = keyInput ? keyInput.value : "";
  return { typed, key: typed.trim() };
}

if (form && keyInput && htmx) {
  form.addEventListener("htmx:configRequest", (/** @type {any} */ event) => {
    if (!isLocal(form)) return;
    const params = event.detail.parameters;
    const { typed, key } = typedKey();
    params.local_key = keyState(typed);
    const their = theirString(String(params.their_string || ""), key);
    params.their_string = their.head;
    if (their.state) params.their_key = their.state;
    else delete params.their_key;
    if (key.length >= 8) {
      for (const name of ["raw", "order", "expected_sign"]) {
        if (typeof params[name] === "string" && params[name].includes(key)) {
          params[name] = params[name].split(key).join(KEY_MASK);
        }
      }
    }
    // A key pasted elsewhere than its field (a "key=" line, "&key=" in their string): not sent.
    if (guardRequest(form, event, { v2: true })) return;
    if (!params.local_outcome) {
      outcomesSent = 0;
      if (params.share) shareNext = true; // shared once the outcome is in
    }
  });

  // After any swap (an outerHTML swap replaces #result: the event's element may be the old one),
  // each new #result is handled once.
  document.body.addEventListener("htmx:afterSettle", () => {
    const section = document.getElementById("result");
    if (!section || section.dataset.localDone) return;
    section.dataset.localDone = "1";
    settled(section).catch((error) => console.warn("local mode:", error));
  });

  // Typing the key is typing in the form: the same live update (hx-trigger "input delay:600ms"),
  // made by an input event on the form itself since the key field's own never reach it.
  form.addEventListener("local:secret-input", () => {
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

/**
 * A local answer arrived: compute (plan), or fill in what was computed (outcome).
 * @param {HTMLElement} section
 */
async function settled(section) {
  const stage = section.dataset.localStage;
  if (!stage || !form || !isLocal(form)) return;
  const { key } = typedKey();
  if (stage === "plan") {
    const data = /** @type {import("./v2-search.js").V2Data | null} */ (readData("local-v2", section));
    if (!data || [...key].length < 8) return;
    const outcome = await computeV2(data, key);
    last = { data, outcome, key };
    fill(section);
    // Asked for the full result when there is a sign to explain, or a share to save.
    if ((data.expected !== null || shareNext) && outcomesSent < 2) {
      outcomesSent += 1;
      /** @type {Record<string, string>} */
      const values = {
        local_outcome: JSON.stringify({ match: outcome.match, found: outcome.found, plan_id: data.plan_id }),
      };
      if (shareNext) Object.assign(values, { share: "1", local_sign: outcome.sign, local_digest: outcome.digest });
      shareNext = false;
      htmx.ajax("POST", form.getAttribute("hx-post"), { source: form, target: "#result", swap: "outerHTML", values });
    }
  } else if (stage === "outcome" && last && last.key === key) {
    fill(section);
  }
}

/**
 * Put what was computed with the key where the page shows it.
 * @param {HTMLElement} section
 */
function fill(section) {
  if (!last) return;
  const { data, outcome, key } = last;
  const byId = (/** @type {string} */ id) => section.querySelector(`#${id}`);
  const sign = byId("sign");
  if (sign) sign.textContent = outcome.sign;
  const digest = byId("digest");
  if (digest) digest.textContent = outcome.digest;
  const corrected = byId("corrected");
  if (corrected) corrected.textContent = (corrected.textContent || "").split("⟨SIGN⟩").join(outcome.sign);
  // "你的签名 X，平台会算出 Y": Y is the empty one (the server has no sign in local mode).
  for (const slot of section.querySelectorAll(".verdict.bad code.sign")) {
    if (!slot.textContent) slot.textContent = outcome.sign;
  }
  if (outcome.match === true) {
    for (const block of section.querySelectorAll("[data-local-corrected]")) /** @type {HTMLElement} */ (block).hidden = true;
  }
  const temp = /** @type {HTMLElement | null} */ (section.querySelector("#string-sign-temp"));
  if (temp) {
    const masked = data.string1 + "&key=" + maskKey(key);
    temp.dataset.masked = masked;
    temp.textContent = masked;
  }
}
