"""Browser-test fixtures: one headless Debian Chromium per session, and the demo site on a live server."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

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


def restore_wagtail_roots():
    """
    Create what Wagtail's own migrations put in the database, where it is missing: the default locale,
    the root collection and the root page. A transactional test empties every table when it ends, and
    the demo content is built on these.
    """
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        call_command("set_translation_url_paths", verbosity=0)


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo content, committed so the live server's thread sees it."""
    restore_wagtail_roots()
    call_command("load_demo_content", verbosity=0)
    return live_server
