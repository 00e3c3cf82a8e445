"""Baidu cashier rsaSign: SHA1withRSA checked with cryptography directly in each test."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, urlencode

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.baidu import (
    check_fen_amount,
    check_order_info,
    compare_sign,
    order_info_sign,
    read_params,
    sign,
    verify,
)

CALLBACK = [
    ("userId", "2147483647"),
    ("orderId", "800020342222"),
    ("unitPrice", "1"),
    ("count", "1"),
    ("totalMoney", "1"),
    ("payMoney", "1"),
    ("promoMoney", "0"),
    ("hbMoney", "0"),
    ("hbBalanceMoney", "0"),
    ("giftCardMoney", "0"),
    ("dealId", "470193086"),
    ("payTime", "1573144345"),
    ("promoDetail", ""),
    ("payType", "1087"),
    ("partnerId", "6000001"),
    ("status", "2"),
    ("tpOrderId", "2019110719315678"),
    ("returnData", ""),
]
# Sorted by name by hand, empty values kept (001 支付回调 2).
CALLBACK_STRING1 = (
    "count=1&dealId=470193086&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=800020342222"
    "&partnerId=6000001&payMoney=1&payTime=1573144345&payType=1087&promoDetail=&promoMoney=0"
    "&returnData=&status=2&totalMoney=1&tpOrderId=2019110719315678&unitPrice=1&userId=2147483647"
)
ORDER_INFO = {
    "dealId": "470193086",
    "appKey": "MMMabc",
    "totalAmount": "1",
    "tpOrderId": "2019110719315678",
    "dealTitle": "百度小程序Demo支付",
    "signFieldsRange": "1",
    "bizInfo": json.dumps({"tpData": {"appKey": "MMMabc"}}),
}


ORDER_FIELDS = ("appKey", "dealId", "totalAmount", "tpOrderId")


def bare_private(key) -> str:
    """A private key the way Baidu's console shows it: base64 with no header lines."""
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return base64.b64encode(der).decode()


def bare_public(key) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def sha1_rsa(key, text: str, algorithm=None) -> str:
    raw = key.sign(text.encode(), padding.PKCS1v15(), algorithm or hashes.SHA1())
    return base64.b64encode(raw).decode()


def sha1_verifies(key, text: str, signature: str) -> bool:
    try:
        key.public_key().verify(
            base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA1()
        )
    except InvalidSignature:
        return False
    return True


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def test_sign_sorts_by_name_and_signs_sha1_with_rsa(key):
    result = sign([("b", "2"), ("a", "1"), ("sign_type", "RSA"), ("c", "")], bare_private(key))
    assert result.string1 == "a=1&b=2&c="
    assert sha1_verifies(key, "a=1&b=2&c=", result.sign)
    assert result.sign == sha1_rsa(key, "a=1&b=2&c=")
    assert result.excluded == ("sign_type",)


def test_the_order_info_sign_covers_exactly_four_fields(key):
    result = order_info_sign(ORDER_INFO, bare_private(key))
    expected = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=2019110719315678"
    assert result.string1 == expected
    assert sha1_verifies(key, expected, result.sign)
    assert set(result.excluded) == {"dealTitle", "signFieldsRange", "bizInfo"}


def test_a_callback_verifies_over_all_post_parameters_empty_values_included(key):
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, CALLBACK_STRING1))])
    result = verify(body, bare_public(key))
    assert result.string1 == CALLBACK_STRING1
    assert result.valid is True
    assert "empty_values_signed" in codes(result.findings)


def test_get_parameters_in_the_callback_url_do_not_take_part(key):
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, CALLBACK_STRING1))])
    result = verify(body, bare_public(key), url="https://shop.example/notify?shop=7&from=bd")
    assert result.valid is True
    (finding,) = [f for f in result.findings if f.code == "get_params_not_signed"]
    assert "shop" in str(finding.message) and "from" in str(finding.message)


def test_the_callback_round_trip_holds_for_a_json_paste(key):
    document = dict(CALLBACK) | {"rsaSign": sha1_rsa(key, CALLBACK_STRING1)}
    assert verify(json.dumps(document), bare_public(key)).valid is True


