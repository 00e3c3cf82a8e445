"""Local mode (本地计算, issue 17) on /alipay/notify/: the post carries no 应用私钥, only its public
half (``local_public_key``), and the page shows the result server mode shows with the key — the
merchant's own 应用公钥 pasted as the 支付宝公钥 is named, a right setup verifies, no key is no
error. A ``local_public_key`` that is not a key is a 400 in the reader's language."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.utils import translation

from tests.diagnostics.alipay.helpers import private_pem, public_pem
from tests.diagnostics.alipay.test_notify_local import alipay_key, app_key, notification

pytestmark = pytest.mark.django_db

RUN = "/alipay/notify/run"


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A request in English must not leave English active for the tests that follow."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def result_section(body: str) -> str:
    """The #result section without what only local mode adds for the browser: the data element,
    the pending note and the error template."""
    section = re.search(r'<section id="result".*?</section>', body, flags=re.DOTALL)
    assert section, body[:2000]
    text = re.sub(r'<div id="local-task"[^>]*></div>', "", section.group(0))
    text = re.sub(r"<p [^>]*data-local-pending[^>]*>.*?</p>", "", text, flags=re.DOTALL)
    text = re.sub(r"<template.*?</template>", "", text, flags=re.DOTALL)
    return re.sub(r">\s+<", "><", text)


def private_body() -> str:
    """A distinctive middle line of the 应用私钥's PEM."""
    return private_pem(app_key()).splitlines()[10]


def local_data(body: str) -> dict:
    found = re.search(r'<div id="local-task" hidden data-json="([^"]*)"', body)
    assert found, body[:2000]
    return json.loads(unescape(found.group(1)))


def post(client, form: dict[str, str], *, htmx: bool = True) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(RUN, form, **headers)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def both_modes(client, pasted: str, with_key: bool, *, htmx: bool = True) -> tuple[str, str]:
    form = {"params": notification(), "public_key": pasted}
    server = post(
        client, {**form, "private_key": private_pem(app_key()) if with_key else ""}, htmx=htmx
    )
    half = {"local_public_key": public_pem(app_key()), "local_key_format": "PEM PKCS#8"}
    local = post(client, {**form, "mode": "local", **(half if with_key else {})}, htmx=htmx)
    return server, local


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_the_app_public_key_pasted_as_the_alipay_key_is_named_from_the_public_half(client, htmx):
    server, local = both_modes(client, public_pem(app_key()), with_key=True, htmx=htmx)
    assert 'data-code="app_public_key_used"' in result_section(local)
    assert "通知验签不通过" in result_section(local)
    assert result_section(local) == result_section(server)
    assert local_data(local)["key_check"] is True
    assert private_body() not in local
    if htmx:
        assert "<html" not in local
    else:
        assert "<html" in local


def test_a_right_setup_verifies_as_in_server_mode(client):
    server, local = both_modes(client, public_pem(alipay_key()), with_key=True)
    assert "通知验签通过" in result_section(local)
    assert 'data-code="app_public_key_used"' not in local
    assert result_section(local) == result_section(server)


@pytest.mark.parametrize("pasted", ["alipay", "app"])
def test_no_private_key_is_no_error_and_reads_as_server_mode(client, pasted):
    key = alipay_key() if pasted == "alipay" else app_key()
    server, local = both_modes(client, public_pem(key), with_key=False)
    assert ("通知验签通过" in result_section(local)) is (pasted == "alipay")
    assert 'data-code="app_public_key_used"' not in local
    assert result_section(local) == result_section(server)
    data = local_data(local)
    assert data["key_check"] is False and data["missing"] is None


def test_the_app_public_key_field_still_counts_in_local_mode(client):
    form = {
        "params": notification(),
        "public_key": public_pem(app_key()),
        "app_public_key": public_pem(app_key()),
    }
    server = post(client, form)
    local = post(client, {**form, "mode": "local"})
    assert 'data-code="app_public_key_used"' in result_section(local)
    assert result_section(local) == result_section(server)


def test_a_private_key_posted_in_local_mode_is_not_used(client):
    # Local mode reads the 应用私钥's public half only: a stray private_key is neither loaded
    # nor shown (the browser takes the field's name, so it never sends one).
    form = {"params": notification(), "public_key": public_pem(app_key()), "mode": "local"}
    body = post(client, {**form, "private_key": private_pem(app_key())})
    assert 'data-code="app_public_key_used"' not in body and private_body() not in body


NOT_KEYS = {
    "words": "not a key at all",
    "empty_pem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
    "broken_base64": "-----BEGIN PUBLIC KEY-----\nMIIB!!!\n-----END PUBLIC KEY-----\n",
    "truncated": public_pem(app_key())[:200],
}


@pytest.mark.parametrize("name", sorted(NOT_KEYS))
def test_a_public_half_that_is_not_a_key_is_a_400_with_a_sentence(client, name):
    form = {
        "params": notification(),
        "public_key": public_pem(alipay_key()),
        "mode": "local",
        "local_public_key": NOT_KEYS[name],
    }
    response = client.post(RUN, form, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 400, body[:1000]
    assert "输入有问题" in body and 'role="alert"' in body
    message = re.search(r"<li>(.*?)</li>", result_section(body), flags=re.DOTALL)
    assert message and re.search(r"[\u4e00-\u9fff]", message.group(1)), body[:1000]


def test_the_400_is_in_english_for_an_english_reader(client):
    form = {
        "params": notification(),
        "public_key": public_pem(alipay_key()),
        "mode": "local",
        "local_public_key": NOT_KEYS["words"],
    }
    response = client.post(RUN, form, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    section = result_section(response.content.decode())
    assert "Check your input" in section and 'role="alert"' in section, section
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<[^>]+>", "", section)), section
