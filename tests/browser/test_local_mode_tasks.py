"""Local mode (本地计算) on the task workbenches that take a secret, in a real browser: APIv3
request signing, notification decryption, Baidu's rsaSign.

One journey per page (parametrised): every request the page makes is recorded (URL, headers,
body) and searched for the secret in every encoding a request could carry it in — for a private
key its PEM, its DER in base64 (at each of the three offsets inside a longer base64) and hex, and
its PKCS#8 form too; the result shown is the one cryptography computes here, independently.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, quote_plus

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.browser.test_local_mode_v2 import Recorder as V2Recorder

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000

APIV3_KEY = "Qm7Tz2Kd9Lp4Xv6Rb1Nc8Hs3Wf5Jg0Ya"
NOTIFICATION_DATA = {
    "mchid": "1900000109",
    "out_trade_no": "1217752501201407033233368018",
    "transaction_id": "1217752501201407033233368018",
    "trade_state": "SUCCESS",
    "amount": {"total": 100, "payer_total": 100, "currency": "CNY"},
    "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
}
URL = "/v3/pay/transactions/jsapi"
BODY = '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔"}'
TIMESTAMP, NONCE = "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242"
BAIDU_PARAMS = "appKey=MMMabc\ndealId=470193086\ntotalAmount=11300\ntpOrderId=3028903626"


@cache
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(fmt: serialization.PrivateFormat) -> str:
    return (
        private_key()
        .private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
        .decode()
    )


def der_forms() -> list[bytes]:
    """The key's DER, PKCS#1 and PKCS#8: the bytes a leak would carry whatever the paste was."""
    return [
        private_key().private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
        for fmt in (
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.PrivateFormat.PKCS8,
        )
    ]


def encodings(secret: str, ders: list[bytes]) -> dict[str, str]:
    """Every form a request could carry the secret in (a long secret by a distinctive middle)."""
    forms = {
        "raw": secret,
        "url": quote(secret, safe=""),
        "url_plus": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json_ascii": json.dumps(secret, ensure_ascii=True)[1:-1],
        "base64": base64.b64encode(secret.encode()).decode(),
        "hex": secret.encode().hex(),
    }
    for number, der in enumerate(ders):
        forms[f"der{number}_hex"] = der.hex()[40:200]
        for offset in range(3):
            # the DER's base64 inside a longer base64 text starts at one of three offsets
            text = base64.b64encode(b"x" * offset + der).decode()
            forms[f"der{number}_base64_{offset}"] = text[8:160]
            forms[f"der{number}_base64url_{offset}"] = (
                text[8:160].replace("+", "-").replace("/", "_")
            )
    return forms


class Recorder(V2Recorder):
    """Every request a page sends (the V2 journeys' recorder), searched for every form of a secret."""

    def assert_none_carries(self, forms: dict[str, str]) -> None:
        posts = self.posts()
        assert posts, "no form post was recorded"
        assert all(re.search(r'name="mode"\s+local\s', text) for text in posts), posts
        for name, form in forms.items():
            for text in self.seen:
                assert form not in text, f"the secret went out ({name}) in:\n{text[:300]}"


@dataclass(frozen=True)
class Journey:
    path: str
    secret_label: str
    secret: str
    fields: tuple[tuple[str, str], ...]
    shown: tuple[tuple[str, str], ...]  # (selector, text expected there)
    ders: tuple[bytes, ...] = ()


