"""The APIv3 notification simulator in local mode (本地计算, issue 17): the server hands out what
``resource`` encrypts, the browser encrypts it (here: cryptography's AESGCM, standing in for
WebCrypto) and posts the ciphertext alone; the notification built from it carries the same
``resource`` as server mode's for the same plaintext and nonce, and opens with the key here."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v3.simulator import run_simulate_local, simulate

APIV3_KEY = "Qw7Er9Ty1Ui3Op5As7Df9Gh1Jk3Lz5Xc"  # 32 characters, made up
URL = "https://merchant.example/pay/notify"


def form(kind: str = "payment", **extra: str) -> dict[str, str]:
    return {"kind": kind, "mode": "public_key", "url": URL, "resource": "", **extra}


def sealed(plan: dict[str, object]) -> str:
    """What the browser posts: AES-256-GCM under the key, the tag at the end, Base64."""
    ciphertext = AESGCM(APIV3_KEY.encode()).encrypt(
        str(plan["nonce"]).encode(),
        str(plan["plaintext"]).encode(),
        str(plan["associated_data"]).encode(),
    )
    return base64.b64encode(ciphertext).decode()


def finished(kind: str = "payment") -> tuple[dict[str, object], object]:
    plan = run_simulate_local(form(kind))["local"]["simulate"]
    values = form(
        kind,
        local_ciphertext=sealed(plan),
        local_resource=str(plan["plaintext"]),
        local_nonce=str(plan["nonce"]),
    )
    result = run_simulate_local(values)
    assert result["encrypted_locally"] is True
    return plan, result["simulation"]


@pytest.mark.parametrize("kind", ["payment", "refund"])
def test_the_plan_holds_no_key_and_names_what_to_encrypt(kind):
    plan = run_simulate_local(form(kind))["local"]["simulate"]
    assert APIV3_KEY not in json.dumps(plan, default=str)
    assert plan["associated_data"] == ("refund" if kind == "refund" else "transaction")
    assert len(str(plan["nonce"])) == 12
    assert isinstance(json.loads(str(plan["plaintext"])), dict)


@pytest.mark.parametrize("kind", ["payment", "refund", "stale", "probe"])
def test_the_local_resource_is_server_modes_for_the_same_nonce(kind):
    plan, local = finished(kind)
    server = simulate(
        kind=kind,
        mode="public_key",
        apiv3_key=APIV3_KEY,
        url=URL,
        resource=str(plan["plaintext"]),
        resource_nonce=str(plan["nonce"]),
    )
    local_resource = json.loads(local.body)["resource"]
    assert local_resource == json.loads(server.body)["resource"]
    assert (local.expect_status, local.accepted) == (server.expect_status, server.accepted)
    opened = AESGCM(APIV3_KEY.encode()).decrypt(
        local_resource["nonce"].encode(),
        base64.b64decode(local_resource["ciphertext"]),
        local_resource["associated_data"].encode(),
    )
    assert opened.decode() == plan["plaintext"]
    assert APIV3_KEY not in local.raw_request + local.curl


def test_a_ciphertext_of_the_wrong_length_is_refused():
    plan = run_simulate_local(form())["local"]["simulate"]
    values = form(
        local_ciphertext=base64.b64encode(b"short").decode(),
        local_resource=str(plan["plaintext"]),
        local_nonce=str(plan["nonce"]),
    )
    with pytest.raises(ParseError) as raised:
        run_simulate_local(values)
    assert raised.value.code == "local_ciphertext"


def test_a_nonce_that_is_not_twelve_letters_or_digits_is_refused():
    plan = run_simulate_local(form())["local"]["simulate"]
    values = form(
        local_ciphertext=sealed(plan), local_resource=str(plan["plaintext"]), local_nonce="a b"
    )
    with pytest.raises(ParseError) as raised:
        run_simulate_local(values)
    assert raised.value.code == "local_nonce"


def test_the_page_round_trip_never_needs_the_key(client):
    """The view: mode=local with no key field gets the plan, then the ciphertext gets the page."""
    path = "/wechat/v3/simulate/run"
    first = client.post(path, {**form(), "mode": ["local", "public_key"]})
    assert first.status_code == 200
    assert 'id="local-task"' in first.content.decode()
    plan, _ = finished()
    second = client.post(
        path,
        {
            **form(),
            "mode": ["local", "public_key"],
            "local_ciphertext": sealed(plan),
            "local_resource": plan["plaintext"],
            "local_nonce": plan["nonce"],
        },
    )
    page = second.content.decode()
    assert second.status_code == 200
    assert 'data-code="encrypted_locally"' in page
    assert "curl" in page
