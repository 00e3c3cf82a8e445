"""One API endpoint for every workbench of the registry (issue 13: a platform added to the registry
is in the API without an endpoint of its own). Expected values come from cryptography directly."""

from __future__ import annotations

import json
import time

import pytest
from cryptography.hazmat.primitives import hashes

from diagnostics.platforms import TASKS
from tests.web import keys

ORDER_INFO = "appKey=MMMabc\ndealId=470193086\ntotalAmount=11300\ntpOrderId=3028903626"
BAIDU_STRING1 = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"


def run(client, workbench: str, values: dict[str, str], **headers):
    return client.post(
        f"/api/v1/workbenches/{workbench}",
        json.dumps({"values": values}),
        content_type="application/json",
        **headers,
    )


def test_the_baidu_sign_workbench_answers_a_sign_that_verifies(client):
    response = run(client, "baidu.sign", {"params": ORDER_INFO, "private_key": keys.private_pem()})
    assert response.status_code == 200, response.content
    body = response.json()
    signed = body["result"]["signed"]
    assert body["workbench"] == "baidu:sign" and signed["string1"] == BAIDU_STRING1
    assert keys.verify(BAIDU_STRING1, signed["sign"], hashes.SHA1())
    assert "PRIVATE KEY" not in response.content.decode()


def test_the_v3_verify_workbench_says_a_real_signature_is_valid(client):
    timestamp, nonce, body = str(int(time.time())), "N0NCE", '{"code":"SUCCESS"}'
    signature = keys.sign_sha256(f"{timestamp}\n{nonce}\n{body}\n")
    values = {
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": signature,
        "body": body,
        "public_key": keys.public_pem(),
    }
    result = run(client, "wechat_v3.verify", values).json()["result"]
    assert result["verification"]["valid"] is True


def test_sentences_come_in_the_language_asked_for(client):
    values = {"api": "unifiedorder", "body": "<xml><total_fee>1.5</total_fee></xml>"}
    chinese = json.dumps(run(client, "lint", values).json(), ensure_ascii=False)
    english = json.dumps(
        run(client, "lint", values, HTTP_ACCEPT_LANGUAGE="en").json(), ensure_ascii=False
    )
    assert "total_fee" in chinese and "total_fee" in english
    assert "$text" not in chinese  # sentences are text, not the snapshot's markers
    assert chinese != english


def test_an_unknown_workbench_is_a_404_naming_the_real_ones(client):
    response = run(client, "unionpay.sign", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "wechat_v3.sign" in response.json()["error"]["message"]


@pytest.mark.parametrize("workbench", sorted(TASKS))
def test_every_registered_workbench_answers_an_empty_form_with_a_400(client, workbench):
    response = run(client, workbench.replace(":", "."), {})
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"code", "message"}


def test_a_key_in_a_field_is_not_echoed_in_the_error(client):
    response = run(client, "baidu.sign", {"params": "", "private_key": keys.private_pem()})
    assert response.status_code == 400
    assert "PRIVATE KEY" not in response.content.decode()
