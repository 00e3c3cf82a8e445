"""WeChat Pay APIv3 signing, verification and decryption, checked with cryptography directly."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v3 import (
    APP,
    JSAPI,
    check_authorization,
    compare_sign_error,
    decrypt_notification,
    decrypt_resource,
    parse_authorization,
    parse_wechatpay_headers,
    pay_sign,
    sign_request,
    verify_response,
    visible_lines,
)

NOW = datetime(2019, 4, 2, 12, 34, 20, tzinfo=UTC)  # 1554208460
TS = "1554208460"
NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242"
MCHID = "1900009191"
MERCHANT_SERIAL = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
PLATFORM_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F4CF9F"
BODY = '{"appid":"wxd678efh567hg6787","description":"腾讯充值中心-QQ会员充值","amount":{"total":1}}'
APIV3_KEY = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"


@pytest.fixture
def merchant_key(key) -> rsa.RSAPrivateKey:
    """The merchant API key: signs requests and pay signs."""
    return key


@pytest.fixture
def platform_key(other_key) -> rsa.RSAPrivateKey:
    """WeChat Pay's platform key: signs responses and notifications; not the merchant's pair."""
    return other_key


def certificate_pem(key: rsa.RSAPrivateKey, cn: str, serial: str) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime(2019, 1, 1, tzinfo=UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int(serial, 16))
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=5 * 365))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sha256_rsa(key: rsa.RSAPrivateKey, message: str) -> str:
    raw = key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def verifies(key: rsa.RSAPrivateKey, message: str, signature: str) -> bool:
    try:
        key.public_key().verify(
            base64.b64decode(signature), message.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        return False
    return True


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


# --- request signing ---


def test_request_message_has_five_lines_each_ended_by_a_newline(merchant_key):
    signed = sign_request(
        method="post",
        url="/v3/pay/transactions/jsapi",
        timestamp=TS,
        nonce=NONCE,
        body=BODY,
        private_key=private_pem(merchant_key),
        mchid=MCHID,
        serial_no=MERCHANT_SERIAL,
    )
    expected = "POST\n/v3/pay/transactions/jsapi\n" + TS + "\n" + NONCE + "\n" + BODY + "\n"
    assert signed.message == expected
    assert verifies(merchant_key, expected, signed.signature)
    # PKCS#1 v1.5 is deterministic: the test's own signature is the same bytes.
    assert signed.signature == sha256_rsa(merchant_key, expected)


def test_authorization_header_is_built_exactly(merchant_key):
    signed = sign_request(
        method="GET",
        url="/v3/certificates",
        timestamp=TS,
        nonce=NONCE,
        private_key=private_pem(merchant_key),
        mchid=MCHID,
        serial_no=MERCHANT_SERIAL,
    )
    signature = sha256_rsa(merchant_key, f"GET\n/v3/certificates\n{TS}\n{NONCE}\n\n")
    assert signed.authorization == (
        f'WECHATPAY2-SHA256-RSA2048 mchid="{MCHID}",nonce_str="{NONCE}",'
        f'signature="{signature}",timestamp="{TS}",serial_no="{MERCHANT_SERIAL}"'
    )


def test_a_full_url_is_signed_as_path_and_query_with_a_finding(merchant_key):
    signed = sign_request(
        method="GET",
        url="https://api.mch.weixin.qq.com/v3/certificates?a=1&b=2",
        timestamp=TS,
        nonce=NONCE,
        private_key=private_pem(merchant_key),
    )
    assert signed.url == "/v3/certificates?a=1&b=2"
    assert signed.message.splitlines()[1] == "/v3/certificates?a=1&b=2"
    assert "host_not_signed" in codes(signed.findings)


def test_a_get_request_signs_an_empty_body(merchant_key):
    signed = sign_request(
        method="GET",
        url="/v3/certificates",
        timestamp=TS,
        nonce=NONCE,
        body="{}",
        private_key=private_pem(merchant_key),
    )
    assert signed.message.endswith(f"{NONCE}\n\n")
    assert "get_with_body" in codes(signed.findings)


def test_message_lines_show_each_line_end():
    assert visible_lines("GET\n/v3/x\n1\nN\n\n") == ("GET\\n", "/v3/x\\n", "1\\n", "N\\n", "\\n")
    assert visible_lines("a\r\nb") == ("a\\r\\n", "b")


# --- Authorization header parsing ---


def authorization(signature: str = "c2ln", **overrides: str) -> str:
    fields = {
        "mchid": MCHID,
        "nonce_str": NONCE,
        "signature": signature,
        "timestamp": TS,
        "serial_no": MERCHANT_SERIAL,
        **overrides,
    }
    return "WECHATPAY2-SHA256-RSA2048 " + ",".join(f'{k}="{v}"' for k, v in fields.items())


def test_a_pasted_header_with_name_spaces_and_any_order_is_parsed():
    text = (
        f'Authorization: WECHATPAY2-SHA256-RSA2048 serial_no="{MERCHANT_SERIAL}", '
        f'timestamp="{TS}", signature="abc=", nonce_str="{NONCE}", mchid="{MCHID}"'
    )
    header = parse_authorization(text)
    assert header.scheme == "WECHATPAY2-SHA256-RSA2048"
    assert (header.mchid, header.nonce_str, header.signature) == (MCHID, NONCE, "abc=")
    assert (header.timestamp, header.serial_no) == (TS, MERCHANT_SERIAL)
    assert check_authorization(text, now=NOW).findings == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            authorization().replace("WECHATPAY2-SHA256-RSA2048", "wechatpay2-sha256-rsa2048"),
            "scheme_case",
        ),
        (authorization().replace("WECHATPAY2-SHA256-RSA2048", "WECHATPAY2-SHA256"), "scheme_wrong"),
        (authorization().replace(f'mchid="{MCHID}",', ""), "field_missing"),
        (authorization().replace(f'mchid="{MCHID}"', f"mchid={MCHID}"), "value_not_quoted"),
        (authorization().replace("nonce_str=", "nonce="), "field_unknown"),
        (authorization(timestamp="1554208000"), "timestamp_skew"),
        (authorization(timestamp="1554208460000"), "timestamp_milliseconds"),
        (authorization(nonce_str=""), "nonce_empty"),
        (authorization(nonce_str="N" * 33), "nonce_too_long"),
        (authorization(serial_no=MERCHANT_SERIAL.lower()), "serial_lowercase"),
        (authorization(serial_no=str(int(MERCHANT_SERIAL, 16))), "serial_decimal"),
        (authorization(serial_no=MERCHANT_SERIAL[:-2]), "serial_length"),
        (
            authorization(serial_no="PUB_KEY_ID_0114232134912410000000000000"),
            "public_key_id_as_serial_no",
        ),
        (authorization(mchid="mch1900"), "mchid_not_digits"),
        (authorization(signature="%%%"), "signature_not_base64"),
    ],
)
def test_each_faulty_authorization_field_is_named(text, code):
    assert code in codes(check_authorization(text, now=NOW).findings)


def test_a_decimal_serial_is_shown_in_hex():
    text = authorization(serial_no=str(int(MERCHANT_SERIAL, 16)))
    (finding,) = [f for f in check_authorization(text).findings if f.code == "serial_decimal"]
    assert MERCHANT_SERIAL in str(finding.message)


def test_the_signature_in_a_header_is_reverified_from_the_request_parts(merchant_key, platform_key):
    message = f"POST\n/v3/pay/transactions/jsapi\n{TS}\n{NONCE}\n{BODY}\n"
    text = authorization(sha256_rsa(merchant_key, message))
    cert = certificate_pem(merchant_key, MCHID, MERCHANT_SERIAL)
    check = check_authorization(
        text, now=NOW, method="POST", url="/v3/pay/transactions/jsapi", body=BODY, public_key=cert
    )
    assert check.message == message
    assert check.valid is True
    other = check_authorization(
        text,
        method="POST",
        url="/v3/pay/transactions/jsapi",
        body=BODY,
        public_key=public_pem(platform_key),
    )
    assert other.valid is False


def test_a_serial_no_that_is_not_the_certificates_is_named(merchant_key):
    cert = certificate_pem(merchant_key, MCHID, MERCHANT_SERIAL)
    text = authorization(serial_no=PLATFORM_SERIAL)
    check = check_authorization(text, method="GET", url="/v3/x", public_key=cert)
    assert "serial_no_not_this_certificate" in codes(check.findings)


# --- client pay signs ---

JSAPI_PARAMS = {
    "appId": "wx2421b1c4370ecxxx",
    "timeStamp": "1395712654",
    "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
    "package": "prepay_id=up_wx21201855730335ac86f8c43d1889123400",
    "signType": "RSA",
}
APP_PARAMS = {
    "appid": "wxd930ea5d5a258f4f",
    "partnerid": "1900000109",
    "prepayid": "1101000000140415649af9fc314aa427",
    "package": "Sign=WXPay",
    "noncestr": "1101000000140429eb40476f8896f4c9",
    "timestamp": "1398746574",
}


def test_jsapi_pay_sign_covers_appid_timestamp_noncestr_and_package(merchant_key):
    result = pay_sign(JSAPI, JSAPI_PARAMS, private_key=private_pem(merchant_key))
    expected = (
        "wx2421b1c4370ecxxx\n1395712654\ne61463f8efa94090b1f366cccfbbb444\n"
        "prepay_id=up_wx21201855730335ac86f8c43d1889123400\n"
    )
    assert result.message == expected
    assert verifies(merchant_key, expected, result.pay_sign)
    assert dict(result.params)["paySign"] == result.pay_sign
    assert dict(result.params)["signType"] == "RSA"
    assert result.findings == ()


def test_app_pay_sign_covers_appid_timestamp_noncestr_and_prepayid(merchant_key):
    result = pay_sign(APP, APP_PARAMS, private_key=private_pem(merchant_key))
    expected = (
        "wxd930ea5d5a258f4f\n1398746574\n1101000000140429eb40476f8896f4c9\n"
        "1101000000140415649af9fc314aa427\n"
    )
    assert result.message == expected
    assert verifies(merchant_key, expected, result.pay_sign)
    assert result.findings == ()


def test_a_pay_sign_made_elsewhere_is_checked_against_the_public_key(merchant_key):
    message = (
        "wx2421b1c4370ecxxx\n1395712654\ne61463f8efa94090b1f366cccfbbb444\n"
        "prepay_id=up_wx21201855730335ac86f8c43d1889123400\n"
    )
    params = {**JSAPI_PARAMS, "paySign": sha256_rsa(merchant_key, message)}
    assert pay_sign(JSAPI, params, public_key=public_pem(merchant_key)).valid is True
    params["nonceStr"] = "other"
    assert pay_sign(JSAPI, params, public_key=public_pem(merchant_key)).valid is False


@pytest.mark.parametrize(
    ("scene", "change", "code"),
    [
        (JSAPI, {"package": "up_wx21201855730335ac86f8c43d1889123400"}, "package_format"),
        (JSAPI, {"package": "Sign=WXPay"}, "package_format"),
        (JSAPI, {"signType": "MD5"}, "sign_type_not_rsa"),
        (JSAPI, {"timeStamp": "1395712654000"}, "timestamp_milliseconds"),
        (APP, {"package": ""}, "app_package_missing"),
        (APP, {"package": "prepay_id=x"}, "app_package_value"),
        (APP, {"prepayid": "prepay_id=1101"}, "prepayid_prefixed"),
        (APP, {"partnerid": ""}, "partnerid_missing"),
    ],
)
def test_pay_sign_field_mistakes_are_named(scene, change, code):
    params = {**(JSAPI_PARAMS if scene == JSAPI else APP_PARAMS), **change}
    assert code in codes(pay_sign(scene, params).findings)


def test_pay_sign_field_names_are_case_sensitive(merchant_key):
    params = dict(JSAPI_PARAMS)
    params["appid"] = params.pop("appId")
    result = pay_sign(JSAPI, params, private_key=private_pem(merchant_key))
    assert "field_name_case" in codes(result.findings)
    assert result.message.startswith("wx2421b1c4370ecxxx\n")


# --- response and notification verification ---


def signed_headers(platform_key, body: str, serial: str = PLATFORM_SERIAL, ts: str = TS) -> str:
    signature = sha256_rsa(platform_key, f"{ts}\n{NONCE}\n{body}\n")
    return (
        f"wechatpay-timestamp: {ts}\nWECHATPAY-NONCE: {NONCE}\n"
        f"Wechatpay-Signature: {signature}\nWechatpay-Serial: {serial}\nRequest-ID: 08F7\n"
    )


def test_headers_are_read_case_insensitively(platform_key):
    headers = parse_wechatpay_headers(signed_headers(platform_key, BODY))
    assert (headers.timestamp, headers.nonce, headers.serial) == (TS, NONCE, PLATFORM_SERIAL)
    assert headers.findings == ()


def test_a_response_verifies_with_the_platform_certificate(platform_key):
    cert = certificate_pem(platform_key, "Tenpay.com", PLATFORM_SERIAL)
    result = verify_response(
        headers=signed_headers(platform_key, BODY), body=BODY, public_key=cert, now=NOW
    )
    assert result.message == f"{TS}\n{NONCE}\n{BODY}\n"
    assert result.valid is True
    assert result.mode == "certificate"
    assert result.findings == ()


def test_a_notification_verifies_with_the_wechat_pay_public_key(platform_key):
    serial = "PUB_KEY_ID_0114232134912410000000000000"
    result = verify_response(
        headers=signed_headers(platform_key, BODY, serial),
        body=BODY,
        public_key=public_pem(platform_key),
        now=NOW,
    )
    assert (result.valid, result.mode, result.findings) == (True, "public_key", ())


def test_a_certificate_given_when_the_serial_is_a_public_key_id_is_named(platform_key):
    cert = certificate_pem(platform_key, "Tenpay.com", PLATFORM_SERIAL)
    headers = signed_headers(platform_key, BODY, "PUB_KEY_ID_0114232134912410000000000000")
    result = verify_response(headers=headers, body=BODY, public_key=cert, now=NOW)
    assert "public_key_mode_certificate_given" in codes(result.findings)


def test_a_public_key_given_when_the_serial_is_a_certificate_serial_is_named(platform_key):
    headers = signed_headers(platform_key, BODY)
    result = verify_response(headers=headers, body=BODY, public_key=public_pem(platform_key))
    assert "certificate_mode_public_key_given" in codes(result.findings)


def test_the_merchants_own_certificate_in_place_of_the_platform_certificate_is_named(
    merchant_key, platform_key
):
    own = certificate_pem(merchant_key, MCHID, MERCHANT_SERIAL)
    headers = signed_headers(platform_key, BODY)
    result = verify_response(headers=headers, body=BODY, public_key=own, mchid=MCHID, now=NOW)
    assert result.valid is False
    assert "merchant_certificate_used" in codes(result.findings)
    anonymous = verify_response(headers=headers, body=BODY, public_key=own, now=NOW)
    assert "serial_mismatch" in codes(anonymous.findings)


def test_a_serial_written_in_decimal_is_recognised_as_the_same_number(platform_key):
    cert = certificate_pem(platform_key, "Tenpay.com", PLATFORM_SERIAL)
    headers = signed_headers(platform_key, BODY, str(int(PLATFORM_SERIAL, 16)))
    result = verify_response(headers=headers, body=BODY, public_key=cert, now=NOW)
    assert result.valid is True
    assert "serial_decimal" in codes(result.findings)


def test_a_timestamp_more_than_five_minutes_off_is_named(platform_key):
    cert = certificate_pem(platform_key, "Tenpay.com", PLATFORM_SERIAL)
    result = verify_response(
        headers=signed_headers(platform_key, BODY),
        body=BODY,
        public_key=cert,
        now=NOW + timedelta(minutes=6),
    )
    assert "timestamp_skew" in codes(result.findings)
    close = verify_response(
        headers=signed_headers(platform_key, BODY),
        body=BODY,
        public_key=cert,
        now=NOW + timedelta(minutes=4),
    )
    assert "timestamp_skew" not in codes(close.findings)


def test_a_changed_body_does_not_verify(platform_key):
    result = verify_response(
        headers=signed_headers(platform_key, BODY),
        body=json.dumps(json.loads(BODY)),
        public_key=public_pem(platform_key),
    )
    assert result.valid is False


def test_a_signature_probe_is_named(platform_key):
    result = verify_response(
        timestamp=TS,
        nonce=NONCE,
        body=BODY,
        signature="WECHATPAY/SIGNTEST/abc",
        serial="PUB_KEY_ID_01",
        public_key=public_pem(platform_key),
    )
    assert result.valid is False
    assert "signature_probe" in codes(result.findings)


# --- 401 SIGN_ERROR ---


def sign_error_body(method: str, url: str, message: str, length: int | None = None) -> str:
    return json.dumps(
        {
            "code": "SIGN_ERROR",
            "message": "错误的签名，验签失败",
            "detail": {
                "detail": {"issue": "sign not match"},
                "field": "signature",
                "location": "authorization",
                "sign_information": {
                    "method": method,
                    "sign_message_length": len(message.encode()) if length is None else length,
                    "truncated_sign_message": message[:150],
                    "url": url,
                },
            },
        },
        ensure_ascii=False,
    )


def test_a_sign_error_matching_our_message_points_at_the_key():
    message = f"POST\n/v3/pay/transactions/jsapi\n{TS}\n{NONCE}\n{BODY}\n"
    body = sign_error_body("POST", "/v3/pay/transactions/jsapi", message)
    result = compare_sign_error(body, method="POST", url="/v3/pay/transactions/jsapi", body=BODY)
    assert result.message == message
    assert result.first_difference is None
    assert codes(result.findings) == ["message_matches"]


def test_a_sign_error_shows_where_the_messages_part():
    sent_url = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    theirs = f"GET\n{sent_url}\n{TS}\n{NONCE}\n\n"
    body = sign_error_body("GET", sent_url, theirs)
    signed_url = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018"
    result = compare_sign_error(body, method="GET", url=signed_url)
    # The timestamp and nonce come from the truncated message when not given.
    assert result.message == f"GET\n{signed_url}\n{TS}\n{NONCE}\n\n"
    difference = result.first_difference
    assert difference is not None
    index = len(f"GET\n{signed_url}")
    assert (difference.index, difference.line, difference.column) == (index, 2, len(signed_url) + 1)
    assert (difference.theirs, difference.ours) == ("?", "\\n")
    assert {"url_differs", "length_differs", "message_differs"} <= set(codes(result.findings))


def test_a_sign_error_with_a_different_body_length_is_named():
    message = f"POST\n/v3/refund/domestic/refunds\n{TS}\n{NONCE}\n{BODY}\n"
    body = sign_error_body("POST", "/v3/refund/domestic/refunds", message, length=999)
    result = compare_sign_error(
        body, method="POST", url="/v3/refund/domestic/refunds", body=BODY, timestamp=TS, nonce=NONCE
    )
    assert "length_differs" in codes(result.findings)


def test_a_sign_error_printed_by_an_sdk_is_read_from_its_json_part():
    printed = (
        'error http response:[StatusCode: 401 Code: "SIGN_ERROR"\nDetail:\n'
        '{"detail":{"issue":"sign not match"},"sign_information":{"method":"GET",'
        '"sign_message_length":54,"truncated_sign_message":"GET\\n/v3/certificates\\n'
        '1721639012\\n0deQ381ci7pNj9lUyMHW\\n\\n","url":"/v3/certificates"}}]'
    )
    result = compare_sign_error(printed, method="GET", url="/v3/certificates")
    assert result.message == "GET\n/v3/certificates\n1721639012\n0deQ381ci7pNj9lUyMHW\n\n"
    assert codes(result.findings) == ["message_matches"]


def test_a_body_without_sign_information_is_refused():
    with pytest.raises(ParseError) as caught:
        compare_sign_error('{"code":"PARAM_ERROR"}', method="GET", url="/v3/x")
    assert caught.value.code == "sign_information_missing"


# --- notification decryption ---

PLAIN = json.dumps({"out_trade_no": "1217752501201407033233368018", "trade_state": "SUCCESS"})


def encrypt(
    plain: str, key: str = APIV3_KEY, nonce: str = "fdasflkja484", aad: str = "transaction"
):
    data = AESGCM(key.encode()).encrypt(nonce.encode(), plain.encode(), aad.encode())
    return base64.b64encode(data).decode()


def notification(ciphertext: str, nonce: str = "fdasflkja484", aad: str = "transaction") -> str:
    return json.dumps(
        {
            "id": "EV-2018022511223320873",
            "event_type": "TRANSACTION.SUCCESS",
            "resource_type": "encrypt-resource",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": ciphertext,
                "associated_data": aad,
                "nonce": nonce,
            },
        }
    )


def test_a_whole_notification_is_decrypted():
    result = decrypt_notification(notification(encrypt(PLAIN)), APIV3_KEY)
    assert result.plaintext == PLAIN
    assert result.data == json.loads(PLAIN)


def test_the_three_fields_are_decrypted():
    result = decrypt_resource(
        apiv3_key=APIV3_KEY,
        associated_data="",
        nonce="fdasflkja484",
        ciphertext=encrypt("not json", aad=""),
    )
    assert (result.plaintext, result.data) == ("not json", None)


def decrypt_error(**overrides: str) -> ParseError:
    fields = {
        "apiv3_key": APIV3_KEY,
        "associated_data": "transaction",
        "nonce": "fdasflkja484",
        "ciphertext": encrypt(PLAIN),
        **overrides,
    }
    with pytest.raises(ParseError) as caught:
        decrypt_resource(**fields)
    return caught.value


def test_a_key_of_the_wrong_length_says_its_length():
    error = decrypt_error(apiv3_key="short")
    assert error.code == "apiv3_key_length"
    assert "5 字节" in str(error.message)


def test_a_key_with_whitespace_is_named():
    assert decrypt_error(apiv3_key=APIV3_KEY + "\n").code == "apiv3_key_whitespace"


def test_a_wrong_key_of_the_right_length_suggests_the_v2_api_key_confusion():
    error = decrypt_error(apiv3_key="Z" * 32)
    assert error.code == "decrypt_failed"
    assert "APIv3密钥" in str(error.message) and "API密钥" in str(error.message)


def test_the_wrong_associated_data_is_named_with_the_one_that_works():
    error = decrypt_error(associated_data="refund")
    assert error.code == "associated_data_mismatch"
    assert "“transaction”" in str(error.message)


def test_a_nonce_from_another_notification_fails_naming_the_fields():
    error = decrypt_error(nonce="abcdefabcdef")
    assert error.code == "decrypt_failed"
    assert "nonce" in str(error.message)


def test_a_nonce_with_whitespace_is_named():
    assert decrypt_error(nonce=" fdasflkja484").code == "nonce_whitespace"


def test_ciphertext_that_is_not_base64_is_named():
    assert decrypt_error(ciphertext="@@@@").code == "ciphertext_not_base64"


def test_damaged_ciphertext_fails_to_authenticate():
    raw = bytearray(base64.b64decode(encrypt(PLAIN)))
    raw[3] ^= 1
    assert decrypt_error(ciphertext=base64.b64encode(bytes(raw)).decode()).code == "decrypt_failed"


def test_truncated_ciphertext_is_named():
    assert decrypt_error(ciphertext=base64.b64encode(b"0123456789").decode()).code == (
        "ciphertext_too_short"
    )


def test_a_plus_turned_into_a_space_is_named():
    ciphertext = ""
    for index in range(200):
        ciphertext = encrypt(PLAIN + " " * index)
        if "+" in ciphertext:
            break
    assert "+" in ciphertext
    assert decrypt_error(ciphertext=ciphertext.replace("+", " ")).code == "ciphertext_plus_as_space"


def test_another_algorithm_is_refused():
    assert decrypt_error(algorithm="AEAD_SM4_GCM").code == "algorithm_unsupported"


def test_an_empty_plaintext_is_just_the_tag_and_decrypts():
    tag_only = AESGCM(APIV3_KEY.encode()).encrypt(b"fdasflkja484", b"", b"transaction")
    assert len(tag_only) == 16
    result = decrypt_resource(
        apiv3_key=APIV3_KEY,
        associated_data="transaction",
        nonce="fdasflkja484",
        ciphertext=base64.b64encode(tag_only).decode(),
    )
    assert result.plaintext == ""


def test_a_whole_notification_that_fails_says_plainly_that_the_apiv3_key_is_wrong():
    with pytest.raises(ParseError) as caught:
        decrypt_notification(notification(encrypt(PLAIN)), "Z" * 32)
    assert caught.value.code == "apiv3_key_wrong"
    message = str(caught.value.message)
    assert "APIv3 密钥不对" in message and "可能的原因" not in message
    assert "不要急着重设密钥" in message  # check which key, never "reset it"


def test_a_notification_without_a_resource_is_refused():
    with pytest.raises(ParseError) as caught:
        decrypt_notification('{"id":"EV-1"}', APIV3_KEY)
    assert caught.value.code == "resource_missing"


# --- the sentences are translated when shown ---

ENGLISH = {
    "缺少参与签名的字段 {name}。": "Missing signed field {name}.",
    "{field} 与服务器当前时间相差 {seconds} 秒（{direction}），超过 5 分钟："
    "签名可以是有效的，但微信支付会拒绝这个请求。请校准服务器时钟，每次请求现取时间戳。": (
        "{field} is {seconds} seconds off ({direction})."
    ),
    "晚于现在": "ahead of the current time",
}


@pytest.fixture
def english(translator):
    translator(ENGLISH)


def test_a_pay_sign_finding_is_shown_in_english(english):
    params = {name: value for name, value in JSAPI_PARAMS.items() if name != "appId"}
    (finding,) = [f for f in pay_sign(JSAPI, params).findings if f.code == "field_missing"]
    assert str(finding.message) == "Missing signed field appId."


def test_a_sentence_inside_a_sentence_is_translated_too(english):
    ahead = authorization(timestamp=str(int(NOW.timestamp()) + 600))
    (finding,) = [
        f for f in check_authorization(ahead, now=NOW).findings if f.code == "timestamp_skew"
    ]
    assert str(finding.message) == "timestamp is 600 seconds off (ahead of the current time)."
