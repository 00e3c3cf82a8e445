"""Which lines of a pasted RSA private key are public: the redaction's exception for the modulus.

A 2048-bit PKCS#1 key's modulus lines are also lines of its public key's base64, which the key
pages show (the 应用公钥 derived from it); the redaction (diagnostics.core.redaction) removes every
other line of a pasted key. DER is read by hand, bounded, without OpenSSL: this runs on every
paste that holds a key, before anything is loaded.
"""

from __future__ import annotations

import base64
import binascii
import re

MAX_KEY_TEXT = 8 * 1024  # as redaction.MAX_VALUE: no key's base64 is longer

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
# rsaEncryption (1.2.840.113549.1.1.1), the algorithm a PKCS#8 RSA key names.
_RSA_ENCRYPTION = bytes.fromhex("06092a864886f70d010101")


def public_key_lines(lines: list[str]) -> set[str]:
    """The lines of a pasted RSA private key's base64 that hold nothing but its public half.

    A PKCS#1 RSAPrivateKey is SEQUENCE { version, n, e, d, p, q, … } (RFC 8017 A.1.2); PKCS#8
    wraps it (RFC 5208). Everything before d — the headers, the modulus n and the exponent e — is
    the public key, and a 2048-bit PKCS#1 key puts n at a byte offset that is a multiple of 3 as
    SubjectPublicKeyInfo does, so its whole lines are runs of the public key's base64 that the
    keys pages show: those lines are not secrets. A line that holds any byte of d or later is.
    """
    public: set[str] = set()
    group: list[str] = []
    for line in [*lines, ""]:
        if _BASE64_LINE.fullmatch(line):
            group.append(line)
            continue
        if group:
            public |= _public_lines_of(group)
            group = []
    return public


def _public_lines_of(group: list[str]) -> set[str]:
    body = "".join(group)
    if len(body) > MAX_KEY_TEXT or len(body) % 4:
        return set()
    try:
        der = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return set()
    public_end = _rsa_private_exponent_offset(der)
    public = set()
    position = 0
    for line in group:
        position += len(line)
        # A line ends on a whole base64 quantum (4 characters, 3 bytes) when its length is a
        # multiple of 4, as every PEM writer's 64 is; otherwise its last bytes are counted too.
        if -(-position // 4) * 3 <= public_end:
            public.add(line)
    return public


def _rsa_private_exponent_offset(der: bytes) -> int:
    """Where d's INTEGER begins in a DER RSA private key (PKCS#1 or PKCS#8); 0 if it is not one."""
    position = _content_start(der, 0, 0x30, outer=True)
    position = _element_end(der, position, 0x02)  # version
    if position and position < len(der) and der[position] == 0x30:  # PKCS#8: AlgorithmIdentifier
        algorithm_end = _element_end(der, position, 0x30)
        if not algorithm_end or _RSA_ENCRYPTION not in der[position:algorithm_end]:
            return 0
        position = _content_start(der, algorithm_end, 0x04)
        position = _content_start(der, position, 0x30)
        position = _element_end(der, position, 0x02)  # the RSAPrivateKey's version
    position = _element_end(der, position, 0x02)  # n
    return _element_end(der, position, 0x02)  # e


def _header(der: bytes, position: int, tag: int, outer: bool = False) -> tuple[int, int]:
    """(content start, content length) of the DER element with ``tag`` at ``position``; (0, 0)
    when there is none (``position`` 0 past the outer SEQUENCE means an earlier step failed)."""
    if (position == 0 and not outer) or position + 1 >= len(der) or der[position] != tag:
        return 0, 0
    first = der[position + 1]
    if first < 0x80:
        start, length = position + 2, first
    else:
        count = first & 0x7F
        if not 1 <= count <= 3:
            return 0, 0
        start = position + 2 + count
        length = int.from_bytes(der[position + 2 : start], "big")
    return (start, length) if start + length <= len(der) else (0, 0)


def _content_start(der: bytes, position: int, tag: int, outer: bool = False) -> int:
    return _header(der, position, tag, outer)[0]


def _element_end(der: bytes, position: int, tag: int) -> int:
    start, length = _header(der, position, tag)
    return start + length if start else 0
