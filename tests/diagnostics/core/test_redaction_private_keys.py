"""The redactor and pasted private keys: the public half stays readable, the private half never shows.

Every key here is generated in the test; what is public and what is private is computed with
``cryptography`` (the public key's own encodings, the private exponent's bytes), not read back
from the redactor.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote, quote_plus

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.core.findings import ParseError
from diagnostics.core.keys import load_key
from diagnostics.core.redaction import REMOVED, Redactor, redact_text


@pytest.fixture(scope="module", params=[1024, 2048, 4096])
def key(request) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=request.param)


def private(key: rsa.RSAPrivateKey, fmt: str, encoding=serialization.Encoding.PEM) -> bytes:
    return key.private_bytes(
        encoding, getattr(serialization.PrivateFormat, fmt), serialization.NoEncryption()
    )


def public_forms(key: rsa.RSAPrivateKey) -> list[str]:
    """The public key as the keys pages show it: SPKI and PKCS#1 RSAPublicKey, base64 and PEM."""
    public = key.public_key()
    forms = []
    for fmt in (serialization.PublicFormat.SubjectPublicKeyInfo, serialization.PublicFormat.PKCS1):
        forms.append(
            base64.b64encode(public.public_bytes(serialization.Encoding.DER, fmt)).decode()
        )
        forms.append(public.public_bytes(serialization.Encoding.PEM, fmt).decode())
    return forms


def private_lines(key: rsa.RSAPrivateKey, fmt: str) -> list[str]:
    """The PEM lines that hold at least one byte of the private exponent d or what follows it."""
    der = private(key, fmt, serialization.Encoding.DER)
    numbers = key.private_numbers()
    d = numbers.d.to_bytes((numbers.d.bit_length() + 7) // 8, "big")
    d_start = der.index(d)
    lines = private(key, fmt).decode().strip().splitlines()[1:-1]
    # A 64-character line holds 48 bytes: line i holds bytes 48 i … 48 i + 47. The last line, when
    # a few characters only, is too short to be removed wherever it occurs (core.redaction).
    return [
        line for index, line in enumerate(lines) if 48 * index + 47 >= d_start and len(line) >= 16
    ]


@pytest.mark.parametrize("fmt", ["TraditionalOpenSSL", "PKCS8"])
def test_the_public_key_of_a_pasted_private_key_is_shown_whole(key, fmt):
    redactor = Redactor([private(key, fmt).decode()])
    for form in public_forms(key):
        assert redactor.known_values(form) == form


@pytest.mark.parametrize("fmt", ["TraditionalOpenSSL", "PKCS8"])
def test_every_line_of_the_private_half_is_removed_wherever_it_shows(key, fmt):
    pem = private(key, fmt).decode()
    redactor = Redactor([pem])
    lines = private_lines(key, fmt)
    assert len(lines) >= 10
    for line in lines:
        assert redactor.known_values(f"log: {line} end") == f"log: {REMOVED} end"
    assert redact_text(pem.strip()) == REMOVED


def test_a_private_key_learned_from_a_paste_keeps_its_public_half_readable(key):
    pem = private(key, "TraditionalOpenSSL").decode().strip()
    redactor = Redactor()
    assert redactor.text(f"app_id=1\n{pem}") == f"app_id=1\n{REMOVED}"
    spki = public_forms(key)[0]
    assert redactor.known_values(spki) == spki
    assert private_lines(key, "TraditionalOpenSSL")[3] not in redactor.known_values(pem)


def test_lines_that_are_not_an_rsa_key_are_all_learned():
    pasted = "\n".join(["-----BEGIN PRIVATE KEY-----", "QUJD" * 16, "REVG" * 16, "-----END"])
    redactor = Redactor([pasted])
    assert redactor.known_values("QUJD" * 16) == REMOVED


@pytest.fixture(scope="module")
def escaped_body() -> str:
    """A 2048-bit key's bare base64 with a "+" or "/" early, as most have."""
    while True:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        body = base64.b64encode(private(key, "PKCS8", serialization.Encoding.DER)).decode()
        if "+" in body[:200] or "/" in body[:200]:
            return body


def pieces(text: str, secret: str) -> list[str]:
    """Every 32-character piece of ``secret`` that ``text`` holds, as it is or URL-encoded."""
    chunks = (secret[start : start + 32] for start in range(0, len(secret) - 32, 32))
    return [chunk for chunk in chunks if chunk in text or quote_plus(chunk) in text]


def lower_escapes(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda escape: escape.group().lower(), quote(text, safe=""))


@pytest.mark.parametrize("encode", [quote_plus, lower_escapes])
def test_a_bare_key_url_encoded_in_a_value_is_removed_whole_and_decoded(escaped_body, encode):
    pasted = "out_trade_no=T1&note=" + encode(escaped_body) + "&sign=AAAA"
    redactor = Redactor()
    shown = redactor.text(pasted)
    assert shown.startswith("out_trade_no=T1&note=") and shown.endswith("&sign=AAAA")
    assert pieces(shown, escaped_body) == []
    # The decoded string to verify, redacted with the values learned from the encoded paste.
    decoded = f"note={escaped_body}&out_trade_no=T1"
    assert pieces(redactor.known_values(decoded), escaped_body) == []


def test_an_escape_that_is_not_base64_ends_the_key(escaped_body):
    text = "a=" + quote_plus(escaped_body) + "%26after=visible"
    assert redact_text(text) == f"a={REMOVED}%26after=visible"


def test_a_private_key_without_its_end_line_is_named_without_being_quoted():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cut = "\n".join(private(key, "TraditionalOpenSSL").decode().splitlines()[:10])
    with pytest.raises(ParseError) as refused:
        load_key(cut)
    message = str(refused.value.message)
    assert refused.value.code == "pem_incomplete"
    assert "PRIVATE KEY" in message and "END" in message and "-----" not in message
    assert redact_text(message) == message
