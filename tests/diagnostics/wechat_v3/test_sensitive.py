"""APIv3 sensitive fields (issue 15 §3): encryption checked by decrypting with cryptography's
OAEP(SHA-1) in the test, decryption checked on values cryptography encrypted, and the request
check's findings one by one. Keys and certificates are generated here."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import ParseError
from diagnostics.core.keys import LoadedKey, load_private_key, load_public_key
from diagnostics.wechat_v3.sensitive import (
    check_request_body,
    ciphertext_chars,
    decrypt_sensitive,
    encrypt_sensitive,
    max_plaintext_bytes,
    run_sensitive,
)

PUB_KEY_ID = "PUB_KEY_ID_0000000000000024101100397200000006"
SERIAL = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
# A serial whose hex form starts with a zero: printed with "%X" it loses a digit.
SHORT_SERIAL = 0x0ABC5E5D08DEB7C4B53AC3E72A4C8D1F6E9B2A77


def oaep(algorithm: hashes.HashAlgorithm | None = None) -> padding.OAEP:
    algorithm = algorithm or hashes.SHA1()
    return padding.OAEP(mgf=padding.MGF1(algorithm), algorithm=algorithm, label=None)


@cache
def _generated(bits: int, which: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def rsa_key(bits: int = 2048, which: str = "platform") -> rsa.RSAPrivateKey:
    """One key per size and role ("platform": WeChat Pay's; "merchant": apiclient_key.pem)."""
    return _generated(bits, which)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def certificate_pem(key: rsa.RSAPrivateKey, serial: int = SERIAL, cn: str = "Tenpay.com Root CA"):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.now(UTC)
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


def platform_certificate(bits: int = 2048, serial: int = SERIAL) -> LoadedKey:
    return load_public_key(certificate_pem(rsa_key(bits), serial))


def merchant_private(bits: int = 2048) -> LoadedKey:
    return load_private_key(private_pem(rsa_key(bits, "merchant")))


def oaep_ciphertext(plaintext: bytes, bits: int = 2048, which: str = "merchant") -> str:
    raw = rsa_key(bits, which).public_key().encrypt(plaintext, oaep())
    return base64.b64encode(raw).decode()


def opened(ciphertext: str, bits: int = 2048, which: str = "platform") -> bytes:
    """Decrypt with cryptography directly, as WeChat Pay would: OAEP, SHA-1, MGF1-SHA1."""
    return rsa_key(bits, which).decrypt(base64.b64decode(ciphertext), oaep())


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def only(findings, code: str):
    found = [finding for finding in findings if finding.code == code]
    assert len(found) == 1, codes(findings)
    return found[0]


# --- sizes -------------------------------------------------------------------------------------


def test_one_oaep_sha1_block_holds_214_bytes_and_its_ciphertext_is_344_characters():
    assert [max_plaintext_bytes(bits) for bits in (2048, 3072, 4096)] == [214, 342, 470]
    assert [ciphertext_chars(bits) for bits in (2048, 3072, 4096)] == [344, 512, 684]
    key = rsa_key()
    assert len(key.public_key().encrypt(b"x" * 214, oaep())) == 256
    with pytest.raises(ValueError):
        key.public_key().encrypt(b"x" * 215, oaep())


# --- encrypting ----------------------------------------------------------------------------------


def test_a_value_encrypted_with_a_platform_certificate_opens_with_oaep_sha1():
    encryption = encrypt_sensitive("张三", platform_certificate())
    assert len(encryption.ciphertext) == 344
    assert opened(encryption.ciphertext).decode() == "张三"
    assert encryption.findings == ()


def test_the_wechatpay_serial_is_the_certificates_serial_in_40_hex_digits():
    certificate = x509.load_pem_x509_certificate(certificate_pem(rsa_key(), SHORT_SERIAL).encode())
    expected = format(certificate.serial_number, "040X")
    encryption = encrypt_sensitive("13800138000", platform_certificate(serial=SHORT_SERIAL))
    assert encryption.wechatpay_serial == expected == "0ABC5E5D08DEB7C4B53AC3E72A4C8D1F6E9B2A77"
    assert encryption.mode == "certificate"


def test_a_public_key_encrypts_and_its_id_is_the_wechatpay_serial():
    encryption = encrypt_sensitive(
        "6222021234567890123", load_public_key(public_pem(rsa_key())), PUB_KEY_ID
    )
    assert opened(encryption.ciphertext) == b"6222021234567890123"
    assert (encryption.wechatpay_serial, encryption.mode) == (PUB_KEY_ID, "public_key")
    assert encryption.findings == ()


def test_a_public_key_without_its_id_leaves_the_serial_unknown_and_says_so():
    encryption = encrypt_sensitive("张三", load_public_key(public_pem(rsa_key())))
    assert encryption.wechatpay_serial == ""
    assert "PUB_KEY_ID_" in str(only(encryption.findings, "public_key_id_missing").message)


def test_a_public_key_id_that_is_not_pub_key_id_and_digits_is_named():
    encryption = encrypt_sensitive("张三", load_public_key(public_pem(rsa_key())), "0xPUB_KEY_ID_1")
    assert encryption.wechatpay_serial == ""
    assert only(encryption.findings, "public_key_id_format").field == "public_key_id"


def test_a_public_key_id_beside_a_certificate_is_not_the_serial():
    encryption = encrypt_sensitive("张三", platform_certificate(), PUB_KEY_ID)
    assert encryption.wechatpay_serial == format(SERIAL, "040X")
    only(encryption.findings, "public_key_id_with_certificate")


def test_a_merchant_certificate_cn_mchid_is_named_as_the_wrong_key():
    merchant = load_public_key(certificate_pem(rsa_key(), cn="1900009191"))
    encryption = encrypt_sensitive("张三", merchant)
    finding = only(encryption.findings, "merchant_certificate_for_encryption")
    assert finding.severity == "blocking" and "1900009191" in str(finding.message)


def test_214_bytes_encrypt_and_215_are_refused_saying_the_limit():
    key = platform_certificate()
    assert opened(encrypt_sensitive("a" * 214, key).ciphertext) == b"a" * 214
    assert len("张" * 71) * 3 == 213
    assert opened(encrypt_sensitive("张" * 71, key).ciphertext).decode() == "张" * 71
    with pytest.raises(ParseError) as refused:
        encrypt_sensitive("张" * 72, key)
    assert refused.value.code == "plaintext_too_long"
    assert "216" in str(refused.value.message) and "214" in str(refused.value.message)


def test_larger_keys_take_more_and_give_longer_ciphertexts():
    for bits, limit, chars in ((3072, 342, 512), (4096, 470, 684)):
        encryption = encrypt_sensitive("b" * limit, platform_certificate(bits))
        assert (encryption.max_plaintext_bytes, len(encryption.ciphertext)) == (limit, chars)
        assert opened(encryption.ciphertext, bits) == b"b" * limit


def test_encrypting_a_ciphertext_again_is_refused_as_double_encryption():
    already = oaep_ciphertext("张三".encode(), which="platform")
    with pytest.raises(ParseError) as refused:
        encrypt_sensitive(already, platform_certificate())
    assert "344" in str(refused.value.message) and "不要再加密一次" in str(refused.value.message)


def test_a_ciphertext_fits_a_4096_bit_block_and_is_named_already_encrypted():
    already = oaep_ciphertext(b"13800138000")
    encryption = encrypt_sensitive(already, platform_certificate(4096))
    assert opened(encryption.ciphertext, 4096).decode() == already
    only(encryption.findings, "plaintext_already_encrypted")


def test_surrounding_whitespace_is_encrypted_and_reported():
    encryption = encrypt_sensitive("张三\n", platform_certificate())
    assert opened(encryption.ciphertext) == "张三\n".encode()
    only(encryption.findings, "plaintext_whitespace")


def test_nothing_to_encrypt_is_a_parse_error():
    with pytest.raises(ParseError) as refused:
        encrypt_sensitive("", platform_certificate())
    assert refused.value.code == "plaintext_missing"


# --- decrypting ----------------------------------------------------------------------------------


def test_a_value_encrypted_with_oaep_sha1_opens_with_the_merchant_private_key():
    decryption = decrypt_sensitive(oaep_ciphertext("李四".encode()), merchant_private())
    assert decryption.plaintext == "李四" and decryption.findings == ()


def test_a_value_that_only_opens_with_pkcs1_v15_is_named_not_wechat_pays_scheme():
    raw = rsa_key(2048, "merchant").public_key().encrypt("李四".encode(), padding.PKCS1v15())
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive(base64.b64encode(raw).decode(), merchant_private())
    assert refused.value.code == "ciphertext_pkcs1v15"
    assert "OAEP" in str(refused.value.message) and "李四" not in str(refused.value.message)


def test_oaep_with_sha256_is_named():
    raw = rsa_key(2048, "merchant").public_key().encrypt(b"x", oaep(hashes.SHA256()))
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive(base64.b64encode(raw).decode(), merchant_private())
    assert refused.value.code == "ciphertext_oaep_sha256"


def test_a_value_for_another_key_does_not_open_and_says_which_key_opens_it():
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive(oaep_ciphertext(b"x", which="platform"), merchant_private())
    assert refused.value.code == "ciphertext_other_key"
    assert "apiclient_key.pem" in str(refused.value.message)


def test_a_ciphertext_of_another_key_size_is_named_by_its_length():
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive(oaep_ciphertext(b"x", 3072), merchant_private())
    assert refused.value.code == "ciphertext_length"
    message = str(refused.value.message)
    assert "384" in message and "256" in message and "RSA-3072" in message


def test_text_that_is_not_base64_is_named():
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive("张三", merchant_private())
    assert refused.value.code == "ciphertext_not_base64"


def test_base64_applied_twice_is_named():
    twice = base64.b64encode(oaep_ciphertext(b"x").encode()).decode()
    with pytest.raises(ParseError) as refused:
        decrypt_sensitive(twice, merchant_private())
    assert refused.value.code == "ciphertext_base64_twice"


def test_mime_line_breaks_still_open_and_are_reported():
    ciphertext = oaep_ciphertext(b"13800138000")
    wrapped = "\r\n".join(ciphertext[i : i + 76] for i in range(0, len(ciphertext), 76))
    decryption = decrypt_sensitive(wrapped, merchant_private())
    assert decryption.plaintext == "13800138000"
    only(decryption.findings, "ciphertext_line_breaks")


def test_a_value_encrypted_twice_shows_a_ciphertext_inside():
    inner = oaep_ciphertext("张三".encode(), which="platform")  # 344 characters
    outer = oaep_ciphertext(inner.encode(), 4096)  # fits one 4096-bit block (470 bytes)
    decryption = decrypt_sensitive(outer, merchant_private(4096))
    assert decryption.plaintext == inner
    only(decryption.findings, "encrypted_twice")


# --- checking a request body ---------------------------------------------------------------------


def body(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


APPLYMENT = {
    "business_code": "APPLY-1",
    "contact_info": {"contact_name": "张三", "mobile_phone": "13800138000"},
    "subject_info": {
        "identity_info": {
            "id_card_info": {"id_card_number": "110101199003071234", "id_card_name": "张三"}
        }
    },
    "bank_account_info": {"account_name": "张三", "account_number": "6222021234567890123"},
    "account_info": {"account_number": "6222021234567890123"},
}


def test_plain_text_sensitive_fields_are_found_at_any_depth_one_finding_each():
    check = check_request_body(body(APPLYMENT))
    plain = [f for f in check.findings if f.code == "sensitive_field_plaintext"]
    assert [f.field for f in plain] == [
        "contact_info.contact_name",
        "contact_info.mobile_phone",
        "subject_info.identity_info.id_card_info.id_card_number",
        "subject_info.identity_info.id_card_info.id_card_name",
        "bank_account_info.account_name",
        "bank_account_info.account_number",
        "account_info.account_number",
    ]
    assert all(f.severity == "blocking" for f in plain)
    assert "请确认待处理的消息是否为加密后的密文" in str(plain[0].message)
    assert "张三" not in " ".join(str(f.message) for f in check.findings)  # no value quoted
    assert check.plaintext_fields == [f.field for f in plain]


def test_generic_names_count_only_where_the_api_references_put_them():
    check = check_request_body(
        body(
            {
                "receivers": [{"type": "MERCHANT_ID", "account": "190001", "name": "王五"}],
                "combine_payer_info": {
                    "identity": {"type": "IDCARD", "name": "李四", "number": "1"}
                },
                "scene_info": {"store_info": {"name": "腾讯大厦分店", "id": "0001"}},
                "detail": {"goods_detail": [{"goods_name": "iPhone", "name": "手机"}]},
                "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
                "buyer_information": {"phone": "13800138000", "email": "a@example.com"},
            }
        )
    )
    assert [f.field for f in check.findings if f.code == "sensitive_field_plaintext"] == [
        "receivers[0].name",
        "combine_payer_info.identity.name",
        "combine_payer_info.identity.number",
        "buyer_information.phone",
        "buyer_information.email",
    ]


def test_a_profit_sharing_receivers_name_beside_type_and_account_is_sensitive():
    check = check_request_body(
        body({"type": "PERSONAL_OPENID", "account": "oUpF8u", "name": "王五", "relation_type": "X"})
    )
    assert only(check.findings, "sensitive_field_plaintext").field == "name"


def test_ciphertexts_of_the_right_length_with_the_right_serial_are_a_note():
    key = platform_certificate()
    data = {
        "contact_info": {
            "contact_name": encrypt_sensitive("张三", key).ciphertext,
            "mobile_phone": encrypt_sensitive("13800138000", key).ciphertext,
        }
    }
    check = check_request_body(body(data), wechatpay_serial=format(SERIAL, "040X"), key=key)
    assert codes(check.findings) == ["sensitive_fields_look_encrypted"]
    assert check.findings[0].severity == "note"
    assert [(f.state, f.chars, f.byte_length) for f in check.fields] == [
        ("ciphertext", 344, 256)
    ] * 2


def test_a_ciphertext_cut_short_is_named_with_its_length():
    cut = oaep_ciphertext(b"x", which="platform")[:300]
    check = check_request_body(body({"user_name": cut}), wechatpay_serial=PUB_KEY_ID)
    finding = only(check.findings, "ciphertext_length")
    assert finding.field == "user_name" and finding.severity == "blocking"
    assert "225" in str(finding.message) and "344" in str(finding.message)


def test_a_ciphertext_for_a_3072_bit_key_is_named_against_the_2048_bit_key_given():
    check = check_request_body(
        body({"user_name": oaep_ciphertext(b"x", 3072)}),
        wechatpay_serial=format(SERIAL, "040X"),
        key=platform_certificate(),
    )
    assert only(check.findings, "ciphertext_length").field == "user_name"


def test_without_a_key_a_3072_bit_ciphertext_is_named_as_not_wechat_pays_key_size():
    check = check_request_body(
        body({"user_name": oaep_ciphertext(b"x", 3072)}), wechatpay_serial=PUB_KEY_ID
    )
    finding = only(check.findings, "ciphertext_not_2048")
    assert "RSA-3072" in str(finding.message) and "分组" not in str(finding.message)


def two_blocks(text: str, bits: int = 2048) -> str:
    """``text`` encrypted in 214-byte chunks, as chunking RSA helpers do with a long value."""
    public = rsa_key(bits).public_key()
    data = text.encode()
    limit = max_plaintext_bytes(bits)
    raw = b"".join(public.encrypt(data[i : i + limit], oaep()) for i in range(0, len(data), limit))
    return base64.b64encode(raw).decode()


def test_an_encrypted_value_encrypted_again_in_blocks_shows_as_several_blocks():
    again = two_blocks(oaep_ciphertext("张三".encode(), which="platform"))
    assert len(base64.b64decode(again)) == 512
    with_key = check_request_body(
        body({"id_card_number": again}),
        wechatpay_serial=format(SERIAL, "040X"),
        key=platform_certificate(),
    )
    finding = only(with_key.findings, "ciphertext_several_blocks")
    assert finding.severity == "blocking" and "没有私钥无法解开确认" in str(finding.message)
    # Without the key, 512 bytes is also an RSA-4096 ciphertext: the finding says both.
    without_key = check_request_body(body({"id_card_number": again}), wechatpay_serial=PUB_KEY_ID)
    finding = only(without_key.findings, "ciphertext_not_2048")
    assert "RSA-4096" in str(finding.message) and "2" in str(finding.message)


def test_with_a_test_private_key_a_value_encrypted_twice_is_confirmed():
    inner = encrypt_sensitive("张三", platform_certificate()).ciphertext
    outer = encrypt_sensitive(inner, platform_certificate(4096)).ciphertext
    check = check_request_body(
        body({"contact_info": {"contact_name": outer}}),
        wechatpay_serial=format(SERIAL, "040X"),
        key=platform_certificate(4096),
        private_key=load_private_key(private_pem(rsa_key(4096))),
    )
    finding = only(check.findings, "encrypted_twice")
    assert finding.field == "contact_info.contact_name" and finding.severity == "blocking"


def test_base64_applied_twice_in_a_body_is_named():
    twice = base64.b64encode(oaep_ciphertext(b"x").encode()).decode()
    check = check_request_body(body({"user_id_card": twice}), wechatpay_serial=PUB_KEY_ID)
    assert only(check.findings, "ciphertext_base64_twice").field == "user_id_card"


def test_line_broken_and_url_safe_base64_are_named():
    ciphertext = oaep_ciphertext(b"x", which="platform")
    wrapped = "\n".join(ciphertext[i : i + 76] for i in range(0, len(ciphertext), 76))
    url_safe = ciphertext.replace("+", "-").replace("/", "_")
    assert url_safe != ciphertext
    check = check_request_body(
        body({"user_name": wrapped, "real_name": url_safe}), wechatpay_serial=PUB_KEY_ID
    )
    assert only(check.findings, "ciphertext_line_breaks").field == "user_name"
    assert only(check.findings, "ciphertext_url_safe").field == "real_name"


def test_a_missing_wechatpay_serial_is_blocking_when_there_are_sensitive_fields():
    check = check_request_body(body({"user_name": oaep_ciphertext(b"x", which="platform")}))
    finding = only(check.findings, "wechatpay_serial_missing")
    assert finding.severity == "blocking"
    assert "HTTP header缺少微信支付平台证书序列号(Wechatpay-Serial)" in str(finding.message)


def test_a_wechatpay_serial_of_another_certificate_is_a_mismatch():
    check = check_request_body(
        body({"user_name": oaep_ciphertext(b"x", which="platform")}),
        wechatpay_serial="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
        key=platform_certificate(),
    )
    finding = only(check.findings, "wechatpay_serial_mismatch")
    assert format(SERIAL, "040X") in str(finding.message)


def test_a_public_key_id_with_a_certificate_and_a_serial_with_a_public_key_are_mismatches():
    ciphertext = oaep_ciphertext(b"x", which="platform")
    with_certificate = check_request_body(
        body({"user_name": ciphertext}), wechatpay_serial=PUB_KEY_ID, key=platform_certificate()
    )
    only(with_certificate.findings, "wechatpay_serial_mismatch")
    with_public_key = check_request_body(
        body({"user_name": ciphertext}),
        wechatpay_serial=format(SERIAL, "040X"),
        key=load_public_key(public_pem(rsa_key())),
    )
    assert "PUB_KEY_ID_" in str(only(with_public_key.findings, "wechatpay_serial_mismatch").message)


def test_the_same_serial_written_otherwise_is_a_format_finding():
    check = check_request_body(
        body({"user_name": oaep_ciphertext(b"x", which="platform")}),
        wechatpay_serial=format(SERIAL, "x"),
        key=platform_certificate(),
    )
    assert codes(check.findings) == ["wechatpay_serial_format"]


def test_a_serial_that_is_neither_hex_nor_an_id_is_named_without_a_key():
    check = check_request_body(
        body({"user_name": oaep_ciphertext(b"x", which="platform")}), wechatpay_serial="serial-1"
    )
    only(check.findings, "wechatpay_serial_format")


def test_a_body_without_sensitive_fields_says_so_and_asks_for_no_serial():
    check = check_request_body(body({"appid": "wx1", "description": "充值"}))
    assert codes(check.findings) == ["no_sensitive_fields"]


def test_a_number_in_a_sensitive_field_is_plain_text():
    check = check_request_body('{"mobile_phone": 13800138000}', wechatpay_serial=PUB_KEY_ID)
    assert only(check.findings, "sensitive_field_plaintext").field == "mobile_phone"


def test_a_body_that_is_not_json_is_a_parse_error():
    with pytest.raises(ParseError) as refused:
        check_request_body("contact_name=张三")
    assert refused.value.code == "json_malformed"
    with pytest.raises(ParseError):
        check_request_body("   ")


def test_a_body_with_very_many_sensitive_fields_is_checked_up_to_a_bound():
    check = check_request_body(body([{"user_name": "王五"}] * 250), wechatpay_serial=PUB_KEY_ID)
    assert len(check.fields) == 200
    only(check.findings, "sensitive_fields_not_all_checked")


def test_with_a_private_key_only_the_first_20_ciphertexts_are_opened():
    ciphertext = oaep_ciphertext(b"x", which="platform")  # not the merchant key's: will not open
    check = check_request_body(
        body([{"user_name": ciphertext}] * 21),
        wechatpay_serial=PUB_KEY_ID,
        private_key=merchant_private(),
    )
    assert codes(check.findings).count("ciphertext_does_not_open") == 20
    assert "21" in str(only(check.findings, "ciphertexts_not_all_opened").message)


# --- the page's run ------------------------------------------------------------------------------


def test_the_page_run_picks_the_mode():
    values = {
        "mode": "encrypt",
        "plaintext": "张三",
        "public_key": certificate_pem(rsa_key()),
        "public_key_id": "",
        "ciphertext": "",
        "body": "",
        "wechatpay_serial": "",
        "private_key": "",
    }
    encrypted = run_sensitive(values)["encryption"]
    assert opened(encrypted.ciphertext).decode() == "张三"
    decrypted = run_sensitive(
        {**values, "mode": "decrypt", "ciphertext": encrypted.ciphertext,
         "private_key": private_pem(rsa_key())}
    )["decryption"]  # fmt: skip
    assert decrypted.plaintext == "张三"
    check = run_sensitive({**values, "mode": "check", "body": body(APPLYMENT)})["check"]
    assert "contact_info.contact_name" in check.plaintext_fields
