"""/wechat/v3/sign/ with a 401 SIGN_ERROR body: the merchant reads WeChat Pay's verdict first.

Issue 11 item 2: with timestamp and nonce left empty the page signed with the current time and
headlined "私钥不是一对"; with them filled in a green headline sat above a red difference; the
private key was required even to compare. The 401 bodies are written as WeChat Pay answers them
(the body cut to 8 characters, a "\\n" after the cut, sign_message_length in bytes).
"""

from __future__ import annotations

import base64
import json
import re
from html import unescape

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.diagnostics.wechat_v3.test_sign_error import answer_401 as build_401
from tests.web import keys

TS = "1554208460"
NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242"
URL = "/v3/pay/transactions/jsapi"
ORDER = {"appid": "wxd678efh567hg6787", "mchid": "1230000109", "amount": {"total": 100}}
COMPACT = json.dumps(ORDER, separators=(",", ":"))
SPACED = json.dumps(ORDER)


def wechat_message(body: str, ts: str = TS, nonce: str = NONCE) -> str:
    return "POST\n" + URL + "\n" + ts + "\n" + nonce + "\n" + body + "\n"


def answer_401(body: str) -> str:
    """WeChat Pay's 401 for a POST of ``body`` to URL (the builder the engine tests use)."""
    return build_401("POST", URL, body)


def form(**values: str) -> dict[str, str]:
    data = {
        "method": "POST",
        "url": URL,
        "timestamp": "",
        "nonce": "",
        "body": COMPACT,
        "private_key": keys.private_pem(),
        "mchid": "1900009191",
        "serial_no": "",
        "certificate": "",
        "their_signature": "",
        "sign_error": answer_401(COMPACT),
    }
    return data | values


def headline(page: str) -> str:
    """The text of the first verdict on the page: what the merchant reads first."""
    match = re.search(r'<div class="verdict[^"]*"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no verdict"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def other_signature(message: str) -> str:
    """A signature by a key that is not the one pasted: what a wrong apiclient_key.pem gives."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raw = other.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def test_empty_timestamp_and_nonce_are_taken_from_the_401_and_the_headline_is_the_comparison(
    client,
):
    message = wechat_message(COMPACT)
    page = client.post(
        "/wechat/v3/sign/run", form(their_signature=other_signature(message))
    ).content.decode()
    assert headline(page).startswith(
        "微信支付收到的签名串与你这里的一致：问题在签名值或私钥/证书。"
    )
    assert "多半是签名用的私钥" not in page
    # The page says where the values came from, and signs with them (not with the clock).
    assert "表单里没有填、取自 401 应答的" in text(page) and TS in text(page)
    signed = unescape(re.search(r'id="sign-message"[^>]*>(.*?)</pre>', page, re.S).group(1))
    assert TS in signed and NONCE in signed
    assert "这里用的是当前时间" not in page


def test_a_signature_that_verifies_here_never_turns_the_headline_green_over_a_difference(
    client,
):
    # The merchant signed the spaced JSON and sent the compact one.
    mine = wechat_message(SPACED)
    page = client.post(
        "/wechat/v3/sign/run",
        form(
            body=SPACED,
            timestamp=TS,
            nonce=NONCE,
            their_signature=keys.sign_sha256(mine),
        ),
    ).content.decode()
    theirs, ours = len(wechat_message(COMPACT).encode()), len(mine.encode())
    assert headline(page).startswith(
        "微信支付收到的签名串与你这里的不一致：第 5 行（请求体）不同——"
        f"微信支付收到的签名串长 {theirs} 字节，你这里 {ours} 字节。"
    )
    assert "冒号、逗号后有空格" in headline(page)
    assert "verdict good" not in page and "签名串和你发送的一致" not in page


def test_the_first_difference_is_highlighted_in_a_side_by_side_table(client):
    page = client.post(
        "/wechat/v3/sign/run", form(timestamp="1554208461", nonce=NONCE)
    ).content.decode()
    assert headline(page).startswith(
        "微信支付收到的签名串与你这里的不一致：第 3 行（时间戳）不同。"
    )
    row = re.search(
        r'<tr class="differs first-difference" data-part="TIMESTAMP">(.*?)</tr>', page, re.S
    )
    assert row, "the timestamp row is not the highlighted one"
    assert '<mark class="del">' in row.group(1) and '<mark class="ins">' in row.group(1)
    assert page.count("first-difference") == 1


def test_no_private_key_is_needed_to_compare_a_401_body(client):
    page = client.post(
        "/wechat/v3/sign/run", form(private_key="", url="", method="")
    ).content.decode()
    assert headline(page).startswith("微信支付收到的签名串与你这里的一致")
    assert 'id="signature"' not in page and 'id="authorization"' not in page
    assert "没有填写私钥：只做了 401 对比" in page


def test_without_a_401_body_the_key_is_still_required(client):
    response = client.post("/wechat/v3/sign/run", form(private_key="", sign_error=""))
    assert response.status_code == 400
    assert "请填写商户私钥" in response.content.decode()


def test_the_comparison_comes_as_a_fragment_for_htmx(client):
    response = client.post("/wechat/v3/sign/run", form(private_key=""), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert headline(page).startswith("微信支付收到的签名串与你这里的一致")


def test_the_api_compares_a_401_body_without_a_private_key(client):
    payload = {"body": SPACED, "sign_error": answer_401(COMPACT)}
    response = client.post(
        "/api/v1/wechat/v3/sign", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["message"] == wechat_message(SPACED)
    assert answer["signature"] is None and answer["authorization"] is None
    compared = answer["sign_error"]
    assert compared["consistent"] is False
    assert compared["verdict"].startswith("微信支付收到的签名串与你这里的不一致：第 5 行")
    assert [e["code"] for e in compared["explanations"]] == ["json_serialised_differently"]
    assert compared["from_401"] == ["method", "url", "timestamp", "nonce"]
    assert compared["wechat_message_length"] == len(wechat_message(COMPACT).encode())


def test_the_api_still_signs_with_a_key_and_compares_too(client):
    payload = {
        "body": COMPACT,
        "sign_error": answer_401(COMPACT),
        "private_key": keys.private_pem(),
    }
    answer = client.post(
        "/api/v1/wechat/v3/sign", json.dumps(payload), content_type="application/json"
    ).json()
    assert answer["message"] == wechat_message(COMPACT)
    assert keys.verify(answer["message"], answer["signature"])
    assert answer["sign_error"]["consistent"] is True


def test_the_api_without_a_401_body_names_what_is_missing(client):
    payload = {"url": URL, "timestamp": TS, "nonce": NONCE}
    response = client.post(
        "/api/v1/wechat/v3/sign", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert "private_key" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_shared_comparison_shows_the_same_headline_and_table(client):
    response = client.post(
        "/wechat/v3/sign/run", form(body=SPACED, timestamp=TS, nonce=NONCE, share="1")
    )
    match = re.search(
        r'id="share-url-input" readonly value="http://testserver(/d/[^"]+)"',
        response.content.decode(),
    )
    assert match, "no share link"
    shared = client.get(match.group(1)).content.decode()
    assert headline(shared).startswith("微信支付收到的签名串与你这里的不一致：第 5 行（请求体）")
    assert 'data-part="BODY"' in shared and "PRIVATE KEY" not in shared
