// Parity: Alipay's request sign in local mode (static/js/local/alipay-sign.js, with pem.js and
// rsa.js reading the pasted 应用私钥) on the cases tests/js/write_alipay_fixtures.py writes (make test-js
// runs every tests/js/write_*.py first). Every generated key, in every form a
// merchant pastes, must sign the server's string to sign (RSA2 and RSA, UTF-8 and GBK bytes) into
// the very sign signing.sign makes, post the same public half, and fill the request to send as
// signing.with_sign writes it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { planBytes, signPlan } from "../../static/js/local/alipay-sign.js";
import { CAPS, readPastedPrivateKey } from "../../static/js/local/pem.js";
import { importPrivateKey, publicKeyPem } from "../../static/js/local/rsa.js";
import { fixture } from "./fixtures.js";

const data = fixture("alipay.json");

test("the cases cover RSA2 and RSA, UTF-8 and GBK, PKCS#1 and PKCS#8, PEM and bare base64", () => {
  const names = data.cases.map((/** @type {any} */ item) => item.name).join(" | ");
  for (const word of ["RSA2", "RSA,", "utf-8", "GBK", "PKCS#1 PEM", "PKCS#8 PEM", "PKCS#1 bare base64", "PKCS#8 bare base64"]) {
    assert.ok(names.includes(word), word);
  }
  assert.ok(data.cases.some((/** @type {any} */ item) => item.data.bytes && /[\u4e00-\u9fff]/.test(item.data.message)));
});

for (const item of data.cases) {
  test(`the browser signs as the server: ${item.name}`, async () => {
    const read = readPastedPrivateKey(item.paste, CAPS);
    assert.equal(read.ok, true, read.ok ? "" : JSON.stringify(read.fault));
    if (!read.ok) return;
    assert.equal(await publicKeyPem(await importPrivateKey(read.pkcs8, "SHA-256")), item.public_pem);
    const plan = item.data;
    // GBK bytes differ from the message's UTF-8 whenever it holds Chinese: they come as bytes.
    if (item.name.includes("GBK") && /[^\x00-\x7f]/.test(plan.message)) assert.notDeepEqual(planBytes(plan), new TextEncoder().encode(plan.message));
    const signature = await signPlan(read.pkcs8, plan);
    assert.equal(signature, item.sign);
    const [head, tail, encoding] = plan.fills.corrected;
    assert.equal(encoding, "url");
    assert.equal(head + encodeURIComponent(signature) + tail, item.corrected);
  });
}
