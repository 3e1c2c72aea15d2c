"""
The public pages in a real browser (Debian's Chromium driven by Playwright): each page, in each
language, on a phone (360 px) and a desktop (1280 px) loads without console errors, shows its text,
fits the width, passes axe-core's WCAG 2.2 AA rules and leaves a screenshot in test-artifacts/.
On a 360 × 740 phone, the first screen of the home, hours and search pages keeps the header low,
its targets large, one search box, the open-now status in view and a single booking button.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from articles.models import ArticlePage, Author, BlogIndexPage
from consultations.models import BookingPage
from home.models import HomePage, OpeningHoursPage

from .conftest import AXE_JS, CHROMIUM

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -r requirements-dev.txt)"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (`make test` does)", allow_module_level=True
    )
if not AXE_JS.exists():
    pytest.skip(f"{AXE_JS} is missing: run `npm ci` (`make test` does)", allow_module_level=True)

pytestmark = pytest.mark.e2e

SEED_TITLE = {
    "en": "Is Micro-Needling Effective for Reducing Skin Pores?",
    "ta": "மைக்ரோ-நீட்லிங் சருமத் துளைகளைக் குறைக்க உதவுமா?",
}


class AuthorPage:
    """An author's page on the blog (a route, not a page of its own), found like the pages below."""

    def __init__(self, slug):
        self.slug = slug

    def get_url(self):
        """Its URL in the active language, as a page's get_url() gives it."""
        return BlogIndexPage.objects.get().get_author_url(Author.objects.get(slug=self.slug))


class SearchPage:
    """The site search (a view, not a page) for a word of the seed article in each language."""

    QUERY = {"en": "collagen", "ta": "கொலாஜன்"}

    def get_url(self):
        return reverse("search") + "?" + urlencode({"q": self.QUERY[translation.get_language()]})


# Each page: how to find it in the demo content, and what a reader sees on it in each language:
# its heading (role "heading", exact name), then text anywhere on the page (role None, a substring).
PAGES = {
    "home": (
        lambda: HomePage.objects.get(),
        {
            "en": [("heading", "Healthy skin, explained by dermatologists"), ("link", SEED_TITLE["en"])],
            "ta": [
                ("heading", "ஆரோக்கியமான சருமம்: தோல் மருத்துவர்கள் விளக்குகிறார்கள்"),
                ("link", SEED_TITLE["ta"]),
            ],
        },
    ),
    "blog": (
        lambda: BlogIndexPage.objects.get(),
        {
            "en": [("heading", "Blog"), ("link", SEED_TITLE["en"])],
            "ta": [("heading", "வலைப்பதிவு"), ("link", SEED_TITLE["ta"])],
        },
    ),
    "article": (
        lambda: ArticlePage.objects.get(title_en=SEED_TITLE["en"]),
        {
            "en": [("heading", SEED_TITLE["en"]), (None, "Dr. Janani Palanivel")],
            "ta": [("heading", SEED_TITLE["ta"]), (None, "டாக்டர் ஜனனி பழனிவேல்")],
        },
    ),
    "booking": (
        lambda: BookingPage.objects.get(),
        {"en": [("heading", "Book a Consultation")], "ta": [("heading", "ஆலோசனைக்கு முன்பதிவு")]},
    ),
    "hours": (
        lambda: OpeningHoursPage.objects.get(),
        {
            "en": [
                ("heading", "Opening hours & visiting"),
                ("heading", "This week"),
                ("link", "View on map"),
            ],
            "ta": [
                ("heading", "வேலை நேரமும் வருகை விவரமும்"),
                ("heading", "இந்த வாரம்"),
                ("link", "வரைபடத்தில் பாருங்கள்"),
            ],
        },
    ),
    "search": (
        SearchPage,
        {
            "en": [("heading", "Search"), ("link", SEED_TITLE["en"])],
            "ta": [("heading", "தேடல்"), ("link", SEED_TITLE["ta"])],
        },
    ),
    "author": (
        lambda: AuthorPage("janani-palanivel"),
        {
            "en": [("heading", "Dr. Janani Palanivel"), ("link", SEED_TITLE["en"])],
            "ta": [("heading", "டாக்டர் ஜனனி பழனிவேல்"), ("link", SEED_TITLE["ta"])],
        },
    ),
}
WIDTHS = [360, 1280]
LOAD_ALL_IMAGES = """async () => {
    const images = [...document.images];
    images.forEach(image => { image.loading = "eager"; });
    await Promise.all(images.map(image => image.decode().catch(() => null)));
}"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class Visit:
    """What a reader's browser saw of one page."""

    status: int
    language: str
    invisible: list[str]
    overflow: int
    violations: list[dict]
    errors: list[str]


