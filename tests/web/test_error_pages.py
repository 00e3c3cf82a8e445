"""Issue 10: the site's own answers for Django's errors (404, 405, DisallowedHost, too many fields),
oversize Cookie headers (F9) and rate limits on every request, GETs included.

Pages are templates/error.html (Django's defaults are bare pages, some with inline styles the CSP
blocks); under /api/ the answer is the JSON error shape {"error": {"code", "message"}}.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.django_db

TOO_MANY = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))
BIG_COOKIE = "csrftoken=" + "a" * 32 + "; junk=" + "b" * 5000


def assert_our_page(response, status: int, sentence: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'class="verdict bad"' in page and sentence in page
    assert "style=" not in page and "<style" not in page


def assert_api_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and "(" in error["message"]  # Chinese with the English beside it


def test_an_unknown_page_is_our_404_page(client):
    assert_our_page(client.get("/no-such-page"), 404, "没有这个页面")


def test_an_unknown_api_path_is_a_json_404(client):
    assert_api_error(client.get("/api/v1/no-such-endpoint"), 404, "not_found")


def test_a_wrong_method_on_a_page_is_our_405_page_with_allow(client):
    response = client.get("/wechat/v3/sign/run")
    assert_our_page(response, 405, "method not allowed")
    assert response["Allow"] == "POST"
    assert client.post("/").status_code == 405 and client.post("/")["Allow"] == "GET"


def test_a_wrong_method_on_the_api_is_a_json_405_with_allow(client):
    response = client.get("/api/v1/wechat/v3/sign")
    assert_api_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_a_host_not_allowed_is_our_400_page(client):
    assert_our_page(client.get("/", HTTP_HOST="evil.example"), 400, "主机名")


def test_a_host_not_allowed_under_the_api_is_a_json_400(client):
    response = client.get("/api/v1/diagnose", {"q": "x"}, HTTP_HOST="evil.example")
    assert_api_error(response, 400, "disallowed_host")


def test_too_many_fields_in_a_form_post_is_our_400_page(client):
    response = client.post(
        "/wechat/v3/sign/run", TOO_MANY, content_type="application/x-www-form-urlencoded"
    )
    assert_our_page(response, 400, "字段太多")


def test_too_many_query_parameters_is_our_400_page_and_a_json_400_under_the_api(client):
    assert_our_page(client.get("/diagnose?q=x&" + TOO_MANY), 400, "字段太多")
    assert_api_error(client.get("/api/v1/diagnose?q=x&" + TOO_MANY), 400, "too_many_fields")


def test_a_cookie_header_over_4_kib_is_refused_before_anything_parses_it(client, monkeypatch):
    from http import cookies

    def parse(*args, **kwargs):
        raise AssertionError("the Cookie header was parsed")

    monkeypatch.setattr(cookies.SimpleCookie, "load", parse)
    monkeypatch.setattr("django.http.cookie.parse_cookie", parse)
    monkeypatch.setattr("django.core.handlers.wsgi.parse_cookie", parse)
    assert_our_page(client.get("/", HTTP_COOKIE=BIG_COOKIE), 400, "Cookie")
    assert_api_error(
        client.get("/api/v1/diagnose", {"q": "x"}, HTTP_COOKIE=BIG_COOKIE),
        400,
        "cookie_too_large",
    )
    refused = client.post("/wechat/v2/free/sign", {"raw": "a=1"}, HTTP_COOKIE=BIG_COOKIE)
    assert refused.status_code == 400


def test_a_cookie_header_under_4_kib_is_served(client):
    assert client.get("/", HTTP_COOKIE="junk=" + "b" * 3000).status_code == 200


def test_the_request_guard_runs_before_every_middleware_that_reads_cookies():
    order = settings.MIDDLEWARE
    guard = order.index("config.middleware.RequestGuardMiddleware")
    readers = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "axes.middleware.AxesMiddleware",
    ]
    assert all(order.index(reader) > guard for reader in readers)
    assert order[:guard] == [
        "config.middleware.RequestLogMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ]


def test_gunicorn_limits_request_headers():
    import runpy

    config = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.py"))
    assert config["limit_request_field_size"] <= 8190
    assert config["limit_request_fields"] <= 100
    assert config["limit_request_line"] <= 8190


@pytest.fixture
def get_limit(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "get": "3/m"}
    cache.clear()
    yield settings
    cache.clear()


def test_pages_fetched_with_get_have_a_rate_limit(client, get_limit):
    statuses = [client.get("/diagnose", {"q": "10003"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_our_page(client.get("/"), 429, "请求太频繁")
    assert client.get("/", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_static_files_and_the_health_check_do_not_count(client, get_limit):
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/").status_code == 200


def test_the_default_get_limit_is_generous():
    assert int(settings.RATE_LIMITS["get"].split("/")[0]) >= 300
