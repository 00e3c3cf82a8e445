"""Key and certificate loading. Every key here is generated in the tests; none is committed."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    describe_key,
    keys_match,
    load_certificate,
    load_key,
    load_private_key,
    load_public_key,
    looks_like_private_key,
)
from tests.diagnostics import huge_keys

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F4CF9F"


def make_certificate(key: rsa.RSAPrivateKey, cn: str, serial: int, days: int = 365):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def certificate(key):
    return make_certificate(key, "1900000109", int(SERIAL, 16))


def pem_private(key, fmt=serialization.PrivateFormat.PKCS8, encryption=None) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, fmt, encryption or serialization.NoEncryption()
    ).decode()


def der_b64_private(key, fmt=serialization.PrivateFormat.PKCS8) -> str:
    der = key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
    return base64.b64encode(der).decode()


def pem_public(key, fmt=serialization.PublicFormat.SubjectPublicKeyInfo) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt).decode()


def test_pkcs8_pem_private_key_is_recognised(key):
    info = describe_key(pem_private(key))
    assert (info.kind, info.format, info.key_type, info.key_size) == (
        "private_key",
        "PEM PKCS#8",
        "RSA",
        2048,
    )


def test_pkcs1_pem_private_key_is_recognised(key):
    info = describe_key(pem_private(key, serialization.PrivateFormat.TraditionalOpenSSL))
    assert (info.kind, info.format) == ("private_key", "PEM PKCS#1")


@pytest.mark.parametrize(
    ("fmt", "label"),
    [
        (serialization.PrivateFormat.PKCS8, "PKCS#8"),
        (serialization.PrivateFormat.TraditionalOpenSSL, "PKCS#1"),
    ],
)
def test_bare_base64_private_key_is_told_from_a_public_key_by_loading_it(key, fmt, label):
    loaded = load_private_key(der_b64_private(key, fmt))
    assert loaded.info.format == f"base64 DER {label}"
    assert loaded.key.private_numbers() == key.private_numbers()
    assert "bare_base64" in [f.code for f in loaded.info.findings]


@pytest.mark.parametrize(
    ("fmt", "label"),
    [
        (serialization.PublicFormat.SubjectPublicKeyInfo, "PEM SubjectPublicKeyInfo"),
        (serialization.PublicFormat.PKCS1, "PEM PKCS#1"),
    ],
)
def test_pem_public_keys_are_recognised(key, fmt, label):
    loaded = load_public_key(pem_public(key, fmt))
    assert (loaded.info.kind, loaded.info.format) == ("public_key", label)
    assert loaded.key.public_numbers() == key.public_key().public_numbers()


def test_bare_base64_public_key_is_recognised(key):
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    info = describe_key(base64.b64encode(der).decode())
    assert (info.kind, info.format) == ("public_key", "base64 DER SubjectPublicKeyInfo")


def test_certificate_is_described_with_its_serial_as_wechat_prints_it(certificate):
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    info = describe_key(pem, now=NOW)
    assert info.kind == "certificate"
    assert info.format == "PEM X.509"
    assert info.serial_no == SERIAL
    assert info.subject_cn == "1900000109"
    assert "Tenpay.com Root CA" in info.issuer
    assert info.not_before == datetime(2025, 1, 1, tzinfo=UTC)
    assert info.not_after == datetime(2026, 1, 1, tzinfo=UTC)
    assert info.expired is False


def test_serial_with_a_leading_zero_is_printed_with_40_digits_as_wechat_pay_does(key):
    serial = 0x0ABC
    certificate = make_certificate(key, "x", serial)
    info = load_certificate(certificate.public_bytes(serialization.Encoding.PEM).decode())
    assert info.info.serial_no == format(serial, "040X")
    assert len(info.info.serial_no) == 40


def test_base64_der_certificate_is_recognised(certificate):
    der = certificate.public_bytes(serialization.Encoding.DER)
    info = describe_key(base64.b64encode(der).decode(), now=NOW)
    assert (info.kind, info.format, info.serial_no) == ("certificate", "base64 DER X.509", SERIAL)


def test_an_expired_certificate_is_reported_as_of_the_given_now(certificate):
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    info = describe_key(pem, now=datetime(2026, 2, 1, tzinfo=UTC))
    assert info.expired is True
    assert "certificate_expired" in [f.code for f in info.findings]


def test_windows_line_ends_stray_spaces_and_a_bom_are_tolerated(key):
    pem = pem_private(key)
    messy = "\ufeff  " + "\r\n".join("  " + line + " " for line in pem.splitlines()) + "\r\n"
    loaded = load_private_key(messy)
    assert loaded.key.private_numbers() == key.private_numbers()
    assert "bom_removed" in [f.code for f in loaded.info.findings]


def test_a_key_copied_out_of_a_json_string_with_literal_newlines_loads(key):
    pasted = '"' + pem_private(key).replace("\n", "\\n") + '"'
    loaded = load_private_key(pasted)
    assert loaded.key.private_numbers() == key.private_numbers()
    assert "literal_newlines" in [f.code for f in loaded.info.findings]


def test_a_pem_whose_lines_were_joined_into_one_still_loads(key):
    pasted = " ".join(pem_private(key).splitlines())
    assert load_private_key(pasted).key.private_numbers() == key.private_numbers()


def test_keys_match_compares_public_numbers(key, other_key, certificate):
    assert keys_match(load_private_key(pem_private(key)), load_public_key(pem_public(key)))
    assert keys_match(key, certificate)
    assert not keys_match(key, other_key.public_key())


def error_code(text: str, loader=load_key) -> str:
    with pytest.raises(ParseError) as caught:
        loader(text)
    assert str(caught.value.message)  # a message for the merchant, never empty
    return caught.value.code


@pytest.mark.parametrize("text", ["", "   ", "\ufeff\n"])
def test_empty_input_is_refused(text):
    assert error_code(text) == "empty"


def test_damaged_base64_is_named(key):
    pem = pem_private(key)
    lines = pem.splitlines()
    lines[3] = lines[3][:10] + "#!" + lines[3][12:]
    assert error_code("\n".join(lines)) == "bad_base64"
    assert error_code("not a key at all!") == "bad_base64"


def test_a_pem_without_its_end_line_is_incomplete(key):
    assert error_code(pem_private(key).split("-----END")[0]) == "pem_incomplete"


def test_a_truncated_body_is_unreadable(key):
    lines = pem_private(key).splitlines()
    # Four whole 64-character lines are valid base64 (256 characters): the DER is what is cut.
    truncated = "\n".join(lines[:5] + lines[-1:])
    assert error_code(truncated) == "unreadable_der"


def test_an_encrypted_pkcs8_key_asks_for_an_unencrypted_export(key):
    pem = pem_private(key, encryption=serialization.BestAvailableEncryption(b"secret"))
    assert error_code(pem) == "key_encrypted"


def test_an_encrypted_pkcs1_key_with_proc_type_is_refused(key):
    pem = pem_private(
        key,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"secret"),
    )
    assert "Proc-Type: 4,ENCRYPTED" in pem
    assert error_code(pem) == "key_encrypted"


def test_an_encrypted_key_as_bare_base64_is_refused(key):
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    assert error_code(base64.b64encode(der).decode()) == "key_encrypted"


def test_a_certificate_where_a_private_key_is_required(certificate):
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    assert error_code(pem, load_private_key) == "certificate_not_private_key"


def test_a_public_key_where_a_private_key_is_required(key):
    assert error_code(pem_public(key), load_private_key) == "public_key_not_private_key"


def test_a_private_key_where_a_public_key_is_required(key):
    assert error_code(pem_private(key), load_public_key) == "private_key_not_public_key"


def test_a_private_key_pasted_where_a_certificate_is_expected(key):
    assert error_code(pem_private(key), load_certificate) == "private_key_not_certificate"


def test_a_public_key_pasted_where_a_certificate_is_expected(key):
    assert error_code(pem_public(key), load_certificate) == "public_key_not_certificate"


def test_an_ec_key_is_refused_where_rsa_is_required():
    ec_key = ec.generate_private_key(ec.SECP256R1())
    pkcs8 = pem_private(ec_key)
    assert describe_key(pkcs8).key_type == "EC (secp256r1)"
    assert error_code(pkcs8, load_private_key) == "not_rsa"
    traditional = pem_private(ec_key, serialization.PrivateFormat.TraditionalOpenSSL)
    assert error_code(traditional, load_private_key) == "not_rsa"


def test_a_key_that_fails_openssl_validation_is_refused(key):
    numbers = key.private_numbers()
    broken = rsa.RSAPrivateNumbers(
        numbers.p,
        numbers.q,
        numbers.d + 2,
        numbers.dmp1,
        numbers.dmq1,
        numbers.iqmp,
        numbers.public_numbers,
    ).private_key(unsafe_skip_rsa_key_validation=True)  # only to build the broken input
    assert error_code(pem_private(broken, serialization.PrivateFormat.TraditionalOpenSSL)) == (
        "key_invalid"
    )


# A small English catalogue, written here (not taken from the site's): the sentence and the word
# inside it are translated, the key type is not.
ENGLISH = {
    "这是 {key_type} {kind}，支付签名（SHA256withRSA / SHA1withRSA）需要 RSA 密钥。": (
        "This {kind} is of type {key_type}; RSA is needed."
    ),
    "私钥": "private key",
    "证书从 {date} 起才生效。": "Valid from {date}.",
}


@pytest.fixture
def english(translator):
    translator(ENGLISH)


def test_a_refused_key_is_explained_in_english(english):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ParseError) as caught:
        load_private_key(pem_private(ec_key))
    assert str(caught.value.message) == "This private key is of type EC (secp256r1); RSA is needed."


def certificate_finding(key) -> Finding:
    pem = make_certificate(key, "x", 1).public_bytes(serialization.Encoding.PEM).decode()
    (finding,) = describe_key(pem, now=datetime(2024, 6, 1, tzinfo=UTC)).findings
    assert finding.code == "certificate_not_yet_valid"
    return finding


def test_a_certificate_not_yet_valid_names_its_first_day(key):
    assert str(certificate_finding(key).message) == "证书从 2025-01-01 起才生效。"


def test_a_certificate_date_is_shown_in_english(key, english):
    assert str(certificate_finding(key).message) == "Valid from 2025-01-01."


# --- issue 10 F4: size caps read before validation; public-key fields never load a private key


@pytest.mark.parametrize("name", list(huge_keys.oversize_keys()))
@pytest.mark.parametrize("loader", [load_private_key, load_public_key, load_certificate])
def test_oversize_rsa_keys_are_refused_in_every_loader(name, loader):
    with pytest.raises(ParseError) as refused:
        loader(huge_keys.oversize_keys()[name])
    expected = {
        "rsa_key_too_large",
        "rsa_exponent_too_large",
        "private_key_not_public_key",
        "private_key_not_certificate",
        "public_key_not_private_key",
        "public_key_not_certificate",
        "certificate_not_private_key",
    }
    assert refused.value.code in expected


def test_an_8192_bit_private_key_is_refused_for_its_size_with_the_bit_count():
    with pytest.raises(ParseError) as refused:
        load_private_key(huge_keys.private_pem(8192))
    assert refused.value.code == "rsa_key_too_large"
    assert "8192" in str(refused.value.message) and "4096" in str(refused.value.message)


def test_a_huge_public_exponent_is_refused_in_a_public_key_and_a_certificate():
    for text in (
        huge_keys.public_pem(4096, huge_keys.HUGE_EXPONENT),
        huge_keys.certificate_pem(4096, huge_keys.HUGE_EXPONENT),
    ):
        with pytest.raises(ParseError) as refused:
            load_public_key(text)
        assert refused.value.code == "rsa_exponent_too_large"


def test_the_caps_let_a_4096_bit_key_and_exponent_2_to_the_32_through():
    assert describe_key(huge_keys.public_pem(4096, 2**32 + 1 - 2)).key_size == 4096
    with pytest.raises(ParseError) as refused:
        load_public_key(huge_keys.public_pem(4096, 2**32 + 1))
    assert refused.value.code == "rsa_exponent_too_large"


def test_a_public_key_field_refuses_a_private_key_by_its_shape_without_loading_it():
    # SEQUENCE { INTEGER 0, garbage }: no library could load this, so only the shape can tell.
    der = bytes([0x30, 0x06, 0x02, 0x01, 0x00, 0x04, 0x01, 0x00])
    with pytest.raises(ParseError) as refused:
        load_public_key(base64.b64encode(der).decode())
    assert refused.value.code == "private_key_not_public_key"
    pem = "-----BEGIN PRIVATE KEY-----\nnot even base64!\n-----END PRIVATE KEY-----"
    with pytest.raises(ParseError) as refused:
        load_public_key(pem)
    assert refused.value.code == "private_key_not_public_key"
    assert "私钥" in str(refused.value.message)


def test_a_public_key_field_refuses_an_ec_or_encrypted_private_key_as_a_private_key():
    for label in ("EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"):
        with pytest.raises(ParseError) as refused:
            load_certificate(f"-----BEGIN {label}-----\nAAAA\n-----END {label}-----")
        assert refused.value.code == "private_key_not_certificate"


def test_looks_like_private_key_tells_private_from_public_structures(key, certificate):
    private_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pkcs1_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pkcs1_public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.PKCS1
    )
    assert looks_like_private_key(private_der) and looks_like_private_key(pkcs1_der)
    assert not looks_like_private_key(public_der) and not looks_like_private_key(pkcs1_public)
    assert not looks_like_private_key(certificate.public_bytes(serialization.Encoding.DER))
    assert not looks_like_private_key(b"\x30\x82\xff")  # cut short
