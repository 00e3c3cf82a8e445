from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the knowledge base, loaded the way `make run` loads it."""
    with django_db_blocker.unblock():
        call_command("load_faq", verbosity=0)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Rate limits are tested on their own (tests/web/test_security.py); elsewhere they are off."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def engine_sees_every_change(settings):
    """Tests edit entries and query at once: check for changes on every query."""
    settings.FAQ_ENGINE_CHECK_SECONDS = 0


@pytest.fixture(autouse=True)
def language_restored():
    """A request in English (LocaleMiddleware activates it for the thread) must not leave the
    next test, or the engines' doctests that run after the tests, reading English."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser():
    """The session's one chromium (Playwright's sync API allows one per thread): the browser
    journeys in tests/browser and the few browser checks elsewhere share it."""
    from tests.browser.conftest import CHROMIUM_ARGS, SKIP_REASON, find_chromium

    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
