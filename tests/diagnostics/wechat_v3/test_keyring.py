"""密钥体检: items labelled, every relation and every job's verdict, with certificates made here the
way WeChat Pay makes them (issuer Tenpay.com Root CA; merchant subject CN = the mchid, O = 微信商户系统;
platform subject CN = Tenpay.com sign), a /v3/certificates answer encrypted here with AESGCM, and
the published answers of wechatpay-java and wechatpay-go.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import ParseError
from diagnostics.core.snapshot import freeze
from diagnostics.wechat_v3.keyring import examine
from diagnostics.wechat_v3.keyring_paste import MAX_ITEMS

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
MCHID = "1900009191"
APIV3_KEY = "Xq7pLm2Vt9Rz4Kd8Hs1Nw6Bc3Fy5Jg0A"  # 32 characters, made up
API_KEY = "d41Fk9sLq2Wm7Xv3Zb8Nc5Rt1Yh6Pj0Q"  # another 32, made up: the V2 key
MERCHANT_SERIAL = 0x0BEA2B5D7F36E4A1C9D0E1F2A3B4C5D6E7F80912  # a leading zero, kept in 40 digits
PLATFORM_SERIAL = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
PUB_KEY_ID = "PUB_KEY_ID_0119000091912025112800000000000001"
VECTORS = Path(__file__).parent.parent / "vectors"

TENPAY_CA = x509.Name(
    [
        x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
    ]
)


@cache
def rsa_key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(
    key: rsa.RSAPrivateKey, subject: x509.Name, serial: int, *, expired: bool = False
) -> x509.Certificate:
    start = NOW - timedelta(days=800 if expired else 30)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(TENPAY_CA)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 if expired else 5 * 365))
        .sign(rsa_key("ca"), hashes.SHA256())
    )


def merchant_subject(mchid: str = MCHID) -> x509.Name:
    # What a merchant API certificate says: CN = mchid, O = 微信商户系统, OU = the company.
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, mchid),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "微信商户系统"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "某某科技有限公司"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )


PLATFORM_SUBJECT = x509.Name(
    [
        x509.NameAttribute(NameOID.LOCALITY_NAME, "ShenZhen"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com sign"),
    ]
)


def pem(value: object) -> str:
    if isinstance(value, x509.Certificate):
        return value.public_bytes(serialization.Encoding.PEM).decode()
    if isinstance(value, rsa.RSAPrivateKey):
        return value.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return value.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@cache
def merchant_cert() -> x509.Certificate:
    return certificate(rsa_key("merchant"), merchant_subject(), MERCHANT_SERIAL)


@cache
def platform_cert() -> x509.Certificate:
    return certificate(rsa_key("platform"), PLATFORM_SUBJECT, PLATFORM_SERIAL)


def private_pem() -> str:
    return pem(rsa_key("merchant"))


def wechatpay_public_pem() -> str:
    return pem(rsa_key("wechatpay").public_key())


def ec_private_pem() -> str:
    """An EC P-256 private key in PKCS#8 PEM (what `openssl genpkey -algorithm EC` writes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def java_answer() -> tuple[str, str]:
    """wechatpay-apiv3/wechatpay-java core/src/test/java/com/wechat/pay/java/core/model/
    TestConfig.java: DOWNLOAD_CERTIFICATE_RESPONSE (the answer RSAAutoCertificateNotificationConfigTest
    serves as /v3/certificates) and API_V3_KEY, as pasted (indented JSON)."""
    ciphertext = (VECTORS / "wechatpay-java_download_certificate_ciphertext.txt").read_text()
    certificate = {
        "effective_time": "2023-09-19T23:15:58+08:00",
        "encrypt_certificate": {
            "algorithm": "AEAD_AES_256_GCM",
            "associated_data": "certificate",
            "ciphertext": ciphertext.strip(),
            "nonce": "14b16c03dc1b",
        },
        "expire_time": "2028-09-17T23:15:58+08:00",
        "serial_no": "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC",
    }
    return json.dumps({"data": [certificate]}, indent=4), "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"


