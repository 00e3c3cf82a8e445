"""The V2 notification simulator in local mode (本地计算, issue 17): the server hands out the plan,
the browser signs (002 §3.2: MD5 or HMAC-SHA256 over string1&key=…) or encrypts req_info
(AES-256-ECB under the MD5 of the key) — done here with hashlib, hmac and cryptography — and posts
the result alone; the notification equals server mode's for the same fields."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v2 import simulator
from diagnostics.wechat_v2.simulator import run_simulate_local

API_KEY = "Tg5Yh7Uj9Ik1Ol3Pa5Sd7Fg9Hj1Kl3Zx"  # 32 characters, made up
URL = "https://merchant.example/pay/notify"


def form(kind: str = "payment", sign_type: str = "MD5", **extra: str) -> dict[str, object]:
    return {"kind": kind, "sign_type": sign_type, "url": URL, "resource": "", **extra}


def browser_seal(plan: dict[str, object], key: str) -> str:
    """What the browser computes, independently: hashlib/hmac for the sign, cryptography's ECB."""
    if plan["kind"] == "payment":
        message = f"{plan['string1']}&key={key}".encode()
        if plan["sign_type"] == "MD5":
            return hashlib.md5(message).hexdigest().upper()
        return hmac.new(key.encode(), message, hashlib.sha256).hexdigest().upper()
    padder = padding.PKCS7(128).padder()
    data = padder.update(str(plan["req_info_plaintext"]).encode()) + padder.finalize()
    aes_key = hashlib.md5(key.encode()).hexdigest().encode()
    encryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).encryptor()  # noqa: S305
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def local_run(kind: str, sign_type: str, key: str = API_KEY):
    plan = run_simulate_local(form(kind, sign_type))["local"]["simulate_v2"]
    posted = {
        "local_plan": json.dumps(
            {"fields": plan["fields"], "req_info_plaintext": plan["req_info_plaintext"]}
        ),
        "local_sealed": browser_seal(plan, key),
        "local_key_length": len(key.strip()),
        "local_key_whitespace": key != key.strip(),
    }
    result = run_simulate_local(form(kind, sign_type, **posted))
    assert result["computed_locally"] is True
    return plan, result["simulation"]


@pytest.mark.parametrize(
    ("kind", "sign_type"), [("payment", "MD5"), ("payment", "HMAC-SHA256"), ("refund", "MD5")]
)
def test_the_local_notification_is_server_modes_for_the_same_fields(monkeypatch, kind, sign_type):
    plan, local = local_run(kind, sign_type)
    assert API_KEY not in json.dumps(plan)
    # Server mode with the same randomness: the plan's fields are what the examples give.
    fields = dict(plan["fields"])
    if kind == "payment":
        monkeypatch.setattr(simulator, "example_payment", lambda now: dict(fields))
    else:
        root = dict(
            simulator.re.findall(
                r"<(\w+)>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</\1>", plan["req_info_plaintext"][6:-7]
            )
        )
        monkeypatch.setattr(simulator, "example_refund", lambda now: (dict(fields), root))
    server = simulator.simulate(kind=kind, key=API_KEY, url=URL, sign_type=sign_type)
    assert local.body == server.body
    assert local.raw_request == server.raw_request
    assert local.string1 == server.string1
    assert [item.code for item in local.findings] == [item.code for item in server.findings]
    assert API_KEY not in local.raw_request + local.curl


def test_the_keys_shape_gives_server_modes_notes():
    _, local = local_run("payment", "MD5", " short ")
    assert [item.code for item in local.findings] == ["key_whitespace", "key_length"]


def test_a_sign_of_the_wrong_shape_is_refused():
    plan = run_simulate_local(form())["local"]["simulate_v2"]
    posted = {"local_plan": json.dumps({"fields": plan["fields"], "req_info_plaintext": ""})}
    with pytest.raises(ParseError) as raised:
        run_simulate_local(form(local_sealed="abc", **posted))
    assert raised.value.code == "local_sealed"
    with pytest.raises(ParseError) as raised:
        run_simulate_local(form(local_sealed="A" * 32, local_plan="{"))
    assert raised.value.code == "local_plan"


def test_the_page_round_trip_never_needs_the_key(client):
    first = client.post("/wechat/v2/simulate/run", {**form(), "mode": "local"})
    assert first.status_code == 200
    assert 'id="local-task"' in first.content.decode()
    plan, _ = local_run("payment", "MD5")
    second = client.post(
        "/wechat/v2/simulate/run",
        {
            **form(),
            "mode": "local",
            "local_plan": json.dumps({"fields": plan["fields"], "req_info_plaintext": ""}),
            "local_sealed": browser_seal(plan, API_KEY),
            "local_key_length": "32",
        },
    )
    assert second.status_code == 200
    assert 'data-code="computed_locally"' in second.content.decode()
