"""Writes the cases local mode's req_info decryption is checked against (tests/js/fixtures/refund.json,
not committed): tests/js/refund.test.js runs this first, then holds static/js/local/refund.js and
aes-ecb.js to it.

Every expected value is the server's or cryptography's: AES-ECB blocks from cryptography on random
keys and blocks; each case's plan from refund_notify.local_plan (what the page gets) and its outcome
from read_refund_notification (server mode: the plaintext, or the error with the slips that opened
and those tried). The cases are the suite's published vectors (wechatpy, EasyWeChat, IJPay,
tests/diagnostics/wechat_v2/test_refund_notify.py) and generated ones, one per slip.

    python tests/js/write_refund_fixtures.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
FIXTURES = Path(__file__).resolve().parent / "fixtures"

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import padding  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

from diagnostics.wechat_v2.refund_local import local_plan  # noqa: E402
from diagnostics.wechat_v2.refund_notify import (  # noqa: E402
    ReqInfoError,
    read_pasted,
    read_refund_notification,
)
from tests.diagnostics.wechat_v2.test_refund_notify import (  # noqa: E402
    EASYWECHAT_CIPHERTEXT,
    PLAINTEXT,
    WECHATPY_API_KEY,
    WECHATPY_REQ_INFO,
)

API_KEY = "Wq3Ev5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl1Zx"


def ecb(data: bytes, key: bytes) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 - the notification's scheme
    padder = padding.PKCS7(128).padder()
    encryptor = cipher.encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def req_info(key: bytes, text: str = PLAINTEXT) -> str:
    return base64.b64encode(ecb(text.encode("utf-8"), key)).decode("ascii")


def md5_hex(text: str) -> bytes:
    return hashlib.md5(text.encode("utf-8")).hexdigest().encode("ascii")


def blocks() -> list[dict[str, str]]:
    """Raw AES-ECB (no padding) on random keys of each size and random blocks."""
    rng = random.Random(17)
    cases = []
    for size in (16, 24, 32) * 4:
        key = rng.randbytes(size)
        plain = rng.randbytes(16 * rng.randint(1, 6))
        encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305
        cipher = encryptor.update(plain) + encryptor.finalize()
        cases.append({"key": key.hex(), "ciphertext": cipher.hex(), "plaintext": plain.hex()})
    return cases


def plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def case(name: str, notification: str, key: str) -> dict[str, Any]:
    try:
        plan = local_plan(read_pasted(notification))
    except ReqInfoError as error:  # nothing for the browser to run: the page shows the error
        plan = {"error": {"code": error.code, "message": str(error.message)}}
    try:
        refund = read_refund_notification(notification, key)
        server: dict[str, Any] = {"plaintext": refund.plaintext}
    except ReqInfoError as error:
        server = {
            "code": error.code,
            "message": str(error.message),
            "opened": [item.code for item in error.mistakes if item.decrypts],
            "mistakes": [item.code for item in error.mistakes if not item.decrypts],
        }
    return {"name": name, "key": key, "plan": plain(plan), "server": server}


def cases() -> list[dict[str, Any]]:
    wechatpy = (
        "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx4f4bc4dec97d474b]]></appid>"
        f"<req_info><![CDATA[{WECHATPY_REQ_INFO}]]></req_info></xml>"
    )
    good = req_info(md5_hex(API_KEY))
    spaced = good.replace("+", " ") if "+" in good else None
    raw_hex = "0123456789abcdef0123456789ABCDEF"
    return [
        case("published: wechatpy notification", wechatpy, WECHATPY_API_KEY),
        case(
            "published: EasyWeChat req_info",
            EASYWECHAT_CIPHERTEXT,
            "1234567890abcdef1234567890abcdef",
        ),
        case(
            "published: IJPay (not a refund notification)",
            "K8fdh/6THGfTKio8pxXS6Q==",
            "42cc1d91bab89b65ff55b19e28fff4f0",
        ),
        case("documented key", good, API_KEY),
        case("documented key, non-ASCII key", req_info(md5_hex("密钥" * 16)), "密钥" * 16),
        case("slip: whitespace around the key", good, f"  {API_KEY}\n"),
        case("slip: whitespace inside the key", good, f"{API_KEY[:16]} {API_KEY[16:]}"),
        case("slip: raw key as the AES key", req_info(API_KEY.encode()), API_KEY),
        case("slip: raw 16-character key (AES-128)", req_info(b"k" * 16), "k" * 16),
        case("slip: hex key given as the AES key", req_info(raw_hex.lower().encode()), raw_hex),
        case("slip: upper-case MD5", req_info(md5_hex(API_KEY).upper()), API_KEY),
        case("slip: 16-byte MD5 digest", req_info(hashlib.md5(API_KEY.encode()).digest()), API_KEY),
        case(
            "slip: upper-case MD5 of a trimmed key",
            req_info(md5_hex(API_KEY).upper()),
            f" {API_KEY} ",
        ),
        case("wrong 32-character key", good, "Zz" * 16),
        case("wrong 20-character key", good, "short-wrong-key-0000"),
        case("plus turned into space", spaced or good, API_KEY),
        case("not Base64", "req_info=abc*def", API_KEY),
        case("URL-safe Base64", good.replace("+", "-").replace("/", "_"), API_KEY),
        case("length not whole blocks", base64.b64encode(b"x" * 20).decode(), API_KEY),
        case("key far too long", good, "k" * 1025),
        case(
            "pay notification, not refund",
            "<xml><sign>A</sign><result_code>SUCCESS</result_code></xml>",
            API_KEY,
        ),
        case("decrypts to something not XML", req_info(md5_hex(API_KEY), "hello"), API_KEY),
    ]


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    data = {"blocks": blocks(), "cases": cases()}
    (FIXTURES / "refund.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
