// The key ring's browser half on the pastes it must survive: splitPaste (keyring-split.js) and
// prepareRing (keyring-page.js: the split, the kept secrets, the post) on a typical paste and on
// 256 KiB hostile ones, best of 5, in Node (a browser runs the same modules).
//
//     node bench/bench_keyring_local.mjs
import { splitPaste } from "../static/js/local/keyring-split.js";
import { prepareRing } from "../static/js/local/keyring-page.js";

const SIZE = 256 * 1024;
/** @param {string} unit */
const filled = (unit) => unit.repeat(Math.floor(SIZE / unit.length));

const PASTES = {
  "typical (.env of a merchant)": [
    "WECHATPAY_MCHID=1900009191",
    "WECHATPAY_SERIAL_NO=5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
    "WECHATPAY_APIV3_KEY=Xq7pLm2Vt9Rz4Kd8Hs1Nw6Bc3Fy5Jg0A",
    "WECHATPAY_PUBLIC_KEY_ID=PUB_KEY_ID_0114232134912410000000000000",
  ].join("\n"),
  'builder calls .setA("x")': filled('.setA("x")'),
  'builder calls a("1900009191")': filled('a("1900009191")'),
  "query parts a=b&": filled("a=b&"),
  "lines of 32-character tokens": filled("Xq7pLm2Vt9Rz4Kd8Hs1Nw6Bc3Fy5Jg0A\n"),
  "BEGIN lines without END": filled("-----BEGIN CERTIFICATE-----\n"),
  "open braces": filled("{"),
  "one character": "a".repeat(SIZE),
};

/** @param {() => unknown} run */
async function best(run) {
  let fastest = Infinity;
  for (let round = 0; round < 5; round += 1) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

console.log("paste".padEnd(34), "splitPaste ms".padStart(14), "prepareRing ms".padStart(15));
for (const [name, paste] of Object.entries(PASTES)) {
  const split = await best(() => splitPaste([paste]));
  const prepare = await best(() => prepareRing(paste, {}));
  console.log(name.padEnd(34), split.toFixed(2).padStart(14), prepare.toFixed(2).padStart(15));
}
