"""Paste anything, one journey per kind the box recognises: the paste on the home page, one post,
and the answer on the target page — computed where the paste holds what it needs, its fields
filled where it does not — with JavaScript and without (the same form post). Expected values are
computed here (hashlib, cryptography), never read from the page under test."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_inspect import answer, paste_on_home
from tests.web import keys
from tests.web import test_inspect as web_inspect

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect

V2_KEY = "Hq4Tz8Nc2Lm6Rw1Yb5Kd9Vf3Jp7Xs0Ge"
PRIVATE_KEY_LINE = keys.private_pem().splitlines()[1]


@dataclass
class Journey:
    name: str
    paste: str
    shown: list[str] = field(default_factory=list)  # texts the answer (#result / main) shows
    values: dict[str, str] = field(default_factory=dict)  # the target form's filled fields
    secrets: list[str] = field(default_factory=list)  # never in the page
    button: str = ""  # the answer lists the paste: the button that takes this route
    asks: bool = False  # the target page asks for a secret the paste does not hold (a 400)


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


def pay_call() -> Journey:
    """A JSAPI pay call (002 §4.4) with a paySign made here, and the API key beside it."""
    params = {
        "appId": "wx2421b1c4370ec43b",
        "timeStamp": "1732760000",
        "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
        "package": "prepay_id=wx2017033010242291fcfe0db70013231072",
        "signType": "MD5",
    }
    string1 = "&".join(f"{name}={params[name]}" for name in sorted(params))
    pay_sign = md5_upper(f"{string1}&key={V2_KEY}")
    literal = json.dumps({**params, "paySign": pay_sign})
    return Journey("pay call", f"{literal}\nkey={V2_KEY}", [pay_sign], secrets=[V2_KEY])


def refund_notification() -> Journey:
    """req_info sealed here: AES-256-ECB, PKCS#7, under the lower-case hex MD5 of the API key."""
    root = (
        "<root><out_refund_no><![CDATA[R-INSPECT-7]]></out_refund_no>"
        "<out_trade_no><![CDATA[T-INSPECT-7]]></out_trade_no>"
        "<refund_status><![CDATA[SUCCESS]]></refund_status>"
        "<refund_fee><![CDATA[1]]></refund_fee></root>"
    )
    padder = sym_padding.PKCS7(128).padder()
    padded = padder.update(root.encode()) + padder.finalize()
    aes_key = hashlib.md5(V2_KEY.encode()).hexdigest().encode()
    encryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).encryptor()
    req_info = base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()
    xml = (
        "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
        "<mch_id><![CDATA[10000100]]></mch_id><nonce_str><![CDATA[TeqClE3i0mvn3DrK]]></nonce_str>"
        f"<req_info><![CDATA[{req_info}]]></req_info></xml>"
    )
    return Journey(
        "V2 refund notification", f"{xml}\nkey={V2_KEY}", ["R-INSPECT-7"], secrets=[V2_KEY]
    )


def payscore_jump() -> Journey:
    """000 #2: the mini-program's extraData for the 开启服务页, with the API key above it."""
    sign = web_inspect.payscore_sign(V2_KEY)
    extra = json.dumps({**web_inspect.PAYSCORE_ENABLE, "sign": sign})
    paste = f"api_key={V2_KEY}\nwx.navigateToMiniProgram extraData: {extra}"
    return Journey("Pay Score jump", paste, [sign], secrets=[V2_KEY])


SIGN_401 = {
    "code": "SIGN_ERROR",
    "message": "签名错误，请检查后再试",
    "detail": {
        "field": "signature",
        "location": "authorization",
        "sign_information": {
            "method": "POST",
            "url": "/v3/pay/transactions/jsapi",
            "truncated_sign_message": "POST\n/v3/pay/transactions/jsapi\n1554208460\n"
            '593BEC0C930BF1AFEB40B4A08C8FB242\n{"appid"\n',
            "sign_message_length": 274,
        },
    },
}


