"""密钥体检 in local mode (本地计算) with a careless merchant in a real browser: a key typed into a
field that is not a secret one (商户号, 序列号, Wechatpay-Serial) would go with the request; the page
stops it (guard.js, as for a private key pasted outside its field) and says so beside the field."""

from __future__ import annotations

import pytest

from tests.browser.test_local_mode_keyring import PAGE, PASTE_LABEL, everything
from tests.browser.test_local_mode_tasks import Recorder, encodings
from tests.diagnostics.wechat_v3.test_keyring import APIV3_KEY, merchant_cert, pem

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)


@pytest.mark.parametrize("in_its_own_field_too", [True, False], ids=["typed twice", "typed once"])
def test_an_apiv3_key_typed_into_the_wechatpay_serial_field_is_not_sent(page, in_its_own_field_too):
    page.goto(PAGE)
    recorder = Recorder(page)
    page.get_by_label(PASTE_LABEL, exact=True).fill(pem(merchant_cert()))
    if in_its_own_field_too:
        page.get_by_label("APIv3 密钥（可选）", exact=True).fill(APIV3_KEY)
    page.get_by_label("收到的 Wechatpay-Serial（可选）", exact=True).fill(APIV3_KEY)
    page.get_by_role("button", name="计算 Run").click()
    # The request is stopped and the field says why (guard.js), in place of sending the key.
    note = page.locator('[data-local-guard="wechatpay_serial"]')
    sync_api.expect(note).to_contain_text("这里像是粘贴了密钥")
    page.wait_for_timeout(500)
    for form in encodings(APIV3_KEY, []).values():
        assert not any(form in text for text in recorder.seen)


def test_a_paste_of_just_the_mchid_repeated_in_its_field_is_no_secret_astray(page):
    page.goto(PAGE)
    page.get_by_label(PASTE_LABEL, exact=True).fill("1900009191\n" + pem(merchant_cert()))
    page.get_by_label("商户号（可选）", exact=True).fill("1900009191")
    page.get_by_role("button", name="计算 Run").click()
    sync_api.expect(page.locator('[data-code="keyring_verdict"]')).to_be_visible(timeout=15_000)
    sync_api.expect(page.locator("[data-local-guard]")).to_have_count(0)


def test_a_share_made_right_after_pasting_keeps_its_link(page):
    """The paste field losing focus once the answer arrives made one more request, whose answer
    replaced the link just made (mode.js now stops a secret field's change in local mode)."""
    page.goto(PAGE)
    recorder = Recorder(page)
    page.get_by_label(PASTE_LABEL, exact=True).fill(everything())
    page.get_by_role("button", name="保存并分享").click()
    link = page.locator("#share-url-input")
    sync_api.expect(link).to_be_visible(timeout=15_000)
    page.wait_for_timeout(3000)  # past the live update's delay (1 s) and the answer's round
    sync_api.expect(link).to_be_visible()
    posts = recorder.posts()
    assert len(posts) <= 3, len(posts)  # the prepared post, the opened answer (with the share)