def v3_sign() -> Journey:
    message = f"POST\n{URL}\n{TIMESTAMP}\n{NONCE}\n{BODY}\n"
    signature = base64.b64encode(
        private_key().sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    authorization = (
        f'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="{NONCE}",'
        f'signature="{signature}",timestamp="{TIMESTAMP}",serial_no="{"5" * 40}"'
    )
    return Journey(
        "/wechat/v3/sign/",
        "商户私钥 apiclient_key.pem",
        pem(serialization.PrivateFormat.TraditionalOpenSSL),  # PKCS#1: wrapped in the browser
        (
            ("URL（路径和查询串）", URL),
            ("时间戳 timestamp", TIMESTAMP),
            ("随机串 nonce_str", NONCE),
            ("请求体 body", BODY),
            ("商户号 mchid", "1900000001"),
            ("商户证书序列号 serial_no", "5" * 40),
        ),
        (("#signature", signature), ("#authorization", authorization)),
        tuple(der_forms()),
    )


def baidu_sign() -> Journey:
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"
    signature = base64.b64encode(
        private_key().sign(string1.encode(), padding.PKCS1v15(), hashes.SHA1())
    ).decode()
    return Journey(
        "/baidu/sign/",
        "开发者私钥",
        pem(serialization.PrivateFormat.PKCS8),
        (("参数", BAIDU_PARAMS),),
        (("#string1", string1), ("#rsa-sign", signature)),
        tuple(der_forms()),
    )


def v3_decrypt() -> Journey:
    nonce, associated_data = "fdasflkja484", "transaction"
    plaintext = json.dumps(NOTIFICATION_DATA, ensure_ascii=False)
    sealed = AESGCM(APIV3_KEY.encode()).encrypt(
        nonce.encode(), plaintext.encode(), associated_data.encode()
    )
    notification = {
        "id": "EV-2018022511223320873",
        "event_type": "TRANSACTION.SUCCESS",
        "resource": {
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(sealed).decode(),
            "associated_data": associated_data,
            "nonce": nonce,
        },
    }
    pretty = json.dumps(NOTIFICATION_DATA, ensure_ascii=False, indent=2)
    return Journey(
        "/wechat/v3/decrypt/",
        "APIv3 密钥",
        APIV3_KEY,
        (("整段通知 JSON（或填下面三项）", json.dumps(notification)),),
        (
            ("#plaintext", pretty),
            (".verdict", "解密成功"),
            ("[data-code=personal_fields]", "payer.openid"),
        ),
    )


def v3_pay_sign() -> Journey:
    params = {
        "appId": "wx8888888888888888",
        "timeStamp": "1414561699",
        "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "package": "prepay_id=wx201410272009395522657a690389285100",
    }
    message = "".join(f"{value}\n" for value in params.values())  # 003 §3.2.2
    signature = base64.b64encode(
        private_key().sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    return Journey(
        "/wechat/v3/pay-sign/",
        "商户私钥（计算签名用，可选）",
        der_b64_pkcs8(),  # bare base64, no PEM lines
        (("调起支付的参数", "\n".join(f"{name}={value}" for name, value in params.items())),),
        (("#pay-sign", signature), ("#pay-sign-param", signature)),
        tuple(der_forms()),
    )


def der_b64_pkcs8() -> str:
    return base64.b64encode(der_forms()[1]).decode()


JOURNEYS = {
    "v3_sign": v3_sign,
    "v3_decrypt": v3_decrypt,
    "baidu_sign": baidu_sign,
    "v3_pay_sign": v3_pay_sign,
}


def fill(page, journey: Journey, *, run: bool = True) -> None:
    """Type the journey's fields and its secret (the secret last, as a merchant pastes the key
    once the request is in), and ask for the answer."""
    for label, value in journey.fields:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label(journey.secret_label, exact=True).fill(journey.secret)
    if run:
        page.get_by_role("button", name="计算 Run").click()


def expect_shown(page, journey: Journey) -> None:
    for selector, text in journey.shown:
        expect(page.locator(selector).first).to_contain_text(text, timeout=TIMEOUT)


@pytest.mark.parametrize("name", JOURNEYS)
def test_the_secret_stays_in_the_browser_and_the_result_is_the_servers(page, name):
    journey = JOURNEYS[name]()
    recorder = Recorder(page)
    page.goto(journey.path)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    secret = page.get_by_label(journey.secret_label, exact=True)
    expect(secret).not_to_have_attribute("name", re.compile("."))
    expect(
        page.get_by_text("本地计算：这个密钥只在本机浏览器里使用，不发送到服务器。")
    ).to_be_visible()
    fill(page, journey)
    expect_shown(page, journey)
    recorder.assert_none_carries(encodings(journey.secret, list(journey.ders)))


def test_a_damaged_key_gets_the_servers_sentence_and_goes_nowhere(page):
    recorder = Recorder(page)
    page.goto("/wechat/v3/sign/")
    lines = pem(serialization.PrivateFormat.PKCS8).strip().split("\n")
    middle = len(lines) // 2
    changed = lines[middle][:10] + ("A" if lines[middle][10] != "A" else "B") + lines[middle][11:]
    damaged = "\n".join([*lines[:middle], changed, *lines[middle + 1 :]])
    page.get_by_label("URL（路径和查询串）", exact=True).fill(URL)
    page.get_by_label("商户私钥 apiclient_key.pem", exact=True).fill(damaged)
    page.get_by_role("button", name="计算 Run").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("输入有问题", timeout=TIMEOUT)
    expect(alert).to_contain_text("这个私钥的结构能读出来，但数值自相矛盾")
    recorder.assert_none_carries(encodings(damaged, []))


def test_a_share_in_local_mode_holds_the_signature_and_no_key(page, open_page):
    journey = v3_sign()
    recorder = Recorder(page)
    page.goto(journey.path)
    fill(page, journey)
    signature = dict(journey.shown)["#signature"]
    expect(page.locator("#signature")).to_have_text(signature, timeout=TIMEOUT)
    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    link = page.locator("#share-url-input")
    expect(link).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(journey.secret, list(journey.ders)))
    other = open_page()
    other.goto(link.input_value().strip())
    expect(other.locator("#signature")).to_have_text(signature)
    assert "PRIVATE KEY" not in other.content()


def test_server_mode_is_chosen_and_labelled_and_sends_the_key(page):
    journey = baidu_sign()
    recorder = Recorder(page)
    page.goto(journey.path)
    page.get_by_role("radio", name=re.compile("服务器计算")).check()
    expect(page.get_by_text("服务器计算：密钥随这次请求发送到服务器")).to_be_visible()
    fill(page, journey)
    expect_shown(page, journey)
    assert any("BEGIN PRIVATE KEY" in text for text in recorder.seen)
    page.get_by_role("radio", name=re.compile("本地计算")).check()  # the choice is remembered


def test_without_javascript_a_task_page_computes_on_the_server_and_says_so(js_disabled_page):
    page = js_disabled_page
    journey = baidu_sign()
    page.goto(journey.path)
    expect(page.get_by_text(re.compile("服务器计算（本页没有运行 JavaScript）"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_hidden()
    fill(page, journey, run=False)
    with page.expect_navigation():
        page.get_by_role("button", name="计算 Run").click()
    for selector, text in journey.shown:
        expect(page.locator(selector).first).to_contain_text(text)
    assert "PRIVATE KEY" not in page.content()


def test_a_decryption_shared_in_local_mode_keeps_the_field_names_only(page, open_page):
    journey = v3_decrypt()
    recorder = Recorder(page)
    page.goto(journey.path)
    fill(page, journey, run=False)
    expect(page.locator(".verdict").first).to_contain_text("解密成功", timeout=TIMEOUT)
    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    link = page.locator("#share-url-input")
    expect(link).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(journey.secret, []))
    openid = NOTIFICATION_DATA["payer"]["openid"]
    assert not any(openid in text for text in recorder.seen)  # the plaintext stayed here too
    other = open_page()
    other.goto(link.input_value().strip())
    expect(other.locator("main")).to_contain_text("payer.openid")
    assert openid not in other.content()


def sensitive_decrypt() -> Journey:
    plaintext = "张三"
    sealed = (
        private_key()
        .public_key()
        .encrypt(
            plaintext.encode(),
            padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
        )
    )
    return Journey(
        "/wechat/v3/sensitive/",
        "商户私钥 apiclient_key.pem（解密用；检查时可选）",
        pem(serialization.PrivateFormat.PKCS8),
        (("密文（解密用）", base64.b64encode(sealed).decode()),),
        (("#plaintext", plaintext), (".verdict", "解密成功")),
        tuple(der_forms()),
    )


def test_a_sensitive_field_opens_in_the_browser_and_a_pkcs1_one_is_named(page):
    journey = sensitive_decrypt()
    recorder = Recorder(page)
    page.goto(journey.path)
    page.get_by_label("要做什么").select_option("decrypt")
    fill(page, journey)
    expect_shown(page, journey)
    # PKCS#1 v1.5 (not WeChat Pay's scheme): the server's sentence, found with BigInt here.
    v15 = private_key().public_key().encrypt("张三".encode(), padding.PKCS1v15())
    page.get_by_label("密文（解密用）", exact=True).fill(base64.b64encode(v15).decode())
    page.get_by_role("button", name="计算 Run").click()
    expect(page.get_by_role("alert")).to_contain_text("PKCS#1 v1.5", timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(journey.secret, list(journey.ders)))


def test_a_select_named_mode_does_not_switch_the_computation(page):
    page.goto("/baidu/sign/")
    page.get_by_role("radio", name=re.compile("服务器计算")).check()
    page.get_by_label("签名范围").select_option("all")
    expect(page.get_by_role("radio", name=re.compile("服务器计算"))).to_be_checked()
    page.reload()
    expect(page.get_by_role("radio", name=re.compile("服务器计算"))).to_be_checked()
    page.get_by_role("radio", name=re.compile("本地计算")).check()
