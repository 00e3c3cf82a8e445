"""What the README says of CSRF: every form POST of the pages is protected; the JSON API is not
(it changes nothing on the server and answers only the caller)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/lint/run", {"api": "orderquery", "body": "appid=wx1"}),
        ("/diagnose", {"q": "系统繁忙"}),
        ("/wechat/v2/free/sign", {"raw": "appid=wx1", "key": "K" * 32}),
        ("/i18n/setlang/", {"language": "en"}),
    ],
)
def test_a_form_post_without_the_token_is_refused(url, data):
    assert Client(enforce_csrf_checks=True).post(url, data).status_code == 403


def test_the_json_api_needs_no_token():
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/lint",
        json.dumps({"api": "orderquery", "body": "appid=wx1"}),
        content_type="application/json",
    )
    assert response.status_code == 200
