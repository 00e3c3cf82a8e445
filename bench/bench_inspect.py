"""The paste recogniser against its corpus: recognition rate, the confusion (expected kind vs
found kind) and timing, plus a worst case at the size limit.

    python bench/bench_inspect.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diagnostics.core.inspect import inspect  # noqa: E402
from diagnostics.core.params import MAX_INPUT_CHARS  # noqa: E402
from tests.diagnostics.core.test_inspect import CASES, filled  # noqa: E402


def main() -> None:
    confusion: Counter[tuple[str, str]] = Counter()
    exact = 0
    timings = []
    for case in CASES:
        text = filled(case["text"])
        started = time.perf_counter()
        parts = inspect(text).parts
        timings.append(time.perf_counter() - started)
        got = [(p.kind, p.platform, p.page) for p in parts]
        want = [(e["kind"], e["platform"], e["page"]) for e in case["expect"]]
        exact += got == want
        for index, expected in enumerate(want):
            confusion[(expected[0], got[index][0] if index < len(got) else "-")] += 1
        for extra in got[len(want) :]:
            confusion[("-", extra[0])] += 1
    print(f"pastes: {len(CASES)}, read exactly (kinds, platforms, pages, order): {exact}")
    print(f"recognition rate: {exact / len(CASES):.1%}")
    print("\nexpected kind -> found kind: count")
    for (expected, found), count in sorted(confusion.items()):
        mark = "" if expected == found else "   <-- confused"
        print(f"  {expected:32} {found:32} {count}{mark}")
    timings.sort()
    print(
        f"\ntime per paste: median {timings[len(timings) // 2] * 1000:.2f} ms, "
        f"max {timings[-1] * 1000:.2f} ms"
    )
    for name, text in (
        ("braces", "{" * MAX_INPUT_CHARS),
        ("xml openers", "<xml>" * (MAX_INPUT_CHARS // 5)),
        ("query run", "a=1&" * (MAX_INPUT_CHARS // 4)),
        ("log lines", "2026-11-28 ERROR x=1: 签名错误\n" * (MAX_INPUT_CHARS // 30)),
        ("query runs of 499 pairs", ("a=1&" * 498 + "a=1 ") * (MAX_INPUT_CHARS // 2000)),
        ("name=value lines", "appid=wx1\nmch_id=1\n" * (MAX_INPUT_CHARS // 19)),
        ("PHP array lines", "'a' => 'b',\n" * (MAX_INPUT_CHARS // 12)),
        ("escaped quotes", '{"a":"\\""}' * (MAX_INPUT_CHARS // 9)),
        ("PEM BEGIN lines", "-----BEGIN CERTIFICATE-----\n" * (MAX_INPUT_CHARS // 28)),
        ("HTTP status lines", "HTTP/1.1 401 x\n" * (MAX_INPUT_CHARS // 15)),
        ("curl words on one line", "curl x " * (MAX_INPUT_CHARS // 7)),
        (
            "Wechatpay header lines",
            "Wechatpay-Serial: 5157F09EFDC096DE\n" * (MAX_INPUT_CHARS // 35),
        ),
        ("request lines", "POST /v3/x HTTP/1.1\n" * (MAX_INPUT_CHARS // 20)),
    ):
        started = time.perf_counter()
        inspect(text[:MAX_INPUT_CHARS])
        print(
            f"worst case {name} ({len(text[:MAX_INPUT_CHARS]) // 1024} KiB): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
