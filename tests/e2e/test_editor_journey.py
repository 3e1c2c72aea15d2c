"""
Issue #11's journey, in a real browser (Debian's Chromium driven by Playwright): an editor writes an
article in English and Tamil, previews it in Tamil and submits it for medical review; nobody sees it
until a medical reviewer approves it; then it is live in both languages, on the site and in the API,
naming the reviewer. The editor then changes the English body and submits that; once the reviewer
approves it, the Tamil is out of date: its page says so and claims no review, the API flags it, and
the Translation status report lists it. Screenshots go to test-artifacts/screenshots/journey-*.png.
"""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation
from PIL import Image
from wagtail.images import get_image_model

from articles.models import ArticlePage, Author, BlogIndexPage
from cms.slugs import ascii_slug

from .conftest import CHROMIUM

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -r requirements-dev.txt)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (`make test` does)", allow_module_level=True
    )

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-enough-password-for-tests"
EDITOR = "journey-editor"
REVIEWER = "journey-reviewer"
REVIEWER_AUTHOR = "janani-palanivel"
TITLE_EN = "Does rice water brighten the skin?"
TITLE_TA = "அரிசி நீர் சருமத்தைப் பொலிவாக்குமா?"
INTRO_EN = "What rice water can and cannot do for your skin."
INTRO_TA = "அரிசி நீர் உங்கள் சருமத்திற்கு என்ன செய்யும், என்ன செய்யாது."
BODY_EN = "Rice water is a traditional rinse."
BODY_TA = "அரிசி நீர் ஒரு பாரம்பரிய அலசல்."
BODY_EN_CHANGED = "Rice water is a traditional rinse; patch-test it before use."
STALE_NOTE_TA = "இந்த மொழிபெயர்ப்பு எழுதப்பட்ட பிறகு இந்தக் கட்டுரையின் ஆங்கிலப் பதிப்பு புதுப்பிக்கப்பட்டுள்ளது"
# What the Tamil page says of the medical review ("Medically reviewed by … on …", "Page last reviewed:").
REVIEWED_TA = ("மருத்துவ ரீதியாகச் சரிபார்க்கப்பட்டது", "பக்கம் கடைசியாகச் சரிபார்க்கப்பட்டது")


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """
    An editor and a medical reviewer linked to the seed author Dr. Janani Palanivel, committed so the
    live server sees them; afterwards they go, with the article and image the journey made.
    """
    with django_db_blocker.unblock():
        users = get_user_model().objects
        editor = users.create_user(EDITOR, "editor@example.com", PASSWORD)
        editor.groups.add(Group.objects.get(name="Editors"))
        reviewer = users.create_user(REVIEWER, "reviewer@example.com", PASSWORD)
        reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
        Author.objects.filter(slug=REVIEWER_AUTHOR).update(user=reviewer)
    yield
    with django_db_blocker.unblock():
        for article in ArticlePage.objects.filter(title_en=TITLE_EN):
            article.delete()
        Author.objects.filter(slug=REVIEWER_AUTHOR).update(user=None)
        get_user_model().objects.filter(username__in=[EDITOR, REVIEWER]).delete()
        get_image_model().objects.filter(title="Rice water journey").delete()


@pytest.fixture
def quiet_admin(settings):
    """The admin without calls beyond this machine (release check, avatars) or autosaved drafts."""
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def log_in(tab, base_url, username):
    tab.context.clear_cookies()
    tab.goto(f"{base_url}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{base_url}/admin/")


def languages_ready(tab):
    tab.wait_for_selector("form[data-edit-form]:not(.clinic-languages-loading)", state="attached")


def add_paragraph(tab, language, text):
    """Insert a paragraph block into a language's body and type `text` into it."""
    section = tab.locator(f"#panel-child-content-body_{language}-section")
    section.locator("button.c-sf-add-button").first.click()
    tab.get_by_role("option", name="Paragraph").first.click()
    editor = section.locator(".public-DraftEditor-content").last
    editor.click()
    tab.keyboard.type(text)
    section.get_by_text(text).wait_for()
    if not text.isascii():
        # Headless Chromium shows Tamil typed into Draft.js (keyboard.type inserts it as text, no key
        # presses) but the editor's state never learns of it; put the paragraph in the block's input,
        # as the editor would.
        state = {"blocks": [{"key": "tamil", "text": text, "type": "unstyled", "depth": 0}], "entityMap": {}}
        section.locator("input[name$='-value']").last.evaluate(
            "(input, value) => { input.value = value; }", json.dumps(state, ensure_ascii=False)
        )


