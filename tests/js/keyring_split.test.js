// static/js/local/keyring-split.js against diagnostics/wechat_v3/keyring_paste.py: every case
// tests/js/write_keyring_split_fixtures.py had the Python split must split the same here, piece
// for piece, and the helpers must answer as Python's do.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import * as split from "../../static/js/local/keyring-split.js";
import { fixture } from "./fixtures.js";

const { isKnown, loneToken, nameHint, splitPaste, tokenKind } = split;
const data = fixture("keyring_split.json");
const LONG = 4096;

/** @param {string | {repeat: string, times: number, before?: string, after?: string}} text */
function expand(text) {
  if (typeof text === "string") return text;
  return (text.before || "") + text.repeat.repeat(text.times) + (text.after || "");
}

/** A piece as the fixture writes it: a long text by its SHA-256, with isKnown's answer. */
function written(piece) {
  const text =
    [...piece.text].length <= LONG
      ? piece.text
      : { sha256: createHash("sha256").update(piece.text, "utf8").digest("hex") };
  return { text, hint: piece.hint, spaced: piece.spaced, known: isKnown(piece) };
}

test("the constants are Python's", () => {
  for (const [name, value] of Object.entries(data.constants)) {
    assert.equal(split[name], value, name);
  }
});

test("there are enough cases, and they reach the cut and the refusal", () => {
  assert.ok(data.cases.length >= 400, `${data.cases.length} cases`);
  assert.ok(data.cases.some((c) => c.cut));
  assert.ok(data.cases.some((c) => c.tooLarge));
  assert.ok(data.cases.some((c) => c.pieces.some((p) => p.hint === split.CERTIFICATES_ANSWER)));
});

test("every paste splits as Python splits it", () => {
  for (const item of data.cases) {
    const found = splitPaste(item.texts.map(expand));
    assert.deepEqual(
      { pieces: found.pieces.map(written), cut: found.cut, tooLarge: found.tooLarge },
      { pieces: item.pieces, cut: item.cut, tooLarge: item.tooLarge },
      item.name,
    );
  }
});

test("tokenKind, nameHint, loneToken and isKnown answer as Python's", () => {
  for (const [token, kind] of data.token_kind) assert.equal(tokenKind(token), kind, token);
  for (const [name, hint] of data.name_hint) assert.equal(nameHint(name), hint, name);
  for (const [text, hint, piece] of data.lone_token) {
    assert.deepEqual(loneToken(text, hint), piece, JSON.stringify([text, hint]));
  }
  for (const [piece, known] of data.is_known) assert.equal(isKnown(piece), known, piece.text);
});

test("\\s, \\w and \\d are Python's over every code point Python's Unicode has assigned", () => {
  const { classes } = data;
  const assigned = new Uint8Array(0x110000);
  for (const [from, to] of classes.assigned) assigned.fill(1, from, to + 1);
  for (const [name, source] of [
    ["space", split.SPACE],
    ["word", split.WORD],
    ["digit", split.DIGIT],
  ]) {
    const python = new Uint8Array(0x110000);
    for (const [from, to] of classes[name]) python.fill(1, from, to + 1);
    const pattern = new RegExp(`^[${source}]$`, "u");
    const differ = [];
    for (let code = 0; code < 0x110000; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ours = pattern.test(String.fromCodePoint(code)) ? 1 : 0;
      if (ours !== python[code] && assigned[code]) differ.push(code.toString(16));
    }
    assert.deepEqual(differ.slice(0, 20), [], `${name} (Python's Unicode ${classes.unicode})`);
  }
});

test("a 256 KiB hostile paste is split, whatever its one character", () => {
  // Not a timing assertion: each run must finish (a backtracking regex would take minutes here).
  for (const char of ["a", "1", "=", "&", ".", "(", "{", '"', " ", "\n", "-", ":", "A", "中", "😀"]) {
    const text = char.repeat(split.MAX_INPUT_CHARS / char.length);
    const found = splitPaste([text]);
    assert.equal(found.tooLarge, false, char);
  }
  const builders = 'a("1900009191")'.repeat(17000).slice(0, split.MAX_INPUT_CHARS);
  assert.equal(splitPaste([builders]).tooLarge, false);
});
