"""Notification and synchronous-response verification (支付宝《自行实现验签》): Alipay's own Node
SDK test vectors, and notifications/responses signed in the test with cryptography."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from diagnostics.alipay import response_parts, verify_notification, verify_response
from diagnostics.core.findings import ParseError
from tests.diagnostics.alipay.helpers import VECTORS, node_vectors, public_pem, rsa_sign
from tests.web.keys import self_signed

NOTIFY = {
    "app_id": "2015102700040153",
    "charset": "utf-8",
    "gmt_create": "2016-07-19 14:10:44",
    "notify_type": "trade_status_sync",
    "out_trade_no": "0719141034-6418",
    "subject": "大乐透2.1",
    "total_amount": "2.00",
    "trade_status": "TRADE_SUCCESS",
    "fund_bill_list": '[{"amount":"2.00","fundChannel":"ALIPAYACCOUNT"}]',
    "version": "1.0",
}


def notify_string(params: dict[str, str]) -> str:
    """By hand: all but sign and sign_type, empty values out, sorted."""
    return "&".join(
        f"{n}={v}" for n, v in sorted(params.items()) if n not in ("sign", "sign_type") and v
    )


def signed_notification(key, params=NOTIFY, **options) -> dict[str, str]:
    return {**params, "sign_type": "RSA2", "sign": rsa_sign(key, notify_string(params), **options)}


def codes(items) -> set[str]:
    return {item.code for item in items}


# --- published vectors: alipay/alipay-sdk-nodejs-all, test/alipay.test.ts -------------------


def test_the_node_sdk_payment_notification_verifies_without_sign_type():
    # describe('checkNotifySign(), checkNotifySignV2()') › 'verify sign should delete sign_type'
    # › 'with sign_type arguments verify success'
    vector = node_vectors()["notify_payment"]
    result = verify_notification(vector["params"], vector["public_key"])
    assert result.valid and not result.sign_type_signed
    assert "sign_type" not in result.string_to_sign.split("&")[0:99]
    assert "fund_bill_list=[{" in result.string_to_sign


def test_the_node_sdk_service_market_notification_verifies_only_with_sign_type():
    # 'verify sign should not delete sign_type' › 'with sign_type arguments verify success'
    vector = node_vectors()["notify_service_market"]
    result = verify_notification(vector["params"], vector["public_key"])
    assert result.valid and result.sign_type_signed
    assert "&sign_type=RSA2&" in result.string_to_sign
    assert "sign_type_signed_notification" in codes(result.findings)


def test_the_node_sdk_tampered_service_market_notification_fails():
    # 'verify sign should not delete sign_type' › 'verify fail' (service_code changed)
    vector = node_vectors()["notify_service_market"]
    params = {**vector["params"], "service_code": "58621634111"}
    assert not verify_notification(params, vector["public_key"]).valid


def test_the_node_sdk_response_verifies_over_the_exact_response_text():
    # describe('checkResponseSign') › 'should work'
    vector = node_vectors()["response"]
    result = verify_response(vector["body"], vector["public_key"], method=vector["method"])
    assert result.valid
    assert result.signed_content == vector["signed_content"]
    assert result.response_name == "alipay_open_file_upload_response"


def test_the_node_sdk_notification_as_a_raw_form_body_is_decoded_once():
    vector = node_vectors()["notify_payment"]
    assert verify_notification(urlencode(vector["params"]), vector["public_key"]).valid


# --- notifications signed here --------------------------------------------------------------


def test_a_notification_signed_over_all_but_sign_and_sign_type_verifies(key):
    params = signed_notification(key)
    result = verify_notification(params, public_pem(key))
    assert result.valid
    assert result.string_to_sign == notify_string(NOTIFY)
    assert {d.name for d in result.dropped} == {"sign", "sign_type"}


def test_a_gbk_notification_is_verified_over_gbk_bytes(key):
    params = {**NOTIFY, "charset": "GBK"}
    signed = {**params, "sign_type": "RSA2", "sign": rsa_sign(key, notify_string(params), gbk=True)}
    # a GBK body percent-encodes GBK bytes
    result = verify_notification(urlencode(signed, encoding="gbk"), public_pem(key))
    assert result.valid and result.charset == "GBK"
    assert verify_notification(signed, public_pem(key)).valid


def test_a_sign_whose_plus_became_a_space_is_repaired(key):
    params = signed_notification(key)
    while "+" not in params["sign"]:
        params = signed_notification(key, {**NOTIFY, "out_trade_no": params["sign"][:8]})
    pasted = {**params, "sign": params["sign"].replace("+", " ")}
    assert verify_notification(pasted, public_pem(key)).valid


def test_the_public_key_inside_an_alipay_certificate_verifies(key):
    certificate = self_signed(key, "支付宝(中国)网络技术有限公司-test", 4096)
    assert verify_notification(signed_notification(key), certificate).valid


def test_a_notification_without_sign_is_not_valid_and_says_so(key):
    result = verify_notification(NOTIFY, public_pem(key))
    assert not result.valid and "sign_missing" in codes(result.findings)


def test_the_wrong_key_is_said_when_nothing_reproduces(key, other_key):
    result = verify_notification(signed_notification(key), public_pem(other_key))
    assert not result.valid and "public_key_or_params_wrong" in codes(result.findings)


# --- synchronous responses ------------------------------------------------------------------


def body_with(content: str, key, extra: str = "") -> str:
    return (
        '{\n  "alipay_trade_query_response" : '
        + content
        + f',{extra}\n  "sign":"{rsa_sign(key, content)}"\n}}'
    )


def test_the_content_is_cut_out_byte_for_byte_spaces_and_escapes_kept(key):
    content = '{ "code":"10000", "msg":"Success", "url":"http:\\/\\/x.cn\\/a", "name":"\\u5f20三" }'
    result = verify_response(body_with(content, key), public_pem(key))
    assert result.valid and result.signed_content == content
    # parsing and dumping it gives another string: the usual mistake, said before it happens
    assert result.reserialised == json.dumps(
        json.loads(content), ensure_ascii=False, separators=(",", ":")
    )
    assert "response_reserialise_differs" in codes(result.findings)


def test_error_response_and_alipay_cert_sn_are_read(key):
    content = '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}'
    body = (
        '{"error_response":'
        + content
        + ',"alipay_cert_sn":"7513daaaa48aa3ba2e4018d84402479c","sign":"'
        + rsa_sign(key, content)
        + '"}'
    )
    result = verify_response(body, public_pem(key), method="alipay.trade.pay")
    assert result.valid and result.response_name == "error_response"
    assert result.cert_sn == "7513daaaa48aa3ba2e4018d84402479c"


def test_the_method_picks_its_response_when_the_body_has_several(key):
    parts = response_parts(
        '{"x_response":{"a":1},"alipay_trade_pay_response":{"b":2},"sign":"c2ln"}',
        "alipay.trade.pay",
    )
    assert parts.response_name == "alipay_trade_pay_response" and parts.signed_content == '{"b":2}'


def test_a_response_signed_rsa_is_verified_with_sha1(key):
    content = '{"code":"10000"}'
    body = '{"a_response":' + content + ',"sign":"' + rsa_sign(key, content, sha1=True) + '"}'
    assert verify_response(body, public_pem(key), sign_type="RSA").valid
    assert not verify_response(body, public_pem(key), sign_type="RSA2").valid


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "response_not_json"),
        ('{"a_response":{"code":"10000"}', "response_not_json"),
        ('{"sign":"c2ln"}', "response_key_missing"),
        ("[" * 40 + "]" * 40, "json_too_deep"),
    ],
)
def test_a_body_that_is_not_an_answer_is_refused_by_name(body, code):
    with pytest.raises(ParseError) as error:
        response_parts(body)
    assert error.value.code == code


# --- published vector: go-pay/gopay, alipay/sign_test.go, TestSyncVerifySign ------------------


def gopay_vector() -> dict:
    return json.loads((VECTORS / "alipay_gopay.json").read_text(encoding="utf-8"))


def test_the_gopay_synchronous_response_verifies_with_a_bare_base64_key():
    vector = gopay_vector()
    body = f'{{"alipay_trade_pay_response":{vector["signed_content"]},"sign":"{vector["sign"]}"}}'
    result = verify_response(body, vector["public_key"], method=vector["method"])
    assert result.valid and result.signed_content == vector["signed_content"]


def test_the_gopay_response_pretty_printed_in_a_log_is_found_re_serialised():
    vector = gopay_vector()
    body = f'{{"alipay_trade_pay_response":{vector["signed_content"]},"sign":"{vector["sign"]}"}}'
    logged = json.dumps(json.loads(body), ensure_ascii=False, indent=2)
    result = verify_response(logged, vector["public_key"])
    assert not result.valid
    assert [m.code for m in result.mistakes] == ["response_reserialised"]
    assert result.mistakes[0].string_to_sign == vector["signed_content"]


def test_a_certificate_whose_sn_is_not_alipay_cert_sn_is_named(key):
    content = '{"code":"10000","msg":"Success"}'
    certificate = self_signed(key, "Alipay", 4096)
    parsed = x509.load_pem_x509_certificate(certificate.encode())
    # the SN by its documented definition, computed here: MD5 of the issuer (RDNs reversed,
    # key=value joined by commas) followed by the decimal serial
    issuer = ",".join(
        f"{attribute.rfc4514_attribute_name}={attribute.value}"
        for rdn in reversed(list(parsed.issuer.rdns))
        for attribute in rdn
    )
    right = hashlib.md5((issuer + str(parsed.serial_number)).encode()).hexdigest()
    for sn, codes in ((right, set()), ("0" * 32, {"alipay_cert_sn_mismatch"})):
        body = (
            f'{{"a_response":{content},"alipay_cert_sn":"{sn}","sign":"{rsa_sign(key, content)}"}}'
        )
        result = verify_response(body, certificate)
        assert result.valid
        assert {f.code for f in result.findings} & {"alipay_cert_sn_mismatch"} == codes
    body = (
        f'{{"a_response":{content},"alipay_cert_sn":"{right}","sign":"{rsa_sign(key, content)}"}}'
    )
    found = verify_response(body, public_pem(key)).findings
    assert "alipay_cert_sn_without_certificate" in {f.code for f in found}


# --- published cases: fzlee/alipay, tests/test.py -------------------------------------------


@pytest.mark.parametrize(
    ("body", "content"),
    [
        ('{"response_type":{"key1":"name"}}', '{"key1":"name"}'),
        ('{"response_type":{"key1":{"key2": ""}}}', '{"key1":{"key2": ""}}'),
        ('{"response_type":{"key1":{"key2": {"key3": ""}}}}', '{"key1":{"key2": {"key3": ""}}}'),
    ],
)
def test_fzlee_get_string_to_be_signed_cases_cut_the_same_text(body, content):
    # AliPaySignTestCase.test_get_string_to_be_signed (response_type renamed *_response here)
    parts = response_parts(body.replace("response_type", "x_response"))
    assert parts.signed_content == content


def test_fzlee_issue_69_a_repeated_response_member_takes_the_first(key):
    # test_verify_and_return_sync_response: the first "response" is the signed one
    signed = json.dumps({"should_be_true": True})
    body = (
        '{\n "x_response": {"should_be_true": true},\n "x_response": {"should_be_true": false},\n'
        f' "sign": "{rsa_sign(key, signed)}"\n}}'
    )
    result = verify_response(body, public_pem(key))
    assert result.valid and result.signed_content == '{"should_be_true": true}'
    assert "response_member_repeated" in {f.code for f in result.findings}


@pytest.mark.parametrize(
    "body", ['{"x_response":{"key1":{"key2": {{', '{"x_response":"key1":"key2":']
)
def test_fzlee_malformed_bodies_are_refused_without_a_crash(body):
    with pytest.raises(ParseError):
        response_parts(body)


def test_a_notification_with_sign_type_rsa_is_verified_with_sha1(key):
    params = {**NOTIFY, "sign_type": "RSA", "sign": rsa_sign(key, notify_string(NOTIFY), sha1=True)}
    result = verify_notification(params, public_pem(key))
    assert result.valid and result.sign_type == "RSA"


def certificate_of(key, subject_cn: str, issuer_cn: str) -> str:
    now = datetime.now(UTC)
    built = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)]))
        .public_key(key.public_key())
        .serial_number(2024)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return built.public_bytes(serialization.Encoding.PEM).decode()


def test_the_app_public_key_certificate_pasted_as_alipay_certificate_is_named(key, other_key):
    # an 应用公钥证书's CN is "<PID>-<app_id>" (diagnostics.alipay.certs reads the role)
    app_cert = certificate_of(
        key, "2088102177650000-2016101100660467", "Ant Financial Certification Authority Class 2 R1"
    )
    result = verify_notification(signed_notification(other_key), app_cert)
    assert not result.valid
    codes = {f.code for f in result.findings}
    assert "app_public_key_used" in codes and "public_key_or_params_wrong" not in codes
