"""What the Alipay engine tests share: PEM text of the session keys, signatures made with
cryptography directly (never the engine), and the Node SDK's published vectors."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

VECTORS = Path(__file__).resolve().parent.parent / "vectors"

REQUEST = [
    ("app_id", "2014072300007148"),
    ("method", "alipay.trade.create"),
    ("format", "JSON"),
    ("charset", "utf-8"),
    ("sign_type", "RSA2"),
    ("timestamp", "2014-07-24 03:07:50"),
    ("version", "1.0"),
    ("notify_url", "https://api.example.com/alipay/notify?x=1&y=a b"),
    (
        "biz_content",
        '{"out_trade_no":"20150320010101001","total_amount":"88.88","subject":"话费充值"}',
    ),
]


@cache
def node_vectors() -> dict[str, Any]:
    return json.loads((VECTORS / "alipay_nodejs_sdk.json").read_text(encoding="utf-8"))


def private_pem(key: rsa.RSAPrivateKey, fmt: str = "PKCS8") -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        getattr(serialization.PrivateFormat, fmt),
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rsa_sign(key: rsa.RSAPrivateKey, message: str, *, sha1: bool = False, gbk: bool = False) -> str:
    data = message.encode("gbk" if gbk else "utf-8")
    algorithm = hashes.SHA1() if sha1 else hashes.SHA256()
    return base64.b64encode(key.sign(data, padding.PKCS1v15(), algorithm)).decode()


def rsa_verifies(
    key: rsa.RSAPrivateKey, message: str, signature: str, *, sha1: bool = False
) -> bool:
    algorithm = hashes.SHA1() if sha1 else hashes.SHA256()
    try:
        key.public_key().verify(
            base64.b64decode(signature), message.encode(), padding.PKCS1v15(), algorithm
        )
    except InvalidSignature:
        return False
    return True


def joined(pairs: list[tuple[str, str]]) -> str:
    """The documented string by hand: sorted, empty values and sign out."""
    return "&".join(f"{n}={v}" for n, v in sorted(pairs) if v != "" and n != "sign")
