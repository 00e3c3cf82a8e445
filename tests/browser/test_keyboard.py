"""Issue 12 #6 in a real browser: a skip link to the input, Ctrl+Enter submits, and focus moves
to the answer's heading after a submit (not while typing)."""

from __future__ import annotations

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 10_000


def test_the_first_tab_reaches_the_skip_link_and_it_leads_to_the_paste_box(page):
    page.goto("/diagnose")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到输入框")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.type("系统繁忙")
    expect(page.locator("#id_q")).to_have_value("系统繁忙")


def test_ctrl_enter_submits_and_focus_moves_to_the_answer(page):
    page.goto("/diagnose")
    box = page.locator("#id_q")
    box.click()
    page.keyboard.type("调起后提示 errCode:6")
    page.keyboard.press("Control+Enter")
    heading = page.locator("#results h2").first
    expect(heading).to_be_focused(timeout=TIMEOUT)


def test_typing_in_a_workbench_keeps_focus_in_the_box(page):
    page.goto("/wechat/v2/")
    box = page.get_by_label("你发送的参数")
    box.fill("appid=wx1\nmch_id=10000100")
    page.get_by_label("商户 API 密钥").fill("Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae")
    box.click()
    page.keyboard.type("\nnonce_str=abc")
    expect(page.locator("#sign")).to_be_visible(timeout=TIMEOUT)
    expect(box).to_be_focused()


def test_the_apiv3_key_can_be_shown_while_typing_it(page):
    page.goto("/wechat/v3/decrypt/")
    box = page.get_by_label("APIv3 密钥")
    box.fill("0123456789abcdefABCDEF0123456789")
    expect(box).to_have_attribute("type", "password")
    page.get_by_role("button", name="显示").click()
    expect(box).to_have_attribute("type", "text")