def visit(browser, url, width, expected, screenshot):
    """Load `url` at `width` px, look for the `expected` (role, text) pairs, save a screenshot, run axe."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    # axe-core goes in before the page's own scripts, as the browser's (not the page's) script: the
    # site's Content-Security-Policy refuses the inline <script> that add_script_tag would write.
    context.add_init_script(path=AXE_JS)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(describe_console(message)))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "response",
        lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"),
    )
    try:
        response = tab.goto(url, wait_until="load")
        # Lazy images below the fold would be blank in a full-page screenshot: load them all first.
        tab.evaluate(LOAD_ALL_IMAGES)
        tab.screenshot(path=screenshot, full_page=True)
        axe = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        return Visit(
            status=response.status,
            language=tab.evaluate("document.documentElement.lang"),
            invisible=[text for role, text in expected if not locate(tab, role, text).is_visible()],
            overflow=tab.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
            violations=axe["violations"],
            errors=[error for error in errors if error],
        )
    finally:
        context.close()


def locate(tab, role, text):
    """The first element with that role and exact accessible name, or (no role) containing that text."""
    if role:
        return tab.get_by_role(role, name=text, exact=True).first
    return tab.get_by_text(text).first


def describe_console(message):
    """A console error and where it came from (no exception for /favicon.ico: the site serves one)."""
    return f"{message.text} ({message.location.get('url', '')})"


def describe(violations):
    """axe's violations, one a line, with the selectors of the elements that fail."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {json.dumps([node['target'] for node in v['nodes']])}"
        for v in violations
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("page_name", PAGES)
def test_page_shows_its_text_without_errors_and_passes_axe(
    demo_site, in_browser, screenshot_dir, page_name, language, width
):
    find_page, page_expected = PAGES[page_name]
    with translation.override(language):
        path = find_page().get_url()
        # The footer's opening hours are on every page, and the call to action on every page but the
        # booking form itself (in the header, or the home page's hero).
        expected = [*page_expected[language], ("heading", gettext("Working hours"))]
        if page_name != "booking":
            expected.append(("link", gettext("Book a Consultation")))

    seen = in_browser(
        visit, demo_site.url + path, width, expected, screenshot_dir / f"{page_name}-{language}-{width}.png"
    )

    assert seen.status == 200, path
    assert seen.language == language
    assert not seen.invisible, f"not visible on {path}: {seen.invisible}"
    assert seen.overflow <= 0, f"{path} is {seen.overflow} px wider than the {width} px window"
    assert not seen.errors, f"console errors on {path}: {seen.errors}"
    assert not seen.violations, f"axe on {path} at {width} px:\n{describe(seen.violations)}"


# The first screen of a phone (360 × 740 CSS px), measured in the page: the header's height, the size of
# the header's and the search form's targets, how many search boxes show and their text, where the
# open-now status ends, and how many booking buttons (a.button) show in it.
PHONE = {"width": 360, "height": 740}
MEASURE_FIRST_SCREEN = """() => {
    const box = element => element.getBoundingClientRect();
    const size = element => `${box(element).width}×${box(element).height}`;
    const shown = element => { const b = box(element); return b.width > 0 && b.height > 0; };
    const targets = [...document.querySelectorAll(
        ".site-header a, .site-header input, .site-header button, .search-form input, .search-form button"
    )].filter(shown);
    const searchBoxes = [...document.querySelectorAll("input[type=search]")].filter(shown);
    const status = document.querySelector(".hours-status");
    return {
        header: box(document.querySelector(".site-header")).height,
        small_targets: targets
            .filter(element => Math.min(box(element).width, box(element).height) < 44)
            .map(element => `${element.outerHTML.slice(0, 60)}: ${size(element)}`),
        search_boxes: searchBoxes.length,
        search_text: Math.min(...searchBoxes.map(element => parseFloat(getComputedStyle(element).fontSize))),
        status_bottom: status ? box(status).bottom : null,
        booking_buttons: [...document.querySelectorAll("a.button")]
            .filter(element => shown(element) && box(element).top < window.innerHeight).length,
    };
}"""


def first_screen(browser, url, screenshot):
    """Load `url` on a 360 × 740 phone, save a screenshot of what shows, and measure it."""
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        tab.evaluate("document.fonts.ready")
        tab.screenshot(path=screenshot)
        return tab.evaluate(MEASURE_FIRST_SCREEN)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("page_name", ["home", "hours", "search", "article"])
def test_a_phones_first_screen_has_a_low_header_large_targets_and_one_booking_button(
    demo_site, in_browser, screenshot_dir, page_name, language
):
    find_page, _expected = PAGES[page_name]
    with translation.override(language):
        path = find_page().get_url()

    seen = in_browser(
        first_screen, demo_site.url + path, screenshot_dir / f"{page_name}-{language}-360x740.png"
    )

    assert seen["header"] <= 120, f"the header of {path} is {seen['header']} px high"
    assert not seen["small_targets"], f"targets under 44 px on {path}: {seen['small_targets']}"
    assert seen["search_boxes"] == 1, f"{seen['search_boxes']} search boxes on {path}"
    assert seen["search_text"] >= 16  # iOS zooms into a field with smaller text
    assert seen["booking_buttons"] <= 1, f"{seen['booking_buttons']} booking buttons in the first screen"
    if page_name in ("home", "hours"):
        assert seen["status_bottom"] is not None, f"no open-now status on {path}"
        assert seen["status_bottom"] <= PHONE["height"], (
            f"the status on {path} ends at {seen['status_bottom']} px"
        )
