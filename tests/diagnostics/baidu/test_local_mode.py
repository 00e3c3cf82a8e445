"""Local mode (本地计算, issue 17) on Baidu's rsaSign page, server side: the browser gets string1
and the orderInfo around the rsaSign, and a pasted rsaSign is judged with the key's public half
as server mode judges it with the private key (same verdict, same mistake cards)."""

from __future__ import annotations

import html
import json
import re

import pytest
from cryptography.hazmat.primitives import hashes

from tests.diagnostics.wechat_v3.test_local_mode import local_data, sign
from tests.web import keys

pytestmark = pytest.mark.django_db

PARAMS = "appKey=MMMabc\ndealId=470193086\ntotalAmount=11300\ntpOrderId=3028903626\nrsaSign=old"
STRING1 = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"


def verdict(body: str) -> list[str]:
    """The verdict and the codes a reader sees (a <template> is not shown)."""
    shown = re.sub(r"<template.*?</template>", "", body, flags=re.DOTALL)
    return re.findall(r'class="(verdict [a-z]+)"|data-code="([a-z_0-9]+)"', shown)


@pytest.mark.parametrize(
    "expected",
    [
        sign(STRING1, hashes.SHA1()),  # right
        sign(STRING1, hashes.SHA256()),  # sha256_not_sha1
        sign(STRING1 + "&rsaSign=old", hashes.SHA1()),  # rsa_sign_included
        sign("other", hashes.SHA1()),  # nothing explains it
        "",
    ],
)
def test_local_mode_judges_a_pasted_rsa_sign_as_server_mode(client, expected):
    form = {"mode": "order_info", "params": PARAMS, "expected_sign": expected}
    server = client.post("/baidu/sign/run", {**form, "private_key": keys.private_pem()})
    local = client.post(
        "/baidu/sign/run",
        {**form, "mode": ["local", "order_info"], "local_public_key": keys.public_pem()},
    )
    assert server.status_code == local.status_code == 200
    server_body, local_body = server.content.decode(), local.content.decode()
    assert verdict(server_body) == verdict(local_body)
    data = local_data(local_body)
    assert data["sign"]["message"] == STRING1
    signature = sign(STRING1, hashes.SHA1())
    if "corrected" in data["sign"]["fills"]:
        head, tail = data["sign"]["fills"]["corrected"]
        assert json.loads(head + signature + tail)["rsaSign"] == signature
        assert html.unescape(head + signature + tail) in html.unescape(server_body)


def test_the_rsa_sign_the_browser_posts_back_is_kept_when_it_is_the_keys(client):
    signature = sign(STRING1, hashes.SHA1())
    form = {
        "mode": ["local", "order_info"],
        "params": PARAMS,
        "local_public_key": keys.public_pem(),
    }
    for posted, kept in ((signature, signature), (sign("other", hashes.SHA1()), "")):
        body = client.post("/baidu/sign/run", {**form, "local_signature": posted}).content.decode()
        shown = re.search(r'<pre id="rsa-sign">(.*?)</pre>', body, re.DOTALL)
        assert shown and html.unescape(shown.group(1)) == kept
