"""Issue 12 #5: every page fits phones from 360 to 414 px wide, with and without a result."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_journeys import KEY, PARAMS
from tests.web.test_v3_workbenches import PAGES as WORKBENCH_PAGES

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 10_000
WIDTHS = (360, 390, 414)
# The workbenches (the list the workbench tests use), and the other pages.
PAGES = (
    "/", "/diagnose", "/faq/", "/wechat/v2/", "/wechat/v2/jsapi/", "/wechat/v2/demo/",
    *WORKBENCH_PAGES,
    "/diagnose?q=%E7%B3%BB%E7%BB%9F%E7%B9%81%E5%BF%99",
)  # fmt: skip


def phone(open_page, width: int):
    return open_page(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)


def overflow(page) -> int:
    """How much wider than the phone the page is laid out. A mobile browser widens its layout
    viewport to fit wide content (innerWidth grows too), so compare with the width set."""
    width = page.viewport_size["width"]
    return (
        page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)") - width
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(open_page, width):
    page = phone(open_page, width)
    wide = {}
    for url in PAGES:
        page.goto(url)
        if (extra := overflow(page)) > 0:
            wide[url] = extra
    assert not wide, f"wider than {width} px by: {wide}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_v2_result_fits_and_its_verdict_is_brought_into_view(open_page, width):
    page = phone(open_page, width)
    page.goto("/wechat/v2/")
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill("0" * 32)
    page.get_by_role("button", name="计算签名 Sign").click()
    verdict = page.locator("#result .verdict").first
    expect(verdict).to_be_visible(timeout=TIMEOUT)
    expect(verdict).to_be_in_viewport()
    assert overflow(page) <= 0


def test_a_shared_result_opens_on_the_verdict_on_a_phone(open_page, page):
    page.goto("/wechat/v2/")
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    link = page.locator("#share-url-input")
    expect(link).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    customer = phone(open_page, 390)
    customer.goto(link.input_value())
    result_top = customer.locator("#result").bounding_box()["y"]
    rerun = customer.locator("details.rerun > summary")
    assert result_top < rerun.bounding_box()["y"]
    expect(customer.locator("#result h3").first).to_be_in_viewport()
    # The form waits folded under the verdict, and opens on a tap with the inputs in it.
    expect(customer.locator("form.workbench-form")).to_be_hidden()
    rerun.click()
    expect(customer.get_by_label("你发送的参数")).to_be_visible()
    expect(customer.get_by_label("你发送的参数")).to_have_value(re.compile("appid"))


def test_the_presets_take_one_row_on_a_phone(open_page):
    page = phone(open_page, 360)
    page.goto("/wechat/v2/")
    tabs = page.locator("nav.tabs").bounding_box()
    assert tabs["height"] < 60
