// Parity: local mode's simulators (static/js/local/simulate.js, simulate-v2.js, aes-ecb.js) on the cases
// tests/js/write_simulate_fixtures.py writes (make test-js runs every
// tests/js/write_*.py first). WebCrypto's AES-256-GCM over the server's plan must give cryptography's ciphertext
// byte for byte; a key that cannot be an APIv3 key must get server mode's error (code and sentence).
import assert from "node:assert/strict";
import { test } from "node:test";

import { aesEcbEncrypt } from "../../static/js/local/aes-ecb.js";
import { fromHex, toHex } from "../../static/js/local/bytes.js";
import { sealV2 } from "../../static/js/local/simulate-v2.js";
import { sealResource } from "../../static/js/local/simulate.js";
import { fixture } from "./fixtures.js";

const data = fixture("simulate.json");

test("the resource is sealed as cryptography seals it, or refused with the server's sentence", async () => {
  assert.ok(data.cases.length >= 9);
  for (const item of data.cases) {
    const result = await sealResource(item.plan, item.key);
    if (item.error) assert.deepEqual(result, { fault: item.error }, JSON.stringify(item.key));
    else assert.deepEqual(result, { ciphertext: item.ciphertext }, JSON.stringify(item.key));
  }
});

test("AES-ECB encryption from AES-CBC gives cryptography's blocks, PKCS#7 included", async () => {
  assert.ok(data.blocks.length >= 12);
  for (const item of data.blocks) {
    const sealed = await aesEcbEncrypt(fromHex(item.plaintext), fromHex(item.key));
    assert.ok(sealed, item.key);
    assert.equal(toHex(sealed), item.ciphertext);
  }
});

test("a V2 notification is signed or its req_info encrypted as hashlib and cryptography do", async () => {
  assert.ok(data.v2.length >= 18);
  for (const item of data.v2) {
    assert.equal(await sealV2(item.plan, item.key), item.sealed, `${item.plan.kind} ${item.plan.sign_type} ${JSON.stringify(item.key)}`);
  }
});
