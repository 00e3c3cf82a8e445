"""The 401 SIGN_ERROR comparison, from the merchant's side: the 401 body they paste, the verdict.

The bodies below are written the way WeChat Pay answers (shape seen in real answers quoted in
wechatpay-apiv3/wechatpay-go issue #235 and in the APIv3 guide's "如何定位错误的签名"): the
sign_information holds method, url, sign_message_length (bytes) and truncated_sign_message, the
message with its body cut to the first 8 characters and a "\\n" put after the cut. Every expected
message is built by hand here.
"""

from __future__ import annotations

import json

import pytest

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v3 import compare_sign_error, parse_sign_error

TS = "1554208460"
NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242"
JSAPI = "/v3/pay/transactions/jsapi"
ORDER = {
    "appid": "wxd678efh567hg6787",
    "mchid": "1230000109",
    "description": "Image形象店-深圳腾大-QQ公仔",
    "out_trade_no": "1217752501201407033233368018",
    "amount": {"total": 100, "currency": "CNY"},
}
COMPACT = json.dumps(ORDER, ensure_ascii=False, separators=(",", ":"))
SPACED = json.dumps(ORDER, ensure_ascii=False)  # ", " and ": ", as Python writes it by default


def wechat_message(method: str, url: str, body: str, ts: str = TS, nonce: str = NONCE) -> str:
    return method + "\n" + url + "\n" + ts + "\n" + nonce + "\n" + body + "\n"


def answer_401(method: str, url: str, body: str, ts: str = TS, nonce: str = NONCE) -> str:
    """What WeChat Pay answers when the request (method, url, body as sent) fails to verify."""
    whole = wechat_message(method, url, body, ts, nonce)
    head = method + "\n" + url + "\n" + ts + "\n" + nonce + "\n"
    shown = whole if len(body) <= 8 else head + body[:8] + "\n"
    return json.dumps(
        {
            "code": "SIGN_ERROR",
            "detail": {
                "detail": {"issue": "sign not match"},
                "field": "signature",
                "location": "authorization",
                "sign_information": {
                    "method": method,
                    "sign_message_length": len(whole.encode("utf-8")),
                    "truncated_sign_message": shown,
                    "url": url,
                },
            },
            "message": "错误的签名，验签失败",
        },
        ensure_ascii=False,
        indent=2,
    )


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def test_timestamp_and_nonce_left_empty_are_read_from_the_401_body():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT)
    assert result.message == wechat_message("POST", JSAPI, COMPACT)
    assert (result.timestamp, result.nonce) == (TS, NONCE)
    assert set(result.from_401) == {"timestamp", "nonce"}
    assert result.consistent
    assert str(result.verdict) == "微信支付收到的签名串与你这里的一致：问题在签名值或私钥/证书。"


def test_the_401_body_alone_gives_method_and_url_too():
    sent = answer_401("GET", "/v3/certificates", "")
    result = compare_sign_error(sent)
    assert result.message == "GET\n/v3/certificates\n" + TS + "\n" + NONCE + "\n\n"
    assert result.from_401 == ("method", "url", "timestamp", "nonce")
    assert result.consistent


def test_the_newline_wechat_puts_after_the_cut_body_is_not_a_difference():
    sent = answer_401("POST", JSAPI, COMPACT)
    info = parse_sign_error(sent)
    assert info.body_cut and info.truncated_sign_message.endswith('{"appid"\n')
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT)
    assert result.first_difference is None and result.consistent


def test_spaces_after_colons_are_named_when_wechat_received_compact_json():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=SPACED, timestamp=TS)
    assert not result.consistent
    assert codes(result.explanations) == ["json_serialised_differently"]
    assert "冒号、逗号后有空格" in str(result.explanations[0].message)
    theirs = len(wechat_message("POST", JSAPI, COMPACT).encode())
    ours = len(wechat_message("POST", JSAPI, SPACED).encode())
    assert str(result.verdict) == (
        "微信支付收到的签名串与你这里的不一致：第 5 行（请求体）不同——"
        f"微信支付收到的签名串长 {theirs} 字节，你这里 {ours} 字节。"
    )


def test_compact_json_signed_while_wechat_received_spaces_is_named():
    sent = answer_401("POST", JSAPI, SPACED)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT)
    assert codes(result.explanations) == ["json_serialised_differently"]
    assert "你签名的是紧凑 JSON" in str(result.explanations[0].message)


def test_another_key_order_is_named_and_the_body_line_is_the_first_difference():
    reordered = json.dumps(
        {"mchid": ORDER["mchid"], **{k: v for k, v in ORDER.items() if k != "mchid"}},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    sent = answer_401("POST", JSAPI, reordered)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT)
    assert "json_key_order" in codes(result.explanations)
    assert str(result.verdict) == "微信支付收到的签名串与你这里的不一致：第 5 行（请求体）不同。"
    first = [row for row in result.rows if row.first]
    assert [(row.number, row.part) for row in first] == [(5, "BODY")]
    difference = result.first_difference
    assert (difference.line, difference.column) == (5, 3)  # {"m… against {"a…
    assert (str(difference.theirs_named), str(difference.ours_named)) == ("“m”", "“a”")


def test_a_query_string_missing_from_the_signed_url_is_named():
    url = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    sent = answer_401("GET", url, "")
    result = compare_sign_error(
        sent, method="GET", url="/v3/pay/transactions/out-trade-no/1217752501201407033233368018"
    )
    assert codes(result.explanations)[0] == "query_not_signed"
    assert "?mchid=1230000109" in str(result.explanations[0].message)
    assert str(result.verdict) == "微信支付收到的签名串与你这里的不一致：第 2 行（URL）不同。"
    assert str(result.first_difference.ours_named) == "（这一行到此结束）"


