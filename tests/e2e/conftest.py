"""Browser tests: Playwright's sync API driving Debian's headless Chromium against ``live_server``.

The browser is never downloaded: it is ``/usr/bin/chromium`` (``apt-get install -y
chromium``); without it every test here is skipped with that reason. Playwright's sync
API runs an event loop in the test thread, so Django's async-safety guard must be off for
the ORM calls the tests make (``DJANGO_ALLOW_ASYNC_UNSAFE``).

The live server needs a transactional database, which Django empties after each test,
reference data included (it is loaded by migration, once). The autouse fixture
``reference_data`` loads it again — the same idempotent loaders as the migrations — when
a test starts with an empty table. (``serialized_rollback`` would do the same in theory;
with Playwright's event loop in the test thread it did not restore the rows reliably.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import load_reference_rows

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, with the reason, when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install -y chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Divisions, industries, categories, populations and the rule table, as after ``migrate``."""
    load_reference_rows()


@pytest.fixture(autouse=True, scope="module")
def reference_data_restored(django_db_blocker):
    """After a module's last browser test has emptied the database, load the reference data
    again, so tests that run later (pytest-django runs tests that reach the database only
    through dynamic fixtures after the transactional ones) find it as after ``migrate``."""
    yield
    with django_db_blocker.unblock():
        load_reference_rows()


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(chromium_browser, live_server):
    """Factory of fresh pages, one browser context (cookie jar) per person; closed afterwards."""
    contexts = []

    def make(locale: str = "zh-CN"):
        context = chromium_browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str, *, next_url: str = "/facilities/") -> None:
    """Sign in through the login form and wait for the page after it."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form.form-login button[type=submit]").click()
