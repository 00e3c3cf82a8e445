// Parity: the browser's half of the V2 workbench (static/js/local/v2-search.js) on the cases
// tests/js/write_fixtures.py writes — the published vectors and a few hundred requests with every
// V2 mistake injected — must reach the server's answer: the same sign and digest, the same
// verdict, the same recipes found, hence the same mistakes (codes, sentence, string1).
import assert from "node:assert/strict";
import { test } from "node:test";

import { computeV2, keyState, maskKey, theirString, withMillis } from "../../static/js/local/v2-search.js";
import { fixture } from "./fixtures.js";

const cases = fixture("v2.json");

test("the fixture holds the published vectors and every injected mistake", () => {
  const names = cases.map((item) => item.name).join(" ");
  for (const word of ["published", "published_lower", "002 §3.2", "empty_value_signed", "sign_field_signed",
    "field_missing", "not_sorted", "values_urlencoded", "key_whitespace", "key_not_appended",
    "key_appended_without_name", "wrong_algorithm", "non_utf8_encoding", "lowercase_digest",
    "timestamp_millis_signed", "timestamp_seconds_signed", "name_case", "sign_type_value", "wrong_key"]) {
    assert.ok(names.includes(word), word);
  }
  assert.ok(cases.length >= 300, String(cases.length));
});

for (const item of cases) {
  test(`local mode equals server mode: ${item.name}`, async () => {
    const outcome = await computeV2(item.data, item.key.trim());
    assert.equal(outcome.sign, item.server.sign);
    assert.equal(outcome.digest, item.server.digest);
    assert.equal(outcome.match, item.server.match);
    assert.deepEqual(outcome.found, item.server.found);
    if (outcome.found.length) {
      const mistakes = outcome.found.map(([index, millis]) => {
        const recipe = item.recipes[String(index)];
        return {
          codes: recipe.codes,
          detail: recipe.detail.join(millis),
          string1: recipe.millis_at.length ? withMillis(recipe.string, recipe.millis_at, millis) : recipe.string,
        };
      });
      assert.deepEqual(mistakes, item.server.mistakes);
    }
  });
}

test("the server hears only how the key is, never the key", () => {
  assert.equal(keyState(""), "missing");
  assert.equal(keyState("  \n"), "missing");
  assert.equal(keyState("1234567"), "short");
  assert.equal(keyState("192006250b4c09247ec02edce69f6a2d"), "ok");
  assert.equal(keyState("192006250b4c09247ec02edce69f6a2d\n"), "ok_spaced");
  assert.equal(maskKey("192006250b4c09247ec02edce69f6a2d"), "•".repeat(28) + "6a2d");
  assert.equal(maskKey("abc"), "•••");
});

test("their stringSignTemp goes without the key; how it compares stays here", () => {
  const key = "192006250b4c09247ec02edce69f6a2d";
  assert.deepEqual(theirString(`a=1&key=${key}`, key), { head: "a=1", state: "same" });
  assert.deepEqual(theirString(`a=1&key=${key} `, key), { head: "a=1", state: "spaced" });
  assert.deepEqual(theirString("a=1&key=other", key), { head: "a=1", state: "different:5:32" });
  assert.deepEqual(theirString(`a=1${key}`, key), { head: "a=1⟨KEY⟩", state: "" });
  for (const sent of [theirString(`a=${key}&key=${key}`, key).head, theirString(`b=1&${key}`, key).head]) {
    assert.ok(!sent.includes(key), sent);
  }
});
