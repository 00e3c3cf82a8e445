// Reads a fixture written by tests/js/write_fixtures.py (make test-js runs it first).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/**
 * @param {string} name a file in tests/js/fixtures/
 * @returns {any}
 */
export function fixture(name) {
  try {
    return JSON.parse(readFileSync(join(FIXTURES, name), "utf-8"));
  } catch (error) {
    throw new Error(`${name} missing: run "python tests/js/write_fixtures.py" (make test-js does) — ${error}`);
  }
}
