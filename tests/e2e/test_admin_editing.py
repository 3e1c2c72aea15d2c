"""
An editor in the admin, in a real browser (Debian's Chromium driven by Playwright): a Tamil title
fills the Tamil slug with its transliteration, the Tamil fields (alt texts and inline labels too)
stay visible with only Tamil shown, that choice survives a reload, and on a wide screen English
and Tamil stand side by side. Screenshots go to test-artifacts/screenshots/admin-*.png.
"""

import contextlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import ArticlePage, BlogIndexPage
from cms.slugs import ascii_slug
from home.models import OpeningHours

from .conftest import CHROMIUM

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -r requirements-dev.txt)"
)
PlaywrightTimeoutError = playwright_api.TimeoutError
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (`make test` does)", allow_module_level=True
    )

pytestmark = pytest.mark.e2e

EDITOR = ("e2e-editor", "a-long-enough-password-for-tests")
TAMIL_TITLE = "சருமத் துளைகளைக் குறைக்க உதவுமா?"
SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
ENGLISH_BODY_START = "Pores are the tiny openings"
# The label of a translated field ("Hero image alternative text [ta]", maybe with the required mark).
TRANSLATED_LABEL = re.compile(r"\[(en|ta)\]\s*\*?$")
LABELS_IN_TAB = """tab => [...document.querySelectorAll(`${tab} label, ${tab} [data-panel-heading-text]`)]
    .map(label => [label.textContent.trim(), label.checkVisibility()])"""


@pytest.fixture(scope="module")
def editor(django_db_setup, django_db_blocker):
    """An editor's account, committed so that the live server sees it (deleted, with what it saved, after)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(EDITOR[0], "editor@example.com", EDITOR[1])
    yield EDITOR
    with django_db_blocker.unblock():
        user.delete()  # its profile (the languages it chose) and editing sessions go with it


@pytest.fixture
def quiet_admin(settings):
    """The admin without calls beyond this machine (release check, avatars) or autosaved drafts."""
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def languages_ready(tab):
    """Wait until the form shows the editor's languages (their saved choice is fetched on load)."""
    tab.wait_for_selector("form[data-edit-form]:not(.clinic-languages-loading)", state="attached")


def open_form(tab, url):
    tab.goto(url)
    languages_ready(tab)


def log_in(tab, base_url, username, password):
    tab.goto(f"{base_url}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base_url}/admin/")


def languages_shown(tab):
    return tab.eval_on_selector_all(
        ".clinic-language-picker button[data-language]",
        "buttons => buttons.filter(b => b.ariaPressed === 'true').map(b => b.dataset.language)",
    )


def translated_labels(tab, tab_panel):
    """{language: [(label, visible)]} for the translated fields' labels of an admin tab."""
    seen = {"en": [], "ta": []}
    for text, visible in tab.evaluate(LABELS_IN_TAB, tab_panel):
        match = TRANSLATED_LABEL.search(text)
        if match:
            seen[match.group(1)].append((text, visible))
    return seen