def certificates_answer(key: str = APIV3_KEY, serial_no: str | None = None) -> str:
    """A /v3/certificates answer as WeChat Pay sends it: the certificate AES-256-GCM encrypted
    with the APIv3 key, associated_data "certificate", a 12-character nonce."""
    nonce = "d215b0511e9c"
    ciphertext = AESGCM(key.encode()).encrypt(
        nonce.encode(), pem(platform_cert()).encode(), b"certificate"
    )
    entry = {
        "serial_no": serial_no or format(PLATFORM_SERIAL, "040X"),
        "effective_time": "2026-10-29T20:00:00+08:00",
        "expire_time": "2031-10-28T20:00:00+08:00",
        "encrypt_certificate": {
            "algorithm": "AEAD_AES_256_GCM",
            "nonce": nonce,
            "associated_data": "certificate",
            "ciphertext": base64.b64encode(ciphertext).decode(),
        },
    }
    return json.dumps({"data": [entry]})


@pytest.fixture(autouse=True)
def chinese(translator):
    """The engine's own sentences, whatever language an earlier web test left installed."""
    translator({})


def kinds(ring) -> list[str]:
    return [item.kind for item in ring.items]


def relation(ring, code: str, *, ok: bool | None = None):
    found = [r for r in ring.relations if r.code == code and (ok is None or r.ok is ok)]
    assert found, (code, [(r.code, r.ok, str(r.message)) for r in ring.relations])
    return found[0]


def job(ring, name: str):
    return next(j for j in ring.jobs if j.job == name)


def finding_codes(ring) -> set[str]:
    return {f.code for f in ring.findings}


# --- items -----------------------------------------------------------------------------------------


def test_everything_pasted_at_once_in_any_order_is_labelled_with_whose_it_is():
    blob = "\n".join(
        [
            pem(platform_cert()),
            f"mchid = {MCHID}",
            wechatpay_public_pem(),
            private_pem(),
            PUB_KEY_ID,
            pem(merchant_cert()),
            f"apiv3_key: '{APIV3_KEY}'",
        ]
    )
    ring = examine([blob], now=NOW)
    assert kinds(ring) == [
        "platform_certificate",
        "wechatpay_public_key",
        "private_key",
        "merchant_certificate",
        "mchid",
        "public_key_id",
        "apiv3_key",
    ]
    merchant, platform = ring.items[3], ring.items[0]
    assert merchant.serial == format(merchant_cert().serial_number, "040X")
    assert merchant.serial.startswith("0BEA")  # 40 digits, the leading zero kept
    assert merchant.not_before == merchant_cert().not_valid_before_utc
    assert merchant.not_after == merchant_cert().not_valid_after_utc
    assert f"CN={MCHID}" in merchant.subject and "Tenpay.com Root CA" in merchant.issuer
    assert MCHID in str(merchant.label)
    assert platform.serial == "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    assert "CN=Tenpay.com sign" in platform.subject
    assert ring.items[1].public_key_id == PUB_KEY_ID  # the one ID pasted names the one key
    assert [item.secret for item in ring.items] == [False, False, True, False, False, False, True]


def test_secrets_are_used_but_no_part_of_them_is_in_the_result():
    private = private_pem()
    ring = examine(
        [private, f"apiv3_key={APIV3_KEY}", f"key={API_KEY}", certificates_answer()], now=NOW
    )
    shown = json.dumps(freeze(ring), ensure_ascii=False)
    body = "".join(private.splitlines()[1:-1])
    for secret in (APIV3_KEY, API_KEY, body):
        for start in range(0, len(secret) - 8):
            assert secret[start : start + 8] not in shown
    assert relation(ring, "apiv3_key_decrypts", ok=True)  # the key was used all the same
    facts = [str(fact) for item in ring.items if item.secret for fact in item.facts]
    assert "32 个字符" in facts and "RSA 2048 位" in facts


def test_bare_base64_der_and_pkcs1_keys_are_read():
    der = base64.b64encode(merchant_cert().public_bytes(serialization.Encoding.DER)).decode()
    pkcs1 = (
        rsa_key("merchant")
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        .decode()
    )
    ring = examine([der, pkcs1], now=NOW)
    assert kinds(ring) == ["merchant_certificate", "private_key"]
    assert "PKCS#1" in " ".join(str(fact) for fact in ring.items[1].facts)
    assert relation(ring, "key_pair").ok


