"""Every mistake of the searches injected (signed with cryptography in the test) and found:
the request's sign, the gateway's echoed string, a notification as pasted or as the merchant's
code verified it, a re-serialised response."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlencode

import pytest

from diagnostics.alipay import compare_sign, gateway_string, verify_notification, verify_response
from tests.diagnostics.alipay.helpers import (
    REQUEST,
    joined,
    node_vectors,
    private_pem,
    public_pem,
    rsa_sign,
)

BIZ = dict(REQUEST)["biz_content"]


def with_value(pairs, name, value):
    return [(n, value if n == name else v) for n, v in pairs]


def without(pairs, *names):
    return [(n, v) for n, v in pairs if n not in names]


def found(comparison) -> list[str]:
    return [mistake.code for mistake in comparison.mistakes]


# --- the request's sign ---------------------------------------------------------------------


def test_the_right_sign_matches_and_nothing_is_searched(key):
    comparison = compare_sign(
        REQUEST, private_pem(key), expected_sign=rsa_sign(key, joined(REQUEST))
    )
    assert comparison.matches is True and comparison.mistakes == ()


def signed_as(key, pairs, *, encode=None, sort=True, keep_empty=False, **options) -> str:
    """The merchant's mistaken string, built by hand, signed with cryptography."""
    chosen = [(n, v) for n, v in pairs if n != "sign" and (keep_empty or v != "")]
    if sort:
        chosen.sort()
    return rsa_sign(
        key, "&".join(f"{n}={encode(v) if encode else v}" for n, v in chosen), **options
    )


REQUEST_WITH_EMPTY = [*REQUEST, ("return_url", "")]
CERT_REQUEST = [
    *REQUEST,
    ("app_cert_sn", "866efef280dec9137a87d047ac446315"),
    ("alipay_root_cert_sn", "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"),
]
SPACED = with_value(REQUEST, "biz_content", json.dumps(json.loads(BIZ), ensure_ascii=False))


@pytest.mark.parametrize(
    ("params", "theirs", "code"),
    [
        (REQUEST, lambda k: signed_as(k, REQUEST, encode=quote_plus), "values_urlencoded"),
        (
            REQUEST,
            lambda k: signed_as(k, REQUEST, encode=lambda v: quote(v, safe="-_.!~*'()")),
            "values_urlencoded",
        ),
        (REQUEST, lambda k: signed_as(k, without(REQUEST, "sign_type")), "sign_type_left_out"),
        (
            REQUEST_WITH_EMPTY,
            lambda k: signed_as(k, REQUEST_WITH_EMPTY, keep_empty=True),
            "empty_values_kept",
        ),
        (
            REQUEST,
            lambda k: signed_as(
                k,
                with_value(REQUEST, "biz_content", json.dumps(json.loads(BIZ), ensure_ascii=False)),
            ),
            "biz_content_spaces",
        ),
        (
            REQUEST,
            lambda k: signed_as(
                k,
                with_value(
                    REQUEST, "biz_content", json.dumps(json.loads(BIZ), separators=(",", ":"))
                ),
            ),
            "biz_content_escaped",
        ),
        (
            REQUEST,
            lambda k: signed_as(
                k,
                with_value(
                    REQUEST,
                    "biz_content",
                    json.dumps(
                        json.loads(BIZ), ensure_ascii=False, separators=(",", ":"), sort_keys=True
                    ),
                ),
            ),
            "biz_content_key_order",
        ),
        (SPACED, lambda k: signed_as(k, REQUEST), "biz_content_compacted"),
        (
            with_value(REQUEST, "charset", "GBK"),
            lambda k: signed_as(k, with_value(REQUEST, "charset", "GBK")),
            "charset_swapped",
        ),
        (REQUEST, lambda k: signed_as(k, REQUEST, gbk=True), "charset_swapped"),
        (REQUEST, lambda k: signed_as(k, REQUEST, sha1=True), "digest_swapped"),
        (CERT_REQUEST, lambda k: signed_as(k, REQUEST), "cert_sns_left_out"),
        (REQUEST, lambda k: rsa_sign(k, "&".join(f"{n}={v}" for n, v in REQUEST)), "not_sorted"),
        (
            REQUEST,
            lambda k: signed_as(k, without(REQUEST, "sign_type"), sha1=True),
            "sign_type_left_out+digest_swapped",
        ),
        (
            REQUEST,
            lambda k: signed_as(k, REQUEST, encode=quote_plus, sha1=True),
            "values_urlencoded+digest_swapped",
        ),
    ],
)
def test_each_request_mistake_is_found_from_the_sign_it_gives(key, params, theirs, code):
    comparison = compare_sign(params, private_pem(key), expected_sign=theirs(key))
    assert comparison.matches is False
    assert found(comparison)[0] == code
    mistake, signed = comparison.mistakes[0], comparison.signed
    assert (mistake.string_to_sign, mistake.charset, mistake.sign_type) != (
        signed.string_to_sign,
        signed.charset,
        signed.sign_type,
    )
    assert mistake.fixes


