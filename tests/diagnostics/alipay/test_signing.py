"""Request signing (支付宝《自行实现签名》): the string to sign is written by hand in each test and the
sign checked with cryptography directly."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from diagnostics.alipay import check_request, read_params, sign, string_to_sign, with_sign
from diagnostics.core.findings import ParseError
from tests.diagnostics.alipay.helpers import (
    REQUEST,
    joined,
    private_pem,
    rsa_sign,
    rsa_verifies,
)


def codes(findings) -> set[str]:
    return {finding.code for finding in findings}


def test_every_parameter_but_sign_is_signed_sorted_with_sign_type_and_raw_values(key):
    signed = sign([*REQUEST, ("sign", "old")], private_pem(key))
    expected = (
        'app_id=2014072300007148&biz_content={"out_trade_no":"20150320010101001",'
        '"total_amount":"88.88","subject":"话费充值"}&charset=utf-8&format=JSON'
        "&method=alipay.trade.create&notify_url=https://api.example.com/alipay/notify?x=1&y=a b"
        "&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0"
    )
    assert signed.string_to_sign == expected
    assert rsa_verifies(key, expected, signed.sign)
    assert signed.sign == rsa_sign(key, expected)  # PKCS#1 v1.5 is deterministic
    assert [dropped.name for dropped in signed.dropped] == ["sign"]
    assert signed.findings == ()


def test_empty_values_are_dropped_and_said_why(key):
    signed = sign([*REQUEST, ("app_auth_token", ""), ("return_url", "")], private_pem(key))
    assert "app_auth_token" not in signed.string_to_sign
    assert {d.name for d in signed.dropped} == {"app_auth_token", "return_url"}
    assert "空值" in signed.dropped[0].reason.template
    assert signed.string_to_sign == joined(REQUEST)


def test_sign_type_rsa_is_sha1_with_rsa(key):
    pairs = [(n, "RSA" if n == "sign_type" else v) for n, v in REQUEST]
    signed = sign(pairs, private_pem(key, "TraditionalOpenSSL"))  # a PKCS#1 key loads too
    assert signed.sign_type == "RSA"
    assert rsa_verifies(key, joined(pairs), signed.sign, sha1=True)
    assert "sign_type_rsa_legacy" in codes(signed.findings)


def test_a_gbk_request_signs_the_gbk_bytes(key):
    pairs = [(n, "GBK" if n == "charset" else v) for n, v in REQUEST]
    signed = sign(pairs, private_pem(key))
    assert signed.charset == "GBK"
    assert signed.sign == rsa_sign(key, joined(pairs), gbk=True)
    assert signed.sign != rsa_sign(key, joined(pairs))


def test_a_gbk_request_with_a_character_gbk_lacks_is_refused(key):
    pairs = [*[(n, "GBK" if n == "charset" else v) for n, v in REQUEST], ("body", "😀")]
    with pytest.raises(ParseError) as error:
        sign(pairs, private_pem(key))
    assert error.value.code == "charset_cannot_encode"


def test_an_encoded_query_is_decoded_once_plus_as_space_and_percent_2b_as_plus(key):
    query = urlencode([*REQUEST, ("passback_params", "a+b c")])
    read = read_params(query)
    assert dict(read.pairs)["timestamp"] == "2014-07-24 03:07:50"
    assert dict(read.pairs)["passback_params"] == "a+b c"
    assert "values_percent_decoded" in codes(read.findings)
    assert sign(query, private_pem(key)).string_to_sign == joined(
        [*REQUEST, ("passback_params", "a+b c")]
    )


def test_a_decoded_query_keeps_its_plus_signs():
    read = read_params("app_id=1&timestamp=2014-07-24 03:07:50&passback_params=a+b")
    assert dict(read.pairs)["passback_params"] == "a+b"
    assert read.raw_values is None


def test_the_gateway_url_json_and_lines_are_read(key):
    url = "https://openapi.alipay.com/gateway.do?" + urlencode(REQUEST)
    lines = "\n".join(f"{n}={v}" for n, v in REQUEST if n != "notify_url")
    as_json = {n: v for n, v in REQUEST}
    assert sign(url, private_pem(key)).string_to_sign == joined(REQUEST)
    assert sign(as_json, private_pem(key)).string_to_sign == joined(REQUEST)
    assert sign(lines, private_pem(key)).string_to_sign == joined(
        [p for p in REQUEST if p[0] != "notify_url"]
    )


def test_a_biz_content_object_in_json_is_signed_as_compact_json(key):
    params = {**dict(REQUEST), "biz_content": {"out_trade_no": "1", "subject": "话费"}}
    signed = sign(params, private_pem(key))
    assert 'biz_content={"out_trade_no":"1","subject":"话费"}' in signed.string_to_sign


def test_a_sign_type_chosen_apart_is_added_and_signed(key):
    pairs = [p for p in REQUEST if p[0] != "sign_type"]
    signed = sign(pairs, private_pem(key), sign_type="RSA2")
    assert "sign_type=RSA2" in signed.string_to_sign
    assert "sign_type_added" in codes(signed.findings)


def test_what_to_send_carries_the_sign_and_every_value_unchanged_but_empty_ones(key):
    signed = sign(REQUEST, private_pem(key))
    sent = dict(parse_qsl(with_sign([*REQUEST, ("return_url", "")], signed.sign)))
    assert sent == {**dict(REQUEST), "sign": signed.sign}


def test_the_public_parameters_are_checked():
    found = check_request(
        [("app_id", "1"), ("timestamp", "2014/07/24 03:07"), ("sign_type", "MD5")]
    )
    assert {"field_missing", "timestamp_format", "sign_type_unknown"} <= codes(found)
    missing = {f.field for f in found if f.code == "field_missing"}
    assert missing == {"method", "charset", "version"}


def test_biz_content_must_be_a_json_object():
    assert "biz_content_not_json" in codes(check_request([*REQUEST[:-1], ("biz_content", "{a:1}")]))
    assert "biz_content_not_json" in codes(check_request([*REQUEST[:-1], ("biz_content", "[1]")]))


def test_certificate_sns_are_checked_against_the_mode():
    with_sns = [*REQUEST, ("app_cert_sn", "866efef280dec9137a87d047ac446315")]
    assert "cert_sn_in_key_mode" in codes(check_request(with_sns, mode="key"))
    assert "alipay_root_cert_sn_missing" in codes(check_request(with_sns, mode="auto"))
    assert {"app_cert_sn_missing", "alipay_root_cert_sn_missing"} <= codes(
        check_request(REQUEST, mode="cert")
    )
    assert check_request(REQUEST, mode="key") == []


def test_certificate_sns_take_part_in_the_sign(key):
    pairs = [*REQUEST, ("app_cert_sn", "a1"), ("alipay_root_cert_sn", "b2_c3")]
    signed = sign(pairs, private_pem(key), mode="cert")
    assert "alipay_root_cert_sn=b2_c3&app_cert_sn=a1&" in signed.string_to_sign
    assert rsa_verifies(key, joined(pairs), signed.sign)


def test_string_to_sign_sorts_by_code_point():
    assert (
        string_to_sign([("b", "1"), ("B", "2"), ("a_b", "3"), ("aB", "4")]) == "B=2&aB=4&a_b=3&b=1"
    )


def test_app_auth_token_is_signed_though_its_name_reads_as_a_secret(key):
    pairs = [*REQUEST, ("app_auth_token", "201509BBeff9351ad1874306903e96b91d248A36")]
    signed = sign(pairs, private_pem(key))
    assert "app_auth_token=201509BBeff9351ad1874306903e96b91d248A36&" in signed.string_to_sign
    assert rsa_verifies(key, joined(pairs), signed.sign)


def test_a_pkcs1_private_key_signs_the_same_and_the_java_sdk_note_is_given(key):
    from diagnostics.alipay import compare_sign

    pkcs1 = compare_sign(REQUEST, private_pem(key, "TraditionalOpenSSL"))
    pkcs8 = compare_sign(REQUEST, private_pem(key))
    assert pkcs1.signed.sign == pkcs8.signed.sign == rsa_sign(key, joined(REQUEST))
    assert "private_key_pkcs1" in codes(pkcs1.findings)
    assert "private_key_pkcs1" not in codes(pkcs8.findings)
