"""Local mode (本地计算, issue 17) on Alipay's request-sign page, server side: the browser gets the
string to sign, its hash and (GBK) its bytes, and the request to send around the sign; a pasted
sign and the gateway's string are judged with the key's public half as server mode judges them
with the 应用私钥 (same verdict, same mistake cards, same findings)."""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import parse_qsl

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from tests.diagnostics.wechat_v3.test_local_mode import local_data, pre_text
from tests.web import keys

pytestmark = pytest.mark.django_db

UTF8_PARAMS = (
    "app_id=2014072300007148\nmethod=alipay.trade.page.pay\ncharset=utf-8\nsign_type=RSA2\n"
    "timestamp=2026-11-28 12:00:00\nversion=1.0\n"
    'biz_content={"out_trade_no":"20261128001","total_amount":"88.88","subject":"测试商品"}'
)
UTF8_STRING = (
    'app_id=2014072300007148&biz_content={"out_trade_no":"20261128001","total_amount":"88.88",'
    '"subject":"测试商品"}&charset=utf-8&method=alipay.trade.page.pay&sign_type=RSA2'
    "&timestamp=2026-11-28 12:00:00&version=1.0"
)
GBK_PARAMS = UTF8_PARAMS.replace("charset=utf-8", "charset=GBK").replace("RSA2", "RSA")
GBK_STRING = UTF8_STRING.replace("charset=utf-8", "charset=GBK").replace("RSA2", "RSA")


def sign(message: bytes, algorithm: hashes.HashAlgorithm) -> str:
    raw = keys.private_key().sign(message, padding.PKCS1v15(), algorithm)
    return base64.b64encode(raw).decode()


def verdict(body: str) -> list[tuple[str, str]]:
    """The verdict and the codes a reader sees (a <template> is not shown)."""
    shown = re.sub(r"<template.*?</template>", "", body, flags=re.DOTALL)
    return re.findall(r'class="(verdict [a-z]+)"|data-code="([a-z_0-9]+)"', shown)


def pkcs1_pem() -> str:
    return (
        keys.private_key()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        .decode()
    )


RIGHT_UTF8 = sign(UTF8_STRING.encode(), hashes.SHA256())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (UTF8_PARAMS, RIGHT_UTF8),  # right
        (UTF8_PARAMS, sign(UTF8_STRING.encode(), hashes.SHA1())),  # RSA signed for RSA2
        (UTF8_PARAMS, sign(UTF8_STRING.encode("gbk"), hashes.SHA256())),  # GBK bytes, UTF-8 sent
        (UTF8_PARAMS, sign(b"other", hashes.SHA256())),  # nothing explains it
        (UTF8_PARAMS, "not base64 !"),
        (UTF8_PARAMS, ""),
        (GBK_PARAMS, sign(GBK_STRING.encode("gbk"), hashes.SHA1())),  # right, GBK
        (GBK_PARAMS, sign(GBK_STRING.encode(), hashes.SHA1())),  # UTF-8 bytes for GBK
    ],
)
def test_local_mode_judges_a_pasted_sign_as_server_mode(client, params, expected):
    form = {"params": params, "expected_sign": expected}
    server = client.post("/alipay/sign/run", {**form, "private_key": keys.private_pem()})
    local = client.post(
        "/alipay/sign/run",
        {**form, "mode": ["local", "auto"], "local_public_key": keys.public_pem()},
    )
    assert server.status_code == local.status_code == 200
    server_body, local_body = server.content.decode(), local.content.decode()
    assert verdict(server_body) == verdict(local_body)
    assert keys.private_pem() not in local_body
    data = local_data(local_body)["sign"]
    gbk = params == GBK_PARAMS
    string = GBK_STRING if gbk else UTF8_STRING
    assert data["message"] == string
    assert data["hash"] == ("SHA-1" if gbk else "SHA-256")
    message = base64.b64decode(data["bytes"]) if gbk else string.encode()
    assert message == string.encode("gbk" if gbk else "utf-8")
    # The browser's sign, put where the server mode answer has it, gives the same page text.
    made = sign(message, hashes.SHA1() if gbk else hashes.SHA256())
    assert pre_text(server_body, "sign") == made
    head, tail, encoding = data["fills"]["corrected"]
    assert encoding == "url"
    corrected = head + made.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D") + tail
    assert corrected == pre_text(server_body, "corrected")
    assert dict(parse_qsl(corrected))["sign"] == made


def test_the_sign_the_browser_posts_back_is_kept_when_it_is_the_keys(client):
    form = {"params": UTF8_PARAMS, "mode": ["local", "auto"], "local_public_key": keys.public_pem()}
    for posted, kept in ((RIGHT_UTF8, RIGHT_UTF8), (sign(b"other", hashes.SHA256()), "")):
        body = client.post("/alipay/sign/run", {**form, "local_signature": posted}).content.decode()
        assert pre_text(body, "sign") == kept
        assert dict(parse_qsl(pre_text(body, "corrected"))).get("sign", "") == kept


def test_the_gateway_string_and_a_pkcs1_key_read_as_in_server_mode(client):
    answer = (
        '{"alipay_trade_page_pay_response":{"code":"40002","sub_code":"isv.invalid-signature",'
        '"sub_msg":"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：'
        + html.escape(UTF8_STRING.replace("88.88", "88.80"))
        + '"}}'
    )
    form = {"params": UTF8_PARAMS, "gateway_answer": answer, "expected_sign": RIGHT_UTF8}
    server = client.post("/alipay/sign/run", {**form, "private_key": pkcs1_pem()})
    local = client.post(
        "/alipay/sign/run",
        {
            **form,
            "mode": ["local", "auto"],
            "local_public_key": keys.public_pem(),
            "local_key_format": "PEM PKCS#1",
        },
    )
    server_body, local_body = server.content.decode(), local.content.decode()
    assert verdict(server_body) == verdict(local_body)
    assert 'data-equal="false"' in local_body
    assert "private_key_pkcs1" in local_body and "gateway_string_differs" in local_body


def test_local_mode_without_a_key_posts_nothing_secret_and_still_shows_the_string(client):
    body = client.post(
        "/alipay/sign/run", {"params": UTF8_PARAMS, "mode": ["local", "auto"]}
    ).content.decode()
    assert pre_text(body, "string-to-sign") == UTF8_STRING
    assert local_data(body)["sign"] is None


def test_the_page_offers_local_mode(client):
    body = client.get("/alipay/sign/").content.decode()
    assert "data-local-mode" in body and "data-local-secret" in body
