"""Issue 11 #6: the 5-minute freshness check and 40-digit serials, on the pages and the JSON API.

The pages and the API check timestamps against the server clock; these tests build timestamps
from the clock explicitly (minutes away from the limit, never sleeping).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from tests.web import keys

BODY = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}'
LEADING_ZERO_SERIAL = 0x0157F09EFDC096DE15EBE81A47057A7232F1B8E1  # 39 digits with f"{n:X}"


@cache
def leading_zero_certificate() -> str:
    """A platform certificate of keys.private_key() whose serial starts with a zero nibble."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(keys.private_key().public_key())
        .serial_number(LEADING_ZERO_SERIAL)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(keys.private_key(), hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def verify_form(timestamp: str, serial: str = "", public_key: str = "") -> dict[str, str]:
    return {
        "timestamp": timestamp,
        "nonce": "NONCE123",
        "body": BODY,
        "signature": keys.sign_sha256(f"{timestamp}\nNONCE123\n{BODY}\n"),
        "serial": serial,
        "public_key": public_key or keys.certificate_pem(),
    }


def api_verify(client, payload: dict[str, str]) -> dict:
    answer = client.post(
        "/api/v1/wechat/v3/verify", json.dumps(payload), content_type="application/json"
    )
    assert answer.status_code == 200
    return answer.json()


def codes(answer: dict) -> list[str]:
    return [finding["code"] for finding in answer["findings"]]


@pytest.mark.parametrize("offset", [-360, +360], ids=["6 minutes stale", "6 minutes ahead"])
def test_a_valid_but_stale_notification_is_not_called_good_on_the_page(client, offset):
    timestamp = str(int(time.time()) + offset)
    page = client.post("/wechat/v3/verify/run", verify_form(timestamp)).content.decode()
    assert "签名有效，但时间戳已过期" in page
    assert "签名可以是有效的，但时间戳已过期" in page
    assert "✓ 签名验证通过" not in page


def test_a_fresh_notification_verifies_on_the_page(client):
    page = client.post(
        "/wechat/v3/verify/run", verify_form(str(int(time.time()))), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in page
    assert "签名验证通过" in page
    assert "时间戳已过期" not in page


@pytest.mark.parametrize("offset", [-360, +360], ids=["6 minutes stale", "6 minutes ahead"])
def test_the_api_flags_a_stale_timestamp_while_the_signature_is_valid(client, offset):
    answer = api_verify(client, verify_form(str(int(time.time()) + offset)))
    assert answer["valid"] is True
    assert "timestamp_skew" in codes(answer)


def test_the_api_says_nothing_of_a_fresh_timestamp(client):
    answer = api_verify(client, verify_form(str(int(time.time()) - 60)))
    assert answer["valid"] is True
    assert "timestamp_skew" not in codes(answer)


def test_a_millisecond_timestamp_is_named_and_its_age_checked_too(client):
    stale_ms = str((int(time.time()) - 600) * 1000)
    answer = api_verify(client, verify_form(stale_ms))
    assert {"timestamp_milliseconds", "timestamp_skew"} <= set(codes(answer))


def authorization_form(timestamp: int) -> dict[str, str]:
    message = f"POST\n/v3/pay/transactions/jsapi\n{timestamp}\nNONCE\n{{}}\n"
    header = (
        'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="NONCE",'
        f'signature="{keys.sign_sha256(message)}",timestamp="{timestamp}",'
        f'serial_no="{format(LEADING_ZERO_SERIAL, "040X")}"'
    )
    return {
        "authorization": header,
        "method": "POST",
        "url": "https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi",
        "body": "{}",
        "public_key": leading_zero_certificate(),
    }


def test_a_stale_authorization_header_is_refused_though_its_signature_verifies(client):
    form = authorization_form(int(time.time()) - 400)
    page = client.post("/wechat/v3/authorization/run", form).content.decode()
    assert "签名有效，但时间戳已过期" in page
    assert "微信支付会拒绝这个请求" in page


def test_a_fresh_authorization_with_a_leading_zero_serial_is_this_certificate(client):
    form = authorization_form(int(time.time()))
    page = client.post(
        "/wechat/v3/authorization/run", form, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in page
    assert "✓ 签名验证通过" in page
    assert "不是这张证书的序列号" not in page
    assert "而粘贴的证书序列号是" not in page


def test_the_40_digit_serial_with_a_leading_zero_matches_its_certificate(client):
    serial = format(LEADING_ZERO_SERIAL, "040X")
    assert serial.startswith("0") and len(serial) == 40
    form = verify_form(str(int(time.time())), serial, leading_zero_certificate())
    answer = api_verify(client, form)
    assert answer["valid"] is True
    assert answer["findings"] == []


def test_a_lower_case_serial_matches_with_a_note(client):
    serial = format(LEADING_ZERO_SERIAL, "040x")
    answer = api_verify(
        client, verify_form(str(int(time.time())), serial, leading_zero_certificate())
    )
    assert "serial_mismatch" not in codes(answer)
    assert "serial_lowercase" in codes(answer)


def test_a_decimal_serial_is_converted_with_a_finding(client):
    answer = api_verify(
        client,
        verify_form(str(int(time.time())), str(LEADING_ZERO_SERIAL), leading_zero_certificate()),
    )
    (finding,) = [f for f in answer["findings"] if f["code"] == "serial_decimal"]
    assert format(LEADING_ZERO_SERIAL, "040X") in finding["message"]
    assert "serial_mismatch" not in codes(answer)


def test_the_certificate_serial_is_shown_with_40_digits_on_the_page(client):
    form = verify_form(str(int(time.time())), public_key=leading_zero_certificate())
    page = client.post("/wechat/v3/verify/run", form).content.decode()
    assert format(LEADING_ZERO_SERIAL, "040X") in page