def wechatpay_headers() -> Journey:
    """A signed response: Wechatpay-* headers, the body, and the platform certificate."""
    timestamp, nonce = str(int(time.time())), "c5ac7061fccab6bf3e254dcf98995b8c"
    body = '{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}'
    signature = keys.sign_sha256(f"{timestamp}\n{nonce}\n{body}\n")
    headers = (
        f"Wechatpay-Timestamp: {timestamp}\nWechatpay-Nonce: {nonce}\n"
        f"Wechatpay-Signature: {signature}\nWechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    )
    return Journey(
        "Wechatpay headers", f"{headers}\n\n{body}\n\n{keys.certificate_pem()}", ["签名验证通过"]
    )


BAIDU_ORDER = {
    "dealId": "470193086",
    "appKey": "MMMabc",
    "totalAmount": "1",
    "tpOrderId": "3028903626",
    "dealTitle": "百度小程序Demo",
    "signFieldsRange": "1",
}


def baidu_order_info() -> Journey:
    """The cashier's rsaSign: SHA1withRSA over exactly appKey, dealId, totalAmount, tpOrderId
    sorted (001), computed here with the same private key pasted beside the orderInfo."""
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=3028903626"
    paste = json.dumps(BAIDU_ORDER, ensure_ascii=False) + "\n\n" + keys.private_pem()
    return Journey("Baidu orderInfo", paste, [keys.sign_sha1(string1)], secrets=[PRIVATE_KEY_LINE])


def baidu_callback() -> Journey:
    """A callback signed here over every POST parameter but rsaSign, sorted, empty ones too."""
    params = {
        "unitPrice": "800", "orderId": "800020711", "payTime": "1573469065",
        "dealId": "470193086", "tpOrderId": "3028903626", "count": "1", "totalMoney": "1",
        "userId": "3897827", "promoDetail": "", "payMoney": "1", "status": "2",
    }  # fmt: skip
    string1 = "&".join(f"{name}={params[name]}" for name in sorted(params))
    query = "&".join(f"{name}={value}" for name, value in params.items())
    rsa_sign = keys.sign_sha1(string1)
    from urllib.parse import quote

    paste = f"{query}&rsaSign={quote(rsa_sign, safe='')}\n\n{keys.public_pem()}"
    return Journey("Baidu callback", paste, ["回调验签通过"])


JAVA_TRACE = (
    "com.wechat.pay.java.core.exception.ServiceException: Wrong HttpStatusCode[401]\n"
    'httpResponseBody[{"code":"SIGN_ERROR","message":"签名错误"}]\n'
    "\tat com.wechat.pay.java.core.http.AbstractHttpClient.validateResponse(AbstractHttpClient.java:69)\n"
    "\tat com.example.pay.OrderService.prepay(OrderService.java:88)"
)
V3_RESOURCE = web_inspect.V3_RESOURCE
V3_NOTIFICATION = web_inspect.V3_NOTIFICATION
NOTIFICATION_HEADERS = {
    "timestamp": "1554209980",
    "nonce": "c5ac7061fccab6bf3e254dcf98995b8c",
    "signature": "QUJDRA==",
    "serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
}
NOTIFICATION = (
    "POST /wxpay/notify HTTP/1.1\nHost: shop.example.com\nContent-Type: application/json\n"
    + "".join(
        f"Wechatpay-{name.title()}: {value}\n" for name, value in NOTIFICATION_HEADERS.items()
    )
    + "\n"
    + V3_NOTIFICATION
)


def journeys() -> list[Journey]:
    return [
        pay_call(),
        payscore_jump(),
        refund_notification(),
        Journey(
            "APIv3 401 sign_information",
            "返回：\n" + json.dumps(SIGN_401, ensure_ascii=False),
            ["与 401 应答的 sign_information 逐行对比", "/v3/pay/transactions/jsapi"],
        ),
        Journey(
            "APIv3 error JSON",
            '{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/total"}}',
            ["PARAM_ERROR", "微信支付 APIv3"],
        ),
        wechatpay_headers(),
        baidu_order_info(),
        baidu_callback(),
        Journey(
            "Java SDK stack trace",
            "线上报错了：\n" + JAVA_TRACE,
            ["SIGN_ERROR", "微信支付 APIv3", "com.wechat.pay.java"],
        ),
        Journey(
            "APIv3 notification: verification",
            NOTIFICATION,
            values={**NOTIFICATION_HEADERS, "body": V3_NOTIFICATION},
            button="去 验证应答或回调签名",
            asks=True,
        ),
        Journey(
            "APIv3 notification: decryption",
            NOTIFICATION,
            values={name: V3_RESOURCE[name] for name in ("associated_data", "nonce", "ciphertext")},
            button="解密通知的 resource",
            asks=True,
        ),
    ]


JOURNEYS = journeys()


def follow(page, journey: Journey, allow: Callable[[str], None]) -> None:
    if journey.asks:  # the page that asks for the key answers 400, with the message
        allow(r"status of 400")
    paste_on_home(page, journey.paste)
    if journey.button:
        expect(page.locator(".inspect-part")).to_have_count(1)
        page.get_by_role("button", name=journey.button).click()
    for text in journey.shown:
        expect(answer(page)).to_contain_text(text)
    for name, value in journey.values.items():
        expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    content = page.content()
    for secret in journey.secrets:
        assert secret not in content


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("journey", JOURNEYS, ids=[j.name for j in JOURNEYS])
def test_a_paste_reaches_its_answer_in_one_post(
    open_page, allow_console_error, journey: Journey, javascript: bool
) -> None:
    page = open_page(java_script_enabled=javascript)
    follow(page, journey, allow_console_error)


def test_with_javascript_the_box_shows_the_parts_in_place_and_a_button_goes_on(
    open_page, allow_console_error
) -> None:
    """htmx: filling the box lists what it holds on the home page (no page load); a button
    submits the box to the chosen page."""
    allow_console_error(r"status of 400")
    page = open_page()
    page.goto("/")
    page.locator("#inspect-text").fill(NOTIFICATION)
    part = page.locator("#inspect-answer .inspect-part")
    expect(part).to_contain_text("wechat_v3_notification")
    assert page.url.endswith("/")
    part.get_by_role("button", name="解密通知的 resource").click()
    expect(page.locator('[name="nonce"]')).to_have_value(V3_RESOURCE["nonce"])


def test_on_a_phone_the_home_page_says_what_the_box_takes_in_the_first_screen(open_page) -> None:
    """390×844: the box, what it accepts and its button are in the first screen, nothing wider."""
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    for locator in (page.locator("#inspect-text"), page.locator("#inspect-hint")):
        expect(locator).to_be_in_viewport()
    expect(page.get_by_role("button", name="识别并计算")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "inspect-home-phone-first-screen.png"))
