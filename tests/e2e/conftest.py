"""Browser-test fixtures: one headless Debian Chromium and one live server per session, over the demo site."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.test import modify_settings
from pytest_django.live_server_helper import LiveServer
from wagtail.images import get_image_model

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Flags for a quiet, reproducible headless run: no sandbox (containers, root), no GPU, and nothing
# fetched in the background (updates, field trials), so the only network traffic is the test's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def in_browser():
    """
    Run `function(browser, *args)` with Debian's Chromium, launched once per session.

    Playwright never downloads a browser of its own here. Its sync API keeps an event loop running on
    the thread that uses it, where Django refuses database calls and keeps its connections per context;
    so the browser lives on a thread of its own and the tests' database work stays on theirs.
    """
    # Imported here: without playwright, test_pages.py skips before any fixture is set up.
    from playwright.sync_api import sync_playwright

    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")

    def run(function, *args):
        return thread.submit(function, *args).result()

    playwright = run(lambda: sync_playwright().start())
    browser = run(
        lambda: playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    )
    yield lambda function, *args: run(function, browser, *args)
    run(browser.close)
    run(playwright.stop)
    thread.shutdown()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Where the screenshots go; each run overwrites its own by name (and leaves a parallel run's alone)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def live_demo_server(django_db_setup):
    """
    One live server for the session's browser tests, over the database the session set up.

    Nothing is flushed or loaded per test: the demo content is already there (see tests/conftest.py).
    On PostgreSQL the server's threads have connections of their own and read what is committed: the
    demo content. On SQLite the test database lives in memory, and pytest-django's LiveServer hands the
    server the tests' own connection, so it reads what the test reads.
    """
    server = LiveServer("localhost")
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):  # as pytest-django's live_server does
        yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def _forget_what_the_live_server_committed(django_db_setup, django_db_blocker):
    """
    On PostgreSQL the live server commits what serving the pages creates: image renditions (nothing
    else). Delete them after the browser tests, so that the tests after these see the demo content as
    it was loaded. (On SQLite they were made in each test's transaction, and are gone with it.)
    """
    renditions = get_image_model().get_rendition_model().objects
    with django_db_blocker.unblock():
        before = set(renditions.values_list("pk", flat=True))
    yield
    with django_db_blocker.unblock():
        renditions.exclude(pk__in=before).delete()


@pytest.fixture
def demo_site(demo, live_demo_server):
    """The demo content, served by the live server (the test only reads it)."""
    return live_demo_server
