"""Site-wide browser checks that are not a journey."""

from __future__ import annotations

import re

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect


def test_the_site_has_an_icon(page):
    page.goto("/")
    icon = page.evaluate(
        """() => { const link = document.querySelector("link[rel~='icon']");
            return link ? link.href : new URL("/favicon.ico", location.href).href; }"""
    )
    answer = page.request.get(icon)
    assert answer.status == 200, f"{icon}: {answer.status}"


def test_a_stale_form_gets_the_sites_own_403_page(page, allow_console_error):
    allow_console_error(r"status of 403 .*")  # the 403 itself is the expected answer
    page.goto("/lint/")
    page.context.clear_cookies()  # the CSRF cookie expired or was cleared while the form was open
    with page.expect_navigation():
        page.evaluate("document.querySelector('form.workbench-form').submit()")

    expect(page.get_by_role("heading", level=1)).to_contain_text("403", timeout=2_000)
    # The site's own page: its header and its way back.
    expect(page.get_by_role("link", name="支付接入诊断台")).to_be_visible(timeout=2_000)


def test_the_language_switch_turns_the_page_english_and_back(page):
    page.goto("/wechat/v2/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/wechat/v2/demo/$"), timeout=2_000)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#sign")).to_have_text("66E9F5E543A151379CFB4EAC732BFA32")

    with page.expect_navigation():
        page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("微信支付 V2 签名工作台")
