from __future__ import annotations

import hashlib
import hmac
import json

import pytest

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
URL = "/api/v1/wechat/v2/sign"


def post(client, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **extra)


def assert_error_shape(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "Traceback" not in response.content.decode()
    return body["error"]


def test_sign_with_params_object(client):
    response = post(client, {"params": {"b": "2", "a": "1", "c": ""}, "key": KEY})
    body = response.json()
    assert response.status_code == 200
    assert body["format"] == "json"
    assert body["string1"] == "a=1&b=2"
    expected = hashlib.md5(f"a=1&b=2&key={KEY}".encode()).hexdigest()
    assert body["digest"] == expected and body["sign"] == expected.upper()
    assert body["excluded"] == [{"name": "c", "reason": "empty"}]
    assert body["match"] is None
    assert KEY not in response.content.decode()
    assert body["string_sign_temp"].endswith(KEY[-4:])
    assert response["Cache-Control"] == "no-store"


def test_sign_with_raw_xml_and_hmac(client):
    raw = "<xml><mch_id>1</mch_id><nonce_str>n</nonce_str></xml>"
    body = post(client, {"raw": raw, "key": KEY, "sign_type": "HMAC-SHA256"}).json()
    expected = hmac.new(KEY.encode(), f"mch_id=1&nonce_str=n&key={KEY}".encode(), hashlib.sha256)
    assert body["format"] == "xml" and body["sign"] == expected.hexdigest().upper()
    assert body["sign_type"] == "HMAC-SHA256"


def test_sign_field_in_the_input_is_compared_and_the_mistake_found(client):
    wrong = hashlib.md5(f"b=2&a=1&key={KEY}".encode()).hexdigest().upper()  # not sorted
    body = post(client, {"raw": f"b=2&a=1&sign={wrong}", "key": KEY}).json()
    assert body["match"] is False
    assert body["mistakes"][0]["code"] == "not_sorted"
    assert body["mistakes"][0]["string1"] == "b=2&a=1"


def test_nothing_reproducing_points_at_wrong_key(client):
    body = post(client, {"raw": "a=1", "key": KEY, "expected_sign": "0" * 32}).json()
    assert [m["code"] for m in body["mistakes"]] == ["wrong_key"]


def test_findings_carry_their_source(client):
    body = post(client, {"params": {"total_fee": "0.01", "timestamp": "1"}, "key": KEY}).json()
    sources = {f["code"]: f["source"] for f in body["findings"]}
    assert sources["amount_not_integer_fen"].startswith("002")
    assert sources["timestamp_format"] == "002 §7.3 (3)"


@pytest.mark.parametrize(
    "payload, code",
    [
        ("{not json", "json_malformed"),
        ({"raw": "<xml><a>1</xml>", "key": KEY}, "xml_malformed"),
        ({"raw": '{"a": ', "key": KEY}, "json_malformed"),
        ({"key": KEY}, "no_params"),
        ({"params": {}, "key": KEY}, "no_params"),
        ({"raw": "a=1"}, "no_key"),
        ({"raw": "a=1", "key": KEY, "sign_type": "SHA1"}, "invalid_request"),
        ({"raw": "a=1", "key": KEY, "preset": "nope"}, "unknown_preset"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><xml/>', "json_malformed"),
    ],
)
def test_bad_input_answers_400_with_the_shared_error_shape(client, payload, code):
    error = assert_error_shape(post(client, payload), 400)
    assert error["code"] == code


def test_a_body_over_256_kib_is_413(client):
    error = assert_error_shape(post(client, {"raw": "a=" + "x" * (257 * 1024), "key": KEY}), 413)
    assert error["code"] == "body_too_large"


def test_the_key_is_not_echoed_in_a_validation_error(client):
    response = post(client, {"raw": "a=1", "key": KEY, "sign_type": KEY})
    assert_error_shape(response, 400)
    assert KEY not in response.content.decode()


def test_openapi_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/wechat/v2/sign" in spec.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # The API page leads back to the site (issue 12) and loads nothing from a CDN.
    assert '<a href="/">' in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()
