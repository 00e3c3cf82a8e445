// pem.js decodeBase64 decodes what the server's decoder decodes (keys._decode_base64: pad to a
// multiple of four, then Python's strict base64) and refuses what it refuses, so a damaged key gets
// the same sentence in local mode. Expected values: CPython 3.11's base64.b64decode(validate=True).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeBase64 } from "../../static/js/local/pem.js";

const CASES = [
  ["QUJDRA=", "ABCD"],
  ["QUJDRA===", null], // Excess data after padding
  ["QUJDRA======", null],
  ["QUJDRA=A", null], // Discontinuous padding
  ["QUJDREU=", "ABCDE"],
  ["QUJDREU==", null],
  ["QUJD", "ABC"],
  ["QUJD==", "ABC"], // a complete group may be followed by any number of "="
  ["QUJD====", "ABC"],
  ["QUJDR=", null], // five data characters
  ["====", null], // leading padding
  ["QQ", "A"],
  ["QU JD\\n".replace("\\n", "\n"), "ABC"],
];

for (const [text, expected] of CASES) {
  test(`${JSON.stringify(text)} ${expected === null ? "is refused" : "decodes"} as the server decodes it`, () => {
    const result = decodeBase64(text, "content");
    if (expected === null) {
      assert.ok(!(result instanceof Uint8Array), JSON.stringify(result));
      assert.equal(/** @type {any} */ (result).code, "bad_base64");
    } else {
      assert.ok(result instanceof Uint8Array, JSON.stringify(result));
      assert.equal(new TextDecoder().decode(result), expected);
    }
  });
}
