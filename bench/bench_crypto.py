"""Throughput of the signing engines: ``python bench/bench_crypto.py`` from the repo root.

Key loading is reported apart: loading a pasted RSA private key runs OpenSSL 3's key validation
(tens of milliseconds), which dwarfs the signature itself. The other figures use keys loaded once.

Oversize keys (8192/16384-bit moduli, an exponent of 2^3070+1) must be refused in under 50 ms in
every loader: their size is read before OpenSSL validates anything (a genuine 16384-bit private
key takes ~43 s to validate). The script exits non-zero when a refusal is slower or missing.
"""

from __future__ import annotations

import base64
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from diagnostics import baidu, wechat_v3  # noqa: E402
from diagnostics.core.findings import ParseError
from diagnostics.core.keys import load_certificate, load_private_key, load_public_key  # noqa: E402
from diagnostics.wechat_v3 import mistakes as wechat_v3_mistakes  # noqa: E402
from tests.diagnostics.huge_keys import oversize_keys  # noqa: E402

REFUSAL_BUDGET_MS = 50.0

BODY = '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"腾讯充值中心-QQ会员充值"}'
TS, NONCE = "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242"


def rate(label: str, action: Callable[[], object], seconds: float = 1.0) -> None:
    action()  # warm up
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        action()
        count += 1
    per_second = count / elapsed
    print(f"{label:<44} {per_second:>10,.0f} /s   {1e3 / per_second:>8.3f} ms each")


def oversize_refusals() -> bool:
    """The slowest of five refusals of each oversize key by each loader; False when over budget."""
    ok = True
    for name, text in oversize_keys().items():
        for loader in (load_private_key, load_public_key, load_certificate):
            slowest, code = 0.0, "loaded!"
            for _ in range(5):
                start = time.perf_counter()
                try:
                    loader(text)
                except ParseError as refused:
                    code = refused.code
                slowest = max(slowest, (time.perf_counter() - start) * 1e3)
            ok = ok and code != "loaded!" and slowest < REFUSAL_BUDGET_MS
            print(f"refused: {name:<36} {loader.__name__:<17} {code:<28} {slowest:>7.2f} ms")
    return ok


def main() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    private = load_private_key(private_pem)
    public = load_public_key(public_pem)

    rate("key loading: private key (PEM, validated)", lambda: load_private_key(private_pem))
    rate("key loading: public key (PEM)", lambda: load_public_key(public_pem))

    def v3_sign() -> object:
        return wechat_v3.sign_request(
            method="POST",
            url="/v3/pay/transactions/jsapi",
            timestamp=TS,
            nonce=NONCE,
            body=BODY,
            private_key=private,
            mchid="1230000109",
            serial_no="5157F09EFDC096DE15EBE81A47057A7232F4CF9F",
        )

    rate("APIv3 request sign", v3_sign)
    message = f"{TS}\n{NONCE}\n{BODY}\n"
    signature = base64.b64encode(
        key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    rate(
        "APIv3 response verify",
        lambda: wechat_v3.verify_response(
            timestamp=TS, nonce=NONCE, body=BODY, signature=signature, public_key=public
        ),
    )
    apiv3_key = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
    ciphertext = base64.b64encode(
        AESGCM(apiv3_key.encode()).encrypt(b"fdasflkja484", BODY.encode(), b"transaction")
    ).decode()
    rate(
        "APIv3 notification decrypt",
        lambda: wechat_v3.decrypt_resource(
            apiv3_key=apiv3_key,
            associated_data="transaction",
            nonce="fdasflkja484",
            ciphertext=ciphertext,
        ),
    )
    wrong = base64.b64encode(
        key.sign(b"nothing the search will find", padding.PKCS1v15(), hashes.SHA256())
    ).decode()

    def search() -> wechat_v3_mistakes.MistakeSearch:
        return wechat_v3_mistakes.mistake_search(
            method="POST",
            url="/v3/pay/transactions/id/1?mchid=1",
            timestamp=TS,
            nonce=NONCE,
            body=BODY,
            signature=wrong,
            public_key=public,
        )

    rate(f"APIv3 mistake search ({search().candidates_tried} candidates, none verify)", search)
    params = [
        ("appKey", "MMMabc"),
        ("dealId", "470193086"),
        ("totalAmount", "1"),
        ("tpOrderId", "1"),
    ]
    rate("Baidu rsaSign sign", lambda: baidu.sign(params, private))
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=1"
    rsa_sign = base64.b64encode(
        key.sign(string1.encode(), padding.PKCS1v15(), hashes.SHA1())
    ).decode()
    rate("Baidu callback verify", lambda: baidu.verify([*params, ("rsaSign", rsa_sign)], public))


if __name__ == "__main__":
    refusals_ok = oversize_refusals()
    main()
    if not refusals_ok:
        sys.exit(f"an oversize key was not refused within {REFUSAL_BUDGET_MS:.0f} ms")
