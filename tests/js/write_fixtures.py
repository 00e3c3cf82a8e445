"""Writes the cases local mode's JavaScript is checked against (tests/js/fixtures/, not committed):
`make test-js` runs this, then `node --test tests/js/`.

Every expected value here comes from Python: hashlib and hmac for the digests, the server's own
engines for the workbench results — so the Node tests prove the browser computes what the server
does. Django-free: only the engines are imported.

    python tests/js/write_fixtures.py
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def digest_cases(rng: random.Random) -> list[dict[str, str]]:
    """MD5 and HMAC-SHA256 of texts and bytes of every length up to two blocks, and Chinese."""
    alphabet = "abcXYZ019&=_-中文支付测试 \n"
    cases = []
    for length in [*range(0, 130), 1000]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        key = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 70)))
        data, key_bytes = text.encode("utf-8"), key.encode("utf-8")
        cases.append(
            {
                "text": text,
                "key": key,
                "gbk": base64.b64encode(text.encode("gbk")).decode("ascii"),
                "md5": hashlib.md5(data).hexdigest(),
                "md5_gbk": hashlib.md5(text.encode("gbk")).hexdigest(),
                "hmac_sha256": hmac.new(key_bytes, data, hashlib.sha256).hexdigest(),
            }
        )
    return cases


def v2_cases() -> list[dict[str, object]]:
    """Each case as the browser gets it in local mode (the plan: no key) and as the server
    answers it in server mode (with the key): the Node test must reach the server's answer."""
    from diagnostics.core.params import parse_params
    from diagnostics.wechat_v2.fields import PRESETS
    from diagnostics.wechat_v2.recipes import reproducing
    from diagnostics.wechat_v2.report import LocalAnswer, build_report, full_plan_of
    from tests.diagnostics.wechat_v2.injected import Case, cases, published_cases

    out = []
    case: Case
    for case in [*published_cases(), *cases(17, 300)]:
        parsed = parse_params(case.raw)
        preset = PRESETS[case.preset]
        options = {"chosen_sign_type": case.sign_type or None, "expected_sign": case.expected_sign}
        server = build_report(parsed, case.key, preset, **options)
        local = build_report(parsed, "", preset, local=LocalAnswer(), **options)
        data = local.local_plan or {}
        plan = full_plan_of(parsed, preset, **options)
        found = reproducing(plan, case.key) if plan and server.match is False else []
        out.append(
            {
                "name": f"{case.preset} {'+'.join(case.injected)}",
                "key": case.key,
                "data": data,
                "server": {
                    "sign": server.steps.sign,
                    "digest": server.steps.digest,
                    "match": server.match,
                    "found": [list(item) for item in found],
                    "mistakes": [
                        {"codes": list(m.codes), "detail": str(m.detail), "string1": m.string1}
                        for m in server.mistakes
                    ],
                },
                # What the found recipes say, to turn the browser's answer into mistakes.
                "recipes": {str(index): _recipe_info(plan, index) for index, _millis in found},
            }
        )
    return out


_MILLIS_SLOT = "\x00"


def _recipe_info(plan, index: int) -> dict[str, object]:
    recipe = plan.recipes[index]
    return {
        "codes": list(recipe.codes),
        "detail": str(recipe.describe(_MILLIS_SLOT)).split(_MILLIS_SLOT),
        "string": plan.strings[recipe.string],
        "millis_at": list(recipe.millis_at),
    }


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    rng = random.Random(17)
    (FIXTURES / "digests.json").write_text(
        json.dumps(digest_cases(rng), ensure_ascii=False), encoding="utf-8"
    )
    (FIXTURES / "v2.json").write_text(json.dumps(v2_cases(), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
