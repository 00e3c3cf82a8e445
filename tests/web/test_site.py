from __future__ import annotations

import json
import re

import pytest


@pytest.mark.django_db
def test_healthz_checks_the_database_and_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client, settings):
    # Django's test signals rebuild the cache handler when CACHES changes.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "error"


@pytest.mark.django_db
def test_each_request_is_one_log_line_without_the_query_string(client, caplog):
    caplog.set_level("INFO", logger="paydoctor.request")
    client.get("/diagnose", {"q": "errCode:6"})
    [record] = [r for r in caplog.records if r.name == "paydoctor.request"]
    line = json.loads(record.getMessage())
    assert line["method"] == "GET" and line["path"] == "/diagnose" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and "errCode" not in record.getMessage()


def test_home_page_says_what_can_be_done_in_chinese_first(client):
    body = client.get("/").content.decode()
    assert "支付接入诊断台" in body and "签名工作台" in body
    assert body.index("支付接入诊断台") < body.index("Pay Doctor")


def test_htmx_comes_from_this_site_not_a_cdn(client):
    body = client.get("/").content.decode()
    assert "/static/django_htmx/htmx" in body
    # Every script and stylesheet comes from this site (a CSRF token may spell "cdn" by chance).
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', body)
    assert sources and all(
        source.startswith("/") and not source.startswith("//") for source in sources
    )


def test_csp_forbids_inline_script_and_framing(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/wechat/v2/", "/wechat/v2/demo/"):
        body = client.get(url).content.decode()
        assert "<script>" not in body and "style=" not in body and "<style" not in body