def test_a_serial_token_a_decimal_serial_and_an_mchid_are_told_apart_by_shape():
    decimal = str(PLATFORM_SERIAL)
    ring = examine([f"5157F09EFDC096DE15EBE81A47057A7232F1B8E1 {decimal}\n{MCHID}"], now=NOW)
    assert kinds(ring) == ["serial", "serial", "mchid"]
    assert ring.items[1].serial == format(PLATFORM_SERIAL, "040X")


def test_at_most_twenty_items_are_examined_and_the_rest_is_said():
    serials = " ".join(format(0x1000 + n, "040X") for n in range(25))
    ring = examine([serials], now=NOW)
    assert len(ring.items) == MAX_ITEMS
    too_many = next(f for f in ring.findings if f.code == "too_many_items")
    assert "5" in str(too_many.message)


def test_unrecognised_text_is_counted_not_shown():
    ring = examine([f"{MCHID}\nsomething Zz9secret0value1"], now=NOW)
    assert kinds(ring) == ["mchid"]
    assert "unrecognised_pieces" in finding_codes(ring)
    assert "Zz9secret0value1" not in json.dumps(freeze(ring), ensure_ascii=False)


def test_nothing_recognised_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        examine(["hello"], now=NOW)
    assert raised.value.code == "keyring_empty"


# --- relations ---------------------------------------------------------------------------------


def test_private_key_and_merchant_certificate_pair_and_mismatch():
    ring = examine([private_pem(), pem(merchant_cert())], now=NOW)
    assert relation(ring, "key_pair").ok is True
    other = certificate(rsa_key("other merchant"), merchant_subject(), 0x1234)
    ring = examine([private_pem(), pem(other)], now=NOW)
    assert relation(ring, "key_pair").ok is False
    assert job(ring, "sign_requests").ready is False


def test_a_public_key_that_is_the_merchants_own_is_not_the_wechatpay_public_key():
    own = pem(rsa_key("merchant").public_key())
    ring = examine([private_pem(), own], now=NOW)
    assert kinds(ring) == ["private_key", "merchant_public_key"]
    assert relation(ring, "own_public_key").ok is False
    assert job(ring, "verify_callbacks").ready is False


@pytest.mark.parametrize(
    ("typed", "ok", "says"),
    [
        pytest.param(format(MERCHANT_SERIAL, "040X"), True, "serial_no 就填它", id="hex"),
        pytest.param(str(MERCHANT_SERIAL), False, "十进制", id="decimal"),
        pytest.param(format(MERCHANT_SERIAL, "040x"), False, "小写", id="lower case"),
        pytest.param(format(MERCHANT_SERIAL, "X"), False, "丢了开头的 0", id="leading zero lost"),
    ],
)
def test_configured_serial_against_the_merchant_certificate(typed, ok, says):
    ring = examine([pem(merchant_cert())], serial_no=typed, now=NOW)
    found = relation(ring, "serial_certificate")
    assert found.ok is ok and says in str(found.message)
    if not ok:
        assert format(MERCHANT_SERIAL, "040X") in str(found.message)


def test_a_platform_serial_configured_as_serial_no_is_refused():
    ring = examine(
        [pem(merchant_cert()), pem(platform_cert())],
        serial_no=format(PLATFORM_SERIAL, "040X"),
        now=NOW,
    )
    found = relation(ring, "serial_certificate")
    assert found.ok is False and "401" in str(found.message)


def test_a_public_key_id_configured_as_serial_no_is_refused():
    ring = examine([pem(merchant_cert())], serial_no=PUB_KEY_ID, now=NOW)
    assert relation(ring, "serial_certificate").ok is False


def test_a_serial_no_certificate_has():
    ring = examine([pem(merchant_cert())], serial_no="1" * 40, now=NOW)
    found = relation(ring, "serial_certificate")
    assert found.ok is False and format(MERCHANT_SERIAL, "040X") in str(found.message)


def test_wechatpay_serial_of_a_platform_certificate_names_it():
    ring = examine(
        [pem(platform_cert())], wechatpay_serial=format(PLATFORM_SERIAL, "040X"), now=NOW
    )
    assert relation(ring, "wechatpay_serial").ok is True
    verify = job(ring, "verify_responses")
    assert verify.ready and verify.use == (1,)


