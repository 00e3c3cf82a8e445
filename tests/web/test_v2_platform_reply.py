"""Issue 11 #9: a platform's reply pasted into the V2 workbench is recognised, not signed."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db

FAIL_REPLY = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>"


def test_a_failed_reply_is_named_and_sent_to_its_diagnosis_without_asking_for_a_key(client):
    body = client.post("/wechat/v2/unifiedorder/sign", {"raw": FAIL_REPLY}).content.decode()
    assert "这是微信支付的应答，不是你发送的请求" in body
    assert 'id="string1"' not in body  # nothing was signed
    link = unescape(re.search(r'<a class="button" href="([^"]+)">诊断这个应答', body).group(1))
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == "/diagnose" and query == {
        "q": ["签名错误"],
        "platform": ["wechat_v2"],
    }
    # The link lands on the documented remedy for a V2 sign error.
    assert "签名" in client.get(link).content.decode()


def test_a_payment_notification_on_another_preset_points_to_the_notification_check(client):
    raw = (
        "<xml><return_code>SUCCESS</return_code><appid>wx2421b1c4370ec43b</appid>"
        "<mch_id>10000100</mch_id><result_code>SUCCESS</result_code>"
        "<transaction_id>1004400740201409030005092168</transaction_id><time_end>20140903131540</time_end>"
        "<sign>B552ED6B279343CB493C5DD0D78AB241</sign></xml>"
    )
    body = client.post("/wechat/v2/free/sign", {"raw": raw, "key": "K" * 32}).content.decode()
    assert "支付结果通知，不是你发送的请求" in body and "/wechat/v2/notify/" in body
    assert 'id="string1"' in body  # a signed notification is still checked


def test_the_api_answers_a_failed_reply_with_a_named_error(client):
    answer = client.post(
        "/api/v1/wechat/v2/sign", json.dumps({"raw": FAIL_REPLY}), content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "platform_reply"
