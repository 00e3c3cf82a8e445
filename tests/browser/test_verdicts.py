"""Issue 11 in a real browser: the headline a merchant reads is the cause they can act on.

Textareas are filled as a person pastes (the browser itself submits CRLF line breaks); signs are
computed here independently (hashlib, cryptography)."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.diagnostics.wechat_v3.test_sign_error import answer_401
from tests.web import keys

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 10_000
KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"


def md5_sign(pairs: dict[str, str]) -> str:
    string1 = "&".join(f"{name}={pairs[name]}" for name in sorted(pairs) if pairs[name])
    return hashlib.md5(f"{string1}&key={KEY}".encode()).hexdigest().upper()


def jsapi(time_stamp: str) -> dict[str, str]:
    return {
        "appId": "wx2421b1c4370ec43b",
        "timeStamp": time_stamp,
        "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "package": "prepay_id=wx201410272009395522657a690389285100",
        "signType": "MD5",
    }


def paste_jsapi(page, pairs: dict[str, str], pay_sign: str) -> None:
    page.goto("/wechat/v2/jsapi/")
    text = "\n".join(f"{name}={value}" for name, value in {**pairs, "paySign": pay_sign}.items())
    page.get_by_label("你发送的参数").fill(text)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_role("button", name="计算签名 Sign").click()


def test_a_pretty_printed_body_signed_correctly_is_correct_in_the_browser(page):
    body = json.dumps({"appid": "wx2421b1c4370ec43b", "amount": {"total": 100}}, indent=2)
    message = f"POST\n/v3/pay/transactions/jsapi\n1554208460\nNONCE0123456789\n{body}\n"
    page.goto("/wechat/v3/sign/")
    page.get_by_label("URL（路径和查询串）").fill("/v3/pay/transactions/jsapi")
    page.get_by_label("时间戳 timestamp").fill("1554208460")
    page.get_by_label("随机串 nonce_str").fill("NONCE0123456789")
    page.get_by_label("请求体 body").fill(body)  # the browser will send it with CRLF
    page.get_by_label("商户私钥 apiclient_key.pem").fill(keys.private_pem())
    page.get_by_label("你得到的签名（可选）").fill(keys.sign_sha256(message))
    page.get_by_role("button", name="计算 Run").click()
    result = page.locator("#result")
    expect(result).to_contain_text("签名串和你发送的一致", timeout=TIMEOUT)
    expect(result).not_to_contain_text("缩进")


def test_a_millisecond_timestamp_signed_in_seconds_is_the_headline_not_the_key(page):
    paste_jsapi(page, jsapi("1414561699123"), md5_sign(jsapi("1414561699")))
    verdict = page.locator("#result .verdict").first
    expect(verdict).to_contain_text("timeStamp=1414561699", timeout=TIMEOUT)
    expect(page.locator("#result")).not_to_contain_text("重新设置")
    expect(page.locator('#result [data-code="wrong_key"]')).to_have_count(0)


def test_a_consistent_sign_over_a_millisecond_timestamp_is_not_green(page):
    pairs = jsapi("1414561699123")
    paste_jsapi(page, pairs, md5_sign(pairs))
    verdict = page.locator("#result .verdict").first
    expect(verdict).to_contain_text("签名自洽，但微信会拒绝", timeout=TIMEOUT)
    expect(verdict).to_contain_text("毫秒")
    expect(page.locator("#result .verdict.good")).to_have_count(0)


def test_a_401_body_alone_gives_the_headline_without_a_private_key(page):
    # WeChat Pay received compact JSON; the merchant signed (and pastes) the spaced one.
    order = {"appid": "wxd678efh567hg6787", "mchid": "1230000109", "amount": {"total": 100}}
    compact = json.dumps(order, separators=(",", ":"))
    url, ts, nonce = "/v3/pay/transactions/jsapi", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242"
    answer = answer_401("POST", url, compact, ts, nonce)
    page.goto("/wechat/v3/sign/")
    page.get_by_label("请求体 body").fill(json.dumps(order))
    page.get_by_label("微信支付返回的 401 SIGN_ERROR（可选）").fill(answer)
    page.get_by_role("button", name="计算 Run").click()
    verdict = page.locator("#result .verdict").first
    expect(verdict).to_contain_text("不一致：第 5 行（请求体）不同", timeout=TIMEOUT)
    expect(page.locator("#result .verdict.good")).to_have_count(0)
