"""Issue 11 #1: a browser submits textarea line breaks as CRLF; the pages sign and verify the
text the merchant pasted, with LF, and CRLF stays a mistake the search can name."""

from __future__ import annotations

import json
import time

import pytest

from tests.web import keys
from tests.web.test_v3_workbenches import pre_text

pytestmark = pytest.mark.django_db

PRETTY = json.dumps({"appid": "wx2421b1c4370ec43b", "amount": {"total": 100}}, indent=2)


def crlf(text: str) -> str:
    """What a browser posts for a textarea holding ``text``."""
    return text.replace("\n", "\r\n")


def sign_form(**extra: str) -> dict[str, str]:
    return {
        "method": "POST",
        "url": "/v3/pay/transactions/jsapi",
        "timestamp": "1554208460",
        "nonce": "593BEC0C930BF1AFEB40B4A08C8FB242",
        "body": crlf(PRETTY),
        "private_key": crlf(keys.private_pem()),
        **extra,
    }


LF_MESSAGE = (
    f"POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{PRETTY}\n"
)


def test_the_pretty_printed_body_they_signed_is_found_correct_not_a_mistake(client):
    their_signature = keys.sign_sha256(LF_MESSAGE)
    page = client.post("/wechat/v3/sign/run", sign_form(their_signature=their_signature))
    body = page.content.decode()
    assert "签名串和你发送的一致" in body
    assert "缩进" not in body  # no invented "another JSON layout" mistake
    assert keys.verify(LF_MESSAGE, pre_text(body, "signature"))


def test_a_body_really_signed_with_crlf_is_still_named_as_that_mistake(client):
    their_signature = keys.sign_sha256(crlf(LF_MESSAGE))
    body = client.post(
        "/wechat/v3/sign/run", sign_form(their_signature=their_signature)
    ).content.decode()
    assert "找到了复现你签名的差异" in body


def test_a_notification_pasted_with_crlf_verifies(client):
    timestamp = str(int(time.time()))  # fresh: a stale timestamp is refused even when valid
    message = f"{timestamp}\nNONCE123\n{PRETTY}\n"
    data = {
        "timestamp": timestamp,
        "nonce": "NONCE123",
        "signature": keys.sign_sha256(message),
        "body": crlf(PRETTY),
        "public_key": crlf(keys.certificate_pem()),
    }
    assert "签名验证通过" in client.post("/wechat/v3/verify/run", data).content.decode()


def test_the_json_api_keeps_the_bytes_it_is_sent(client):
    payload = {
        "method": "POST",
        "url": "/v3/x",
        "timestamp": "1",
        "nonce": "n",
        "body": "{\r\n}",
        "private_key": keys.private_pem(),
    }
    answer = client.post(
        "/api/v1/wechat/v3/sign", json.dumps(payload), content_type="application/json"
    )
    assert answer.json()["message"] == "POST\n/v3/x\n1\nn\n{\r\n}\n"
