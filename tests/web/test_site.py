from __future__ import annotations


def test_healthz_is_200_with_a_tiny_json_body(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_home_page_says_what_can_be_done_in_chinese_first(client):
    body = client.get("/").content.decode()
    assert "支付接入诊断台" in body and "签名工作台" in body
    assert body.index("支付接入诊断台") < body.index("Pay Doctor")


def test_htmx_comes_from_this_site_not_a_cdn(client):
    body = client.get("/").content.decode()
    assert "/static/django_htmx/htmx" in body
    assert "unpkg" not in body and "cdn" not in body.lower()


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