def test_wechatpay_serial_of_the_merchants_own_certificate_is_refused():
    ring = examine(
        [pem(merchant_cert())], wechatpay_serial=format(MERCHANT_SERIAL, "040X"), now=NOW
    )
    found = relation(ring, "wechatpay_serial")
    assert found.ok is False and "从不用它签名" in str(found.message)
    assert job(ring, "verify_callbacks").ready is False


def test_wechatpay_serial_no_certificate_has_when_only_a_public_key_is_held():
    ring = examine([wechatpay_public_pem(), PUB_KEY_ID], wechatpay_serial="1" * 40, now=NOW)
    found = relation(ring, "wechatpay_serial")
    assert found.ok is False and "PUB_KEY_ID_" in str(found.message)
    assert job(ring, "verify_responses").ready is False


def test_wechatpay_serial_that_is_a_public_key_id():
    ring = examine([wechatpay_public_pem(), PUB_KEY_ID], wechatpay_serial=PUB_KEY_ID, now=NOW)
    found = relation(ring, "wechatpay_serial")
    assert found.ok is True and found.items == (3, 1, 2)
    assert job(ring, "verify_callbacks").use == (1, 2)
    missing = examine([pem(platform_cert())], wechatpay_serial=PUB_KEY_ID, now=NOW)
    assert relation(missing, "wechatpay_serial").ok is False
    other = examine(
        [wechatpay_public_pem(), "PUB_KEY_ID_0110000000000000000000000000000000"],
        wechatpay_serial=PUB_KEY_ID,
        now=NOW,
    )
    found = relation(other, "wechatpay_serial")
    assert found.ok is False and "另一把公钥" in str(found.message)


def test_wechatpay_serial_of_a_certificate_still_encrypted_in_the_answer():
    ring = examine(
        [certificates_answer()], wechatpay_serial=format(PLATFORM_SERIAL, "040X"), now=NOW
    )
    found = relation(ring, "wechatpay_serial")
    assert found.ok is True and "APIv3" in str(found.message)
    assert job(ring, "verify_responses").ready is False


def test_mchid_against_the_merchant_certificate_subject():
    assert relation(examine([pem(merchant_cert())], mchid=MCHID, now=NOW), "mchid_subject").ok
    ring = examine([pem(merchant_cert())], mchid="1230000109", now=NOW)
    found = relation(ring, "mchid_subject")
    assert found.ok is False and MCHID in str(found.message)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param(APIV3_KEY, True, id="32"),
        pytest.param("5157F09EFDC096DE15EBE81A47057A7232F1B8E1", False, id="a serial"),
        pytest.param(APIV3_KEY[:31], False, id="31"),
    ],
)
def test_apiv3_key_length(value, ok):
    found = relation(examine([], apiv3_key=value, now=NOW), "apiv3_key_length")
    assert found.ok is ok
    assert job(examine([], apiv3_key=value, now=NOW), "decrypt_callbacks").ready is ok


def test_apiv3_key_with_spaces_around_it():
    for ring in (
        examine([], apiv3_key=f" {APIV3_KEY}\t", now=NOW),
        examine([f"  {APIV3_KEY} "], now=NOW),
        examine([f'APIV3_KEY = " {APIV3_KEY}"'], now=NOW),
    ):
        assert relation(ring, "apiv3_key_whitespace").ok is False
    # A line end around a pasted key is what a textarea adds: no slip.
    ring = examine([f"{APIV3_KEY}\n"], now=NOW)
    assert not [r for r in ring.relations if r.code == "apiv3_key_whitespace"]


def test_a_32_character_key_alone_is_ambiguous_and_said_so():
    ring = examine([APIV3_KEY], now=NOW)
    assert kinds(ring) == ["apiv3_or_api_key"]
    assert "key_ambiguous" in finding_codes(ring)
    decrypt = job(ring, "decrypt_callbacks")
    assert decrypt.ready is False and decrypt.use == (1,)


def test_the_answer_tells_the_apiv3_key_from_the_api_key():
    ring = examine([API_KEY, certificates_answer(), APIV3_KEY], now=NOW)
    assert relation(ring, "apiv3_key_decrypts", ok=True).items == (4, 2)
    assert kinds(ring) == [
        "apiv3_or_api_key",
        "certificates_answer",
        "platform_certificate",
        "apiv3_key",
    ]
    assert "API 密钥（V2）" in str(ring.items[0].label)
    assert job(ring, "decrypt_callbacks").use == (4,)


