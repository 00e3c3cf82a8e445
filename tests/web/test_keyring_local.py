"""密钥体检 in local mode (本地计算) over HTTP: what the page posts instead of the secrets
(``local_ring``, written here as static/js/local/keyring-page.js writes it), the round that asks
the browser to open the /v3/certificates answer, and every malformed post refused in words.
The browser's own half is held to server mode in tests/diagnostics/wechat_v3/test_keyring_local_parity.py;
a real browser's journey is in tests/browser/test_local_mode_keyring.py."""

from __future__ import annotations

import base64
import html
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.diagnostics.wechat_v3.test_keyring import (
    APIV3_KEY,
    MCHID,
    certificates_answer,
    merchant_cert,
    pem,
    platform_cert,
    rsa_key,
)
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

PAGE = "/wechat/v3/keyring/"
RUN = "/wechat/v3/keyring/run"
BROWSER_LINE = "此结果由分享者的浏览器计算（本地计算），服务器没有密钥，未复核。"
FACTS = {"chars": 32, "size": 32, "serial_like": False, "key_error": ""}


def public_half() -> str:
    return (
        rsa_key("merchant")
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def answer_ring(*opened: dict) -> dict:
    """The /v3/certificates answer and one kept 32-byte key (k1), with what the browser opened."""
    return {
        "pieces": [{"text": certificates_answer(), "hint": "certificates_answer"}, {"key": "k1"}],
        "keys": {"k1": FACTS},
        "opened": list(opened),
    }


def blob_ring(**blob: object) -> dict:
    """One kept private key (p1), as the browser describes it: its public half or its fault."""
    return {"pieces": [{"blob": "p1"}], "blobs": {"p1": {"private": True, **blob}}}


def post(client, ring: dict, **fields):
    data = {"mode": "local", "local_ring": json.dumps(ring), **fields}
    return client.post(RUN, data, HTTP_HX_REQUEST="true")


def local_data(body: str) -> dict:
    found = re.search(r'id="local-task" hidden data-json="([^"]*)"', body)
    assert found, "the answer carries local mode's data"
    return json.loads(html.unescape(found[1]))


def test_the_page_keeps_all_three_secrets_in_the_browser(client):
    body = client.get(PAGE).content.decode()
    assert "data-local-mode" in body
    for name in ("private_key", "apiv3_key", "key"):
        field = re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>', body)
        assert field and "data-local-secret" in field[0], name
    for name in ("mchid", "serial_no", "wechatpay_serial"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert field and "data-local-secret" not in field[0], name


def test_a_private_key_kept_in_the_browser_pairs_with_its_certificate_by_its_public_half(client):
    ring = {
        "pieces": [{"blob": "p1"}, {"text": pem(merchant_cert())}],
        "blobs": {"p1": {"private": True, "public_pem": public_half(), "format": "PEM PKCS#8"}},
    }
    body = post(client, ring).content.decode()
    assert 'data-code="key_pair" data-ok="true"' in body
    assert "商户 API 私钥（apiclient_key.pem）" in body and "格式：PEM PKCS#8" in body
    assert "BEGIN PUBLIC KEY" not in body  # the public half is used, not shown


def test_opening_the_answer_takes_a_second_round_with_what_the_browser_opened(client):
    answer = certificates_answer()
    ring = {
        "pieces": [{"text": answer, "hint": "certificates_answer"}, {"key": "k1"}],
        "keys": {"k1": FACTS},
    }
    first = post(client, ring).content.decode()
    plan = local_data(first)["keyring"]
    assert plan["pending"] and plan["pairs"] == [[2, "k1"]]
    assert 'data-code="keyring_verdict"' not in first  # no verdict before the answer is opened
    # The browser's part, done here with AESGCM: the certificate the answer holds.
    attempt = plan["certificates"][0]["attempts"][0]
    plain = AESGCM(APIV3_KEY.encode()).decrypt(
        base64.b64decode(attempt["nonce"]),
        base64.b64decode(attempt["ciphertext"]),
        base64.b64decode(attempt["associated_data"]),
    )
    assert plain.decode() == pem(platform_cert())
    opened = [{"index": 2, "key": "k1", "plaintext": plain.decode()}]
    second = post(client, {**ring, "opened": opened}).content.decode()
    assert not local_data(second)["keyring"]["pending"]
    assert 'data-code="apiv3_key_decrypts" data-ok="true"' in second
    assert 'data-kind="platform_certificate"' in second and "APIv3 密钥（已用应答确认）" in second


def test_a_key_the_browser_could_not_open_the_answer_with_is_named(client):
    ring = answer_ring({"index": 2, "key": "k1", "code": "decrypt_failed"})
    body = post(client, ring).content.decode()
    assert 'data-code="apiv3_key_decrypts" data-ok="false"' in body


def test_a_key_of_the_wrong_length_is_judged_without_the_browser(client):
    ring = {
        "pieces": [
            {"text": certificates_answer(), "hint": "certificates_answer"},
            {"key": "k1", "hint": "apiv3_key"},
        ],
        "keys": {
            "k1": {"chars": 16, "size": 16, "serial_like": False, "key_error": "apiv3_key_length"}
        },
    }
    body = post(client, ring).content.decode()
    assert not local_data(body)["keyring"]["pending"]
    assert 'data-code="apiv3_key_length" data-ok="false"' in body and "16 个字节" in body


def test_a_damaged_key_gets_the_servers_sentence_with_checked_values(client):
    ring = blob_ring(
        fault="bad_base64_chars", values={"what": "private_key", "chars": ["'!'", "'#'"]}
    )
    body = post(client, ring).content.decode()
    assert "私钥不是有效的 base64（出现了 &#x27;!&#x27;、&#x27;#&#x27;）" in body


@pytest.mark.parametrize(
    "ring",
    [
        "not json",
        json.dumps({"pieces": [{"key": "k1"}]}),  # a stand-in without its facts
        json.dumps({"pieces": [{"text": "x", "key": "k1"}], "keys": {"k1": FACTS}}),
        json.dumps({"pieces": [{"key": "k1", "hint": "mchid"}], "keys": {"k1": FACTS}}),
        json.dumps(blob_ring()),
        json.dumps(blob_ring(fault="call_us_now", values={})),
        json.dumps(blob_ring(fault="pem_unknown_label", values={"label": "请拨打 400 电话"})),
        json.dumps({"pieces": [{"text": "1900009191", "hint": "mchid"}] * 65}),
        json.dumps({"opened": [{"index": 1, "key": "k1", "plaintext": "x", "code": "y"}]}),
        json.dumps({"pieces": [], "extra": 1}),
    ],
    ids=[
        "not JSON",
        "stand-in without facts",
        "two kinds",
        "a kept key named as an mchid",
        "no public half nor fault",
        "unknown fault",
        "a label of the poster's choosing",
        "too many pieces",
        "an outcome both ways",
        "an unknown name",
    ],
)
def test_a_malformed_post_is_refused_in_words(client, ring):
    response = client.post(RUN, {"mode": "local", "local_ring": ring}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "浏览器发来的密钥体检数据无法读取" in response.content.decode()


def test_a_public_half_that_is_no_key_is_an_unreadable_item_not_a_crash(client):
    ring = blob_ring(public_pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    response = post(client, ring)
    assert response.status_code == 200
    assert 'data-kind="unreadable"' in response.content.decode()


def test_nothing_posted_is_the_servers_refusal(client):
    response = post(client, {"pieces": []})
    assert response.status_code == 400
    assert "请粘贴至少一样东西" in response.content.decode()


def test_a_paste_too_large_to_split_is_refused_as_server_mode_refuses_it(client):
    response = post(client, {"too_large": True})
    assert response.status_code == 400
    assert "粘贴的内容超过 262144 个字符" in response.content.decode()


def test_a_share_of_a_local_ring_says_the_browser_computed_it(client):
    ring = answer_ring({"index": 2, "key": "k1", "plaintext": pem(platform_cert())})
    response = post(client, ring, mchid=MCHID, share="1")
    assert response.status_code == 200
    shared = client.get(share_link(response)).content.decode()
    assert BROWSER_LINE in shared and 'data-code="apiv3_key_decrypts" data-ok="true"' in shared
