"""密钥体检 in local mode (本地计算) in a real browser: the private key, the APIv3 key and the API key
stay in the page — pasted together with certificates and the /v3/certificates answer, or typed
into their own fields. Every request is searched for each of them in every encoding (raw,
URL-encoded, JSON-escaped, base64, hex, the key's DER in base64 at every offset); what the page
shows is checked against what is known independently (the certificate made from the key, the
answer encrypted here with AESGCM under the APIv3 key) and against server mode's answer for the
same input, field by field."""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import serialization

from tests.browser.test_local_mode_tasks import Recorder, encodings
from tests.diagnostics.wechat_v3.test_keyring import (
    API_KEY,
    APIV3_KEY,
    MCHID,
    MERCHANT_SERIAL,
    PLATFORM_SERIAL,
    certificates_answer,
    merchant_cert,
    pem,
    rsa_key,
)

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000
PAGE = "/wechat/v3/keyring/"
PASTE_LABEL = "你手上的全部（任意顺序、任意多个）"


def private_pem() -> str:
    return (
        rsa_key("merchant")
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,  # PKCS#1: read and wrapped here
            serialization.NoEncryption(),
        )
        .decode()
    )


def ders() -> list[bytes]:
    key = rsa_key("merchant")
    return [
        key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
        for fmt in (
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.PrivateFormat.PKCS8,
        )
    ]


def everything() -> str:
    return "\n".join(
        [
            private_pem(),
            pem(merchant_cert()),
            certificates_answer(),
            f"WECHATPAY_APIV3_KEY={APIV3_KEY}",
            f"WECHATPAY_MCH_KEY={API_KEY}",
            f"WECHATPAY_MCHID={MCHID}",
            f"WECHATPAY_SERIAL_NO={format(MERCHANT_SERIAL, '040X')}",
        ]
    )


def run(page, paste: str, **fields: str) -> None:
    page.get_by_label(PASTE_LABEL, exact=True).fill(paste)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator('[data-code="keyring_verdict"]')).to_be_visible(timeout=TIMEOUT)


def shown(page) -> dict[str, list[str]]:
    """What the result says: each relation's code and outcome, each job's, each item's kind."""
    result = page.locator("#result")
    return {
        "relations": result.locator(".keyring-relations li").evaluate_all(
            "items => items.map(i => i.dataset.code + ':' + i.dataset.ok + ':' + i.textContent.trim())"
        ),
        "jobs": result.locator(".keyring-jobs li").evaluate_all(
            "items => items.map(i => i.dataset.job + ':' + i.dataset.ready + ':' + i.textContent.trim())"
        ),
        "items": result.locator(".keyring-items > li").evaluate_all(
            "items => items.map(i => i.dataset.kind + ':' + i.textContent.replace(/\\s+/g, ' ').trim())"
        ),
        "verdict": [result.locator('[data-code="keyring_verdict"]').inner_text()],
    }


def server_mode_of(open_page, paste: str, **fields: str) -> dict[str, list[str]]:
    other = open_page()
    other.goto(PAGE)
    other.get_by_role("radio", name=re.compile("服务器计算")).check()
    run(other, paste, **fields)
    answer = shown(other)
    other.get_by_role("radio", name=re.compile("本地计算")).check()  # the choice is remembered
    return answer


def all_secrets(paste: str) -> dict[str, str]:
    forms = encodings(private_pem(), ders())
    for name, secret in (("apiv3", APIV3_KEY), ("api", API_KEY), ("paste", paste)):
        forms |= {f"{name}_{kind}": text for kind, text in encodings(secret, []).items()}
    return forms


def test_everything_pasted_at_once_is_judged_in_the_browser_as_the_server_judges_it(
    page, open_page
):
    page.goto(PAGE)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    recorder = Recorder(page)
    platform_serial = format(PLATFORM_SERIAL, "040X")
    run(page, everything(), **{"收到的 Wechatpay-Serial（可选）": platform_serial})
    result = page.locator("#result")
    # Independently known: the certificate was made from this key, the answer encrypted with this
    # APIv3 key, and it holds the platform certificate with this serial.
    expect(result.locator('[data-code="key_pair"][data-ok="true"]')).to_be_visible()
    expect(result.locator('[data-code="apiv3_key_decrypts"][data-ok="true"]')).to_be_visible()
    expect(result.locator('[data-kind="platform_certificate"]')).to_contain_text(platform_serial)
    expect(result.locator('[data-kind="private_key"]')).to_contain_text("PEM PKCS#1")
    expect(result.locator('[data-kind="apiv3_key"]')).to_be_visible()
    expect(result.locator('[data-kind="api_key"]')).to_be_visible()
    local = shown(page)
    assert local == server_mode_of(
        open_page, everything(), **{"收到的 Wechatpay-Serial（可选）": platform_serial}
    )
    recorder.assert_none_carries(all_secrets(everything()))


