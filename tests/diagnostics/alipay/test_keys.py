"""Alipay key checks: formats read from the content (PEM or bare base64, as Alipay's key tool
writes it), the derived 应用公钥 against cryptography's own encoding, pair checks, the 应用公钥
used as the 支付宝公钥, and no private key in the report."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.alipay.keys import examine_keys
from diagnostics.core.findings import ParseError
from diagnostics.core.snapshot import freeze
from tests.diagnostics.alipay.helpers import private_pem, public_pem

CERTS = Path(__file__).resolve().parent.parent / "vectors" / "alipay_certs"


def bare(pem: str) -> str:
    """The base64 between the header lines, on one line: Alipay's key tool's form."""
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def spki_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def pkcs1_public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        .decode()
    )


def codes(report) -> list[str]:
    return [finding.code for finding in report.findings]


@pytest.mark.parametrize(
    ("fmt", "armour", "expected"),
    [
        ("PKCS8", "pem", "pkcs8_pem"),
        ("TraditionalOpenSSL", "pem", "pkcs1_pem"),
        ("PKCS8", "base64", "pkcs8_base64"),
        ("TraditionalOpenSSL", "base64", "pkcs1_base64"),
    ],
)
def test_private_key_format_is_named(key, fmt, armour, expected):
    text = private_pem(key, fmt)
    report = examine_keys(private_key=text if armour == "pem" else bare(text))

    assert report.private_key.format_code == expected
    assert report.private_key.key_size == 2048


def test_public_key_formats_are_named(key):
    spki = examine_keys(public_key=bare(public_pem(key)))
    pkcs1 = examine_keys(public_key=pkcs1_public_pem(key))

    assert spki.public_key.format_code == "spki_base64"
    assert pkcs1.public_key.format_code == "pkcs1_public_pem"
    assert "public_key_pkcs1" in codes(pkcs1)


def test_the_derived_public_key_is_the_spki_of_the_private_key(key):
    report = examine_keys(private_key=bare(private_pem(key, "TraditionalOpenSSL")))

    assert report.derived_public_key_base64 == base64.b64encode(spki_der(key)).decode()
    assert report.derived_public_key_pem == public_pem(key)


def test_a_matching_pair_and_a_mismatched_one(key, other_key):
    matching = examine_keys(private_key=private_pem(key), public_key=bare(public_pem(key)))
    mismatched = examine_keys(private_key=private_pem(key), public_key=public_pem(other_key))

    assert matching.pair == "match"
    assert "key_pair" in codes(matching)
    assert mismatched.pair == "mismatch"
    assert "key_pair_mismatch" in codes(mismatched)


def test_the_app_public_key_pasted_as_the_alipay_public_key_is_named(key, other_key):
    wrong = examine_keys(private_key=private_pem(key), alipay_public_key=public_pem(key))
    right = examine_keys(private_key=private_pem(key), alipay_public_key=public_pem(other_key))

    assert codes(wrong).count("app_public_key_used") == 1
    assert "app_public_key_used" not in codes(right)


def test_the_app_public_key_used_is_named_once_with_every_half_given(key):
    report = examine_keys(
        private_key=private_pem(key), public_key=public_pem(key), alipay_public_key=public_pem(key)
    )

    assert codes(report).count("app_public_key_used") == 1


def test_a_header_that_does_not_match_the_content_is_named(key):
    # PKCS#1 content under a PKCS#8 header: what wrapping a key tool's bare key by hand produces
    pkcs1 = private_pem(key, "TraditionalOpenSSL").replace("RSA PRIVATE KEY", "PRIVATE KEY")

    report = examine_keys(private_key=pkcs1)

    assert report.private_key.format_code == "pkcs1_pem"
    assert "pem_label_mismatch" in codes(report)


def test_each_private_format_says_what_the_sdks_make_of_it(key):
    java_ready = examine_keys(private_key=bare(private_pem(key)))
    pkcs1 = examine_keys(private_key=private_pem(key, "TraditionalOpenSSL"))
    pem = examine_keys(private_key=private_pem(key))

    assert "private_key_java_ready" in codes(java_ready)
    assert "private_key_pkcs1" in codes(pkcs1)
    assert "private_key_pem" in codes(pem)
    assert "Illegal base64 character 2d" in pem.findings[-1].message.template


def test_the_conversion_commands_follow_the_format(key):
    pkcs1 = examine_keys(private_key=bare(private_pem(key, "TraditionalOpenSSL")))
    pkcs8 = examine_keys(private_key=private_pem(key))

    pkcs1_commands = [command.command for command in pkcs1.commands]
    assert any(command.startswith("openssl pkcs8 -topk8 -nocrypt") for command in pkcs1_commands)
    assert any("BEGIN RSA PRIVATE KEY" in command for command in pkcs1_commands)
    assert any("-traditional" in command.command for command in pkcs8.commands)


def test_a_short_key_is_reported_in_alipays_words():
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)

    report = examine_keys(private_key=private_pem(short))

    assert "alipay_rsa_key_short" in codes(report)
    assert "rsa_key_short" not in codes(report)  # the core's note speaks of WeChat Pay


def test_the_published_sandbox_key_matches_its_certificate():
    report = examine_keys(
        private_key=(CERTS / "yansongda-pay_alipayAppSecret.txt").read_text(),
        certificate=(CERTS / "yansongda-pay_alipayAppPublicCert.crt").read_text(),
    )

    assert report.private_key.format_code == "pkcs1_base64"
    assert report.pair == "match"


def test_the_report_holds_no_private_key(key):
    text = private_pem(key)
    report = examine_keys(private_key=text, public_key=public_pem(key))

    frozen = repr(freeze(report))
    assert bare(text)[:40] not in frozen
    assert bare(text)[-40:] not in frozen


def test_a_public_key_in_the_private_key_box_is_refused_by_name(key, translator):
    translator({})  # the sentences as written, whatever language another test left active
    with pytest.raises(ParseError) as refused:
        examine_keys(private_key=bare(public_pem(key)))

    assert refused.value.code == "public_key_not_private_key"
    assert "应用私钥" in str(refused.value.message)


def test_a_private_key_in_the_alipay_public_key_box_is_refused(key):
    with pytest.raises(ParseError) as refused:
        examine_keys(alipay_public_key=private_pem(key))

    assert refused.value.code == "private_key_not_public_key"


def test_damaged_base64_is_named(key):
    damaged = bare(private_pem(key))[:100] + "，" + bare(private_pem(key))[100:]

    with pytest.raises(ParseError) as refused:
        examine_keys(private_key=damaged)

    assert refused.value.code == "bad_base64"


def test_nothing_pasted_is_refused():
    with pytest.raises(ParseError):
        examine_keys()
