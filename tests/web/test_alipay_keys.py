"""The Alipay certificate and key pages (/alipay/certs/, /alipay/keys/) and their endpoints
(POST /api/v1/alipay/cert-sn, /alipay/keys): the published SNs, the derived 应用公钥 against
cryptography, bad input a 4xx with a message, the private key never echoed or shared."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.web import keys
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

CERTS = Path(__file__).resolve().parent.parent / "diagnostics" / "vectors" / "alipay_certs"
APP_SN = "866efef280dec9137a87d047ac446315"
ALIPAY_SN = "7513daaaa48aa3ba2e4018d84402479c"
ROOT_SN = "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"


def fixture(name: str) -> str:
    return (CERTS / name).read_text(encoding="utf-8")


def private_body(key_pem: str) -> str:
    """The base64 inside a PEM, the part a leak would show."""
    return "".join(key_pem.strip().splitlines()[1:-1])


def assert_no_private_key(text: str, key_pem: str) -> None:
    body = private_body(key_pem)
    for part in (body[:48], body[200:248], body[-48:]):
        assert part not in text


def pre(body: str, element_id: str) -> str:
    match = re.search(rf'<pre id="{element_id}">(.*?)</pre>', body, re.S)
    assert match, element_id
    return html.unescape(match.group(1))


def spki_base64() -> str:
    der = (
        keys.private_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(der).decode()


def post_api(client, path: str, payload: dict, **headers):
    return client.post(
        f"/api/v1/alipay/{path}", json.dumps(payload), content_type="application/json", **headers
    )


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["certs", "keys"])
def test_each_page_has_a_form_that_works_with_and_without_htmx(client, task):
    body = client.get(f"/alipay/{task}/").content.decode()
    run = f"/alipay/{task}/run"
    assert f'action="{run}"' in body and f'hx-post="{run}"' in body and 'method="post"' in body
    assert 'name="private_key"' in body


def test_the_certificate_page_shows_the_published_sns(client):
    response = client.post(
        "/alipay/certs/run",
        {
            "certificates": fixture("appCertPublicKey_2021001161683774.crt")
            + fixture("alipayCertPublicKey_RSA2.crt"),
            "root_certificates": fixture("alipayRootCert.crt"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert pre(body, "app-cert-sn") == APP_SN
    assert pre(body, "alipay-cert-sn") == ALIPAY_SN
    assert pre(body, "root-cert-sn") == ROOT_SN
    assert 'data-role="app"' in body and 'data-role="alipay"' in body
    assert 'data-position="3" data-used="false"' in body  # the ECDSA root, skipped
    assert body.count('data-code="root_certificate_skipped"') == 1


def test_an_htmx_post_answers_the_fragment(client):
    response = client.post(
        "/alipay/certs/run",
        {"root_certificates": fixture("alipayRootCert.crt")},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert pre(body, "root-cert-sn") == ROOT_SN


def test_the_key_page_derives_the_app_public_key_and_never_shows_the_private_key(client):
    private = keys.private_pem()
    response = client.post(
        "/alipay/keys/run", {"private_key": private, "public_key": keys.public_pem()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert pre(body, "derived-public-key-base64") == spki_base64()
    assert 'data-verdict="match"' in body
    assert 'data-field="private_key" data-format="pkcs8_pem"' in body
    assert_no_private_key(body, private)


def test_the_app_public_key_as_the_alipay_public_key_is_the_headline(client):
    body = client.post(
        "/alipay/keys/run",
        {"private_key": keys.private_pem(), "alipay_public_key": keys.public_pem()},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'data-verdict="refused"' in body and 'data-code="app_public_key_used"' in body


def test_the_certificate_page_pairs_the_published_sandbox_key(client):
    private = fixture("yansongda-pay_alipayAppSecret.txt")
    body = client.post(
        "/alipay/certs/run",
        {"certificates": fixture("yansongda-pay_alipayAppPublicCert.crt"), "private_key": private},
    ).content.decode()
    assert 'data-code="key_pair"' in body
    assert private.strip()[:48] not in body and private.strip()[-48:] not in body


def test_bad_input_is_a_400_with_a_message_and_no_key(client):
    response = client.post("/alipay/keys/run", {"private_key": keys.public_pem()})
    assert response.status_code == 400
    assert "这里需要私钥" in response.content.decode()
    response = client.post("/alipay/certs/run", {"certificates": keys.private_pem()})
    assert response.status_code == 400
    assert_no_private_key(response.content.decode(), keys.private_pem())
    response = client.post("/alipay/certs/run", {"certificates": ""})
    assert response.status_code == 400


def test_a_share_of_a_key_check_never_holds_the_private_key(client):
    private = keys.private_pem()
    live = client.post(
        "/alipay/keys/run",
        {"private_key": private, "public_key": keys.public_pem(), "share": "1"},
    )
    shared = client.get(share_link(live)).content.decode()
    assert pre(shared, "derived-public-key-base64") == spki_base64()
    assert_no_private_key(shared, private)


# --- API ------------------------------------------------------------------------------------


def test_cert_sn_answers_a_certificates_sn(client):
    answer = post_api(
        client, "cert-sn", {"certificate": fixture("alipayCertPublicKey_RSA2.crt")}
    ).json()
    assert answer["sn"] == ALIPAY_SN and answer["role"] == "alipay"


def test_cert_sn_answers_the_root_files_sn_and_what_it_skipped(client):
    answer = post_api(
        client, "cert-sn", {"root_certificates": fixture("alipayRootCert.crt")}
    ).json()
    assert answer["root_sn"] == ROOT_SN
    skipped = [cert for cert in answer["root_certificates"] if cert["skipped"]]
    assert [cert["signature_algorithm"] for cert in skipped] == ["ecdsa-with-SHA384"]
    assert "root_certificate_skipped" in [f["code"] for f in answer["findings"]]


def test_cert_sn_refuses_nothing_and_garbage_with_a_message(client):
    empty = post_api(client, "cert-sn", {})
    garbage = post_api(client, "cert-sn", {"certificate": "-----BEGIN CERTIFICATE-----\nMIIB"})
    for response in (empty, garbage):
        assert response.status_code == 400
        assert response.json()["error"]["message"]
    assert garbage.json()["error"]["code"] == "certificate_incomplete"


def test_keys_answers_formats_pair_and_the_derived_public_key(client):
    private = keys.private_pem()
    answer = post_api(
        client,
        "keys",
        {"private_key": private_body(private), "public_key": keys.public_pem()},
    ).json()
    assert answer["private_key_format"] == "pkcs8_base64"
    assert answer["public_key_format"] == "spki_pem"
    assert answer["pair"] == "match"
    assert answer["public_key"] == keys.public_pem()
    assert answer["public_key_base64"] == spki_base64()
    assert [key["field"] for key in answer["keys"]] == ["private_key", "public_key"]
    assert_no_private_key(json.dumps(answer), private)


def test_keys_refuses_bad_input_with_a_message_and_no_key(client):
    private = keys.private_pem()
    swapped = post_api(client, "keys", {"alipay_public_key": private})
    empty = post_api(client, "keys", {})
    assert swapped.status_code == 400 and empty.status_code == 400
    assert swapped.json()["error"]["code"] == "private_key_not_public_key"
    assert_no_private_key(swapped.content.decode(), private)
    assert empty.json()["error"]["message"]


def test_english_is_answered_in_english(client):
    answer = post_api(
        client,
        "keys",
        {"private_key": keys.private_pem(), "alipay_public_key": keys.public_pem()},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    messages = " ".join(f["message"] for f in answer["findings"])
    assert "Alipay public key" in messages and "支付宝公钥" not in messages