def test_a_trailing_newline_in_the_signed_body_is_named():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT + "\n")
    assert codes(result.explanations) == ["body_trailing_newline"]


def test_a_timestamp_taken_twice_is_named_with_both_values():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(
        sent, method="POST", url=JSAPI, body=COMPACT, timestamp="1554208461", nonce=NONCE
    )
    assert codes(result.explanations) == ["timestamp_differs"]
    message = str(result.explanations[0].message)
    assert "1554208461" in message and TS in message
    assert str(result.verdict) == "微信支付收到的签名串与你这里的不一致：第 3 行（时间戳）不同。"
    assert result.from_401 == ()


def test_a_different_nonce_is_named():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT, nonce="abc")
    assert "nonce_differs" in codes(result.explanations)
    assert str(result.verdict).endswith("第 4 行（随机串）不同。")


def test_a_host_in_the_typed_url_is_named_when_everything_else_agrees():
    sent = answer_401("GET", "/v3/certificates", "")
    result = compare_sign_error(
        sent, method="GET", url="https://api.mch.weixin.qq.com/v3/certificates"
    )
    assert result.consistent
    assert codes(result.explanations) == ["host_signed"]


def test_invisible_characters_are_named_not_printed_as_blanks():
    body = '{"a":"x y"}'
    sent = answer_401("POST", "/v3/x", body)  # 11 characters: cut after 8
    result = compare_sign_error(sent, method="POST", url="/v3/x", body='{"a":"x\u00a0y"}')
    named = str(result.first_difference.ours_named)
    assert "NO-BREAK SPACE" in named and "U+00A0" in named
    assert str(result.first_difference.theirs_named) == "“␠”（SPACE，U+0020）"


def test_chinese_sent_in_another_encoding_is_named_by_the_length():
    body = '{"description":"腾讯充值中心"}'
    wrong = answer_401("POST", JSAPI, body)
    # WeChat Pay counted one byte per character: the body did not go out as UTF-8.
    sent = wrong.replace(
        f'"sign_message_length": {len(wechat_message("POST", JSAPI, body).encode())}',
        f'"sign_message_length": {len(wechat_message("POST", JSAPI, body))}',
    )
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=body)
    assert codes(result.explanations) == ["body_not_utf8"]


def test_rows_put_each_line_side_by_side_with_the_cut_marked():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(sent, method="POST", url=JSAPI, body=COMPACT)
    assert [row.part for row in result.rows] == ["METHOD", "URL", "TIMESTAMP", "NONCE", "BODY"]
    assert [row.cut for row in result.rows] == [False, False, False, False, True]
    assert not any(row.differs for row in result.rows)


# --- the shapes a merchant pastes -------------------------------------------------------------


def test_the_guide_shape_with_issue_beside_sign_information_is_read():
    # The APIv3 guide prints detail.issue next to detail.sign_information (no nested detail).
    url = "/v3/payscore/user-service-state?service_id=500001&appid=wxeaf7bf1de621b0c2"
    message = "GET\n" + url + "\n1559194069\n18a427e78d2344e1a71156a2690cc4d6\n\n"
    body = json.dumps(
        {
            "code": "SIGN_ERROR",
            "message": "错误的签名，验签失败",
            "detail": {
                "field": "signature",
                "issue": "sign not match",
                "location": "authorization",
                "sign_information": {
                    "method": "GET",
                    "url": url,
                    "truncated_sign_message": message,
                    "sign_message_length": len(message.encode()),
                },
            },
        }
    )
    result = compare_sign_error(body)
    assert result.message == message and result.consistent


def test_an_sdk_printout_around_the_body_is_read():
    message = "GET\n/v3/certificates\n1721639012\n0deQ381ci7pNj9lUyMHW\n\n"
    body = json.dumps(
        {
            "detail": {"issue": "sign not match"},
            "field": "signature",
            "location": "authorization",
            "sign_information": {
                "method": "GET",
                "sign_message_length": len(message.encode()),
                "truncated_sign_message": message,
                "url": "/v3/certificates",
            },
        },
        indent=2,
    )
    printed = (
        'error http response:[StatusCode: 401 Code: "SIGN_ERROR"\n'
        "Message: 错误的签名，验签失败\nDetail:\n" + body + "\n]"
    )
    result = compare_sign_error(printed)
    assert (result.timestamp, result.nonce) == ("1721639012", "0deQ381ci7pNj9lUyMHW")
    assert result.consistent


def test_a_log_that_escaped_the_newlines_twice_is_read():
    message = "GET\\n/v3/certificates\\n1721639012\\nN0NCE\\n\\n"  # backslash and n, literally
    body = json.dumps(
        {
            "sign_information": {
                "method": "GET",
                "url": "/v3/certificates",
                "truncated_sign_message": message,
            }
        }
    )
    result = compare_sign_error(body)
    assert result.message == "GET\n/v3/certificates\n1721639012\nN0NCE\n\n"


def test_a_401_without_sign_information_is_refused_in_words():
    with pytest.raises(ParseError) as caught:
        compare_sign_error('{"code":"SIGN_ERROR","message":"Http头Authorization值格式错误"}')
    assert caught.value.code == "sign_information_missing"


def test_a_timestamp_and_a_reserialised_body_are_both_named():
    sent = answer_401("POST", JSAPI, COMPACT)
    result = compare_sign_error(
        sent, method="POST", url=JSAPI, body=SPACED, timestamp="1554208461", nonce=NONCE
    )
    assert codes(result.explanations) == ["timestamp_differs", "json_serialised_differently"]
