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
import hashlib
import hmac
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

from cryptography.hazmat.primitives import padding  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from diagnostics.core.findings import ParseError  # noqa: E402
from diagnostics.wechat_v2.simulator import run_simulate_local as v2_local  # noqa: E402
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


def ecb(plaintext: bytes, key: bytes) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305
    return (encryptor.update(data) + encryptor.finalize()).hex()


def v2_case(kind: str, sign_type: str, resource: str, key: str) -> dict[str, object]:
    """A V2 plan and what the server expects back: hashlib/hmac's sign, or cryptography's ECB."""
    values = {"kind": kind, "sign_type": sign_type, "url": URL, "resource": resource}
    plan = plain(v2_local(values)["local"]["simulate_v2"])
    message = f"{plan['string1']}&key={key}".encode()
    if kind == "refund":
        aes_key = hashlib.md5(key.encode()).hexdigest().encode()
        sealed = base64.b64encode(
            bytes.fromhex(ecb(plan["req_info_plaintext"].encode(), aes_key))
        ).decode()
    elif sign_type == "MD5":
        sealed = hashlib.md5(message).hexdigest().upper()
    else:
        sealed = hmac.new(key.encode(), message, hashlib.sha256).hexdigest().upper()
    return {"plan": plan, "key": key, "sealed": sealed}


def main() -> None:
    cases = [case(kind, "", key) for kind in ("payment", "refund") for key in KEYS]
    cases.append(case("payment", OWN, KEYS[0]))
    own_v2 = "attach=中文 ✓\ntotal_fee=88"
    v2 = [
        v2_case(kind, sign_type, resource, key)
        for kind, sign_type in (("payment", "MD5"), ("payment", "HMAC-SHA256"), ("refund", "MD5"))
        for resource in ("", own_v2)
        for key in (KEYS[0], KEYS[1], "密钥 ✓")
    ]
    blocks = []
    for size in (16, 32):
        for length in (0, 1, 15, 16, 17, 100):
            key, data = os.urandom(size), os.urandom(length)
            blocks.append({"key": key.hex(), "plaintext": data.hex(), "ciphertext": ecb(data, key)})
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "simulate.json").write_text(
        json.dumps({"cases": cases, "v2": v2, "blocks": blocks}, ensure_ascii=False),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