def test_an_api_key_that_is_the_apiv3_key():
    ring = examine([certificates_answer(), f"mch_key={APIV3_KEY}"], now=NOW)
    assert relation(ring, "api_key_is_apiv3_key").ok is False
    same = examine([], apiv3_key=APIV3_KEY, api_key=APIV3_KEY, now=NOW)
    assert relation(same, "api_key_is_apiv3_key").ok is False
    apart = examine([], apiv3_key=APIV3_KEY, api_key=API_KEY, now=NOW)
    assert relation(apart, "api_key_is_apiv3_key").ok is True


def test_a_key_that_does_not_open_the_answer():
    ring = examine([certificates_answer(), f"apiv3_key={API_KEY}"], now=NOW)
    assert relation(ring, "apiv3_key_decrypts").ok is False
    assert kinds(ring)[1] == "encrypted_platform_certificate"
    assert job(ring, "decrypt_callbacks").ready is False
    assert "没有一个能解开" in str(job(ring, "verify_responses").message)


def test_answer_serial_against_the_decrypted_certificate():
    good = examine([certificates_answer(), APIV3_KEY], now=NOW)
    assert relation(good, "answer_serial").ok is True
    bad = examine(
        [certificates_answer(serial_no="6F4515299B63E8B3DDFEEF69DA0F5F988B89D9C1"), APIV3_KEY],
        now=NOW,
    )
    assert relation(bad, "answer_serial").ok is False


# --- jobs -------------------------------------------------------------------------------------


def test_every_job_ready_with_everything_and_which_item_each_uses():
    ring = examine(
        [
            private_pem(),
            pem(merchant_cert()),
            certificates_answer(),
            wechatpay_public_pem(),
            PUB_KEY_ID,
        ],
        apiv3_key=APIV3_KEY,
        mchid=MCHID,
        now=NOW,
    )
    # 1 key, 2 merchant cert, 3 answer, 4 platform cert, 5 public key, 6 ID, 7 mchid, 8 APIv3 key
    assert kinds(ring) == [
        "private_key", "merchant_certificate", "certificates_answer", "platform_certificate",
        "wechatpay_public_key", "public_key_id", "mchid", "apiv3_key",
    ]  # fmt: skip
    assert [(j.job, j.ready, j.use) for j in ring.jobs] == [
        ("sign_requests", True, (1, 2, 7)),
        ("verify_responses", True, (4, 5, 6)),
        ("verify_callbacks", True, (4, 5, 6)),
        ("decrypt_callbacks", True, (8,)),
        ("encrypt_sensitive_fields", True, (5, 6)),
    ]
    assert format(MERCHANT_SERIAL, "040X") in str(job(ring, "sign_requests").message)
    assert ring.mode == "both" and "switch_both" in finding_codes(ring)
    assert "7 天" in str(job(ring, "verify_callbacks").message)


def test_sign_job_verdicts():
    assert job(examine([pem(merchant_cert())], now=NOW), "sign_requests").ready is False
    without_serial = job(examine([private_pem()], now=NOW), "sign_requests")
    assert without_serial.ready is False and "serial" in str(without_serial.message)
    typed = job(
        examine([private_pem()], serial_no=format(MERCHANT_SERIAL, "040X"), now=NOW),
        "sign_requests",
    )
    assert typed.ready is True and typed.use == (1, 2)
    expired = certificate(rsa_key("merchant"), merchant_subject(), MERCHANT_SERIAL, expired=True)
    stale = job(examine([private_pem(), pem(expired)], now=NOW), "sign_requests")
    assert stale.ready is False and "过期" in str(stale.message)


def test_only_certificates():
    ring = examine([pem(platform_cert())], now=NOW)
    assert ring.mode == "certificates" and "switch_certificates_only" in finding_codes(ring)
    assert job(ring, "verify_responses").ready and job(ring, "verify_callbacks").ready
    encrypt = job(ring, "encrypt_sensitive_fields")
    assert encrypt.ready and format(PLATFORM_SERIAL, "040X") in str(encrypt.message)


