"""Local mode (本地计算) on Alipay's key and certificate pages in a real browser: the 应用私钥 is
read here and only its public half goes out, with the header label pasted and the content's
format, so a PKCS#1 body under a "BEGIN PRIVATE KEY" header is still named. Every request is
searched for the key in every encoding (PEM raw, URL-encoded, JSON-escaped, base64 and hex of the
DER at each offset, PKCS#1 and PKCS#8, bare base64). Formats, pairs and the derived 应用公钥 are
checked against what cryptography computes here."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.browser.test_local_mode_tasks import Recorder, der_forms, encodings, private_key
from tests.diagnostics.alipay.test_local_keys import app_certificate

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000


def spki_base64(key: rsa.RSAPrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def mislabelled_pkcs1() -> str:
    """The PKCS#1 body under the PKCS#8 header (pem_label_mismatch)."""
    body = base64.b64encode(der_forms()[0]).decode()
    lines = [body[at : at + 64] for at in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----"])


def run(page, fields: list[tuple[str, str]], secret: str) -> Recorder:
    recorder = Recorder(page)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    for label, value in fields:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("应用私钥（可选）", exact=True).fill(secret)
    page.get_by_role("button", name="计算 Run").click()
    return recorder


def test_a_mislabelled_key_is_named_and_paired_without_leaving_the_browser(page):
    page.goto("/alipay/keys/")
    secret = mislabelled_pkcs1()
    recorder = run(page, [("公钥（可选）", public_pem(private_key()))], secret)
    own = page.locator('li[data-field="private_key"]')
    expect(own).to_have_attribute("data-format", "pkcs1_pem", timeout=TIMEOUT)
    expect(own).to_contain_text("BEGIN PRIVATE KEY")
    expect(page.locator('[data-code="pem_label_mismatch"]')).to_be_visible()
    expect(page.locator('.alipay-pairs li[data-right="public_key"]')).to_have_attribute(
        "data-matches", "true"
    )
    expect(page.locator("#derived-public-key-base64")).to_have_text(spki_base64(private_key()))
    recorder.assert_none_carries(encodings(secret, der_forms()))


def test_a_bare_key_that_is_not_the_public_keys_pair_is_said_so(page):
    page.goto("/alipay/keys/")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    secret = base64.b64encode(der_forms()[1]).decode()
    recorder = run(page, [("公钥（可选）", public_pem(other))], secret)
    own = page.locator('li[data-field="private_key"]')
    expect(own).to_have_attribute("data-format", "pkcs8_base64", timeout=TIMEOUT)
    expect(page.locator('[data-code="key_pair_mismatch"]')).to_be_visible()
    expect(page.locator("#derived-public-key-base64")).to_have_text(spki_base64(private_key()))
    recorder.assert_none_carries(encodings(secret, der_forms()))


def test_a_damaged_key_alone_gets_the_servers_sentence(page):
    page.goto("/alipay/keys/")
    lines = mislabelled_pkcs1().split("\n")
    middle = len(lines) // 2
    changed = lines[middle][:10] + ("A" if lines[middle][10] != "A" else "B") + lines[middle][11:]
    damaged = "\n".join([*lines[:middle], changed, *lines[middle + 1 :]])
    recorder = run(page, [], damaged)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("输入有问题", timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(damaged, []))


def test_the_certificate_page_pairs_the_key_kept_in_the_browser(page):
    page.goto("/alipay/certs/")
    secret = base64.b64encode(der_forms()[0]).decode()  # bare PKCS#1
    recorder = run(page, [("证书", app_certificate(private_key()))], secret)
    expect(page.locator('[data-code="key_pair"]')).to_be_visible(timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(secret, der_forms()))