def test_a_sign_from_another_key_is_not_explained_by_any_mistake(key, other_key):
    comparison = compare_sign(
        REQUEST, private_pem(key), expected_sign=rsa_sign(other_key, joined(REQUEST))
    )
    assert comparison.matches is False and comparison.mistakes == ()
    assert "sign_not_reproduced" in {f.code for f in comparison.findings}


def test_a_pasted_sign_url_encoded_or_with_spaces_for_plus_is_read_as_sent(key):
    right = rsa_sign(key, joined(REQUEST))
    assert compare_sign(REQUEST, private_pem(key), expected_sign=quote_plus(right)).matches
    assert compare_sign(REQUEST, private_pem(key), expected_sign=right.replace("+", " ")).matches


# --- the gateway's answer -------------------------------------------------------------------


def test_the_node_sdk_sub_msg_gives_the_gateway_string_unescaped():
    # alipay/alipay-sdk-nodejs-all src/alipay.ts, the isv.invalid-signature answer in its comment
    vector = node_vectors()["gateway_answer"]
    assert gateway_string(vector["sub_msg"]) == vector["string"]
    answer = json.dumps(
        {
            "alipay_security_risk_content_analyze_response": {
                "code": "40002",
                "sub_code": "isv.invalid-signature",
                "sub_msg": vector["sub_msg"],
            },
            "sign": "x",
        },
        ensure_ascii=False,
    )
    assert gateway_string(answer) == vector["string"]
    assert gateway_string("没有那句话") is None


GATEWAY_SAYS = "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为："


def answer_for(string: str) -> str:
    """The gateway's answer as the merchant gets it: JSON, the string HTML-escaped in sub_msg."""
    response = {
        "code": "40002",
        "msg": "Invalid Arguments",
        "sub_code": "isv.invalid-signature",
        "sub_msg": GATEWAY_SAYS + html.escape(string, quote=False),
    }
    return json.dumps({"alipay_trade_create_response": response}, ensure_ascii=False)


def test_a_sub_msg_copied_out_of_the_json_text_ends_at_its_closing_quote():
    copied = answer_for('biz_content={"a":"b"}&c=1').split('"sub_msg": "', 1)[1]
    assert gateway_string(copied) == 'biz_content={"a":"b"}&c=1'


def test_an_equal_gateway_string_puts_the_blame_on_the_key(key):
    comparison = compare_sign(
        REQUEST,
        private_pem(key),
        expected_sign=rsa_sign(key, joined(REQUEST)),
        gateway_answer=answer_for(joined(REQUEST)),
    )
    assert comparison.gateway.equal
    codes = {f.code for f in comparison.findings}
    assert {"gateway_string_equal", "key_not_uploaded"} <= codes


def test_a_different_gateway_string_is_diffed_character_by_character(key):
    arrived = joined(with_value(REQUEST, "timestamp", "2014-07-24+03:07:50"))
    comparison = compare_sign(REQUEST, private_pem(key), gateway_answer=answer_for(arrived))
    gateway = comparison.gateway
    assert not gateway.equal and gateway.string == arrived
    assert gateway.diff.first_difference == arrived.index("+03:07")
    assert "gateway_string_differs" in {f.code for f in comparison.findings}


def test_a_gateway_string_with_encoded_values_is_named(key):
    arrived = "&".join(f"{n}={quote_plus(v)}" for n, v in sorted(REQUEST))
    comparison = compare_sign(REQUEST, private_pem(key), gateway_answer=answer_for(arrived))
    assert comparison.gateway.explained_by == ("values_urlencoded",)


# --- notifications: what to undo in the paste for Alipay's sign to verify ----------------------

