from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.utils import timezone

from sharing.models import SharedResult

pytestmark = pytest.mark.django_db

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test"
STRING1 = "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=abc"
REAL_SIGN = hashlib.md5(f"{STRING1}&key={KEY}".encode()).hexdigest().upper()


def share_link(response) -> str:
    match = re.search(
        r'id="share-url-input" readonly value="http://testserver(/d/[^"]+)"',
        response.content.decode(),
    )
    assert match, "no share link in the answer"
    return match.group(1)


def test_sharing_a_v2_result_gives_an_unguessable_link_and_saves_no_key(client):
    response = client.post(
        "/wechat/v2/free/sign",
        {"raw": PARAMS, "key": KEY, "expected_sign": REAL_SIGN.lower(), "share": "1"},
    )
    link = share_link(response)
    path, _, anchor = link.partition("#")
    assert anchor == "result"  # the link opens on the result
    token = path.removeprefix("/d/")
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", token)  # 128 random bits, URL-safe
    record = SharedResult.objects.get(token=token)
    stored = json.dumps([record.inputs, record.summary, record.result], ensure_ascii=False)
    assert KEY not in stored
    assert record.summary["sign"] == REAL_SIGN and record.summary["mistakes"] == [
        "lowercase_digest"
    ]


def test_opening_a_shared_link_shows_the_result_read_only_with_a_banner_and_no_key(client):
    link = share_link(
        client.post("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "share": "1"})
    )
    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200
    assert "共享的诊断结果，密钥已移除" in body and "keys removed" in body
    assert REAL_SIGN in body and KEY not in body
    assert "appid=wx2421b1c4370ec43b" in body  # the params are there to re-run with one's own key
    assert page["Referrer-Policy"] == "same-origin"


def test_an_expired_link_says_so_and_purge_deletes_it(client):
    link = share_link(
        client.post("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "share": "1"})
    )
    SharedResult.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(link)
    assert page.status_code == 410 and "过期" in page.content.decode()
    call_command("purge_shared", verbosity=0)
    assert SharedResult.objects.count() == 0
    assert client.get(link).status_code == 404


def test_links_live_for_the_configured_number_of_days(client, settings):
    settings.SHARE_TTL_DAYS = 7
    client.post("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "share": "1"})
    record = SharedResult.objects.get()
    assert timedelta(days=6, hours=23) < record.expires_at - timezone.now() <= timedelta(days=7)


NOTIFICATION_PLAINTEXT = (
    b'{"trade_state":"SUCCESS","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},'
    b'"attach":"vip-7731","amount":{"total":100}}'
)


def decrypt_form(apiv3_key: str, **extra: str) -> dict[str, str]:
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(
        b"n0nce1234567", NOTIFICATION_PLAINTEXT, b"transaction"
    )
    return {
        "associated_data": "transaction",
        "nonce": "n0nce1234567",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "apiv3_key": apiv3_key,
        **extra,
    }


def test_a_shared_decryption_keeps_field_names_but_no_plaintext_values_by_default(client):
    apiv3_key = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"
    live = client.post("/wechat/v3/decrypt/run", decrypt_form(apiv3_key, share="1"))
    live_body = live.content.decode()
    # The merchant is told what the default leaves out, naming the personal fields.
    assert "payer.openid" in live_body and "attach" in live_body
    body = client.get(share_link(live)).content.decode()
    assert "payer.openid" in body and "amount.total" in body  # the names stay
    for value in ("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "vip-7731", "SUCCESS"):
        assert value not in body
        assert value not in json.dumps(SharedResult.objects.get().result)
    assert apiv3_key not in body


def test_a_shared_decryption_keeps_the_plaintext_only_when_asked_and_never_the_key(client):
    apiv3_key = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"
    form = decrypt_form(apiv3_key, share="1", share_plaintext="on")
    body = client.get(share_link(client.post("/wechat/v3/decrypt/run", form))).content.decode()
    assert "trade_state" in body and "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" in body
    assert apiv3_key not in body
    assert apiv3_key not in json.dumps(SharedResult.objects.get().inputs)


def test_a_shared_diagnosis_shows_the_matched_entries(client):
    link = share_link(
        client.post("/diagnose", {"q": "返回10003", "platform": "baidu", "share": "1"})
    )
    body = client.get(link).content.decode()
    assert "baidu-cancel-verify-10003-insufficient-assets" in body
    assert (
        SharedResult.objects.get().summary["slugs"][0]
        == "baidu-cancel-verify-10003-insufficient-assets"
    )


def test_a_staff_link_prefills_a_workbench_without_saving_anything(client):
    page = client.get(
        "/wechat/v2/jsapi/", {"raw": "appId=wx1\ntimeStamp=1395712654", "sign_type": "MD5"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "timeStamp=1395712654" in body
    assert SharedResult.objects.count() == 0
    body = client.get("/wechat/v3/verify/", {"body": '{"id":"EV-prefill-7731"}'}).content.decode()
    assert "EV-prefill-7731" in body


@pytest.mark.parametrize("name", ["key", "apiv3_key", "private_key", "API_KEY", "secret"])
def test_a_key_in_a_link_is_refused_and_never_echoed(client, name):
    for url in ("/wechat/v2/free/", "/wechat/v3/decrypt/", "/baidu/sign/"):
        response = client.get(url, {"raw": "a=1", name: "LEAKED-SECRET-VALUE-123"})
        assert response.status_code == 400
        assert "LEAKED-SECRET-VALUE-123" not in response.content.decode()


def test_the_result_offers_a_prefilled_link_without_the_key(client):
    body = client.post("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY}).content.decode()
    link = re.search(r'<pre id="prefill-url">([^<]+)</pre>', body).group(1)
    assert link.startswith("http://testserver/wechat/v2/free/?") and "raw=" in link
    assert KEY not in link


def result_text(html: str) -> str:
    """The visible text of the result section, without the share and prefill boxes."""
    section = re.search(r'<section id="results?"[^>]*>(.*?)</section>', html, re.S).group(1)
    section = re.split(r'<div class="share">|<details class="prefill">', section)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "expected_sign": "0" * 32}),
        ("/wechat/v2/jsapi/sign", {"raw": PARAMS + "\ntimeStamp=1", "key": KEY}),
        (
            "/wechat/v3/sign/run",
            {
                "method": "POST",
                "url": "/v3/pay/transactions/jsapi",
                "timestamp": "1554208460",
                "nonce": "593BEC0C930BF1AFEB40B4A08C8FB242",
                "body": '{"appid":"wx1"}',
                "their_signature": "c2lnbmF0dXJl",
                "private_key": "PEM",
            },
        ),
        (
            "/wechat/v3/pay-sign/run",
            {"scene": "jsapi", "params": "appId=wx1", "private_key": "PEM"},
        ),
        (
            "/baidu/sign/run",
            {"params": "appKey=a&dealId=1&tpOrderId=2&totalAmount=1", "private_key": "PEM"},
        ),
        ("/lint/run", {"api": "unifiedorder", "body": "appid=wx1"}),
        ("/diagnose", {"q": "系统繁忙"}),
    ],
)
def test_a_shared_result_reads_exactly_as_the_live_one(client, url, form):
    from tests.web import keys

    form = {name: keys.private_pem() if value == "PEM" else value for name, value in form.items()}
    response = client.post(url, {**form, "share": "1"})
    live = response.content.decode()
    shared = client.get(share_link(response)).content.decode()
    assert result_text(shared) == result_text(live)
    assert len(result_text(live)) > 40


def test_a_certificates_expiry_date_reads_as_a_date_in_the_live_and_the_shared_result(client):
    from datetime import UTC, datetime

    from tests.web import keys

    expired_at = datetime(2024, 6, 11, 8, 30, tzinfo=UTC) - timedelta(days=365)
    certificate = keys.self_signed(keys.private_key(), "Tenpay.com Root CA", 7, now=expired_at)
    form = {"headers": "", "body": "{}", "public_key": certificate, "share": "1"}
    response = client.post("/wechat/v3/verify/run", form)
    for page in (response.content.decode(), client.get(share_link(response)).content.decode()):
        assert "证书已于 2024-06-11 过期" in page
        assert "00:00:00" not in page
