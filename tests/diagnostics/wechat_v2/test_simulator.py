"""The V2 notification simulator: the payment notification's sign recomputed here with hashlib and
hmac over 002 §3.2's string (non-empty fields but sign, ASCII order, ``&key=``), no ``sign_type``
in it; the refund notification's ``req_info`` opened here with AES-256-ECB (cryptography) under
the lower-case hex MD5 of the API key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v2.simulator import simulate

API_KEY = "Zx9Cv7Bn5Ml3Kj1Hg9Fd7Sa5Qw3Er1Ty"  # 32 characters, made up
URL = "https://merchant.example/wxpay/notify"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def fields_of(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(xml)}


def expected_sign(fields: dict[str, str], key: str, sign_type: str) -> str:
    string1 = "&".join(
        f"{name}={value}" for name, value in sorted(fields.items()) if name != "sign" and value
    )
    data = f"{string1}&key={key}".encode()
    if sign_type == "HMAC-SHA256":
        return hmac.new(key.encode(), data, hashlib.sha256).hexdigest().upper()
    return hashlib.md5(data).hexdigest().upper()


def open_req_info(req_info: str, key: str = API_KEY) -> str:
    aes_key = hashlib.md5(key.encode()).hexdigest().encode()
    decryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).decryptor()
    padded = decryptor.update(base64.b64decode(req_info)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()


@pytest.mark.parametrize(("sign_type", "length"), [("MD5", 32), ("HMAC-SHA256", 64)])
def test_a_payment_notification_is_signed_with_the_api_key_and_carries_no_sign_type(
    sign_type, length
):
    simulation = simulate(kind="payment", key=API_KEY, url=URL, sign_type=sign_type, now=NOW)
    fields = fields_of(simulation.body)
    assert "sign_type" not in fields
    assert fields["sign"] == expected_sign(fields, API_KEY, sign_type) == simulation.sign
    assert len(fields["sign"]) == length  # how a handler tells the algorithm
    assert fields["return_code"] == fields["result_code"] == "SUCCESS"
    assert fields["total_fee"] == "1" and fields["time_end"] == "20261128180000"
    assert {"appid", "mch_id", "nonce_str", "openid", "out_trade_no", "transaction_id"} <= set(
        fields
    )
    assert simulation.expect_status == 200
    assert fields_of(simulation.expect_body)["return_code"] == "SUCCESS"
    assert simulation.headers == (("Content-Type", "text/xml"),)
    assert API_KEY not in simulation.body and API_KEY not in simulation.string1


def test_the_merchants_own_fields_replace_the_examples_and_are_signed():
    own = "<xml><appid>wxd930ea5d5a258f4f</appid><total_fee>888</total_fee><sign>X</sign></xml>"
    simulation = simulate(kind="payment", key=API_KEY, url=URL, resource=own, now=NOW)
    fields = fields_of(simulation.body)
    assert fields["appid"] == "wxd930ea5d5a258f4f" and fields["total_fee"] == "888"
    assert fields["sign"] == expected_sign(fields, API_KEY, "MD5")
    assert [finding.code for finding in simulation.findings] == ["own_field_dropped"]


def test_a_value_with_a_cdata_end_survives_the_xml():
    simulation = simulate(
        kind="payment", key=API_KEY, url=URL, resource='{"attach": "a]]>b<c>&d"}', now=NOW
    )
    fields = fields_of(simulation.body)
    assert fields["attach"] == "a]]>b<c>&d"
    assert fields["sign"] == expected_sign(fields, API_KEY, "MD5")


def test_a_refund_notification_has_req_info_that_opens_with_aes_ecb():
    simulation = simulate(
        kind="refund", key=API_KEY, url=URL, resource="out_refund_no=RF-1\nappid=wxabc", now=NOW
    )
    outer = fields_of(simulation.body)
    assert "sign" not in outer and "sign_type" not in outer
    assert outer["return_code"] == "SUCCESS" and outer["appid"] == "wxabc"
    plaintext = open_req_info(outer["req_info"])
    assert plaintext == simulation.req_info_plaintext
    root = ET.fromstring(plaintext)
    assert root.tag == "root"
    refund = {child.tag: child.text for child in root}
    assert refund["out_refund_no"] == "RF-1" and refund["refund_status"] == "SUCCESS"
    assert refund["success_time"] == "2026-11-28 18:00:00"
    assert "appid" not in refund  # the outer fields stay outside
    with pytest.raises(ValueError):  # another key does not open it
        open_req_info(outer["req_info"], "another-key-of-32-characters-000")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"key": ""}, "key_missing"),
        ({"kind": "probe"}, "kind_unknown"),
        ({"sign_type": "SHA256"}, "sign_type_unknown"),
        ({"url": "gopher://merchant.example/"}, "url_not_http"),
        ({"url": "https://merchant.example/\r\nX-Injected: 1"}, "url_invalid_characters"),
        ({"resource": "a b=1"}, "own_field_name"),
        ({"resource": '{"attach":"\\u0001"}'}, "own_field_value"),
    ],
)
def test_unusable_input_is_refused_by_name(changes, code):
    values = {"kind": "payment", "key": API_KEY, "url": URL, "sign_type": "MD5"}
    with pytest.raises(ParseError) as error:
        simulate(**{**values, **changes})
    assert error.value.code == code


def test_a_key_of_an_unusual_length_is_noted_not_refused():
    simulation = simulate(kind="payment", key="short-key", url=URL, now=NOW)
    assert "key_length" in [finding.code for finding in simulation.findings]
    fields = fields_of(simulation.body)
    assert fields["sign"] == expected_sign(fields, "short-key", "MD5")