def test_a_plus_decoded_as_a_space_in_rsasign_is_repaired(key):
    signature, pairs = "", CALLBACK
    for index in range(100):
        signature = sha1_rsa(key, CALLBACK_STRING1.replace("userId=2147483647", f"userId={index}"))
        if "+" in signature:
            pairs = [(n, str(index) if n == "userId" else v) for n, v in CALLBACK]
            break
    assert "+" in signature
    raw_body = "&".join(f"{n}={v}" for n, v in pairs) + "&rsaSign=" + signature  # "+" unescaped
    result = verify(raw_body, bare_public(key))
    assert result.valid is True
    assert "rsa_sign_plus_as_space" in codes(result.findings)


def drop_empty(pairs):
    return [(n, v) for n, v in pairs if v != ""]


def joined(pairs) -> str:
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


@pytest.mark.parametrize(
    ("make_string1", "code"),
    [
        (lambda: joined(drop_empty(CALLBACK)), "empty_values_dropped"),
        (lambda: joined([*CALLBACK, ("shop", "7")]), "get_params_included"),
    ],
)
def test_each_verify_mistake_is_found(key, make_string1, code):
    signed_string1 = make_string1()
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, signed_string1))])
    result = verify(body, bare_public(key), url="https://shop.example/notify?shop=7")
    assert result.valid is False
    assert {m.code: m.string1 for m in result.mistakes}[code] == signed_string1


def test_sign_type_in_the_verified_string_is_found(key):
    pairs = [*CALLBACK, ("sign_type", "RSA")]
    string1 = joined(pairs)
    body = urlencode([*pairs, ("rsaSign", sha1_rsa(key, string1))])
    result = verify(body, bare_public(key))
    assert {m.code: m.string1 for m in result.mistakes}["sign_type_included"] == string1


def test_urlencoded_values_are_found(key):
    pairs = [*CALLBACK[:-1], ("returnData", "a b/c")]
    string1 = joined([(n, quote(v, safe="")) for n, v in pairs])
    body = urlencode([*pairs, ("rsaSign", sha1_rsa(key, string1))])
    result = verify(body, bare_public(key))
    assert {m.code: m.string1 for m in result.mistakes}["values_urlencoded"] == string1


def test_sha256_in_place_of_sha1_is_found(key):
    signature = sha1_rsa(key, CALLBACK_STRING1, hashes.SHA256())
    result = verify(urlencode([*CALLBACK, ("rsaSign", signature)]), bare_public(key))
    assert {m.code: m.string1 for m in result.mistakes}["sha256_not_sha1"] == CALLBACK_STRING1


def test_a_pair_of_mistakes_is_found(key):
    string1 = joined(drop_empty([*CALLBACK, ("shop", "7")]))
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, string1))])
    result = verify(body, bare_public(key), url="https://shop.example/notify?shop=7")
    found = {m.code: m.string1 for m in result.mistakes}
    assert found["empty_values_dropped+get_params_included"] == string1


def test_a_callback_signed_by_another_key_names_the_public_key(key, other_key):
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(other_key, CALLBACK_STRING1))])
    result = verify(body, bare_public(key))
    assert (result.valid, result.mistakes) == (False, ())
    assert "public_key_or_params_wrong" in codes(result.findings)


def test_compare_sign_matches_the_merchants_correct_sign(key):
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=2019110719315678"
    result = compare_sign(ORDER_INFO, bare_private(key), sha1_rsa(key, string1), only=ORDER_FIELDS)
    assert result.matches is True


def test_an_rsasign_placeholder_signed_with_the_params_is_found(key):
    # A signature cannot cover itself, but an empty rsaSign placeholder in the dict can be signed.
    params = [("appKey", "MMMabc"), ("dealId", "470193086"), ("rsaSign", "")]
    string1 = "appKey=MMMabc&dealId=470193086&rsaSign="
    result = compare_sign(params, bare_private(key), sha1_rsa(key, string1))
    assert {m.code: m.string1 for m in result.mistakes}["rsa_sign_included"] == string1


def test_compare_sign_explains_an_order_info_sign_over_every_field(key):
    every_field = joined([(n, v) for n, v in ORDER_INFO.items()])
    result = compare_sign(
        ORDER_INFO,
        bare_private(key),
        sha1_rsa(key, every_field),
        only=ORDER_FIELDS,
    )
    assert result.matches is False
    assert {m.code: m.string1 for m in result.mistakes}["fields_not_order_info"] == every_field


def test_read_params_keeps_empty_values_and_decodes_plus_as_space():
    pairs, _ = read_params("a=&b=x+y&c=%2B")
    assert pairs == [("a", ""), ("b", "x y"), ("c", "+")]