def editing_journey(browser, base_url, credentials, urls, screenshots, expected_slug):
    """What the editor sees, step by step (the test asserts on it)."""
    # bypass_csp: Playwright evaluates wait_for_function's predicates with eval(), which the
    # admin's Content-Security-Policy forbids (tests/e2e/test_content_security_policy.py tests it).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    seen = {"errors": errors}
    try:
        log_in(tab, base_url, *credentials)

        # A new article: both languages shown, side by side at 1400 px.
        open_form(tab, base_url + urls["add"])
        seen["first_languages"] = languages_shown(tab)
        tab.fill("#id_title_en", "Can pores shrink?")
        tab.click("#id_title_ta")
        tab.keyboard.type(TAMIL_TITLE)
        tab.keyboard.press("Tab")  # leaving the title brings its slug up to date (debounced)
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says what it was
            tab.wait_for_function(
                "slug => document.querySelector('#id_slug_ta').value === slug",
                arg=expected_slug,
                timeout=5000,
            )
        seen["slug_ta"] = tab.input_value("#id_slug_ta")
        seen["title_boxes"] = [tab.locator(f"#id_title_{code}").bounding_box() for code in ("en", "ta")]
        tab.screenshot(path=screenshots / "admin-new-article-side-by-side-1400.png")

        # The seed article with only Tamil shown: the hero image's Tamil alt text is there.
        open_form(tab, base_url + urls["edit"])
        tab.click(".clinic-language-picker button[data-language=en]")
        seen["ta_only"] = languages_shown(tab)
        seen["ta_only_labels"] = translated_labels(tab, "#tab-content")
        seen["hero_image_visible"] = tab.locator("#id_hero_image-chooser").is_visible()
        tab.locator("#id_hero_image_alt_ta").scroll_into_view_if_needed()
        tab.screenshot(path=screenshots / "admin-article-tamil-only-hero-image.png")
        seen["copy_buttons"] = tab.eval_on_selector_all(
            ".translation-field-copy-wrapper", "wrappers => wrappers.map(w => w.closest('section').id)"
        )

        # "Copy content from" English fills the Tamil body; a copy that fails says so.
        body_ta = tab.locator("#panel-child-content-body_ta-section")
        body_ta.locator(".translation-field-copy").click()
        body_ta.get_by_text(ENGLISH_BODY_START).first.wait_for()
        seen["copied"] = body_ta.get_by_text(ENGLISH_BODY_START).first.is_visible()
        seen["errors_before_failed_copy"] = list(errors)
        tab.route(
            "**/copy_translation_content/", lambda route: route.fulfill(status=500, body="Server error")
        )
        body_ta.locator(".translation-field-copy").click()
        tab.locator(".messages .error").wait_for()
        seen["copy_failure_message"] = tab.locator(".messages .error").inner_text()
        errors.clear()  # the browser reports that 500 in the console too

        # The choice is the editor's: it is still Tamil only after a reload.
        tab.reload()
        languages_ready(tab)
        seen["after_reload"] = languages_shown(tab)
        seen["after_reload_labels"] = translated_labels(tab, "#tab-content")

        # An error in an English field, with only Tamil shown: English opens, and the error is found.
        tab.evaluate("document.querySelector('#id_title_en').value = ''")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Save draft").click()
        languages_ready(tab)
        seen["languages_with_error"] = languages_shown(tab)
        tab.get_by_role("button", name="Go to the first error").click()
        tab.wait_for_function("document.activeElement.matches('.error-message, .help-critical')")
        seen["first_error"] = tab.evaluate(
            """() => { const field = document.activeElement.closest('[data-clinic-language]');
                return [field && field.dataset.clinicLanguage, document.activeElement.checkVisibility()]; }"""
        )
        tab.screenshot(path=screenshots / "admin-article-error-in-hidden-language.png")

        # An opening-hours exception added with only Tamil shown has its Tamil label.
        open_form(tab, base_url + urls["hours"])
        tab.click("#id_exceptions-ADD")
        label_ta = tab.locator("input[id^=id_exceptions-][id$=-label_ta]").last
        label_ta.scroll_into_view_if_needed()
        seen["new_exception_label_ta"] = label_ta.is_visible()
        seen["new_exception_label_en"] = tab.locator(
            "input[id^=id_exceptions-][id$=-label_en]"
        ).last.is_visible()
        tab.screenshot(path=screenshots / "admin-opening-hours-new-exception-tamil-only.png")
    finally:
        context.close()
    return seen


def test_an_editor_writes_in_tamil_with_readable_slugs_and_the_fields_of_the_languages_chosen(
    demo_site, editor, quiet_admin, in_browser, screenshot_dir
):
    blog = BlogIndexPage.objects.get()
    urls = {
        "add": reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk]),
        "edit": reverse("wagtailadmin_pages:edit", args=[ArticlePage.objects.get(slug_en=SEED_SLUG).pk]),
        "hours": reverse("wagtailsnippets_home_openinghours:edit", args=[OpeningHours.objects.get().pk]),
    }

    seen = in_browser(editing_journey, demo_site.url, editor, urls, screenshot_dir, ascii_slug(TAMIL_TITLE))

    assert seen["first_languages"] == ["en", "ta"]
    assert seen["slug_ta"] == ascii_slug(TAMIL_TITLE)
    assert re.search(r"[a-z]{3}", seen["slug_ta"]), seen["slug_ta"]
    english, tamil = seen["title_boxes"]
    assert abs(english["y"] - tamil["y"]) < 2, "the titles are not on one line"
    assert tamil["x"] >= english["x"] + english["width"], "the Tamil title is not beside the English one"

    assert seen["ta_only"] == ["ta"]
    for labels in (seen["ta_only_labels"], seen["after_reload_labels"]):
        assert labels["ta"] and all(visible for _text, visible in labels["ta"]), labels["ta"]
        assert not any(visible for _text, visible in labels["en"]), labels["en"]
    assert ("Hero image alternative text [ta]", True) in seen["ta_only_labels"]["ta"]
    assert seen["hero_image_visible"]
    assert seen["after_reload"] == ["ta"]
    # "Copy content from" on each language's body, not on the Authors (nothing there to copy).
    assert sorted(seen["copy_buttons"]) == [
        f"panel-child-content-body_{code}-section" for code in ("en", "ta")
    ]

    assert seen["copied"]
    assert "could not be copied" in seen["copy_failure_message"]

    assert seen["languages_with_error"] == ["en", "ta"]
    assert seen["first_error"] == ["en", True]

    assert seen["new_exception_label_ta"] and not seen["new_exception_label_en"]
    assert not seen["errors_before_failed_copy"] and not seen["errors"], (
        seen["errors_before_failed_copy"],
        seen["errors"],
    )
