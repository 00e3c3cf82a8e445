"""Issue 10, F7: the debug error page and the development server's log lines keep the promise."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from urllib.parse import quote

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

SECRET = "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm"


@dataclass
class Report:
    """Stands for an engine's result held in a frame variable when something fails."""

    string_sign_temp: str
    pairs: list[tuple[str, str]]


def failing_view(raw: str) -> None:
    report = Report(f"appid=wx1&key={SECRET}", [("appid", "wx1"), ("mch_key", SECRET)])
    text = raw
    raise RuntimeError(f"failed on {len(text)} characters of {report.pairs[0][0]}")


def test_the_debug_page_shows_no_secret_from_post_fields_or_frame_variables(settings):
    settings.DEBUG = True
    request = RequestFactory().post(
        "/wechat/v2/free/sign",
        {"raw": f"<xml><paternerKey>{SECRET}</paternerKey></xml>", "key": "k" * 32},
    )
    request.POST  # noqa: B018 (parsed, as the view would have)
    try:
        failing_view(request.POST["raw"])
    except RuntimeError:
        page = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
    assert "failed on" in page  # the report is there
    assert SECRET not in page and quote(SECRET) not in page
    assert "k" * 32 not in page


def test_a_dev_server_line_with_a_url_encoded_secret_is_redacted(caplog):
    caplog.set_level("INFO")
    line = f'"GET /wechat/v2/free/?raw=appid%3Dwx1%26key%3D{SECRET} HTTP/1.1" 500 1234'
    logging.getLogger("django.server").error(line)
    assert "appid%3Dwx1" in caplog.text
    assert SECRET not in caplog.text
