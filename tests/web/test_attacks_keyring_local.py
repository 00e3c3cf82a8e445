"""密钥体检 in local mode (本地计算) under attack: what a hostile post or a careless paste can do.

A hostile poster writes ``local_ring`` by hand: every value it can choose must be refused in the
reader's language or shown only in the server's own words. A careless merchant pastes secrets in
shapes the browser must still keep (static/js/local/keyring-page.js, run in Node)."""

from __future__ import annotations

import pytest

from tests.web.test_keyring_local import RUN, post

pytestmark = pytest.mark.django_db

REFUSED = "浏览器发来的密钥体检数据无法读取"
PHISHING = "请拨打4000000000领取退款"
SPACED_PHISHING = "请拨打 4000000000 领取退款"


def refused(response) -> bool:
    return response.status_code == 400 and REFUSED in response.content.decode()


@pytest.mark.parametrize(
    ("hint", "text"),
    [
        ("public_key_id", "PUB_KEY_ID_ " + SPACED_PHISHING),
        ("", "PUB_KEY_ID_ " + SPACED_PHISHING),
        ("wechatpay_serial", SPACED_PHISHING),
        ("serial", PHISHING),
        ("mchid", PHISHING),
        ("api_key", PHISHING),
    ],
)
def test_a_public_piece_the_browsers_split_cannot_give_is_refused(client, hint, text):
    # The split gives tokens (no spaces) of the shape their name gives them; a label of the
    # poster's choosing, with spaces, would read as the page's own words.
    response = post(client, {"pieces": [{"text": text, "hint": hint}]}, share="1")
    assert refused(response)
    assert "4000000000" not in response.content.decode()


def test_a_deeply_nested_post_is_refused_in_words(client):
    response = client.post(
        RUN, {"mode": "local", "local_ring": "[" * 200_000}, HTTP_HX_REQUEST="true"
    )
    assert refused(response)


def test_a_deeply_nested_answer_is_an_unreadable_item_not_a_crash(client):
    answer = '{"data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = post(client, {"pieces": [{"text": answer, "hint": "certificates_answer"}]})
    assert response.status_code in (200, 400)


def test_a_damaged_keys_characters_are_characters_not_sentences(client):
    ring = {
        "pieces": [{"blob": "p1"}],
        "blobs": {
            "p1": {
                "private": True,
                "fault": "bad_base64_chars",
                "values": {
                    "what": "private_key",
                    "chars": ["请拨打客服", "4000000000", "领取退款"],
                },
            }
        },
    }
    response = post(client, ring)
    assert refused(response)
    assert "4000000000" not in response.content.decode()


def test_the_refusal_is_in_english_for_an_english_reader(client):
    response = client.post(
        RUN,
        {"mode": "local", "local_ring": "not json"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "cannot be read" in response.content.decode()
