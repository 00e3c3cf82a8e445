// Reads a fixture written by one of tests/js/write_*.py (make test-js runs them all first, once).
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
    throw new Error(`${name} missing: run the tests/js/write_*.py that writes it, or make test-js — ${error}`);
  }
}