NOTIFY = {
    "app_id": "2015102700040153",
    "buyer_logon_id": "a+b@example.com",
    "charset": "utf-8",
    "fund_bill_list": '[{"amount":"2.00","fundChannel":"ALIPAYACCOUNT"}]',
    "gmt_create": "2016-07-19 14:10:44",
    "out_trade_no": "0719141034-6418",
    "subject": "大乐透2.1",
    "total_amount": "2.00",
    "version": "1.0",
}


def alipay_signed(key, params=NOTIFY, **options) -> dict[str, str]:
    string = "&".join(f"{n}={v}" for n, v in sorted(params.items()) if v)
    return {**params, "sign_type": "RSA2", "sign": rsa_sign(key, string, **options)}


def repaired(key, pasted) -> list[str]:
    result = verify_notification(pasted, public_pem(key))
    assert not result.valid
    return [m.code for m in result.mistakes]


def test_html_escaped_fund_bill_list_is_found(key):
    sent = alipay_signed(key)
    pasted = {**sent, "fund_bill_list": html.escape(sent["fund_bill_list"])}
    assert "&quot;" in pasted["fund_bill_list"]
    assert repaired(key, pasted)[0] == "values_html_escaped"


def test_a_plus_turned_into_a_space_is_found(key):
    sent = alipay_signed(key)
    assert repaired(key, {**sent, "buyer_logon_id": "a b@example.com"})[0] == "plus_as_space"


def test_values_left_encoded_are_found(key):
    sent = alipay_signed(key)
    pasted = {
        **sent,
        "subject": quote_plus(sent["subject"]),
        "gmt_create": quote(sent["gmt_create"]),
    }
    assert repaired(key, pasted)[0] == "not_decoded"


def form_body_values(params: dict[str, str]) -> list[tuple[str, str]]:
    """The pieces of a real application/x-www-form-urlencoded body (urlencode writes a space as
    "+", as Alipay's POST does): what a handler that never decodes the body hands over."""
    body = urlencode(params)
    return [tuple(piece.split("=", 1)) for piece in body.split("&")]


@pytest.mark.parametrize("shape", ["lines", "mapping"])
def test_a_notification_never_decoded_is_found_as_not_decoded(key, shape):
    string = "&".join(f"{n}={v}" for n, v in sorted(NOTIFY.items()))  # the decoded values
    sent = {**NOTIFY, "sign_type": "RSA2", "sign": rsa_sign(key, string)}
    pieces = form_body_values(sent)
    assert ("gmt_create", "2016-07-19+14%3A10%3A44") in pieces  # a time's space is a "+"
    pasted = "\n".join(f"{n}={v}" for n, v in pieces) if shape == "lines" else dict(pieces)
    assert repaired(key, pasted) == ["not_decoded"]


def test_a_parameter_alipay_did_not_sign_is_found_by_name(key):
    sent = alipay_signed(key)
    result = verify_notification({**sent, "id": "42"}, public_pem(key))
    assert [m.code for m in result.mistakes][0] == "param_added"
    assert "id" in str(result.mistakes[0].detail)


def test_an_empty_value_alipay_signed_is_found(key):
    params = {**NOTIFY, "body": ""}
    string = "&".join(f"{n}={v}" for n, v in sorted(params.items()))
    sent = {**params, "sign_type": "RSA2", "sign": rsa_sign(key, string)}
    assert repaired(key, sent)[0] == "empty_values_signed"


def test_a_sha1_sign_under_sign_type_rsa2_is_found(key):
    assert repaired(key, alipay_signed(key, sha1=True))[0] == "digest_swapped"


# --- notifications: the string the merchant's code verified ---------------------------------

SLIP_NOTIFY = {**NOTIFY, "passback_params": "merchantBizType%3d3C%26merchantBizNo%3d2016010101111"}


def their(
    params: dict[str, str], change=lambda v: v, *, drop="", sign_type=False, keep_order=False
) -> str:
    chosen = [
        (n, change(v)) for n, v in params.items() if n not in ("sign", "sign_type", drop) and v
    ]
    if sign_type:
        chosen.append(("sign_type", "RSA2"))
    if not keep_order:
        chosen.sort()
    return "&".join(f"{n}={v}" for n, v in chosen)


