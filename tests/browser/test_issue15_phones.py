"""Issue 15's pages at 360 px with a result on them (tests/browser/test_phones.py sees them empty):
the key ring's items and relations, the sensitive-field ciphertext, the simulators' curl command and
raw request, the refund table, and the service-provider presets fit without scrolling sideways."""

from __future__ import annotations

import pytest

from tests.browser.test_phones import overflow, phone
from tests.diagnostics.wechat_v3.test_keyring import (
    APIV3_KEY,
    PUB_KEY_ID,
    certificates_answer,
    merchant_cert,
    pem,
    private_pem,
    wechatpay_public_pem,
)
from tests.web import keys
from tests.web.test_refund_notify import API_KEY as REFUND_KEY
from tests.web.test_refund_notify import notification as refund_notification

pytest.importorskip("playwright.sync_api", reason="browser tests skipped: no playwright")
expect = pytest.importorskip("playwright.sync_api").expect
URL = "https://merchant.example/pay/notify/" + "a" * 120  # a long notify_url: the curl line

RESULTS = [
    (
        "/wechat/v3/keyring/",
        lambda: {
            "private_key": "\n".join(
                [private_pem(), pem(merchant_cert()), certificates_answer(), wechatpay_public_pem(), PUB_KEY_ID]
            ),
            "apiv3_key": APIV3_KEY,
            "serial_no": "ABCDEF",
        },
    ),
    ("/wechat/v3/sensitive/", lambda: {"mode": "encrypt", "plaintext": "张三", "public_key": keys.certificate_pem()}),
    ("/wechat/v2/refund-notify/", lambda: {"notification": refund_notification(), "key": REFUND_KEY}),
    (
        "/wechat/v3/simulate/",
        lambda: {"kind": "reserialized", "mode": "certificate", "url": URL, "apiv3_key": APIV3_KEY},
    ),
    ("/wechat/v2/simulate/", lambda: {"kind": "refund", "url": URL, "key": REFUND_KEY}),
    (
        "/wechat/v2/partner-unifiedorder/",
        lambda: {
            "raw": "appid=wx2421b1c4370ec43b&mch_id=10000100&sub_appid=wx8888888888888888"
            "&sub_mch_id=1900000109&openid=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o&trade_type=JSAPI"
            "&notify_url=" + URL,
            "key": REFUND_KEY,
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("url", "values"), RESULTS, ids=[url for url, _ in RESULTS])
def test_a_result_on_issue_15_pages_fits_a_360_px_phone(open_page, url, values):
    page = phone(open_page, 360)
    page.goto(url)
    form = page.locator("form.workbench-form")
    for name, value in values().items():
        # Not the local-mode switch; a secret input in local mode keeps its name aside (mode.js).
        field = form.locator(f"[name={name}]:not([type=radio]), [data-secret-name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button.primary").click()
    expect(page.locator("#result .verdict").first).to_be_visible(timeout=15_000)
    assert overflow(page) <= 0, f"{url} with a result is wider than 360 px by {overflow(page)}"
