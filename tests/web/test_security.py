"""Issue 5: secrets never persist, limits hold, the site is locked down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.web import keys

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "MARKERapikey0123456789abcdefghij"  # 32 characters, made up
APIV3_KEY = "MARKERapiv3key0123456789abcdefgh"
PEM = keys.private_pem()
PEM_MARKER = PEM.splitlines()[5]  # a line from the middle of the private key


def every_secret_use(client) -> None:
    """Post the marker secrets through every form and every API endpoint, sharing where possible."""
    v2 = "appid=wx1\nmch_id=10000100\nnonce_str=abc\nbody=test"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        client.post("/wechat/v2/free/sign", {"raw": v2, "key": API_KEY, "share": "1"}, **headers)
        client.post(
            "/wechat/v2/free/sign", {"raw": v2 + f"\nkey={API_KEY}", "share": "1"}, **headers
        )
        client.post("/wechat/v2/free/sign", {"raw": "<xml><a>", "key": API_KEY}, **headers)
    forms = {
        "/wechat/v3/sign/run": {"method": "POST", "url": "/v3/x", "body": "{}", "private_key": PEM},
        "/wechat/v3/pay-sign/run": {"scene": "jsapi", "params": "appId=wx1", "private_key": PEM},
        "/baidu/sign/run": {
            "params": "appKey=a&dealId=1&tpOrderId=2&totalAmount=1",
            "private_key": PEM,
        },
        "/wechat/v3/decrypt/run": {
            "nonce": "n0nce1234567",
            "ciphertext": "AAAAAAAAAAAAAAAAAAAAAAAA",
            "apiv3_key": APIV3_KEY,
        },
    }
    for url, data in forms.items():
        client.post(url, {**data, "share": "1"})
        client.post(url, {**data, "share": "1"}, HTTP_HX_REQUEST="true")
    client.post(
        "/diagnose", {"q": f"从没见过的报错 key={API_KEY} apiv3_key={APIV3_KEY}", "share": "1"}
    )
    client.get("/api/v1/diagnose", {"q": f"完全陌生的提示 {API_KEY}"})
    api = {
        "/api/v1/wechat/v2/sign": {"raw": "a=1", "key": API_KEY},
        "/api/v1/wechat/v3/sign": {
            "url": "/v3/x",
            "timestamp": "1",
            "nonce": "n",
            "private_key": PEM,
        },
        "/api/v1/wechat/v3/decrypt": {
            "apiv3_key": APIV3_KEY,
            "nonce": "n0nce1234567",
            "ciphertext": "AAAA",
        },
        "/api/v1/baidu/sign": {"params": {"a": "1"}, "private_key": PEM},
    }
    for url, payload in api.items():
        client.post(url, json.dumps(payload), content_type="application/json")
        client.post(
            url, json.dumps({**payload, "sign_type": "bad"}), content_type="application/json"
        )


def database_text() -> str:
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows.append(repr(cursor.fetchall()))
    return "\n".join(rows)


def assert_no_secret(text: str, where: str) -> None:
    for marker in (API_KEY, APIV3_KEY, PEM_MARKER):
        assert marker not in text, f"a secret reached {where}"


def test_a_marker_secret_posted_everywhere_is_nowhere_afterwards(
    client, admin_client, caplog, capfd
):
    caplog.set_level("DEBUG")
    every_secret_use(client)
    assert_no_secret(database_text(), "the database")
    assert_no_secret(caplog.text, "the log records")
    captured = capfd.readouterr()
    assert_no_secret(captured.out + captured.err, "the console log")
    from sharing.models import SharedResult

    assert SharedResult.objects.count() >= 6
    pages = [record.get_absolute_url() for record in SharedResult.objects.all()]
    pages += ["/admin/sharing/sharedresult/", "/admin/faq/unmatchedquery/", "/admin/faq/entry/"]
    pages += [
        f"/admin/sharing/sharedresult/{pk}/change/"
        for pk in SharedResult.objects.values_list("pk", flat=True)
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_no_secret(response.content.decode(), url)


def test_a_log_line_that_carries_a_secret_is_redacted(caplog):
    import logging

    caplog.set_level("INFO")
    logging.getLogger("paydoctor.test").info("posted key=%s and %s", API_KEY, PEM)
    assert "[已移除]" in caplog.text
    assert_no_secret(caplog.text, "the log records")


def test_responses_that_carry_secrets_are_never_stored_by_the_browser(client):
    response = client.post(
        "/wechat/v3/decrypt/run", {"nonce": "n", "ciphertext": "A", "apiv3_key": APIV3_KEY}
    )
    assert "no-store" in response["Cache-Control"]
    assert 'hx-history="false"' in client.get("/wechat/v3/decrypt/").content.decode()
    api = client.post(
        "/api/v1/wechat/v2/sign",
        json.dumps({"raw": "a=1", "key": API_KEY}),
        content_type="application/json",
    )
    assert api["Cache-Control"] == "no-store"


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {"api": "3/m", "form": "3/m", "private_key": "2/m", "share": "1/m"}
    cache.clear()
    yield settings
    cache.clear()


def test_the_api_is_rate_limited_per_client_ip_with_retry_after(client, limits):
    answers = [client.get("/api/v1/diagnose", {"q": "10003"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    other = client.get("/api/v1/diagnose", {"q": "10003"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_loading_a_private_key_has_a_tighter_limit(client, limits):
    payload = json.dumps({"params": {"a": "1"}, "private_key": PEM})
    statuses = [
        client.post("/api/v1/baidu/sign", payload, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_forms_and_sharing_are_limited_with_a_readable_page(client, limits):
    data = {"raw": "a=1", "key": API_KEY, "share": "1"}
    first, second = (client.post("/wechat/v2/free/sign", data) for _ in range(2))
    assert first.status_code == 200 and second.status_code == 429
    assert "请求太频繁" in second.content.decode() and second["Retry-After"]


def test_behind_a_proxy_only_the_trusted_header_names_the_client(client, limits):
    limits.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    for _ in range(3):
        assert (
            client.get("/api/v1/diagnose", {"q": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code
            == 200
        )
    assert (
        client.get("/api/v1/diagnose", {"q": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code
        == 429
    )
    # The client's own prefix is ignored: the proxy appends the real address last.
    assert (
        client.get(
            "/api/v1/diagnose", {"q": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2"
        ).status_code
        == 200
    )


def test_without_a_trusted_header_a_forwarded_header_is_ignored(client, limits):
    statuses = [
        client.get("/api/v1/diagnose", {"q": "x"}, HTTP_X_FORWARDED_FOR=f"9.9.9.{n}").status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429


def test_the_admin_needs_a_login(client):
    response = client.get("/admin/faq/unmatchedquery/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_repeated_wrong_passwords_lock_the_admin_login(client, django_user_model):
    django_user_model.objects.create_superuser("staff", "s@example.com", "right-password-123")
    for _ in range(5):
        client.post("/admin/login/", {"username": "staff", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "staff", "password": "right-password-123"})
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_an_api_body_over_256_kib_is_413_in_the_error_shape(client):
    response = client.post(
        "/api/v1/wechat/v2/sign",
        json.dumps({"raw": "a=" + "x" * 300_000, "key": API_KEY}),
        content_type="application/json",
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


def test_a_form_post_over_the_limit_is_413_with_a_readable_page(client):
    response = client.post("/wechat/v2/free/sign", {"raw": "a=" + "x" * 3_000_000, "key": API_KEY})
    assert response.status_code == 413 and "请求太大" in response.content.decode()


def test_a_field_over_its_limit_is_413(client):
    response = client.post(
        "/wechat/v2/free/sign",
        {"raw": "a=" + "x" * 270_000, "key": API_KEY},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 413


def test_a_certificate_upload_over_64_kib_is_413(client):
    upload = SimpleUploadedFile("cert.pem", b"-----BEGIN CERTIFICATE-----\n" + b"A" * 70_000)
    response = client.post(
        "/wechat/v3/verify/run",
        {
            "body": "{}",
            "timestamp": "1",
            "nonce": "n",
            "signature": "s",
            "certificate_file": upload,
        },
    )
    assert response.status_code == 413


def test_an_uploaded_certificate_is_used_for_verification(client):
    body = '{"id":"EV-1"}'
    upload = SimpleUploadedFile("wechatpay.pem", keys.certificate_pem().encode())
    timestamp = str(int(time.time()))  # fresh: a stale one is headlined as stale
    data = {
        "body": body,
        "timestamp": timestamp,
        "nonce": "N",
        "signature": keys.sign_sha256(f"{timestamp}\nN\n{body}\n"),
        "certificate_file": upload,
    }
    assert "签名验证通过" in client.post("/wechat/v3/verify/run", data).content.decode()


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>',
        '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>',
    ],
)
def test_xml_with_entities_is_refused_before_expansion(client, xml):
    response = client.post(
        "/api/v1/wechat/v2/sign",
        json.dumps({"raw": xml, "key": API_KEY}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "xml_dtd_refused"
    assert "root:" not in response.content.decode()


def test_csrf_is_enforced_on_form_posts():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/wechat/v2/free/sign", {"raw": "a=1", "key": API_KEY}).status_code == 403
    page = strict.get("/wechat/v2/free/")
    token = page.cookies["csrftoken"].value
    ok = strict.post(
        "/wechat/v2/free/sign",
        {"raw": "a=1", "key": API_KEY},
        HTTP_X_CSRFTOKEN=token,
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 200


def test_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="k" * 10 + "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0AeYu1Io2Pa3Sd4Fg5Hj6",
        ALLOWED_HOSTS="paydoctor.example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="sqlite:////tmp/paydoctor-deploy-check.sqlite3",
    )
    env.update(extra)
    return env


def test_check_deploy_with_production_settings_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_fail_loudly_without(missing):
    env = production_env()
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and missing in result.stderr
