// Parity: local mode's modules for the task workbenches (static/js/local/: pem.js, pkcs8.js,
// der.js, rsa.js, aes-gcm.js, decrypt.js, sensitive.js) on the cases
// tests/js/write_task_fixtures.py writes (make test-js runs every
// tests/js/write_*.py first). A pasted private key must be read as the server reads it (same format and repairs,
// or the same code and sentence), sign as the server signs (published vectors included), and a
// decryption must end as the server's (same plaintext and summary, or the same error).
import assert from "node:assert/strict";
import { test } from "node:test";

import { describePlaintext, runPlan } from "../../static/js/local/decrypt.js";
import { wrapPkcs1 } from "../../static/js/local/der.js";
import { CAPS, keyMessage, MAX_KEY_CHARS, readPastedPrivateKey } from "../../static/js/local/pem.js";
import { importPrivateKey, modulus, publicKeyPem, signText } from "../../static/js/local/rsa.js";
import { looksEncrypted, openSensitive, readPlaintext } from "../../static/js/local/sensitive.js";
import { fixture } from "./fixtures.js";

const data = fixture("tasks.json");

test("the browser's caps are the server's", () => {
  assert.equal(MAX_KEY_CHARS, data.caps.max_chars);
  assert.equal(CAPS.max_bits, data.caps.max_bits);
  assert.equal(CAPS.max_exponent, data.caps.max_exponent);
});

test("the fixture holds the published key, both formats, and the damage copying does", () => {
  const names = data.keys.map((/** @type {any} */ item) => item.name).join(" | ");
  for (const word of ["published", "PKCS#1 PEM", "bare base64", "BOM", "literal", "certificate", "encrypted",
    "a character changed", "no END line", "over the size cap"]) {
    assert.ok(names.includes(word), word);
  }
  const codes = new Set(data.keys.filter((/** @type {any} */ item) => item.error).map((/** @type {any} */ item) => item.error.code));
  assert.ok(codes.size >= 12, [...codes].join(" "));
});

for (const item of data.keys) {
  test(`a pasted key reads as on the server: ${item.name}`, async () => {
    const read = readPastedPrivateKey(item.paste, CAPS);
    if (item.error) {
      assert.equal(read.ok, false, "the server refuses it");
      if (read.ok) return;
      assert.equal(read.fault.code.replace(/_chars$/, ""), item.error.code);
      assert.equal(keyMessage(read.fault, data.catalogue), item.error.message);
      return;
    }
    assert.equal(read.ok, true, read.ok ? "" : JSON.stringify(read.fault));
    if (!read.ok) return;
    assert.equal(read.format, item.ok.format);
    assert.deepEqual(read.notes, item.ok.notes);
    const sha256 = await importPrivateKey(read.pkcs8, "SHA-256");
    const sha1 = await importPrivateKey(read.pkcs8, "SHA-1");
    assert.equal(await publicKeyPem(sha256), item.ok.public_pem);
    for (const signed of item.ok.signatures) {
      assert.equal(await signText(sha256, signed.message), signed.sha256, signed.message);
      assert.equal(await signText(sha1, signed.message), signed.sha1, signed.message);
    }
  });
}

test("wechatpay-go's published SHA256withRSA signature of 'source' (utils/sign_test.go)", async () => {
  const published = data.keys.find((/** @type {any} */ item) => item.name.startsWith("wechatpay-go"));
  const read = readPastedPrivateKey(published.paste, CAPS);
  assert.ok(read.ok);
  if (!read.ok) return;
  const key = await importPrivateKey(read.pkcs8, "SHA-256");
  assert.equal(await signText(key, "source"), data.published_source_signature);
});

test("a PKCS#1 key wrapped here is the PKCS#8 the server would export", async () => {
  const pkcs1 = data.keys.find((/** @type {any} */ item) => item.name === "PKCS#1 bare base64");
  const pkcs8 = data.keys.find((/** @type {any} */ item) => item.name === "PKCS#8 bare base64");
  const fromBase64 = (/** @type {string} */ text) => Uint8Array.from(Buffer.from(text, "base64"));
  assert.deepEqual(wrapPkcs1(fromBase64(pkcs1.paste)), fromBase64(pkcs8.paste));
  const read = readPastedPrivateKey(pkcs1.paste, CAPS);
  assert.ok(read.ok);
  if (!read.ok) return;
  const key = await importPrivateKey(read.pkcs8, "SHA-256");
  assert.equal(Buffer.from(await modulus(key), "base64url").toString("hex"), read.numbers.n.toString(16).padStart(512, "0"));
});

test("the messages and string1 the server sends sign as the server signs them", async () => {
  const published = data.keys.find((/** @type {any} */ item) => item.name.startsWith("wechatpay-go"));
  const read = readPastedPrivateKey(published.paste, CAPS);
  assert.ok(read.ok);
  if (!read.ok) return;
  const key = await importPrivateKey(read.pkcs8, "SHA-256");
  const pkcs1 = await importPrivateKey(read.pkcs8, "SHA-1");
  const { createSign } = await import("node:crypto");
  const pemText = published.paste;
  for (const item of data.signs) {
    // Node's OpenSSL is the independent computation here; the server's rsa_sign is the same call.
    const expected256 = createSign("RSA-SHA256").update(Buffer.from(item.message, "utf-8")).sign(pemText, "base64");
    const expected1 = createSign("RSA-SHA1").update(Buffer.from(item.message, "utf-8")).sign(pemText, "base64");
    assert.equal(await signText(key, item.message), expected256, item.name);
    assert.equal(await signText(pkcs1, item.message), expected1, item.name);
  }
  assert.ok(data.signs.length >= 200);
});

for (const item of data.decrypts) {
  test(`a decryption ends as on the server: ${item.name}`, async () => {
    const outcome = await runPlan(item.data.decrypt, item.key);
    if (item.server.error) {
      assert.ok("fault" in outcome, "the server refuses it");
      if (!("fault" in outcome)) return;
      assert.equal(outcome.fault.code, item.server.error.code);
      assert.equal(outcome.fault.message, item.server.error.message);
      return;
    }
    assert.ok("plaintext" in outcome, JSON.stringify(outcome));
    if (!("plaintext" in outcome)) return;
    assert.equal(outcome.plaintext, item.server.plaintext);
    const shown = describePlaintext(outcome.plaintext, item.data.decrypt);
    assert.equal(shown.pretty, item.server.pretty);
    assert.deepEqual(shown.summary, item.server.summary);
    assert.deepEqual(shown.personal, item.server.personal);
  });
}

for (const item of data.sensitive) {
  test(`a sensitive field opens as on the server: ${item.name}`, async () => {
    const read = readPastedPrivateKey(item.paste, CAPS);
    assert.ok(read.ok);
    if (!read.ok) return;
    const opened = await openSensitive(item.data, read.pkcs8, read.numbers);
    if (item.server.error) {
      assert.ok("fault" in opened, "the server refuses it");
      if (!("fault" in opened)) return;
      assert.equal(opened.fault.code, item.server.error.code);
      assert.equal(opened.fault.message, item.server.error.message);
      return;
    }
    assert.ok("plain" in opened);
    if (!("plain" in opened)) return;
    const shown = readPlaintext(opened.plain);
    assert.equal(shown.text, item.server.plaintext);
    assert.equal(shown.notUtf8, item.server.not_utf8);
    assert.equal(shown.twice !== null, item.server.twice);
  });
}

test("a value that is already an RSA ciphertext's Base64 is told as the server tells it", () => {
  for (const item of data.looks_encrypted) assert.equal(looksEncrypted(item.text), item.server, item.text);
});
