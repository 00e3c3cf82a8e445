"""RSA keys and a certificate made for the tests (never a committed private key)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


@cache
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem() -> str:
    return (
        private_key()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def self_signed(
    key: rsa.RSAPrivateKey, common_name: str, serial: int, now: datetime | None = None
) -> str:
    """A certificate of ``key``, valid from the day before ``now`` (default: now) for a year, as PEM."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = now or datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@cache
def certificate_pem() -> str:
    """A platform certificate of private_key()."""
    return self_signed(
        private_key(), "Tenpay.com Root CA", 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
    )


@cache
def other_certificate_pem() -> str:
    """A certificate of a different key: not the pair of private_key()."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return self_signed(other, "another merchant", 0x1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C)


def sign_sha256(message: str) -> str:
    raw = private_key().sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def verify(message: str, signature: str, algorithm: hashes.HashAlgorithm | None = None) -> bool:
    try:
        private_key().public_key().verify(
            base64.b64decode(signature),
            message.encode(),
            padding.PKCS1v15(),
            algorithm or hashes.SHA256(),
        )
    except Exception:
        return False
    return True


def sign_sha1(message: str) -> str:
    raw = private_key().sign(message.encode(), padding.PKCS1v15(), hashes.SHA1())
    return base64.b64encode(raw).decode()
