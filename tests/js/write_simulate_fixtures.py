"""Writes the cases local mode's APIv3 simulator encryption is checked against
(tests/js/fixtures/simulate.json, not committed): tests/js/simulate.test.js runs this first, then
holds static/js/local/simulate.js to it.

Each case is the plan the page gets (simulator.run_simulate_local) with a key, and what the server
then needs: cryptography's AESGCM over the plan (the ciphertext, Base64) — or, for a key that cannot
be an APIv3 key, the error server mode raises (code and sentence).

    python tests/js/write_simulate_fixtures.py
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
FIXTURES = Path(__file__).resolve().parent / "fixtures"

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from diagnostics.core.findings import ParseError  # noqa: E402
from diagnostics.wechat_v3.simulator import run_simulate_local, simulate  # noqa: E402

URL = "https://merchant.example/pay/notify"
KEYS = [
    "Qw7Er9Ty1Ui3Op5As7Df9Gh1Jk3Lz5Xc",
    " Qw7Er9Ty1Ui3Op5As7Df9Gh1Jk3Lz5Xc\n",  # whitespace around it
    "0123456789abcdef" * 4,  # 64 hex digits
    "short",
]
OWN = '{"mchid":"1900000100","备注":"中文 ✓","amount":{"total":1}}'


def plain(value: object) -> object:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def case(kind: str, resource: str, key: str) -> dict[str, object]:
    values = {"kind": kind, "mode": "public_key", "url": URL, "resource": resource}
    plan = plain(run_simulate_local(values)["local"]["simulate"])
    try:
        simulate(kind=kind, mode="public_key", apiv3_key=key, url=URL, resource=resource)
    except ParseError as error:
        return {
            "plan": plan,
            "key": key,
            "error": {"code": error.code, "message": str(error.message)},
        }
    sealed = AESGCM(key.encode()).encrypt(
        plan["nonce"].encode(), plan["plaintext"].encode(), plan["associated_data"].encode()
    )
    return {"plan": plan, "key": key, "ciphertext": base64.b64encode(sealed).decode()}


def main() -> None:
    cases = [case(kind, "", key) for kind in ("payment", "refund") for key in KEYS]
    cases.append(case("payment", OWN, KEYS[0]))
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "simulate.json").write_text(
        json.dumps({"cases": cases}, ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
