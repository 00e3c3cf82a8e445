// Parity: local mode's APIv3 simulator encryption (static/js/local/simulate.js) on the cases
// tests/js/write_simulate_fixtures.py writes — run first here, so `node --test tests/js/` needs no
// other step. WebCrypto's AES-256-GCM over the server's plan must give cryptography's ciphertext
// byte for byte; a key that cannot be an APIv3 key must get server mode's error (code and sentence).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { sealResource } from "../../static/js/local/simulate.js";
import { fixture } from "./fixtures.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const python = existsSync(join(root, ".venv", "bin", "python")) ? join(root, ".venv", "bin", "python") : "python3";
execFileSync(python, [join(root, "tests", "js", "write_simulate_fixtures.py")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const data = fixture("simulate.json");

test("the resource is sealed as cryptography seals it, or refused with the server's sentence", async () => {
  assert.ok(data.cases.length >= 9);
  for (const item of data.cases) {
    const result = await sealResource(item.plan, item.key);
    if (item.error) assert.deepEqual(result, { fault: item.error }, JSON.stringify(item.key));
    else assert.deepEqual(result, { ciphertext: item.ciphertext }, JSON.stringify(item.key));
  }
});