def test_only_a_public_key():
    ring = examine([wechatpay_public_pem(), PUB_KEY_ID], now=NOW)
    assert ring.mode == "public_key" and "switch_public_key_only" in finding_codes(ring)
    responses = job(ring, "verify_responses")
    assert responses.ready and f"Wechatpay-Serial: {PUB_KEY_ID}" in str(responses.message)
    assert job(ring, "encrypt_sensitive_fields").ready
    no_id = examine([wechatpay_public_pem()], now=NOW)
    assert job(no_id, "encrypt_sensitive_fields").ready is False
    assert "PUB_KEY_ID" in str(job(no_id, "verify_callbacks").message)


def test_nothing_to_verify_with_only_the_merchant_certificate():
    ring = examine([private_pem(), pem(merchant_cert())], now=NOW)
    assert ring.mode == "" and "switch_nothing_to_verify" in finding_codes(ring)
    for name in ("verify_responses", "verify_callbacks", "encrypt_sensitive_fields"):
        assert job(ring, name).ready is False
    assert "第 2 项" in str(job(ring, "verify_responses").message)


def test_an_expired_platform_certificate_verifies_nothing():
    old = certificate(rsa_key("platform"), PLATFORM_SUBJECT, PLATFORM_SERIAL, expired=True)
    ring = examine([pem(old)], now=NOW)
    assert job(ring, "verify_responses").ready is False
    assert "platform_certificate_expired" in finding_codes(ring)


def test_decrypt_job_without_any_key():
    assert job(examine([MCHID], now=NOW), "decrypt_callbacks").ready is False


# --- published answers ------------------------------------------------------------------------


def test_wechatpay_java_published_certificates_answer_decrypts_to_its_platform_certificate():
    """wechatpay-apiv3/wechatpay-java core/src/test/java/com/wechat/pay/java/core/model/
    TestConfig.java: DOWNLOAD_CERTIFICATE_RESPONSE (the answer RSAAutoCertificateNotificationConfigTest
    serves as /v3/certificates), API_V3_KEY and DOWNLOAD_CERTIFICATE_SERIAL_NUMBER."""
    answer, api_v3_key = java_answer()
    ciphertext = json.loads(answer)["data"][0]["encrypt_certificate"]["ciphertext"]
    expected = x509.load_pem_x509_certificate(
        AESGCM(api_v3_key.encode()).decrypt(
            b"14b16c03dc1b", base64.b64decode(ciphertext), b"certificate"
        )
    )
    ring = examine([answer, api_v3_key], now=NOW)
    platform = ring.items[1]
    assert platform.kind == "platform_certificate"
    assert (
        platform.serial
        == format(expected.serial_number, "040X")
        == ("5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC")
    )
    assert platform.subject == expected.subject.rfc4514_string()
    assert "CN=Tenpay.com sign" in platform.subject  # a real platform certificate's subject
    assert platform.not_after == expected.not_valid_after_utc
    assert relation(ring, "apiv3_key_decrypts").ok and relation(ring, "answer_serial").ok
    assert ring.items[2].kind == "apiv3_key"


def test_wechatpay_go_published_answer_is_refused_for_its_16_character_key():
    """wechatpay-apiv3/wechatpay-go core/downloader/mock_download_server_test.go: ``data`` and
    ``mockAPIv3Key`` ("mockAPIv3Key1234"), the answer TestNewCertificateDownloaderWithClient
    downloads. Go picks AES-128 for a 16-byte key, so it decrypts there; WeChat Pay's APIv3 key
    is 32 bytes (AES-256), and the key ring says so instead of decrypting."""
    data = (
        '{"data":[{"effective_time":"2021-04-27T16:55:23+08:00","encrypt_certificate":{'
        '"algorithm":"AEAD_AES_256_GCM","associated_data":"certificate","ciphertext":"'
        + WECHATPAY_GO_CIPHERTEXT
        + '","nonce":"3a584b49ed9b"},"expire_time":"2031-04-25T16:55:23+08:00",'
        '"serial_no":"D7CE59D1F522D701"}]}'
    )
    plain = AESGCM(b"mockAPIv3Key1234").decrypt(
        b"3a584b49ed9b", base64.b64decode(WECHATPAY_GO_CIPHERTEXT), b"certificate"
    )
    assert x509.load_pem_x509_certificate(plain).serial_number == 0xD7CE59D1F522D701
    ring = examine([data, "apiv3_key=mockAPIv3Key1234"], now=NOW)
    assert relation(ring, "apiv3_key_length").ok is False
    assert "16" in str(relation(ring, "apiv3_key_length").message)
    assert ring.items[1].kind == "encrypted_platform_certificate"
    assert ring.items[1].serial == "000000000000000000000000D7CE59D1F522D701"


