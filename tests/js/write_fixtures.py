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


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    rng = random.Random(17)
    (FIXTURES / "digests.json").write_text(
        json.dumps(digest_cases(rng), ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
