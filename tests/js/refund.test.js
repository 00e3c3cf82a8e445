// Parity: local mode's req_info decryption (static/js/local/aes-ecb.js, refund.js) on the cases
// tests/js/write_refund_fixtures.py writes (make test-js runs every
// tests/js/write_*.py first). AES-ECB built from WebCrypto's AES-CBC must give cryptography's blocks; each case must
// end as the server's read_refund_notification does: the same plaintext, the same error (code and
// sentence), or the same slips opened and tried (what the browser posts for the server to read).
import assert from "node:assert/strict";
import { test } from "node:test";

import { aesEcbDecryptBlocks, stripPkcs7 } from "../../static/js/local/aes-ecb.js";
import { fromHex, toHex } from "../../static/js/local/bytes.js";
import { runRefundPlan } from "../../static/js/local/refund.js";
import { fixture } from "./fixtures.js";

const data = fixture("refund.json");

test("AES-ECB from AES-CBC gives cryptography's blocks for every key size", async () => {
  assert.ok(data.blocks.length >= 12);
  for (const item of data.blocks) {
    const plain = await aesEcbDecryptBlocks(fromHex(item.ciphertext), fromHex(item.key));
    assert.ok(plain, item.key);
    assert.equal(toHex(plain), item.plaintext);
  }
});

test("PKCS#7 is stripped only when every padding byte is right", () => {
  const block = new Uint8Array(16).fill(4);
  assert.equal(stripPkcs7(block)?.length, 12);
  block[13] = 3;
  assert.equal(stripPkcs7(block), null);
  assert.equal(stripPkcs7(new Uint8Array(16)), null); // 0 is no padding length
});

test("the fixture holds the published vectors and every slip", () => {
  const names = data.cases.map((/** @type {any} */ item) => item.name).join(" | ");
  for (const word of ["wechatpy", "EasyWeChat", "IJPay", "whitespace", "raw key", "upper-case MD5", "16-byte MD5",
    "wrong 32", "plus turned"]) {
    assert.ok(names.includes(word), word);
  }
});

for (const item of data.cases) {
  test(`req_info as the server reads it: ${item.name}`, async () => {
    const { server, plan } = item;
    if (plan.error) {
      assert.equal(plan.error.code, server.code); // refused before any key is needed
      return;
    }
    const result = await runRefundPlan(plan, item.key);
    if ("plaintext" in result) {
      if ("plaintext" in server) assert.equal(result.plaintext, server.plaintext);
      else assert.equal(server.code, "not_refund_notification"); // the server reads the posted plaintext
    } else if ("fault" in result) {
      assert.equal(result.fault.code, server.code);
      assert.equal(result.fault.message, server.message);
    } else {
      assert.equal(server.code, "bad_padding");
      assert.deepEqual(result.outcome.opened, server.opened);
      if (!server.opened.length) {
        assert.deepEqual(result.outcome.tried, server.mistakes.filter((/** @type {string} */ code) =>
          !["apiv3_key_lookalike", "key_length", "other_merchant_or_sandbox_key"].includes(code)));
        assert.equal(result.outcome.key_length, [...item.key.trim()].length);
      }
    }
  });
}
