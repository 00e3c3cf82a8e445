"""Alipay certificate SNs: certificates built here (issuer with several RDNs, serials large and
small) against MD5s computed here over issuer strings written by hand; the published fixtures
of alipay-sdk-nodejs-all and yansongda/pay (tests/diagnostics/vectors/alipay_certs/README.md)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from diagnostics.alipay.certs import (
    ALIPAY,
    APP,
    INTERMEDIATE,
    MAX_CERTIFICATES,
    ROOT,
    examine_certificates,
    read_certificates,
    root_cert_sn,
)
from diagnostics.core.findings import ParseError
from tests.diagnostics.alipay.helpers import private_pem

CERTS = Path(__file__).resolve().parent.parent / "vectors" / "alipay_certs"
NOW = datetime(2021, 1, 1, tzinfo=UTC)  # inside the published certificates' validity


def fixture(name: str) -> str:
    return (CERTS / name).read_text(encoding="utf-8")


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def name(*pairs: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


ANT_CLASS1 = name(
    (NameOID.COUNTRY_NAME, "CN"),
    (NameOID.ORGANIZATION_NAME, "Ant Financial"),
    (NameOID.ORGANIZATIONAL_UNIT_NAME, "Certification Authority"),
    (NameOID.COMMON_NAME, "Ant Financial Certification Authority Class 1 R1"),
)
# Written by hand: the RDNs in reverse order, key=value joined by commas.
ANT_CLASS1_TEXT = (
    "CN=Ant Financial Certification Authority Class 1 R1,OU=Certification Authority,"
    "O=Ant Financial,C=CN"
)


def certificate(
    subject: x509.Name,
    issuer: x509.Name,
    serial: int,
    signer: object,
    public_key: object,
    *,
    algorithm: hashes.HashAlgorithm | None = None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .sign(signer, algorithm if algorithm is not None else hashes.SHA256())
    )


def pem(*certificates: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def app_certificate(
    key: rsa.RSAPrivateKey, ca_key: rsa.RSAPrivateKey, serial: int
) -> x509.Certificate:
    subject = name(
        (NameOID.COUNTRY_NAME, "CN"),
        (NameOID.ORGANIZATION_NAME, "某某科技有限公司"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "Alipay"),
        (NameOID.COMMON_NAME, "2088000000000001-2021000000000002"),
    )
    return certificate(subject, ANT_CLASS1, serial, ca_key, key.public_key())


@pytest.mark.parametrize("serial", [1, 255, 2**64 + 7, 42701552708448241360226107228231049510])
def test_app_cert_sn_is_md5_of_reversed_issuer_and_decimal_serial(key, other_key, serial):
    cert = app_certificate(key, other_key, serial)

    report = examine_certificates(pem(cert), now=NOW)

    assert report.app_cert_sn == md5(ANT_CLASS1_TEXT + str(serial))
    assert report.certificates[0].role == APP
    assert report.certificates[0].app_id == "2021000000000002"
    assert report.certificates[0].issuer == ANT_CLASS1_TEXT


def test_special_characters_in_the_issuer_are_escaped_as_java_writes_them(key, other_key):
    issuer = name(
        (NameOID.COUNTRY_NAME, "CN"),
        (NameOID.ORGANIZATION_NAME, "Ant, Financial+Co"),
        (NameOID.COMMON_NAME, "CA=1"),
    )
    cert = certificate(name((NameOID.COMMON_NAME, "x")), issuer, 99, other_key, key.public_key())

    [read] = read_certificates(pem(cert), now=NOW)

    # RFC 2253 as Java's X500Principal.getName() writes it: , + = escaped with a backslash.
    assert read.sn == md5("CN=CA\\=1,O=Ant\\, Financial\\+Co,C=CN" + "99")


def test_an_attribute_without_an_rfc2253_keyword_is_written_as_oid_and_der_hex(key, other_key):
    issuer = name((NameOID.COUNTRY_NAME, "CN"), (NameOID.EMAIL_ADDRESS, "ca@example.com"))
    cert = certificate(name((NameOID.COMMON_NAME, "x")), issuer, 5, other_key, key.public_key())

    [read] = read_certificates(pem(cert), now=NOW)

    # emailAddress is an IA5String (tag 0x16): "#" + the hex of tag, length and bytes.
    der_value = bytes([0x16, len("ca@example.com")]) + b"ca@example.com"
    java = f"1.2.840.113549.1.9.1=#{der_value.hex()},C=CN"
    assert read.sn == md5(java + "5")
    # The PHP SDK (openssl_x509_parse short names) writes it otherwise, and the page says so.
    assert read.php_sn == md5("emailAddress=ca@example.com,C=CN5")
    codes = [f.code for f in examine_certificates(pem(cert), now=NOW).findings]
    assert "sdk_sn_differs" in codes


def test_the_published_node_sdk_fixtures_reproduce():
    app = examine_certificates(fixture("appCertPublicKey_2021001161683774.crt"), now=NOW)
    alipay = examine_certificates(fixture("alipayCertPublicKey_RSA2.crt"), now=NOW)
    root = root_cert_sn(fixture("alipayRootCert.crt"), now=NOW)

    assert app.app_cert_sn == "866efef280dec9137a87d047ac446315"
    assert alipay.alipay_cert_sn == "7513daaaa48aa3ba2e4018d84402479c"
    assert root.root_sn == "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"


def test_the_published_yansongda_fixtures_reproduce():
    app = examine_certificates(fixture("yansongda-pay_alipayAppPublicCert.crt"), now=NOW)
    # yansongda's root file is the same file with CRLF line ends
    crlf_root = fixture("alipayRootCert.crt").replace("\n", "\r\n")

    assert app.app_cert_sn == "e90dd23a37c5c7b616e003970817ff82"
    assert root_cert_sn(crlf_root).root_sn == (
        "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
    )


def test_the_ecdsa_root_is_skipped_by_name_and_the_sm2_root_takes_no_part():
    root = root_cert_sn(fixture("alipayRootCert.crt"), now=NOW)

    algorithms = [cert.signature_algorithm for cert in root.certificates]
    assert algorithms == [
        "SM2-with-SM3",
        "sha256WithRSAEncryption",
        "ecdsa-with-SHA384",
        "sha1WithRSAEncryption",
    ]
    assert [cert.position for cert in root.used] == [2, 4]
    assert root.certificates[2].skipped is not None
    assert [f.code for f in root.findings] == ["root_certificate_skipped"]


def test_root_sn_joins_only_the_rsa_signed_certificates_in_file_order(key, other_key):
    rsa_root_1 = name((NameOID.COMMON_NAME, "Root One"), (NameOID.COUNTRY_NAME, "CN"))
    rsa_root_2 = name((NameOID.COMMON_NAME, "Root Two"))
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_root = name((NameOID.COMMON_NAME, "EC Root"))
    first = certificate(
        rsa_root_1, rsa_root_1, 17, key, key.public_key(), algorithm=hashes.SHA384()
    )
    ecdsa = certificate(ec_root, ec_root, 18, ec_key, ec_key.public_key())
    second = certificate(rsa_root_2, rsa_root_2, 2**100, other_key, other_key.public_key())

    root = root_cert_sn(pem(first, ecdsa, second), now=NOW)

    assert root.root_sn == md5("C=CN,CN=Root One17") + "_" + md5(f"CN=Root Two{2**100}")
    assert [cert.role for cert in root.certificates] == [ROOT, ROOT, ROOT]
    # sha384WithRSA counts for the Java and Node SDKs, not for the PHP SDK and EasySDK
    assert "root_signature_php_differs" in [f.code for f in root.findings]


def test_a_chain_file_is_read_as_its_first_certificate():
    report = examine_certificates(fixture("yansongda-pay_alipayPublicCert.crt"), now=NOW)

    assert [cert.role for cert in report.certificates] == [ALIPAY, INTERMEDIATE]
    assert report.alipay_cert_sn == report.certificates[0].sn
    assert "chain_file" in [f.code for f in report.findings]


def test_the_root_file_pasted_as_certificates_gives_the_root_sn():
    report = examine_certificates(fixture("alipayRootCert.crt"), now=NOW)

    assert report.root is not None
    assert report.root.root_sn.startswith("687b59193f3f462dd5336e5abf83c5d8_")
    assert "root_file_in_certificates" in [f.code for f in report.findings]


def test_an_rsa_signed_certificate_that_will_not_parse_makes_the_root_sn_unknown(key):
    root_name = name((NameOID.COMMON_NAME, "Root"))
    good = certificate(root_name, root_name, 3, key, key.public_key())
    text = pem(good)
    body = text.split("-----BEGIN CERTIFICATE-----\n")[1].split("-----END")[0]
    broken = "".join(body.split("\n"))
    # a copy that lost its last line: the signature algorithm is still readable
    damaged = "-----BEGIN CERTIFICATE-----\n" + broken[:-40] + "\n-----END CERTIFICATE-----\n"

    root = root_cert_sn(text + damaged, now=NOW)

    assert root.root_sn == ""
    assert "root_sn_unknown" in [f.code for f in root.findings]


def test_the_private_key_is_paired_with_the_app_certificate(key, other_key):
    cert = pem(app_certificate(key, other_key, 10))

    matching = examine_certificates(cert, private_key=private_pem(key), now=NOW)
    other = examine_certificates(cert, private_key=private_pem(other_key), now=NOW)

    assert "key_pair" in [f.code for f in matching.findings]
    assert "key_pair_mismatch" in [f.code for f in other.findings]


def test_the_published_sandbox_key_pairs_with_its_app_certificate():
    report = examine_certificates(
        fixture("yansongda-pay_alipayAppPublicCert.crt"),
        private_key=fixture("yansongda-pay_alipayAppSecret.txt"),
        now=NOW,
    )

    assert "key_pair" in [f.code for f in report.findings]


def test_an_expired_certificate_is_reported():
    report = examine_certificates(
        fixture("appCertPublicKey_2021001161683774.crt"), now=datetime(2030, 1, 1, tzinfo=UTC)
    )

    assert "certificate_expired" in [f.code for f in report.findings]


def test_too_many_certificates_are_refused_before_parsing(key):
    root_name = name((NameOID.COMMON_NAME, "Root"))
    one = pem(certificate(root_name, root_name, 3, key, key.public_key()))

    with pytest.raises(ParseError) as refused:
        read_certificates(one * (MAX_CERTIFICATES + 1))

    assert refused.value.code == "too_many_certificates"


def test_a_huge_paste_is_refused_before_parsing():
    with pytest.raises(ParseError) as refused:
        read_certificates("A" * 200_000)

    assert refused.value.code == "certificates_too_large"


def test_a_private_key_in_the_certificate_box_is_refused(key):
    with pytest.raises(ParseError) as refused:
        read_certificates(private_pem(key))

    assert refused.value.code == "private_key_not_certificate"


def test_a_begin_without_end_is_named():
    with pytest.raises(ParseError) as refused:
        read_certificates("-----BEGIN CERTIFICATE-----\nMIIB")

    assert refused.value.code == "certificate_incomplete"


def test_a_paste_with_no_readable_certificate_is_refused_by_name():
    with pytest.raises(ParseError) as refused:
        read_certificates("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")

    assert refused.value.code == "certificate_unreadable"
