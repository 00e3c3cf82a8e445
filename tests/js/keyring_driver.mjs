// The key ring's browser half run from Python (tests/diagnostics/wechat_v3/test_keyring_local_parity.py):
// reads {op, cases} as JSON on stdin, writes the answers as JSON on stdout.
//   op "prepare": cases of {paste, apiv3_key, key} -> [{ring, values}] (static/js/local/keyring-page.js
//     prepareRing: the post, and each stand-in's value, which only a test ever prints)
//   op "open": cases of {plan, values} -> [outcomes] (openPairs: the pairs the server asked for)
import { readFileSync } from "node:fs";

import { openPairs, prepareRing } from "../../static/js/local/keyring-page.js";

const input = JSON.parse(readFileSync(0, "utf-8"));
const answers = [];
for (const item of input.cases) {
  if (input.op === "prepare") {
    const prepared = await prepareRing(item.paste, item);
    answers.push({ ring: prepared.ring, values: Object.fromEntries(prepared.values) });
  } else {
    answers.push(await openPairs(item.plan, new Map(Object.entries(item.values))));
  }
}
process.stdout.write(JSON.stringify(answers));
