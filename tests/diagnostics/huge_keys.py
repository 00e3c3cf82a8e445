"""RSA keys over the caps, made from numbers rather than primes (generating a genuine 16384-bit
key takes minutes). The cap reads only the modulus and the exponent, before any validation, so a
key of the right shape and size is all it needs to see; OpenSSL would refuse these numbers later.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HUGE_EXPONENT = 2**3070 + 1  # odd, 3071 bits


def _odd(bits: int, salt: int) -> int:
    return (3 << (bits - 2)) | (salt << 8) | 1  # two top bits: the product has all the bits


@cache
def private_key(bits: int, exponent: int = 65537) -> rsa.RSAPrivateKey:
    """A private key whose modulus has ``bits`` bits (numbers of the right size, not primes)."""
    p, q = _odd(bits // 2, 3), _odd(bits - bits // 2, 5)
    public = rsa.RSAPublicNumbers(exponent, p * q)
    numbers = rsa.RSAPrivateNumbers(p, q, 3, 1, 1, 1, public)
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)


def private_pem(bits: int, exponent: int = 65537, traditional: bool = False) -> str:
    fmt = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if traditional
        else serialization.PrivateFormat.PKCS8
    )
    return (
        private_key(bits, exponent)
        .private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
        .decode()
    )


def private_der_b64(bits: int, exponent: int = 65537) -> str:
    der = private_key(bits, exponent).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.b64encode(der).decode()


def public_pem(bits: int, exponent: int = 65537, pkcs1: bool = False) -> str:
    fmt = (
        serialization.PublicFormat.PKCS1
        if pkcs1
        else serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return (
        private_key(bits, exponent)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, fmt)
        .decode()
    )


def public_der_b64(bits: int, exponent: int = 65537) -> str:
    der = (
        private_key(bits, exponent)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(der).decode()


@cache
def certificate_pem(bits: int, exponent: int = 65537) -> str:
    """A certificate for the oversize public key, signed by an ordinary 2048-bit key."""
    signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "1900000109")])
    start = datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key(bits, exponent).public_key())
        .serial_number(0x5157F09EFDC096DE15EBE81A47057A7232F4CF9F)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365))
        .sign(signer, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def oversize_keys() -> dict[str, str]:
    """Every oversize paste the caps must refuse, by a readable name."""
    return {
        "private 8192 PKCS#8": private_pem(8192),
        "private 16384 PKCS#8": private_pem(16384),
        "private 16384 PKCS#1": private_pem(16384, traditional=True),
        "private 16384 bare DER": private_der_b64(16384),
        "private 4096, exponent 2^3070+1": private_pem(4096, HUGE_EXPONENT),
        "public 16384": public_pem(16384),
        "public 16384 PKCS#1": public_pem(16384, pkcs1=True),
        "public 16384 bare DER": public_der_b64(16384),
        "public 4096, exponent 2^3070+1": public_pem(4096, HUGE_EXPONENT),
        "certificate 16384": certificate_pem(16384),
        "certificate 4096, exponent 2^3070+1": certificate_pem(4096, HUGE_EXPONENT),
    }
