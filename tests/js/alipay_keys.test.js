// Parity: Alipay's key page in local mode (static/js/local/alipay-keys.js, with pem.js and rsa.js
// reading the pasted 应用私钥) on the cases tests/js/write_alipay_keys_fixtures.py writes (make test-js
// runs every tests/js/write_*.py first). For every generated key in every form
// a merchant pastes, the facts posted (the header label, the content's format) must be the ones the
// server reads from the key itself, and the public half posted the key's own.
import assert from "node:assert/strict";
import { test } from "node:test";

import { keyFacts } from "../../static/js/local/alipay-keys.js";
import { CAPS, readPastedPrivateKey } from "../../static/js/local/pem.js";
import { importPrivateKey, publicKeyPem } from "../../static/js/local/rsa.js";
import { fixture } from "./fixtures.js";

const data = fixture("alipay_keys.json");

test("the cases cover both bodies under both headers, bare base64 and the paste slips", () => {
  const names = data.cases.map((/** @type {any} */ item) => item.name).join(" | ");
  for (const word of ["PKCS#1 under BEGIN PRIVATE KEY", "PKCS#8 under BEGIN RSA PRIVATE KEY", "bare base64", "BOM", "literal"]) {
    assert.ok(names.includes(word), word);
  }
  assert.ok(data.cases.some((/** @type {any} */ item) => item.findings.includes("pem_label_mismatch")));
});

for (const item of data.cases) {
  test(`${item.name}: the label, the content's format and the public half are the server's`, async () => {
    const read = readPastedPrivateKey(item.paste, CAPS);
    if (!read.ok) assert.fail(JSON.stringify(read.fault));
    assert.deepEqual(keyFacts(item.paste), { local_key_label: item.label, local_key_content: item.content });
    const key = await importPrivateKey(read.pkcs8, "SHA-256");
    assert.equal((await publicKeyPem(key)).trim(), item.public.trim());
    for (const note of read.notes) assert.ok(item.findings.includes(note), note);
  });
}

test("a paste that is no key gives no facts", () => {
  for (const text of ["", "not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"]) {
    assert.deepEqual(keyFacts(text), { local_key_label: "", local_key_content: "" });
  }
});