WECHATPAY_GO_CIPHERTEXT = (
    "QHBP2NGCmcEhGWa1f+t5AeImEdkS+XyUx1nB50LLGTgfDdb+EELcl9/GRJR0m9SFcTSlsS67QKemf2DuvPGTFEn"
    "EIhZ/I26zym7Ift1YJt7ftiVqoU4lv9aopCWD7IrzQBLT7XeYKh0CFHj0fUeqnNrGC+3EMj+NHbDY6zGfW4SfhvzLxO6tvpQ3xbFyT2C"
    "gxHmiKiVTxkewiSDuaimy3X/SN/Nq901lhEtqBVMFyFOyT1MvTL0RUWpU+l4Wdyz9xGTrrv0pd7regqfXwklx+Y94ULUd7lhSyb77h9j"
    "8golVvxYUwrUrxWj5ri6APPd8qedWuxkBjOPUAho/q1ETpjYJqK0eXuVWf5EPBS63jvqEE4IfopXOwltPLEME++6u7H4qjhAfzdUvfLQ"
    "awUe/zPPwWS5GOWRxov7qnuK3aV0+ybZM33hmPwP5LsPNQlDdaQxcNgqbnmpVWjxCPdiiZ52z19AxcB4Ry9LN5IBAEbTnm9WnCp4cOqN"
    "OXBr2/l+FRLSqZnNTIFbOzXWKw5AngHbciLEvTYEsFNpT/u1SBCU2xQ3Y+Q8OHIn6kmE3AO/gUmXjciLv05ZGo+DCAnqGOVdr2yCLv2j"
    "maBSIcrComs1WzliuNfFJ5+On7i+rOAbKMaZLdTcB//Lpa4mfkhULhslQYUT5H4XbQqsi5IPGplYvvNh2+ktahI6lYWnCprFeFthyEfy"
    "LNc9MGtsO1rdsZqoI6ed+KLzMJDOGAhgEQqSJIOzz546/pyn5DnINlxjMSpq6+Zdan+iuiz3Un2idaLf6iPSx1FtdNPi94EjlI+bQSEi"
    "hKKm4Em2xVgauajO3mK6+JTPNQMVrbtEV9wIGHvPLVm6Uw3OAuLWL0UCn3P6wuxF7+4X+S8s1EKN/3q/w++U93NKdfnpOKe7Vxg7Pg3f"
    "96WQzJTvRJ7C1Xm4W7GvS09hGjCNGCvbcGXla14X/Y35o6Uf37NlnmnDe2rdcnmYsXE5qooS0ThLdOKdKNybg+ih9iFPcxdTJ67WfvVP"
    "vaOhLrRm8cDgTYjfVYAj7lxztRYnZE65PTeWUE/mLZTd52g3WEE8ty79KLcqnzARGq7sjdptcZQ4Vw11hHA3PbrxQdyvuyXbONZzjrMR"
    "0RsOmJPfyQTYPQuh6xdbcLP8bQiibREl+iOop0PLYRu9GtQ+r2uEI4VIuuNW1DwFzJRkWdxPm8kjC+g7XLDWqBYImFfep9Dfxj6Jam/w"
    "ILKWVg3JjfuZe6nTwK7xqwDsY4Ylj8rnjnf+Cw3XQh94IU2E3uq3wqhoR1NCM7Qky+a6JIMGCALiqlj2DMnUgPKWEwFJ7bigRCdC+0s+"
    "QQaeIEQ04Rm8jeuHaNvEsfloqLNrWx0D3ZHeIKB6hEegNnpSllfPJ/lF1U3ZnhMYd6oUef5HuV4wcu4oPf0nCEBi/CGlyRhmRKaondms"
    "puRv5C4/zqQrqaVfJrkL0XO6EnhaxI0Yh6t5piA6vw73LtNH5fI55d1S2KWu0zUVbfyijzFohSfVZ5Zryo8uSggAgE96O+jiYzXfuS0d"
    "vCVhXW/lw0ekQnKMx0Xh6U7XIckIvLgb4QQ6Oqv4/GZBo4dV7s78pNj/KvcCI6ya6qfrWgy1+pWmOLO+wcTmfzYOae4IyZnmuDXwyPng="
)