def replace_paragraph(tab, language, text):
    """Replace the text of the first paragraph in a language's body with `text` (typed: ASCII only)."""
    section = tab.locator(f"#panel-child-content-body_{language}-section")
    section.locator(".public-DraftEditor-content").first.click()
    tab.keyboard.press("ControlOrMeta+A")
    tab.keyboard.type(text)
    section.get_by_text(text).wait_for()
    # Draftail copies its state into the block's input a moment (stateSaveInterval) after the last
    # key: a form submitted sooner would post the old text.
    saved = section.locator("input[name$='-value']").first.element_handle()
    tab.wait_for_function("([input, text]) => input.value.includes(text)", arg=[saved, text])


def choose(tab, button, name):
    """Pick `name` (else the first item) in a chooser's modal."""
    tab.get_by_role("button", name=button).first.click()
    results = tab.locator(".modal-dialog table tbody a")
    (results.filter(has_text=name) if name else results).first.click()
    tab.locator(".modal-dialog").wait_for(state="hidden")


def new_photo():
    """A JPEG no demo image duplicates (the admin would stop to ask about a duplicate)."""
    photo = io.BytesIO()
    Image.new("RGB", (1200, 630), (236, 228, 210)).save(photo, "JPEG")
    return {"name": "rice-water.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}


def upload_hero_image(tab):
    tab.get_by_role("button", name="Choose an image").first.click()
    modal = tab.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").first.set_input_files(new_photo())
    modal.locator("input[name='image-chooser-upload-title']").fill("Rice water journey")
    modal.locator("form button[type=submit]").last.click()
    tab.locator("#id_hero_image-chooser .chooser__title").wait_for()
    tab.locator(".modal-dialog").wait_for(state="hidden")


def more_actions(tab, name):
    """Open the menu beside "Save draft" and choose `name`, waiting for the page it leads to."""
    tab.get_by_role("button", name="More actions").click()
    with tab.expect_navigation():
        tab.get_by_role("button", name=name).click()


def public(context, url):
    response = context.request.get(url)
    return response.status, response.text()


def published():
    """
    What a commit of a publication does to the public cache (cms/cache.py clears it on commit). On
    SQLite the live server writes in the test's transaction, which never commits: clear it here.
    """
    for cache in caches.all():
        cache.clear()


def journey(browser, base_url, blog_urls, screenshots):
    """What each person sees, step by step (the test asserts on it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    anonymous = browser.new_context()
    newcomer = browser.new_context()  # a reader who comes after the English change (see step 8)
    context.set_default_timeout(15000)
    tab = context.new_page()
    reader = anonymous.new_page()
    seen = {}
    slug_en, slug_ta = "does-rice-water-brighten-the-skin", ascii_slug(TITLE_TA)
    urls = {"en": f"{base_url}{blog_urls['en']}{slug_en}/", "ta": f"{base_url}{blog_urls['ta']}{slug_ta}/"}
    seen["urls"] = urls

    def shot(name, page=tab):
        page.screenshot(path=screenshots / f"journey-{name}.png", full_page=False)

    def visible_to_readers():
        pages = {code: public(anonymous, url)[0] for code, url in urls.items()}
        api = {
            code: public(anonymous, f"{base_url}/api/v3/articles/?lang={code}")[1] for code in ("en", "ta")
        }
        blog = {code: public(anonymous, f"{base_url}{blog_urls[code]}")[1] for code in ("en", "ta")}
        return {
            "pages": pages,
            "in_api": any(TITLE_EN in text or TITLE_TA in text for text in api.values()),
            "in_blog": any(TITLE_EN in text or TITLE_TA in text for text in blog.values()),
        }

    try:
        # 1. The editor writes the article in both languages.
        log_in(tab, base_url, EDITOR)
        tab.goto(base_url + blog_urls["add"])
        languages_ready(tab)
        tab.fill("#id_title_en", TITLE_EN)
        tab.click("#id_title_ta")
        tab.keyboard.type(TITLE_TA)
        tab.keyboard.press("Tab")
        tab.wait_for_function(
            "slug => document.querySelector('#id_slug_ta').value === slug", arg=slug_ta, timeout=10000
        )
        tab.fill("#id_intro_en", INTRO_EN)
        tab.fill("#id_intro_ta", INTRO_TA)
        choose(tab, "Choose author", "Dr. Janani Palanivel")
        choose(tab, "Choose article category", None)
        upload_hero_image(tab)
        tab.fill("#id_hero_image_alt_en", "A bowl of rice water")
        tab.fill("#id_hero_image_alt_ta", "ஒரு கிண்ணம் அரிசி நீர்")
        add_paragraph(tab, "en", BODY_EN)
        add_paragraph(tab, "ta", BODY_TA)
        shot("1-editor-writes")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Save draft").click()
        languages_ready(tab)
        seen["saved"] = tab.locator(".messages .success").count() > 0
        edit_url = tab.url

        # 2. She previews it in Tamil.
        tab.click("button[data-side-panel-toggle=preview]")
        preview = tab.frame_locator("#w-preview-iframe")
        preview.get_by_text(INTRO_EN).first.wait_for(timeout=20000)  # the panel is ready, in English
        tab.select_option("#id_preview_mode", "ta")
        preview.get_by_text(INTRO_TA).first.wait_for(timeout=20000)
        seen["preview_ta"] = preview.locator("h1").first.inner_text()
        shot("2-preview-in-tamil")
        tab.click("button[data-side-panel-toggle=preview]")

        # 3. She submits it for medical review; readers see nothing of it.
        more_actions(tab, "Submit to Medical review")
        seen["submitted"] = tab.locator(".messages").inner_text()
        errors = tab.eval_on_selector_all(
            ".error-message, .help-critical",
            "els => els.map(e => (e.closest('[id]') || e).id + ': ' + e.textContent.trim())",
        )
        assert "submitted" in seen["submitted"].lower(), (seen["submitted"], errors)
        shot("3-submitted")
        seen["before_approval"] = visible_to_readers()
        reader.goto(urls["en"])
        shot("4-not-public", reader)

        # 4. The medical reviewer finds it on her dashboard and approves it from the editor.
        log_in(tab, base_url, REVIEWER)
        tab.get_by_text("Awaiting your review").first.wait_for()
        dashboard = tab.locator("body").inner_text()
        seen["awaiting"] = TITLE_EN in dashboard.split("Awaiting your review", 1)[1]
        shot("5-reviewer-dashboard")
        tab.goto(edit_url)
        languages_ready(tab)
        more_actions(tab, "Approve and Publish")
        published()
        shot("6-approved")

        # 5. Live in both languages, with the review.
        seen["after_approval"] = visible_to_readers()
        for code in ("en", "ta"):
            reader.goto(urls[code])
            seen[f"page_{code}"] = reader.locator("main").inner_text()
            shot(f"7-live-{code}", reader)
        listing = anonymous.request.get(f"{base_url}/api/v3/articles/?lang=en").json()
        detail = "{}/api/v3/articles/{}/?lang={{}}".format(base_url, api_item(listing, TITLE_EN)["id"])
        seen["api"] = {code: anonymous.request.get(detail.format(code)).json() for code in ("en", "ta")}

        # 6. The editor changes the English body, and submits the change for review.
        log_in(tab, base_url, EDITOR)
        tab.goto(edit_url)
        languages_ready(tab)
        replace_paragraph(tab, "en", BODY_EN_CHANGED)
        shot("8-editor-changes-english")
        more_actions(tab, "Submit to Medical review")
        seen["resubmitted"] = tab.locator(".messages").inner_text()

        # 7. The reviewer approves it, from the editor again.
        log_in(tab, base_url, REVIEWER)
        tab.goto(edit_url)
        languages_ready(tab)
        more_actions(tab, "Approve and Publish")
        published()
        shot("9-change-approved")

        # 8. The Tamil now lags behind the English: its page, the API and the report say so. Public
        # pages may be kept for PUBLIC_CACHE_SECONDS (Cache-Control: max-age), so the first reader's
        # browser still shows its copy from step 5 for up to a minute: a new reader sees the change.
        later = newcomer.new_page()
        for code in ("en", "ta"):
            later.goto(urls[code])
            seen[f"changed_page_{code}"] = later.locator("main").inner_text()
        shot("10-tamil-out-of-date", later)
        listing = anonymous.request.get(f"{base_url}/api/v3/articles/?lang=ta").json()
        seen["changed_api_item"] = api_item(listing, TITLE_TA)
        seen["changed_api"] = anonymous.request.get(detail.format("ta")).json()
        tab.goto(f"{base_url}{reverse('translation_status')}?problem=stale")
        seen["report"] = tab.locator("main").inner_text()
        shot("11-translation-status-report")

    except Exception:
        shot("failed")  # where it stopped, for whoever reads the failure
        raise
    finally:
        context.close()
        anonymous.close()
        newcomer.close()
    return seen


def api_item(listing, title):
    return next((item for item in listing["items"] if item["title"] == title), None)


def test_an_article_goes_live_in_both_languages_after_medical_review(
    demo_site, people, quiet_admin, in_browser, screenshot_dir
):
    blog = BlogIndexPage.objects.get()
    blog_urls = {"add": reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk])}
    for code in ("en", "ta"):
        with translation.override(code):
            blog_urls[code] = blog.get_url()

    seen = in_browser(journey, demo_site.url, blog_urls, screenshot_dir)

    assert seen["saved"]
    assert seen["preview_ta"] == TITLE_TA
    assert seen["before_approval"] == {
        "pages": {"en": 404, "ta": 404},
        "in_api": False,
        "in_blog": False,
    }
    assert seen["awaiting"]
    assert seen["after_approval"]["pages"] == {"en": 200, "ta": 200}
    assert seen["after_approval"]["in_api"], "not in the API"
    assert seen["after_approval"]["in_blog"], "not on the blog"
    slug_ta = seen["urls"]["ta"].rstrip("/").rsplit("/", 1)[1]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", slug_ta) and re.search(r"[a-z]{3}", slug_ta), slug_ta

    article = ArticlePage.objects.get(title_en=TITLE_EN)
    assert article.title_ta == TITLE_TA
    assert article.reviewed_by.slug == REVIEWER_AUTHOR
    assert "Medically reviewed by Dr. Janani Palanivel on" in seen["page_en"]
    assert "Page last reviewed:" in seen["page_en"] and "Next review due:" in seen["page_en"]
    assert all(text in seen["page_ta"] for text in REVIEWED_TA) and STALE_NOTE_TA not in seen["page_ta"]
    for code, title in (("en", TITLE_EN), ("ta", TITLE_TA)):
        assert title in seen[f"page_{code}"]
        item = seen["api"][code]
        assert item["title"] == title
        assert item["reviewed_by"]["slug"] == REVIEWER_AUTHOR
        assert item["last_reviewed"] == article.last_reviewed.isoformat()
        assert item["meta"]["translation_stale"] is False

    # The English change, reviewed, is live; the Tamil is out of date and claims no review.
    assert "submitted" in seen["resubmitted"].lower()
    article.refresh_from_db()
    assert article.live and not article.has_unpublished_changes
    assert BODY_EN_CHANGED in str(article.body_en) and BODY_TA in str(article.body_ta)
    assert article.translation_status == {"ta": "stale"}
    assert BODY_EN_CHANGED in seen["changed_page_en"] and STALE_NOTE_TA not in seen["changed_page_en"]
    assert "Medically reviewed by Dr. Janani Palanivel on" in seen["changed_page_en"]
    assert STALE_NOTE_TA in seen["changed_page_ta"] and BODY_TA in seen["changed_page_ta"]
    assert not any(text in seen["changed_page_ta"] for text in REVIEWED_TA)
    assert seen["changed_api_item"]["meta"]["translation_stale"] is True
    assert seen["changed_api"]["meta"]["translation_stale"] is True
    assert seen["changed_api"]["last_reviewed"] is None and seen["changed_api"]["reviewed_by"] is None
    row = next(line for line in seen["report"].splitlines() if TITLE_EN in line or TITLE_TA in line)
    assert "Tamil" in row and "Out of date" in row, seen["report"]