@pytest.mark.parametrize(
    ("order_info", "code"),
    [
        ("not json", "order_info_not_json"),
        ("[1, 2]", "order_info_not_object"),
        (json.dumps(json.dumps(ORDER_INFO)), "order_info_is_string"),
        ({**ORDER_INFO, "bizInfo": {"tpData": {}}}, "biz_info_not_string"),
        ({**ORDER_INFO, "bizInfo": "tpData=1"}, "biz_info_not_json"),
        ({**ORDER_INFO, "totalAmount": "0.01"}, "amount_decimal"),
        ({k: v for k, v in ORDER_INFO.items() if k != "dealId"}, "field_missing"),
        (
            {**{k: v for k, v in ORDER_INFO.items() if k != "dealId"}, "dealID": "1"},
            "field_name_case",
        ),
        ({**ORDER_INFO, "signFieldsRange": "2"}, "sign_fields_range"),
    ],
)
def test_each_order_info_check_of_001_is_made(order_info, code):
    assert code in codes(check_order_info(order_info))


def test_a_good_order_info_has_only_the_missing_rsasign_finding():
    assert codes(check_order_info(ORDER_INFO)) == ["field_missing"]
    assert codes(check_order_info({**ORDER_INFO, "rsaSign": "x"})) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (100, None),
        ("100", None),
        ("1.00", "amount_decimal"),
        (1.5, "amount_decimal"),
        ("-1", "amount_not_integer"),
    ],
)
def test_refund_pay_money_is_whole_fen(value, code):
    finding = check_fen_amount("refundPayMoney", value)
    assert (finding.code if finding else None) == code


def test_a_yuan_amount_suggests_the_fen_value():
    finding = check_fen_amount("totalAmount", "0.01")
    assert finding is not None and "应传 1。" in str(finding.message)


def test_a_yuan_amount_is_explained_in_english(translator):
    translator(
        {
            "{name}=“{value}” 带小数点：金额以分为单位，不能有小数点。如果 {value} 是元，应传 {fen}。": (
                '{name}="{value}" has a decimal point: amounts are in fen. '
                "If {value} is in yuan, send {fen}."
            )
        }
    )
    finding = check_fen_amount("totalAmount", "0.01")
    assert finding is not None
    assert str(finding.message) == (
        'totalAmount="0.01" has a decimal point: amounts are in fen. If 0.01 is in yuan, send 1.'
    )


def test_a_pair_of_mistakes_is_explained_in_english(key, translator):
    translator(
        {
            "签名能这样复现：{mistakes}。": "The signature is reproduced this way: {mistakes}.",
            "，并且": ", and ",
            "空值参数没有参与签名（回调里的空值也要参与）": "empty values were left out",
            "URL 里的 GET 参数参与了签名": "the GET parameters in the URL were signed",
        }
    )
    string1 = joined(drop_empty([*CALLBACK, ("shop", "7")]))
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, string1))])
    result = verify(body, bare_public(key), url="https://shop.example/notify?shop=7")
    details = {m.code: str(m.detail) for m in result.mistakes}
    assert details["empty_values_dropped+get_params_included"] == (
        "The signature is reproduced this way: empty values were left out, and the GET parameters"
        " in the URL were signed."
    )


def test_a_departure_that_changes_nothing_is_never_reported_alone_or_in_a_pair(key):
    # dealTitle urlencodes differently, but the orderInfo sign does not cover it: urlencoding
    # changes none of the four signed values, so "urlencoded and SHA256" is just "SHA256".
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=2019110719315678"
    signature = sha1_rsa(key, string1, hashes.SHA256())
    result = compare_sign(ORDER_INFO, bare_private(key), signature, only=ORDER_FIELDS)
    assert [m.code for m in result.mistakes] == ["sha256_not_sha1"]


def test_a_mistake_card_marks_what_its_string1_changes(key):
    string1 = joined(
        drop_empty(CALLBACK)
    )  # empty values dropped: promoDetail= and returnData= gone
    body = urlencode([*CALLBACK, ("rsaSign", sha1_rsa(key, string1))])
    result = verify(body, bare_public(key))
    (card,) = [c for c in result.mistake_cards if c["mistake"].code == "empty_values_dropped"]
    diff = card["diff"]
    assert "".join(str(s.text) for s in diff.ours) == CALLBACK_STRING1
    assert "".join(str(s.text) for s in diff.theirs) == string1
    assert any(s.changed for s in diff.ours) and not diff.equal