def test_at_most_three_private_keys_are_read():
    keys = [pem(rsa_key(f"key {n}")) for n in range(4)]
    bare = "".join(keys[3].splitlines()[1:-1])  # the fourth, as bare base64
    ring = examine(["\n".join(keys[:3]), bare, pem(merchant_cert())], now=NOW)
    assert kinds(ring)[:4] == ["private_key"] * 4
    assert [f.code for f in ring.items[3].findings] == ["too_many_private_keys"]
    assert ring.items[3].facts == ()


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(
            f'.merchantId("{MCHID}")\n.apiV3Key("{APIV3_KEY}")\n'
            f'.merchantSerialNumber("{format(MERCHANT_SERIAL, "040X")}")',
            id="java builder",
        ),
        pytest.param(
            f"WECHAT_MCH_ID={MCHID}\nWECHAT_APIV3_KEY={APIV3_KEY}\n"
            f"WECHAT_SERIAL_NO={format(MERCHANT_SERIAL, '040X')}",
            id=".env",
        ),
        pytest.param(
            f"wechat:\n  pay:\n    mchid: {MCHID}\n    api-v3-key: {APIV3_KEY}\n"
            f"    merchant-serial-number: {format(MERCHANT_SERIAL, '040X')}",
            id="yaml",
        ),
        pytest.param(
            f"'mchid' => '{MCHID}',\n'apiv3_key' => '{APIV3_KEY}',\n"
            f"'serial' => '{format(MERCHANT_SERIAL, '040X')}',",
            id="php array",
        ),
        pytest.param(
            f"mchid={MCHID}&apiv3_key={APIV3_KEY}&serial_no={format(MERCHANT_SERIAL, '040X')}",
            id="query string",
        ),
    ],
)
def test_configuration_lines_say_what_their_values_are(config):
    ring = examine([config, pem(merchant_cert())], now=NOW)
    assert sorted(kinds(ring)[:3]) == ["apiv3_key", "mchid", "serial"]
    assert relation(ring, "mchid_subject").ok and relation(ring, "serial_certificate").ok
    assert relation(ring, "apiv3_key_length").ok


def test_a_named_value_of_the_wrong_shape_is_not_believed():
    ring = examine([f"mchid={APIV3_KEY}"], now=NOW)
    assert kinds(ring) == ["apiv3_or_api_key"]  # read by its shape, never shown as an mchid


def test_a_private_key_that_is_not_rsa_is_named_and_not_taken_to_sign_with():
    """APIv3 signs with SHA256withRSA: an EC key (openssl's default for `genpkey -algorithm EC`)
    cannot be the merchant's private key, whatever its PEM label says."""
    ring = examine([ec_private_pem(), pem(merchant_cert())], now=NOW)
    assert ring.items[0].kind == "unreadable"
    assert [f.code for f in ring.items[0].findings] == ["not_rsa"]
    assert "EC" in str(ring.items[0].findings[0].message)
    assert not job(ring, "sign_requests").ready


@pytest.mark.parametrize(
    "line",
    [
        "WECHATPAY_SERIAL_NO={serial}",
        "wechatpay.serial-no: {serial}",
        "WECHATPAY_MCH_SERIAL_NO={serial}",
        "serialNo: process.env.WECHATPAY_SERIAL_NO || '{serial}'",
    ],
)
def test_a_wechatpay_serial_no_setting_is_the_merchants_own_serial(line):
    """WECHATPAY_SERIAL_NO in .env files and SDK configurations holds the merchant certificate's
    serial (serialNo / serial-no: ${WECHATPAY_SERIAL_NO}), not a received Wechatpay-Serial: a right
    configuration is not a failed check."""
    serial = format(MERCHANT_SERIAL, "040X")
    ring = examine([private_pem(), pem(merchant_cert()), line.format(serial=serial)], now=NOW)
    assert "wechatpay_serial" not in kinds(ring)
    assert relation(ring, "serial_certificate", ok=True)
    assert ring.failed_count == 0
