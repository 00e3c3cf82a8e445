"""The refund notification page in local mode (本地计算): the first answer is the plan without the
key; the browser posts back the plaintext (or the slips' outcome) and the server shows what server
mode shows. Ciphertexts are made here with cryptography; the engine's split is held to server mode."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest

from diagnostics.wechat_v2.refund_local import local_outcome_error
from diagnostics.wechat_v2.refund_notify import (
    DERIVATIONS,
    ReqInfoError,
    derive,
    read_refund_notification,
)
from sharing.models import SharedResult
from tests.web.test_refund_notify import API_KEY, PLAINTEXT, RUN, VALUES, notification, req_info
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db
LOCAL = {"mode": "local"}


def plan_of(body: str) -> dict:
    found = re.search(r'id="local-task" hidden data-json="([^"]*)"', body)
    assert found, body[:2000]
    return json.loads(html.unescape(found.group(1)))


def test_the_page_offers_local_mode(client):
    body = client.get("/wechat/v2/refund-notify/").content.decode()
    assert "data-local-mode" in body


def test_the_first_local_answer_is_the_plan_with_the_ciphertext_and_no_key(client):
    response = client.post(RUN, {"notification": notification(), **LOCAL}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    plan = plan_of(body)["refund"]
    assert plan["ciphertext"] == req_info() and plan["failure"] is None
    assert [item[0] for item in plan["derivations"]] == [item.code for item in DERIVATIONS]
    assert "RF-7731-0042" not in body  # nothing decrypted on the server


def test_the_posted_plaintext_is_shown_as_server_mode_shows_it_and_says_the_browser_decrypted(
    client,
):
    form = {"notification": notification(), "local_plaintext": PLAINTEXT, **LOCAL}
    body = client.post(RUN, form).content.decode()
    for value in VALUES:
        assert f"<code>{value}</code>" in body
    assert "解密由你的浏览器完成" in body and "req_info 解密成功" in body
    server = client.post(RUN, {"notification": notification(), "key": API_KEY}).content.decode()
    rows = re.findall(r'<table class="fields refund-fields">.*?</table>', server, re.S)
    assert rows and rows == re.findall(
        r'<table class="fields refund-fields">.*?</table>', body, re.S
    )


def test_a_local_share_keeps_what_a_server_share_keeps(client):
    form = {"notification": notification(), "local_plaintext": PLAINTEXT, "share": "1", **LOCAL}
    body = client.get(share_link(client.post(RUN, form))).content.decode()
    stored = json.dumps(SharedResult.objects.get().result, ensure_ascii=False)
    assert "<code>out_refund_no</code>" in body and 'data-code="plaintext_withheld"' in body
    assert all(value not in stored for value in VALUES)
    asked = {**form, "share_plaintext": "on"}
    body = client.get(share_link(client.post(RUN, asked))).content.decode()
    assert "<code>RF-7731-0042</code>" in body


def test_the_posted_outcome_gives_server_modes_error_and_slips():
    upper = hashlib.md5(API_KEY.encode()).hexdigest().upper()
    with pytest.raises(ReqInfoError) as server:
        read_refund_notification(notification(), upper)  # the MD5 pasted as the key
    outcome = {"opened": ["raw_key_as_aes_key"], "tried": [], "key_length": 32}
    local = local_outcome_error(json.dumps(outcome))
    assert (local.code, str(local.message)) == (server.value.code, str(server.value.message))
    assert [m.code for m in local.mistakes] == [m.code for m in server.value.mistakes]


def test_a_posted_outcome_is_a_400_with_the_slips_tried(client):
    outcome = json.dumps({"opened": [], "tried": ["uppercase_md5", "nonsense"], "key_length": 20})
    response = client.post(RUN, {"notification": notification(), "local_outcome": outcome, **LOCAL})
    body = response.content.decode()
    assert response.status_code == 400 and "Given final block not properly padded" in body
    assert 'data-code="uppercase_md5"' in body and "nonsense" not in body
    garbled = client.post(RUN, {"notification": notification(), "local_outcome": "{", **LOCAL})
    assert garbled.status_code == 400


def test_derivations_make_the_keys_each_slip_names():
    md5 = hashlib.md5(API_KEY.encode())
    by_code = {item.code: item for item in DERIVATIONS}
    assert derive(by_code["uppercase_md5"], API_KEY) == md5.hexdigest().upper().encode()
    assert derive(by_code["md5_digest_bytes"], API_KEY) == md5.digest()
    assert derive(by_code["raw_key_as_aes_key"], API_KEY) == API_KEY.encode()
    assert derive(by_code["key_whitespace"], API_KEY) is None
    assert derive(by_code["key_whitespace"], f" {API_KEY}\n") == md5.hexdigest().encode()
