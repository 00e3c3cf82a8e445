"""Issue 12 #1 in a real browser: editing an APIv3 form faster than the private-key limit allows
never leaves the page dead. The limit's clock is compressed (1 in 3 seconds instead of 20 a
minute): an edit session past the allowed pace, then 计算 once the wait is over. Fast typing is
debounced (one request after a pause), so the edits are paced just over the pause."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.web import keys

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 10_000


def test_an_edit_session_faster_than_the_limit_never_leaves_the_page_dead(
    page, settings, allow_console_error
):
    allow_console_error(r"429")
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "private_key": "1/3s"}
    cache.clear()
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: statuses.append(response.status) if "/run" in response.url else None,
    )
    page.goto("/wechat/v3/sign/")
    page.get_by_label("URL（路径和查询串）").fill("/v3/pay/transactions/jsapi")
    page.get_by_label("商户私钥 apiclient_key.pem").fill(keys.private_pem())
    body = page.get_by_label("请求体 body")
    saw_limit = False
    for edit in range(6):
        body.fill(f'{{"appid":"wx2421b1c4370ec43b","n":{edit}}}')
        body.blur()  # a change event, as leaving the field does
        page.wait_for_timeout(1300)
        expect(page.locator("#result")).to_have_count(1)  # the result area is never lost
        saw_limit = saw_limit or page.locator('#result [data-status="429"]').count() > 0
    assert saw_limit, (
        f"the compressed limit was never reached ({statuses}): the test proves nothing"
    )
    page.wait_for_timeout(3200)  # the wait is over
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator("#signature")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#result")).to_contain_text('"n":5')
    cache.clear()
