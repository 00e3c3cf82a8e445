// Copies the browser's third-party modules from node_modules/ into static/vendor/ (built, not
// committed: .gitignore), where Django's staticfiles and WhiteNoise serve them. `make run` and
// `make test` run it after `npm ci`; never a CDN.
//
// @noble/hashes is plain ES modules: its MD5 (legacy.js) imports _md.js, which imports _u64.js and
// utils.js, by relative path, so the four files are copied side by side, with the licence.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");

/** package -> [folder under static/vendor, the files the browser loads] */
const COPIES = {
  "@noble/hashes": ["noble-hashes", ["legacy.js", "_md.js", "_u64.js", "utils.js", "LICENSE"]],
};

rmSync(vendor, { recursive: true, force: true });
for (const [name, [folder, files]] of Object.entries(COPIES)) {
  const from = join(root, "node_modules", name);
  const to = join(vendor, folder);
  mkdirSync(to, { recursive: true });
  for (const file of files) copyFileSync(join(from, file), join(to, file));
}
writeFileSync(join(vendor, "README"), "Built by scripts/copy-vendor.mjs from node_modules/: do not edit.\n");
