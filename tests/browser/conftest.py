"""Real-browser tests: Playwright (Python, sync API) driving Debian's chromium against live_server.

Every test here is marked ``browser``. When chromium or the playwright package is missing, every
test here is skipped with the reason, and the reason is also printed in the terminal summary.

Pages come from ``open_page`` (or the ``page`` / ``js_disabled_page`` shortcuts): each one records
console errors and warnings and uncaught page errors, and the test fails when any console error or
Content Security Policy violation appeared (checked right after the test body, so a test marked
xfail expects it too). Each page is saved as a full-page screenshot in
test-artifacts/screenshots/<test name>.png at the end of its test.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread (fixtures, live_server) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[1] / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """PAYDOCTOR_CHROMIUM, else /usr/bin/chromium, else chromium on PATH."""
    configured = os.environ.get("PAYDOCTOR_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "browser tests skipped: the playwright package is not installed "
            "(pip install -e '.[dev]', or pip install playwright)"
        )
    if find_chromium() is None:
        wanted = os.environ.get("PAYDOCTOR_CHROMIUM") or "/usr/bin/chromium"
        return f"browser tests skipped: {wanted} not found (apt-get install chromium)"
    return None


SKIP_REASON = _skip_reason()


def _in_this_directory(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not _in_this_directory(item):
            continue
        item.add_marker(pytest.mark.browser)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SKIP_REASON:
        terminalreporter.write_sep("=", "browser tests", yellow=True)
        terminalreporter.write_line(SKIP_REASON, yellow=True)


# --- The site -----------------------------------------------------------------------------------


_KNOWLEDGE_BASE: list[Any] = []


@pytest.fixture
def site(live_server: Any) -> str:
    """The live server's URL, with the knowledge base visible to it.

    live_server runs on a transactional database that is flushed after every test, so the
    entries loaded once by tests/conftest.py are gone from the second browser test on: load them
    (load_faq, the first time) or put the same rows back (bulk_create, the next times).
    """
    from faq.models import Entry

    if not Entry.objects.exists():
        if _KNOWLEDGE_BASE:
            Entry.objects.bulk_create(_KNOWLEDGE_BASE)
        else:
            call_command("load_faq", verbosity=0)
    if not _KNOWLEDGE_BASE:
        _KNOWLEDGE_BASE.extend(Entry.objects.all())
    return live_server.url


# --- The browser ----------------------------------------------------------------------------------


# The session's one chromium (``browser``) lives in tests/conftest.py: Playwright's sync API runs
# one event loop per thread, so a browser test outside this directory must share it, not start a
# second one.


# Console errors that are not page errors, tolerated by the general check:
# - Chromium logs "Failed to load resource: ... status of 400" for an htmx request that a form
#   answers with its validation message (a 400 the page shows in place, by design: base.html's
#   htmx-config swaps 4xx answers). A person typing produces those between keystrokes (the key
#   is still empty, a field is half-typed).
# Any other 4xx/5xx, any JS error and any CSP violation still fails the test.
FORM_ENDPOINT = re.compile(r"/(sign|run|diagnose)$")


def _tolerated(message: Any) -> bool:
    path = (message.location or {}).get("url", "").split("?")[0]
    if "Failed to load resource" not in message.text:
        return False
    return "status of 400" in message.text and FORM_ENDPOINT.search(path) is not None


@dataclass
class PageLog:
    name: str
    allowed: list[re.Pattern[str]] = field(default_factory=list)  # this test's expected messages
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            where = (message.location or {}).get("url", "")
            text = f"{message.type}: {message.text} ({where})"
            if message.type == "error":
                if _tolerated(message) or any(p.search(message.text) for p in self.allowed):
                    self.tolerated.append(text)
                else:
                    self.errors.append(text)
            elif message.type == "warning":
                self.warnings.append(text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def problems(self) -> list[str]:
        csp = [
            text
            for text in self.warnings
            if "Content Security Policy" in text or "Refused to" in text
        ]
        # htmx logs "htmx:afterRequest" + "htmx:sendAbort" with console.error when hx-sync="replace"
        # drops a request a newer keystroke superseded: the design of a page that updates as you
        # type, not an error. Other htmx errors (sendError, responseError, timeout...) still count.
        errors = list(self.errors)
        aborts = [text for text in errors if text.startswith("error: htmx:sendAbort")]
        for abort in aborts:
            errors.remove(abort)
            paired = next((t for t in errors if t.startswith("error: htmx:afterRequest")), None)
            if paired:
                errors.remove(paired)
        return errors + csp


def _artifact_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test's own checks pass, fail it if any of its pages logged a problem.

    Checked in the call phase (not at teardown) so the verdict is the test's: a failure, and an
    expected one for a test marked xfail.
    """
    result = yield
    logs: list[PageLog] = getattr(item, "_browser_page_logs", [])
    problems = [f"[{log.name}] {text}" for log in logs for text in log.problems()]
    if problems:
        pytest.fail("the browser console reported problems:\n" + "\n".join(problems), pytrace=False)
    return result


@pytest.fixture
def open_page(
    browser: Any, site: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """open_page(**context_options) -> a page in a new browser context (a new person).

    Every page is watched (see pytest_runtest_call) and screenshotted at the end of the test.
    """
    opened: list[tuple[Any, Any, PageLog]] = []
    logs: list[PageLog] = []
    allowed: list[re.Pattern[str]] = []
    request.node._browser_page_logs = logs
    request.node._browser_allowed_console = allowed
    base = _artifact_name(request)

    def make(**options: Any) -> Any:
        options.setdefault("base_url", site)
        options.setdefault("locale", "zh-CN")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        log = PageLog(base if not opened else f"{base}-{len(opened) + 1}", allowed)
        log.watch(page)
        opened.append((context, page, log))
        logs.append(log)
        return page

    yield make

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for context, page, log in opened:
        if not page.is_closed() and page.url != "about:blank":
            try:
                page.screenshot(path=str(SCREENSHOTS / f"{log.name}.png"), full_page=True)
            except Exception as error:  # a screenshot is an artifact, not a verdict
                warnings.warn(f"screenshot {log.name} failed: {error}", stacklevel=1)
        context.close()


@pytest.fixture
def allow_console_error(open_page: Callable[..., Any], request: pytest.FixtureRequest) -> Any:
    """allow_console_error(regex): a console error this test expects (e.g. a 403 it provokes)."""
    allowed: list[re.Pattern[str]] = request.node._browser_allowed_console
    return lambda pattern: allowed.append(re.compile(pattern))


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    return open_page()


@pytest.fixture
def js_disabled_page(open_page: Callable[..., Any]) -> Any:
    return open_page(java_script_enabled=False)
