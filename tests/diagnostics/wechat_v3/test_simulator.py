"""The APIv3 notification simulator: every notification checked the way a handler checks it, with
cryptography called here — the signature over ``timestamp\\nnonce\\nbody\\n`` against the returned
certificate or public key, the serial against ``Wechatpay-Serial``, the timestamp against the
clock, ``resource`` opened with AESGCM under the APIv3 key — so the valid kinds pass and the
probe, stale, reserialised and wrong-serial ones fail exactly where a handler must refuse them."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v3 import simulator
from diagnostics.wechat_v3.simulator import simulate

APIV3_KEY = "Qw7Er9Ty1Ui3Op5As7Df9Gh1Jk3Lz5Xc"  # 32 characters, made up
URL = "https://merchant.example/pay/notify"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def handler_key(simulation) -> tuple[rsa.RSAPublicKey, str]:
    """What a handler configured from the simulation holds: the key and the serial or ID it is
    filed under — read from the PEMs with cryptography."""
    if simulation.mode == "certificate":
        certificate = x509.load_pem_x509_certificate(simulation.certificate.encode())
        return certificate.public_key(), format(certificate.serial_number, "040X")
    key = serialization.load_pem_public_key(simulation.public_key.encode())
    return key, simulation.configured_serial


def signature_verifies(key: rsa.RSAPublicKey, headers: dict[str, str], body: str) -> bool:
    message = f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{body}\n"
    try:
        signature = base64.b64decode(headers["Wechatpay-Signature"], validate=True)
        key.verify(signature, message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def open_resource(body: str, apiv3_key: str = APIV3_KEY) -> tuple[dict, str]:
    resource = json.loads(body)["resource"]
    plaintext = AESGCM(apiv3_key.encode()).decrypt(
        resource["nonce"].encode(),
        base64.b64decode(resource["ciphertext"]),
        resource["associated_data"].encode(),
    )
    return json.loads(plaintext), resource["associated_data"]


def handler_accepts(simulation, now: datetime) -> bool:
    """A correct handler: the key by Wechatpay-Serial, the raw body verified, 5 minutes."""
    headers = dict(simulation.headers)
    key, serial = handler_key(simulation)
    if headers["Wechatpay-Serial"] != serial:
        return False
    if abs(int(headers["Wechatpay-Timestamp"]) - now.timestamp()) > 300:
        return False
    return signature_verifies(key, headers, simulation.body)


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
@pytest.mark.parametrize("kind", simulator.KINDS)
def test_each_kind_is_accepted_or_refused_by_a_correct_handler_as_it_says(kind, mode):
    simulation = simulate(kind=kind, mode=mode, apiv3_key=APIV3_KEY, url=URL, now=NOW)
    accepted = handler_accepts(simulation, NOW)
    assert accepted is simulation.accepted is (kind in ("payment", "refund"))
    assert simulation.expect_status == (200 if accepted else 401)
    # Every kind's resource opens with the APIv3 key: refusing is the signature's job.
    data, associated_data = open_resource(simulation.body)
    assert associated_data == ("refund" if kind == "refund" else "transaction")
    status = "refund_status" if kind == "refund" else "trade_state"
    assert data[status] == "SUCCESS" and data["mchid"]


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
def test_a_payment_notification_is_what_wechat_pay_sends(mode):
    simulation = simulate(kind="payment", mode=mode, apiv3_key=APIV3_KEY, url=URL, now=NOW)
    headers = dict(simulation.headers)
    key, serial = handler_key(simulation)
    assert signature_verifies(key, headers, simulation.body)
    assert headers["Wechatpay-Serial"] == serial == simulation.configured_serial
    assert headers["Wechatpay-Timestamp"] == str(int(NOW.timestamp()))
    assert headers["Wechatpay-Signature-Type"] == "WECHATPAY2-SHA256-RSA2048"
    assert re.fullmatch(r"[0-9A-Za-z]{32}", headers["Wechatpay-Nonce"])
    assert headers["Content-Type"] == "application/json"
    document = json.loads(simulation.body)
    assert document["event_type"] == "TRANSACTION.SUCCESS" and document["summary"] == "支付成功"
    assert document["resource_type"] == "encrypt-resource"
    assert document["resource"]["algorithm"] == "AEAD_AES_256_GCM"
    assert document["resource"]["original_type"] == "transaction"
    assert len(document["resource"]["nonce"]) == 12
    # As WeChat Pay writes it: compact, Chinese unescaped.
    assert "支付成功" in simulation.body and ", " not in simulation.body
    data, _ = open_resource(simulation.body)
    assert data["amount"]["total"] == 1 and data["payer"]["openid"]
    assert data["success_time"] == "2026-11-28T18:00:00+08:00"
    assert simulation.signed_body == simulation.body
    assert (
        simulation.message
        == f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{simulation.body}\n"
    )


def test_a_refund_notification_carries_refund_as_associated_data():
    simulation = simulate(kind="refund", mode="public_key", apiv3_key=APIV3_KEY, url=URL, now=NOW)
    document = json.loads(simulation.body)
    assert document["event_type"] == "REFUND.SUCCESS" and document["summary"] == "退款成功"
    data, associated_data = open_resource(simulation.body)
    assert associated_data == "refund" and data["out_refund_no"] and data["refund_id"]
    assert data["amount"]["refund"] == 999


def test_the_certificate_mode_serial_is_40_hex_digits_of_a_self_signed_certificate():
    simulation = simulate(kind="payment", mode="certificate", apiv3_key=APIV3_KEY, url=URL, now=NOW)
    certificate = x509.load_pem_x509_certificate(simulation.certificate.encode())
    assert re.fullmatch(r"[0-9A-F]{40}", simulation.configured_serial)
    assert int(simulation.configured_serial, 16) == certificate.serial_number
    assert certificate.issuer == certificate.subject
    assert certificate.public_key().key_size == 2048
    assert certificate.not_valid_before_utc <= NOW <= certificate.not_valid_after_utc
    assert "test only" in certificate.subject.rfc4514_string()
    # Its public key is the one returned beside it.
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    pem = certificate.public_key().public_bytes(serialization.Encoding.PEM, spki).decode()
    assert pem == simulation.public_key


def test_the_public_key_mode_id_has_the_shape_of_wechat_pays():
    simulation = simulate(kind="payment", mode="public_key", apiv3_key=APIV3_KEY, url=URL, now=NOW)
    assert re.fullmatch(r"PUB_KEY_ID_\d{34}", simulation.configured_serial)
    assert simulation.certificate == ""
    assert simulation.public_key.startswith("-----BEGIN PUBLIC KEY-----")
    key = serialization.load_pem_public_key(simulation.public_key.encode())
    assert key.key_size == 2048


def test_every_request_gets_a_new_key_pair():
    first, second = (
        simulate(kind="payment", mode="public_key", apiv3_key=APIV3_KEY, url=URL, now=NOW)
        for _ in range(2)
    )
    assert first.public_key != second.public_key
    assert first.configured_serial != second.configured_serial


def test_one_key_pair_is_generated_per_notification(monkeypatch):
    generated = []
    real = rsa.generate_private_key

    def counting(*args, **kwargs):
        generated.append(kwargs.get("key_size"))
        return real(*args, **kwargs)

    monkeypatch.setattr(rsa, "generate_private_key", counting)
    for kind in simulator.KINDS:
        generated.clear()
        simulate(kind=kind, mode="certificate", apiv3_key=APIV3_KEY, url=URL, now=NOW)
        assert generated == [2048], kind


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
def test_a_probe_is_a_signtest_signature_that_never_verifies(mode):
    simulation = simulate(kind="probe", mode=mode, apiv3_key=APIV3_KEY, url=URL, now=NOW)
    headers = dict(simulation.headers)
    key, serial = handler_key(simulation)
    assert headers["Wechatpay-Signature"].startswith("WECHATPAY/SIGNTEST/")
    assert headers["Wechatpay-Serial"] == serial
    assert not signature_verifies(key, headers, simulation.body)
    # Stripping the prefix does not help: what follows is no signature of the message either.
    rest = headers["Wechatpay-Signature"].removeprefix("WECHATPAY/SIGNTEST/")
    assert not signature_verifies(key, {**headers, "Wechatpay-Signature": rest}, simulation.body)


def test_a_stale_notification_verifies_but_is_an_hour_old():
    simulation = simulate(kind="stale", mode="public_key", apiv3_key=APIV3_KEY, url=URL, now=NOW)
    headers = dict(simulation.headers)
    key, _ = handler_key(simulation)
    assert signature_verifies(key, headers, simulation.body)
    assert NOW.timestamp() - int(headers["Wechatpay-Timestamp"]) == 3600


def test_a_reserialized_body_is_the_same_json_in_other_bytes_and_only_the_original_verifies():
    simulation = simulate(
        kind="reserialized", mode="certificate", apiv3_key=APIV3_KEY, url=URL, now=NOW
    )
    headers = dict(simulation.headers)
    key, _ = handler_key(simulation)
    assert json.loads(simulation.body) == json.loads(simulation.signed_body)
    assert simulation.body != simulation.signed_body
    assert "\\u652f\\u4ed8\\u6210\\u529f" in simulation.body  # 支付成功, escaped
    assert not signature_verifies(key, headers, simulation.body)
    assert signature_verifies(key, headers, simulation.signed_body)


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
def test_a_wrong_serial_names_a_key_the_handler_does_not_have(mode):
    simulation = simulate(kind="wrong_serial", mode=mode, apiv3_key=APIV3_KEY, url=URL, now=NOW)
    headers = dict(simulation.headers)
    key, serial = handler_key(simulation)
    assert headers["Wechatpay-Serial"] == simulation.sent_serial != serial
    pattern = r"PUB_KEY_ID_\d{34}" if mode == "public_key" else r"[0-9A-F]{40}"
    assert re.fullmatch(pattern, headers["Wechatpay-Serial"])
    # Signed with the key all the same: only a handler that ignores the serial accepts it.
    assert signature_verifies(key, headers, simulation.body)


def test_the_merchants_own_resource_is_encrypted_as_given():
    own = (
        '{"mchid":"1230000109","out_trade_no":"MY-ORDER-1","trade_state":"SUCCESS","attach":"测试"}'
    )
    simulation = simulate(
        kind="payment", mode="public_key", apiv3_key=APIV3_KEY, url=URL, resource=own, now=NOW
    )
    resource = json.loads(simulation.body)["resource"]
    plaintext = AESGCM(APIV3_KEY.encode()).decrypt(
        resource["nonce"].encode(), base64.b64decode(resource["ciphertext"]), b"transaction"
    )
    assert plaintext.decode() == own == simulation.resource_plaintext


def test_the_time_defaults_to_now():
    simulation = simulate(kind="payment", mode="public_key", apiv3_key=APIV3_KEY, url=URL)
    headers = dict(simulation.headers)
    assert abs(int(headers["Wechatpay-Timestamp"]) - time.time()) < 60


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"apiv3_key": "short"}, "apiv3_key_length"),
        ({"apiv3_key": f" {APIV3_KEY}\n"}, "apiv3_key_whitespace"),
        ({"url": "ftp://merchant.example/notify"}, "url_not_http"),
        ({"url": "javascript:alert(1)"}, "url_not_http"),
        ({"url": "file:///etc/passwd"}, "url_not_http"),
        ({"url": "https:///no-host"}, "url_not_http"),
        ({"url": "https://merchant.example/a\nb"}, "url_invalid_characters"),
        ({"url": "https://merchant.example/a b"}, "url_invalid_characters"),
        ({"url": "https://merchant.example:99999/"}, "url_invalid"),
        ({"url": ""}, "url_missing"),
        ({"resource": "{not json"}, "resource_not_json"),
        ({"resource": "[1, 2]"}, "resource_not_object"),
        ({"kind": "refund_probe"}, "kind_unknown"),
        ({"mode": "pubkey"}, "mode_unknown"),
    ],
)
def test_unusable_input_is_refused_by_name(changes, code):
    values = {"kind": "payment", "mode": "public_key", "apiv3_key": APIV3_KEY, "url": URL}
    with pytest.raises(ParseError) as error:
        simulate(**{**values, **changes})
    assert error.value.code == code
    assert APIV3_KEY not in str(error.value.message)
