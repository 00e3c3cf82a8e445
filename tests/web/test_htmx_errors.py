"""Issue 12 #1: an error answered to an htmx request lands in the result area in the page's own
style (a 429 with its wait counted down), so the form keeps working."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.web import keys

pytestmark = pytest.mark.django_db


def test_a_429_to_an_htmx_request_replaces_only_the_result_area(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "private_key": "1/m"}
    cache.clear()
    data = {"method": "POST", "url": "/v3/x", "body": "{}", "private_key": keys.private_pem()}
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "result"}
    assert client.post("/wechat/v3/sign/run", data, **headers).status_code == 200
    limited = client.post("/wechat/v3/sign/run", data, **headers)
    body = limited.content.decode()
    assert limited.status_code == 429 and limited["Retry-After"]
    assert body.lstrip().startswith('<section id="result"') and "<html" not in body
    assert 'data-countdown="' in body and keys.private_pem().splitlines()[3] not in body
    cache.clear()


def test_a_page_load_that_is_limited_still_gets_the_whole_error_page(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form": "1/m"}
    cache.clear()
    client.post("/lint/run", {"api": "orderquery", "body": "appid=wx1"})
    limited = client.post("/lint/run", {"api": "orderquery", "body": "appid=wx1"})
    assert limited.status_code == 429 and "<html" in limited.content.decode()
    cache.clear()


def test_pages_that_load_a_private_key_update_after_a_pause_one_request_at_a_time(client):
    body = client.get("/wechat/v3/sign/").content.decode()
    assert 'hx-trigger="change delay:1s, submit" hx-sync="this:queue last"' in body
    assert 'hx-trigger="change, submit"' in client.get("/lint/").content.decode()