def test_keys_typed_into_their_fields_stay_too_and_swapped_keys_are_named(page, open_page):
    page.goto(PAGE)
    recorder = Recorder(page)
    paste = certificates_answer() + "\n" + pem(merchant_cert())
    fields = {"APIv3 密钥（可选）": API_KEY, "API 密钥 V2（可选）": APIV3_KEY}
    run(page, paste, **fields)
    # The V2 key's field holds the key that opens the answer: it is the APIv3 key.
    expect(
        page.locator('[data-code="api_key_is_apiv3_key"][data-ok="false"]').first
    ).to_be_visible()
    assert shown(page) == server_mode_of(open_page, paste, **fields)
    recorder.assert_none_carries(all_secrets(paste))


def test_a_damaged_private_key_gets_the_servers_sentence(page, open_page):
    page.goto(PAGE)
    recorder = Recorder(page)
    lines = private_pem().split("\n")
    damaged = "\n".join([*lines[:5], *lines[7:]]) + pem(merchant_cert())
    run(page, damaged)
    expect(page.locator('[data-kind="unreadable"]')).to_be_visible()
    assert shown(page) == server_mode_of(open_page, damaged)
    forms = {f"damaged_{kind}": text for kind, text in encodings(damaged, []).items()}
    forms |= {f"line{n}": line for n, line in enumerate(lines[1:-2]) if len(line) >= 40}
    recorder.assert_none_carries(forms)


def test_changing_the_key_recomputes_without_sending_it(page):
    page.goto(PAGE)
    recorder = Recorder(page)
    run(page, certificates_answer(), **{"APIv3 密钥（可选）": API_KEY})
    expect(page.locator('[data-code="apiv3_key_decrypts"][data-ok="false"]')).to_be_visible()
    page.get_by_label("APIv3 密钥（可选）", exact=True).fill(APIV3_KEY)
    expect(page.locator('[data-code="apiv3_key_decrypts"][data-ok="true"]')).to_be_visible(
        timeout=TIMEOUT
    )
    recorder.assert_none_carries(all_secrets(certificates_answer()))


def test_without_javascript_the_key_ring_computes_on_the_server_and_says_so(js_disabled_page):
    page = js_disabled_page
    page.goto(PAGE)
    expect(page.get_by_text(re.compile("服务器计算（本页没有运行 JavaScript）"))).to_be_visible()
    page.get_by_label(PASTE_LABEL, exact=True).fill(everything())
    with page.expect_navigation():
        page.get_by_role("button", name="计算 Run").click()
    expect(page.locator('[data-code="apiv3_key_decrypts"][data-ok="true"]')).to_be_visible()
    assert "PRIVATE KEY" not in page.content() and APIV3_KEY not in page.content()


def test_on_a_phone_the_switch_and_the_guarantee_are_in_view(open_page):
    page = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(PAGE)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_visible()
    guarantee = page.locator("[data-local-guarantee]").first
    expect(guarantee).to_be_visible()
    box = guarantee.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.get_by_label(PASTE_LABEL, exact=True).fill(everything())
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator('[data-code="keyring_verdict"]')).to_be_visible(timeout=TIMEOUT)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_the_key_ring_weighs_under_100_kb_gzipped_on_first_load(page):
    """Issue 17: the key ring's own modules (the split, the page) load on that page only and keep
    it small."""
    import gzip

    answers = []
    page.on("response", lambda answer: answers.append(answer))
    page.goto(PAGE, wait_until="networkidle")
    sizes = {answer.url: len(gzip.compress(answer.body(), 9)) for answer in answers}
    assert any(url.endswith("/keyring-split.js") for url in sizes)
    assert sum(sizes.values()) < 100_000, sizes


def test_other_task_pages_do_not_load_the_key_rings_modules(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto("/wechat/v3/sign/", wait_until="networkidle")
    assert any(url.endswith("/task-page.js") for url in urls)
    assert not any("keyring" in url for url in urls)