@pytest.mark.parametrize(
    ("their_string", "code"),
    [
        (their(SLIP_NOTIFY, unquote), "decoded_twice"),
        (their(SLIP_NOTIFY, unquote_plus), "decoded_twice"),  # PHP urldecode, Java URLDecoder
        (their(SLIP_NOTIFY, quote_plus), "not_decoded"),
        (their(SLIP_NOTIFY, lambda v: v.replace("+", " ")), "plus_as_space"),
        (their(SLIP_NOTIFY, html.escape), "values_html_escaped"),
        (their(SLIP_NOTIFY, drop="fund_bill_list"), "param_dropped"),
        (their(SLIP_NOTIFY, sign_type=True), "sign_type_signed"),
        (their(SLIP_NOTIFY, keep_order=True), "not_sorted"),
    ],
)
def test_each_slip_in_the_merchants_own_string_is_named(key, their_string, code):
    sent = alipay_signed(key, SLIP_NOTIFY)
    result = verify_notification(sent, public_pem(key), their_string=their_string)
    assert result.valid  # Alipay's sign is right; the merchant's code built another string
    assert [m.code for m in result.mistakes] == [code]
    assert not result.their_diff.equal


def test_the_raw_body_gives_the_exact_undecoded_string(key):
    from urllib.parse import urlencode

    sent = alipay_signed(key, SLIP_NOTIFY)
    body = urlencode(sent)
    raw = dict(piece.split("=", 1) for piece in body.split("&"))
    string = "&".join(f"{n}={raw[n]}" for n in sorted(SLIP_NOTIFY))
    result = verify_notification(body, public_pem(key), their_string=string)
    assert [m.code for m in result.mistakes] == ["not_decoded"]


# --- the 应用公钥 pasted as the 支付宝公钥 ----------------------------------------------------


def test_the_app_public_key_pasted_as_alipay_key_is_named(key, other_key):
    from diagnostics.core.keys import load_private_key, load_public_key

    sent = alipay_signed(other_key)  # Alipay's key is other_key; the merchant's is key
    for app_key in (load_private_key(private_pem(key)), load_public_key(public_pem(key))):
        result = verify_notification(sent, public_pem(key), app_key=app_key)
        assert not result.valid
        assert "app_public_key_used" in {f.code for f in result.findings}
    result = verify_notification(
        sent, public_pem(other_key), app_key=load_public_key(public_pem(key))
    )
    assert result.valid and result.findings == ()


# --- responses ------------------------------------------------------------------------------


def test_a_response_pasted_after_a_parse_and_dump_is_found_and_the_original_given(key):
    original = '{"code":"10000","msg":"Success","qr_code":"https:\\/\\/qr.alipay.com\\/bax0"}'
    body = (
        '{"alipay_trade_precreate_response":'
        + original
        + ',"sign":"'
        + rsa_sign(key, original)
        + '"}'
    )
    pasted = json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
    assert "\\/" not in pasted
    result = verify_response(pasted, public_pem(key))
    assert not result.valid
    assert [m.code for m in result.mistakes] == ["response_reserialised"]
    assert result.mistakes[0].string_to_sign == original


def test_a_response_with_escaped_chinese_re_dumped_raw_is_found(key):
    original = '{"code":"10000","buyer_name":"\\u5f20\\u4e09"}'
    body = (
        '{"alipay_trade_query_response":' + original + ',"sign":"' + rsa_sign(key, original) + '"}'
    )
    pasted = json.dumps(json.loads(body), ensure_ascii=False)
    result = verify_response(pasted, public_pem(key))
    assert [m.code for m in result.mistakes] == ["response_reserialised"]


def test_a_plain_text_sub_msg_keeps_the_quotes_of_biz_content():
    string = 'app_id=1&biz_content={"a":"b"}&version=1.0'
    assert gateway_string(GATEWAY_SAYS + string.replace("&", "&amp;")) == string
    assert gateway_string('"sub_msg":"' + GATEWAY_SAYS + 'a=1&amp;b=2"}}') == "a=1&b=2"


def test_only_biz_content_url_encoded_is_found_by_name(key):
    theirs = signed_as(key, with_value(REQUEST, "biz_content", quote_plus(BIZ)))
    comparison = compare_sign(REQUEST, private_pem(key), expected_sign=theirs)
    assert found(comparison)[0] == "values_urlencoded"
    assert "biz_content" in str(comparison.mistakes[0].detail)


def test_an_echoed_string_pasted_unescaped_keeps_names_that_look_like_html_entities():
    # "&not" and "&times" are HTML legacy entities without ";": a plain & before notify_url or
    # timestamp must stay as it is, and the escaped form still reads back.
    string = "app_id=1&notify_url=https://x/n&timestamp=2014-07-24 03:07:50&version=1.0"
    assert gateway_string(GATEWAY_SAYS + string) == string
    assert gateway_string(answer_for(string)) == string
