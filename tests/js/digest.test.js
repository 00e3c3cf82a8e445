// The shared local-mode modules (bytes.js, digest.js) against hashlib and hmac (the fixture).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fromBase64, fromHex, gbk, toHex, utf8 } from "../../static/js/local/bytes.js";
import { digestBytes, digestHex, HMAC_SHA256, MD5, signHex } from "../../static/js/local/digest.js";
import { fixture } from "./fixtures.js";

const cases = fixture("digests.json");

test("MD5 of a text's UTF-8 bytes equals hashlib's, every length up to two blocks", async () => {
  for (const item of cases) assert.equal(await digestHex(MD5, "", item.text), item.md5, item.text);
});

test("MD5 of GBK bytes sent as base64 equals hashlib's MD5 of text.encode('gbk')", async () => {
  for (const item of cases) {
    assert.equal(toHex(await digestBytes(MD5, new Uint8Array(), fromBase64(item.gbk))), item.md5_gbk);
  }
});

test("GBK bytes made in the browser equal Python's text.encode('gbk')", () => {
  for (const item of cases) assert.deepEqual(gbk(item.text), fromBase64(item.gbk), item.text);
  assert.equal(gbk("\u00ff\u0100"), null); // no GBK bytes: Python raises, the browser says null
});

test("HMAC-SHA256 (WebCrypto) equals Python's hmac, empty keys included", async () => {
  for (const item of cases) {
    assert.equal(await digestHex(HMAC_SHA256, item.key, item.text), item.hmac_sha256, item.key);
  }
});

test("a sign is the digest upper-cased; hex reads back either case", () => {
  assert.equal(signHex("abc123"), "ABC123");
  assert.deepEqual(fromHex("0aFF"), new Uint8Array([10, 255]));
  assert.equal(fromHex("0g"), null);
  assert.deepEqual(utf8("中"), new Uint8Array([0xe4, 0xb8, 0xad]));
});
