from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.web import keys

APIV3_KEY = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"


def post(client, url, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


def test_v3_sign_returns_message_signature_and_authorization(client):
    payload = {
        "method": "GET",
        "url": "/v3/certificates",
        "timestamp": "1554208460",
        "nonce": "N0NCE",
        "body": "",
        "private_key": keys.private_pem(),
        "mchid": "1900009191",
        "serial_no": "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
    }
    response = post(client, "/api/v1/wechat/v3/sign", payload)
    body = response.json()
    assert body["message"] == "GET\n/v3/certificates\n1554208460\nN0NCE\n\n"
    assert keys.verify(body["message"], body["signature"])
    assert body["authorization"] == (
        'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="N0NCE",'
        f'signature="{body["signature"]}",timestamp="1554208460",'
        'serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
    )
    assert (
        "PRIVATE KEY" not in response.content.decode() and response["Cache-Control"] == "no-store"
    )


def test_v3_verify_valid_and_a_reserialised_body_found(client):
    body = '{"id":"EV-1","summary":"支付成功"}'
    signature = keys.sign_sha256(f"1554208460\nN1\n{body}\n")
    payload = {
        "timestamp": "1554208460",
        "nonce": "N1",
        "body": body,
        "signature": signature,
        "public_key": keys.certificate_pem(),
    }
    assert post(client, "/api/v1/wechat/v3/verify", payload).json()["valid"] is True
    spaced = json.dumps(json.loads(body), ensure_ascii=False)
    answer = post(client, "/api/v1/wechat/v3/verify", {**payload, "body": spaced}).json()
    assert answer["valid"] is False and answer["mistakes"]
    assert answer["mistakes"][0]["message"] == f"1554208460\nN1\n{body}\n"


def test_v3_decrypt_and_its_named_failures(client):
    ciphertext = base64.b64encode(
        AESGCM(APIV3_KEY.encode()).encrypt(b"n0nce1234567", b'{"a":1}', b"certificate")
    ).decode()
    payload = {
        "apiv3_key": APIV3_KEY,
        "associated_data": "certificate",
        "nonce": "n0nce1234567",
        "ciphertext": ciphertext,
    }
    response = post(client, "/api/v1/wechat/v3/decrypt", payload)
    assert response.json() == {"plaintext": '{"a":1}'}
    assert (
        error_of(post(client, "/api/v1/wechat/v3/decrypt", {**payload, "apiv3_key": "short"}), 400)
        == "apiv3_key_length"
    )
    wrong_ad = post(
        client, "/api/v1/wechat/v3/decrypt", {**payload, "associated_data": "transaction"}
    )
    assert error_of(wrong_ad, 400) == "associated_data_mismatch"
    assert APIV3_KEY not in wrong_ad.content.decode()


def test_baidu_sign_and_verify_round_trip(client):
    params = {
        "appKey": "MMMabc",
        "dealId": "470193086",
        "tpOrderId": "3028903626",
        "totalAmount": "11300",
    }
    signed = post(
        client, "/api/v1/baidu/sign", {"params": params, "private_key": keys.private_pem()}
    ).json()
    assert (
        signed["string1"] == "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"
    )
    assert keys.verify(signed["string1"], signed["sign"], hashes.SHA1())
    callback = {
        "orderId": "800020",
        "userId": "",
        "rsaSign": keys.sign_sha1("orderId=800020&userId="),
    }
    verified = post(
        client, "/api/v1/baidu/verify", {"params": callback, "public_key": keys.public_pem()}
    ).json()
    assert verified["valid"] is True and verified["string1"] == "orderId=800020&userId="


def test_lint_returns_findings_with_field_and_source(client):
    body = json.dumps({"combine_appid": "wx1", "combine_mchid": "1", "combine_out_trade_no": "P1"})
    findings = post(client, "/api/v1/lint", {"api": "combine-app", "body": body}).json()["findings"]
    by_field = {finding["field"]: finding for finding in findings}
    assert by_field["combine_out_trade_no"]["source"].startswith("004")


@pytest.mark.parametrize(
    "url, payload, code",
    [
        (
            "/api/v1/wechat/v3/sign",
            {"url": "/v3/x", "timestamp": "1", "nonce": "n"},
            "invalid_request",
        ),
        (
            "/api/v1/wechat/v3/sign",
            {"url": "/v3/x", "timestamp": "1", "nonce": "n", "private_key": "garbage"},
            None,
        ),
        (
            "/api/v1/wechat/v3/verify",
            {"timestamp": "1", "nonce": "n", "signature": "s", "public_key": ""},
            None,
        ),
        ("/api/v1/wechat/v3/decrypt", "{", "json_malformed"),
        ("/api/v1/baidu/sign", {"params": {"a": "1"}, "private_key": "MIIB"}, None),
        ("/api/v1/baidu/verify", {"params": [], "public_key": "x"}, "invalid_request"),
        ("/api/v1/lint", {"api": "nope", "body": "a=1"}, "unknown_api"),
        ("/api/v1/lint", {"api": "combine-app", "body": "[" * 100000}, None),
    ],
)
def test_bad_input_is_a_400_with_the_shared_error_shape(client, url, payload, code):
    got = error_of(post(client, url, payload), 400)
    if code:
        assert got == code


def test_a_certificate_given_as_private_key_is_refused_without_echoing_it(client):
    response = post(
        client, "/api/v1/baidu/sign", {"params": {"a": "1"}, "private_key": keys.certificate_pem()}
    )
    error_of(response, 400)
    assert "BEGIN CERTIFICATE" not in response.content.decode()
