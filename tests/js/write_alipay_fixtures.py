"""Writes the cases Alipay's request-sign local mode is checked against
(tests/js/fixtures/alipay.json, not committed): tests/js/alipay.test.js runs this first, then holds
static/js/local/alipay-sign.js to it.

Each case is a generated 应用私钥 (PKCS#8 and PKCS#1, PEM and bare base64, 2048 and 1024 bits) and
request params (RSA2 and RSA, UTF-8 and GBK, Chinese in biz_content); the data the browser gets is
what the view builds from the local run with the key's public half (views._local_json), and the
sign expected is the server's (signing.sign with the private key).

    python tests/js/write_alipay_fixtures.py
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

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from diagnostics.alipay.signing import sign, with_sign  # noqa: E402
from diagnostics.alipay.workbenches import run_alipay_sign_local  # noqa: E402
from diagnostics.core.keys import load_private_key, load_public_key  # noqa: E402
from diagnostics.views import _local_json  # noqa: E402

NONE = serialization.NoEncryption()
BIZ = '{"out_trade_no":"20261128%s","total_amount":"0.01","subject":"%s"}'
SUBJECTS = ("测试商品", "Iphone6 16G", "退款：订单￥88 —「加急」", "中文 & = ? %")


def pastes(key: rsa.RSAPrivateKey) -> list[tuple[str, str]]:
    pkcs8, pkcs1 = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
    pem = serialization.Encoding.PEM
    der = serialization.Encoding.DER
    return [
        ("PKCS#8 PEM", key.private_bytes(pem, pkcs8, NONE).decode()),
        ("PKCS#1 PEM", key.private_bytes(pem, pkcs1, NONE).decode()),
        ("PKCS#8 bare base64", base64.b64encode(key.private_bytes(der, pkcs8, NONE)).decode()),
        ("PKCS#1 bare base64", base64.b64encode(key.private_bytes(der, pkcs1, NONE)).decode()),
    ]


def main() -> None:
    cases = []
    for bits in (2048, 1024):
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        public_pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        public = load_public_key(public_pem)
        for number, (paste_name, paste) in enumerate(pastes(key)):
            for sign_type in ("RSA2", "RSA"):
                for charset in ("utf-8", "GBK"):
                    subject = SUBJECTS[number % len(SUBJECTS)]
                    params = (
                        f"app_id=2021000000000001\nmethod=alipay.trade.page.pay\n"
                        f"charset={charset}\nsign_type={sign_type}\n"
                        f"timestamp=2026-11-28 12:00:0{number}\nversion=1.0\n"
                        f"biz_content={BIZ % (number, subject)}"
                    )
                    values = {
                        "params": params,
                        "sign_type": "",
                        "mode": "auto",
                        "expected_sign": "",
                        "gateway_answer": "",
                        "local_key": public,
                        "local_key_info": public.info,
                        "local_signature": "",
                    }
                    local = run_alipay_sign_local(values)["local"]
                    data = json.loads(_local_json(local, None))["sign"]
                    server = sign(params, load_private_key(paste))
                    cases.append(
                        {
                            "name": f"{bits}-bit {paste_name}, {sign_type}, {charset}, {subject}",
                            "paste": paste,
                            "public_pem": public_pem,
                            "data": data,
                            "sign": server.sign,
                            "corrected": with_sign(params, server.sign),
                        }
                    )
    FIXTURES.mkdir(exist_ok=True)
    target = FIXTURES / "alipay.json"
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"cases": cases}, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)


if __name__ == "__main__":
    main()
