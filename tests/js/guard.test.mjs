// static/js/local/guard.js: a secret pasted in a field that is not its own is found before local
// mode sends the field; what is no secret (a public key, a certificate, a sign) is not.
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { test } from "node:test";

import { fieldsWithSecrets, holdsSecret } from "../../static/js/local/guard.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const spki = publicKey.export({ type: "spki", format: "pem" }).toString();
const bare = (/** @type {string} */ pem) => pem.split("\n").filter((line) => line && !line.startsWith("-----")).join("");
const KEY = "Lq8Vx3Nd6Ty1Hb9Rk4Wm7Zc2Fs5Gp0Ja"; // 32 characters, as a V2 key is
const PARAMS = "appid=wxd930ea5d5a258f4f\nmch_id=10000100\nnonce_str=ibuaiVcKdpRxkhJA";

test("a PEM private key, whole or inside JSON, is found", () => {
  assert.ok(holdsSecret(pkcs8));
  assert.ok(holdsSecret(pkcs1));
  assert.ok(holdsSecret(JSON.stringify({ note: pkcs8 })));
  assert.ok(holdsSecret("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE"));
});

test("a bare base64 private key (PKCS#8 and PKCS#1) is found; a public key is not", () => {
  assert.ok(holdsSecret(`note=${bare(pkcs8)}`));
  assert.ok(holdsSecret(bare(pkcs1)));
  assert.ok(!holdsSecret(spki));
  assert.ok(!holdsSecret(bare(spki)));
});

test("a V2 key as a parameter line or in a stringSignTemp is found on the V2 page only", () => {
  const line = `${PARAMS}\nkey=${KEY}`;
  const logged = `appid=wxd930ea5d5a258f4f&mch_id=10000100&key=${KEY}`;
  assert.ok(holdsSecret(line, { v2: true }));
  assert.ok(holdsSecret(logged, { v2: true }));
  assert.ok(!holdsSecret(line));
  assert.ok(!holdsSecret(`${PARAMS}\nmch_key=${KEY}x`, { v2: true }));
  assert.ok(!holdsSecret(`${PARAMS}\nkey=short`, { v2: true }));
});

test("a sign, a nonce or a hash is not taken for a key", () => {
  const sign = createHash("md5").update(PARAMS).digest("hex").toUpperCase();
  assert.ok(!holdsSecret(`${PARAMS}\nsign=${sign}`, { v2: true }));
  assert.ok(!holdsSecret(createHash("sha256").update(PARAMS).digest("base64")));
});

test("the typed secret is found in any other field from 8 characters", () => {
  assert.ok(holdsSecret(`attach=${KEY}`, { typedKey: ` ${KEY} ` }));
  assert.ok(!holdsSecret("attach=abc", { typedKey: "abc" }));
});

test("every secret field's value counts: the key ring keeps three", () => {
  const paste = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  assert.ok(holdsSecret(`mchid=${KEY}`, { typedKeys: [paste, KEY, ""] }));
  assert.ok(!holdsSecret("1900009191", { typedKeys: [paste, KEY, ""] }));
});

test("a 32-character key on its own is stopped where the page says no key belongs", () => {
  assert.ok(holdsSecret(` ${KEY} `, { keyShaped: true }));
  assert.ok(!holdsSecret(KEY, {}));
  assert.ok(!holdsSecret("5157F09EFDC096DE15EBE81A47057A7232F1B8E1", { keyShaped: true })); // a serial
  assert.ok(!holdsSecret("PUB_KEY_ID_0114232134912410000000000000", { keyShaped: true }));
  assert.ok(!holdsSecret("1900009191", { keyShaped: true }));
  assert.ok(!holdsSecret("PUB_KEY_ID_0114232134912410000", { keyShaped: true })); // 32 long
  assert.ok(!holdsSecret("12345678901234567890123456789012", { keyShaped: true })); // 32 digits
});

test("a page may say what its secrets are: the key ring's kept values, not its whole paste", () => {
  // A paste of just the mchid, repeated in the 商户号 field, is no secret typed astray.
  assert.ok(!holdsSecret("1900009191", { typedKeys: [] }));
  assert.ok(holdsSecret(`x${KEY}`, { typedKeys: [KEY] }));
});

test("the fields named are those holding a secret, never local mode's own", () => {
  const parameters = { raw: `${PARAMS}\nkey=${KEY}`, expected_sign: "0".repeat(32), local_public_key: pkcs8 };
  assert.deepEqual(fieldsWithSecrets(parameters, { v2: true }), ["raw"]);
});

test("a certificate is not a private key", () => {
  // A certificate's DER is a SEQUENCE holding a SEQUENCE (MII…CCA…), not one opening with
  // INTEGER 0: the start of a real one (an X.509 v3 certificate), and a key's worth more.
  assert.ok(!holdsSecret("MIIDdzCCAl+gAwIBAgIE" + "A".repeat(300)));
});
