"""Local mode (issue 17) in a real browser: a V2 key pasted into the params is not sent and the
page says where it belongs; moved into its field, the result is computed; a share of that result
says the sharer's browser computed it."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_local_mode_v2 import (
    KEY,
    PARAMS,
    REAL_SIGN,
    UNSORTED_SIGN,
    Recorder,
    workbench,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
expect = sync_api.expect
TIMEOUT = 10_000
GUARD = "这里像是粘贴了密钥：本地计算不会把它发给服务器。"
BROWSER_LINE = "此结果由分享者的浏览器计算（本地计算），服务器没有密钥，未复核。"


def test_a_key_line_in_the_params_is_named_beside_them_and_not_sent(page, open_page):
    recorder = workbench(page)
    assert isinstance(recorder, Recorder)
    params = page.get_by_label("你发送的参数")
    params.fill(f"{PARAMS}\nkey={KEY}")
    note = page.locator('[data-local-guard="raw"]')
    expect(note).to_contain_text(GUARD, timeout=TIMEOUT)
    assert not any(KEY in text for text in recorder.posts())

    # Moved into its field: the message goes and the result is the one hashlib gives.
    params.fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill(UNSORTED_SIGN)
    expect(page.locator('.mistake[data-code="not_sorted"]')).to_be_visible(timeout=TIMEOUT)
    expect(note).to_have_count(0)

    # Its share, opened elsewhere, says whose browser computed it.
    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    expect(page.locator("#share-url-input")).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    recorder.assert_never_sent(KEY)
    other = open_page()
    other.goto(page.locator("#share-url-input").input_value().strip())
    expect(other.get_by_text(BROWSER_LINE)).to_be_visible()
    expect(other.locator("#sign")).to_have_text(REAL_SIGN)  # hashlib's (test_local_mode_v2)
