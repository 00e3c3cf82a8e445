"""Issue 11 #3, #4: the V2 headline names the cause a merchant can act on, and never says "all good"
over a payment WeChat will refuse. Signs are computed here with hashlib, as the merchant's back
end would have computed them."""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
PACKAGE = "prepay_id=wx201410272009395522657a690389285100"


def md5_sign(pairs: dict[str, str], key: str = KEY) -> str:
    string1 = "&".join(f"{name}={pairs[name]}" for name in sorted(pairs) if pairs[name])
    return hashlib.md5(f"{string1}&key={key}".encode()).hexdigest().upper()


def jsapi(**values: str) -> dict[str, str]:
    return {
        "appId": "wx2421b1c4370ec43b",
        "timeStamp": "1414561699",
        "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "package": PACKAGE,
        "signType": "MD5",
        **values,
    }


def lines(pairs: dict[str, str]) -> str:
    return "\n".join(f"{name}={value}" for name, value in pairs.items())


def headline(body: str) -> str:
    match = re.search(r'<div class="verdict[^"]*"[^>]*>(.*?)</div>', body, re.S)
    assert match, "no verdict"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def post(client, pairs: dict[str, str], pay_sign: str) -> str:
    raw = lines({**pairs, "paySign": pay_sign})
    return client.post("/wechat/v2/jsapi/sign", {"raw": raw, "key": KEY}).content.decode()


def test_a_millisecond_timestamp_signed_in_seconds_is_named_not_the_key(client):
    signed = md5_sign(jsapi(timeStamp="1414561699"))  # the back end signed seconds
    body = post(client, jsapi(timeStamp="1414561699123"), signed)  # the page sent milliseconds
    top = headline(body)
    assert "timeStamp=1414561699" in top and "timeStamp=1414561699123" in top
    assert 'data-code="timestamp_format"' in body
    assert "wrong_key" not in body and "重新设置" not in body


def test_app_style_lower_case_names_signed_for_a_jsapi_call_are_named(client):
    # The back end signed with the JSAPI names; the pasted call carries App-style names.
    signed = md5_sign(jsapi())
    pasted = jsapi()
    pasted["timestamp"] = pasted.pop("timeStamp")
    pasted["noncestr"] = pasted.pop("nonceStr")
    body = post(client, pasted, signed)
    assert 'data-code="name_case"' in body and "wrong_key" not in body
    assert "timeStamp=1414561699" in headline(body)


def test_a_sign_type_sent_differently_from_the_one_signed_is_named(client):
    signed = md5_sign(jsapi(signType="MD5"))
    body = post(client, jsapi(signType="HMAC-SHA256"), signed)
    top = headline(body)
    assert "signType=MD5" in top and "wrong_key" not in body


def test_a_consistent_sign_over_a_millisecond_timestamp_is_not_a_green_headline(client):
    pairs = jsapi(timeStamp="1414561699123")
    body = post(client, pairs, md5_sign(pairs))
    assert 'data-verdict="consistent_but_refused"' in body
    assert "签名一致" not in headline(body).replace("签名自洽", "")
    assert "13 位的毫秒时间戳" in headline(body)


def test_the_key_is_blamed_last_and_never_told_to_be_reset(client):
    body = post(client, jsapi(), md5_sign(jsapi(), key="another-merchants-key-0123456789a"))
    assert 'data-code="wrong_key"' in body
    assert "不要急着重设密钥" in body and "重新设置" not in body


def test_a_consistent_sign_with_nothing_blocking_stays_green(client):
    body = post(client, jsapi(), md5_sign(jsapi()))
    assert 'data-verdict="match"' in body


def test_the_corrected_request_is_the_paste_with_the_right_sign(client):
    pairs = jsapi()
    raw = json.dumps({**pairs, "paySign": "0" * 32})
    body = client.post("/wechat/v2/jsapi/sign", {"raw": raw, "key": KEY}).content.decode()
    corrected = json.loads(
        unescape(re.search(r'<pre id="corrected">(.*?)</pre>', body, re.S).group(1))
    )
    assert corrected == {**pairs, "paySign": md5_sign(pairs)}


def test_the_api_gives_the_corrected_request_in_the_pasted_xml(client):
    pairs = {
        "appid": "wx2421b1c4370ec43b",
        "mch_id": "10000100",
        "nonce_str": "abc",
        "body": "test",
    }
    xml = "<xml>" + "".join(f"<{n}>{v}</{n}>" for n, v in pairs.items()) + "<sign>00</sign></xml>"
    answer = client.post(
        "/api/v1/wechat/v2/sign",
        json.dumps({"raw": xml, "key": KEY}),
        content_type="application/json",
    ).json()
    expected = "<xml>\n" + "\n".join(f"<{n}>{v}</{n}>" for n, v in pairs.items())
    assert answer["corrected"] == expected + f"\n<sign>{md5_sign(pairs)}</sign>\n</xml>"


def test_a_mistake_card_marks_what_differs_from_the_correct_string1(client):
    pairs = jsapi()
    unsorted = "&".join(f"{name}={value}" for name, value in pairs.items())
    their_sign = hashlib.md5(f"{unsorted}&key={KEY}".encode()).hexdigest().upper()
    body = post(client, pairs, their_sign)
    assert 'data-code="not_sorted"' in body
    assert re.search(r'<pre class="diff-line" data-diff="theirs">.*<mark class="del">', body)


def test_an_apiv3_pay_sign_that_verifies_over_a_refused_package_is_not_green(client):
    from tests.web import keys

    params = {
        "appId": "wx2421b1c4370ec43b",
        "timeStamp": "1395712654",
        "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
        "package": "Sign=WXPay",  # the App value, in a JSAPI call
        "signType": "RSA",
    }
    message = "".join(f"{params[name]}\n" for name in ("appId", "timeStamp", "nonceStr", "package"))
    params["paySign"] = keys.sign_sha256(message)
    body = client.post(
        "/wechat/v3/pay-sign/run",
        {"scene": "jsapi", "params": json.dumps(params), "public_key": keys.certificate_pem()},
    ).content.decode()
    assert 'data-verdict="consistent_but_refused"' in body
    assert "package 应为 prepay_id=" in headline(body)
    assert 'class="verdict good"' not in body


def test_the_orders_sign_reused_as_pay_sign_is_named_as_the_cause(client):
    order_sign = "C380BEC2BFD727A4B6845133519F3AD6"  # what the unified order answer carried
    raw = lines({**jsapi(), "sign": order_sign, "paySign": order_sign})
    body = client.post("/wechat/v2/jsapi/sign", {"raw": raw, "key": KEY}).content.decode()
    assert 'data-code="order_sign_reused"' in body
    assert "wrong_key" not in headline(body)


def test_seconds_sent_but_milliseconds_signed_is_named_too(client):
    signed = md5_sign(jsapi(timeStamp="1414561699487"))  # the back end signed Date.now()
    body = post(client, jsapi(timeStamp="1414561699"), signed)  # the page sent seconds
    top = headline(body)
    assert "timeStamp=1414561699487" in top and "wrong_key" not in top
