"""
The Content-Security-Policy in a real browser (Debian's Chromium driven by Playwright): the public
pages in both languages, the API's docs (Swagger UI), the admin (dashboard, an article's edit
form, listings) and a page with the editor's user bar load without a single violation of the policy
they are sent (cms/settings/base.py). A violation shows as a `securitypolicyviolation` event and
a console error: both are collected.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from articles.models import ArticlePage

from .conftest import CHROMIUM
from .test_pages import PAGES

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -r requirements-dev.txt)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (`make test` does)", allow_module_level=True
    )

pytestmark = pytest.mark.e2e

ADMIN = ("e2e-csp-admin", "a-long-enough-password-for-csp")
SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
# Registered before any of the page's own scripts run, so that no violation goes unseen.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
));
"""


@pytest.fixture(scope="module")
def admin_account(django_db_setup, django_db_blocker):
    """A superuser, committed so that the live server sees it (deleted after)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(ADMIN[0], "csp@example.com", ADMIN[1])
    yield ADMIN
    with django_db_blocker.unblock():
        user.delete()


def violations_on(browser, base_url, paths, credentials=None, ready=None):
    """{path: [violations, console errors about the policy]} for each of `paths`, loaded in turn."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(COLLECT_VIOLATIONS)
    tab = context.new_page()
    console = []
    tab.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and console.append(message.text)
        ),
    )
    try:
        if credentials:
            tab.goto(f"{base_url}/admin/login/")
            tab.fill("#id_username", credentials[0])
            tab.fill("#id_password", credentials[1])
            tab.click("button[type=submit]")
            tab.wait_for_url(f"{base_url}/admin/")
        seen = {}
        for path in paths:
            console.clear()
            tab.goto(base_url + path, wait_until="load")
            if ready and path in ready:
                tab.wait_for_selector(ready[path])
            tab.wait_for_load_state("networkidle")
            seen[path] = tab.evaluate("window.__cspViolations") + console
        return seen
    finally:
        context.close()


def test_public_pages_in_both_languages_and_the_api_docs_break_no_rule_of_the_policy(demo_site, in_browser):
    paths = []
    for language in ("en", "ta"):
        with translation.override(language):
            paths += [find_page().get_url() for find_page, _expected in PAGES.values()]
            paths.append(reverse("search") + "?q=skin")
    paths.append("/api/v3/docs/")

    seen = in_browser(violations_on, demo_site.url, paths, None, {"/api/v3/docs/": ".swagger-ui .info"})

    assert len(seen) == len(paths)
    assert not {path: found for path, found in seen.items() if found}


def test_the_admin_breaks_no_rule_of_its_policy(demo_site, admin_account, in_browser, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    article = ArticlePage.objects.get(slug_en=SEED_SLUG)
    paths = [
        "/admin/",
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailadmin_explore", args=[article.get_parent().pk]),
        reverse("wagtailsnippets_articles_author:list"),
        "/admin/settings/home/clinicdetails/1/",
        # The site as a signed-in editor sees it, with Wagtail's user bar, under the site's policy.
        article.get_url(),
    ]

    seen = in_browser(violations_on, demo_site.url, paths, admin_account, {paths[1]: "form[data-edit-form]"})

    assert not {path: found for path, found in seen.items() if found}
