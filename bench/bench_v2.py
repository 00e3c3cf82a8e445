"""WeChat Pay V2: signings and full mistake searches per second for a 12-field request.

Run from the repository root: `python bench/bench_v2.py` (or `make bench`). Prints figures; it is
not a test. The worst case for the search is a sign that nothing reproduces: every candidate is
tried. The target is a full search under 20 ms for such a request.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diagnostics.wechat_v2 import HMAC_SHA256, sign  # noqa: E402
from diagnostics.wechat_v2.mistakes import mistake_search  # noqa: E402

KEY = "192006250b4c09247ec02edce69f6a2d"
REQUEST = [
    ("appid", "wx2421b1c4370ec43b"),
    ("mch_id", "10000100"),
    ("nonce_str", "b927722419c52622651a871d1d9ed8b2"),
    ("body", "JSAPI 支付测试"),
    ("attach", ""),
    ("out_trade_no", "1405713376"),
    ("total_fee", "1"),
    ("spbill_create_ip", "127.0.0.1"),
    ("notify_url", "https://example.com/notify"),
    ("trade_type", "JSAPI"),
    ("openid", "oUpF8uN95-Ptaags6E_roPHg7AG0"),
    ("sign", "3CA89B5870F944736C657979192E1CF4"),
]


def timed(function: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"{name:<44} {len(samples) / sum(samples):>10.0f}/s   mean {statistics.mean(samples) * 1e3:7.3f} ms"
        f"   p50 {statistics.median(samples) * 1e3:7.3f} ms   p99 {p99 * 1e3:7.3f} ms"
    )


def main() -> None:
    print(f"Python {sys.version.split()[0]}, {len(REQUEST)}-field request")
    report("sign (MD5)", timed(lambda: sign(REQUEST, KEY), 20000))
    report("sign (HMAC-SHA256)", timed(lambda: sign(REQUEST, KEY, HMAC_SHA256), 20000))
    unmatched = "0" * 32
    report(
        "full mistake search, nothing reproduces",
        timed(lambda: mistake_search(REQUEST, KEY, "MD5", unmatched), 300),
    )
    lowercase = sign(REQUEST, KEY).sign.lower()
    report(
        "mistake search, found at once",
        timed(lambda: mistake_search(REQUEST, KEY, "MD5", lowercase), 300),
    )


if __name__ == "__main__":
    main()
