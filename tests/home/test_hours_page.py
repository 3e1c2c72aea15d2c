"""The opening hours page: open now or when next, this week, holidays, how to come, a cache that keeps up."""

import datetime
import json
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.html import escape, strip_tags
from wagtail.models import Page, Site

from home.models import ClinicDetails, HomePage, OpeningHoursPage
from tests.clinic_time import MONDAY, SATURDAY, SUNDAY, TUESDAY, WEDNESDAY, ist
from tests.factories import OpeningExceptionFactory, OpeningHoursFactory, OpeningHoursPageFactory


@pytest.fixture
def hours_page(home_page, settings):
    """The page with the demo clinic's hours (Mon–Sat 10–13 and 16–19 in Chennai); the server runs in UTC."""
    settings.TIME_ZONE = "UTC"
    clinic = ClinicDetails.for_site(Site.objects.get(is_default_site=True))
    clinic.clinic_name = "Dr. Janani's Skin Clinic"
    clinic.phone = "+91 44 4000 1234"
    clinic.address = "12, Lake View Road\nT. Nagar, Chennai 600017"
    clinic.address_ta = "12, லேக் வியூ சாலை\nதி. நகர், சென்னை 600017"
    clinic.map_url = "https://www.openstreetmap.org/search?query=T.%20Nagar"
    clinic.opening_hours = OpeningHoursFactory(note_ta="முன்பதிவின் பேரில் மட்டும்")
    clinic.save()
    return OpeningHoursPageFactory(parent=home_page)


@pytest.fixture
def clinic_hours(hours_page):
    return ClinicDetails.objects.get().opening_hours


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def visit(client, page, language, moment):
    """The page as a patient sees it at `moment`, freshly rendered (not a copy cached at another moment)."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
    with mock.patch("home.models.now", return_value=moment):
        return client.get(url_in(page, language))


def text_of(response, css_class, tag="p"):
    """The visible text of the first <tag class="css_class…"> element, whitespace collapsed."""
    html = response.content.decode()
    match = re.search(rf'<{tag} class="{css_class}[^"]*"[^>]*>(.*?)</{tag}>', html, re.S)
    assert match, f"no {tag}.{css_class} on the page"
    return " ".join(strip_tags(match.group(1)).split())


def status_line(response):
    return text_of(response, "hours-status")


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        (ist(MONDAY, 11), "en", "Open now · until 1:00 PM"),
        (ist(MONDAY, 13, 30), "en", "Closed · opens today at 4:00 PM"),
        (ist(MONDAY, 9), "en", "Closed · opens today at 10:00 AM"),
        (ist(MONDAY, 17), "en", "Open now · until 7:00 PM"),
        (ist(MONDAY, 19, 30), "en", "Closed · opens tomorrow at 10:00 AM"),
        (ist(SATURDAY, 19, 30), "en", "Closed · opens Monday at 10:00 AM"),
        (ist(SUNDAY, 12), "en", "Closed · opens tomorrow at 10:00 AM"),
        (ist(MONDAY, 11), "ta", "இப்போது திறந்திருக்கிறது · மதியம் 1:00 வரை"),
        (ist(MONDAY, 13, 30), "ta", "மூடப்பட்டுள்ளது · இன்று மாலை 4:00 மணிக்குத் திறக்கும்"),
        (ist(MONDAY, 19, 30), "ta", "மூடப்பட்டுள்ளது · நாளை காலை 10:00 மணிக்குத் திறக்கும்"),
        (ist(SATURDAY, 19, 30), "ta", "மூடப்பட்டுள்ளது · திங்கள் காலை 10:00 மணிக்குத் திறக்கும்"),
    ],
)
def test_the_status_line_says_whether_the_clinic_is_open_in_clinic_time(
    client, hours_page, moment, language, expected
):
    response = visit(client, hours_page, language, moment)

    assert response.status_code == 200
    assert status_line(response) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Closed today (Pongal) · opens tomorrow at 10:00 AM"),
        ("ta", "இன்று விடுமுறை (பொங்கல்) · நாளை காலை 10:00 மணிக்குத் திறக்கும்"),
    ],
)
def test_a_holiday_today_closes_the_clinic_all_day(client, hours_page, clinic_hours, language, expected):
    OpeningExceptionFactory(hours=clinic_hours, date=WEDNESDAY, label="Pongal", label_ta="பொங்கல்")

    assert status_line(visit(client, hours_page, language, ist(WEDNESDAY, 11))) == expected


def test_the_day_before_a_holiday_the_next_opening_skips_it(client, hours_page, clinic_hours):
    OpeningExceptionFactory(hours=clinic_hours, date=WEDNESDAY, label="Pongal")

    response = visit(client, hours_page, "en", ist(TUESDAY, 19, 30))

    assert status_line(response) == "Closed · opens Thursday at 10:00 AM"


def test_special_hours_today_are_used_and_named(client, hours_page, clinic_hours):
    OpeningExceptionFactory(
        hours=clinic_hours,
        date=SUNDAY,
        label="Skin camp",
        closed=False,
        opens=datetime.time(9),
        closes=datetime.time(12),
    )

    assert (
        status_line(visit(client, hours_page, "en", ist(SATURDAY, 19, 30)))
        == "Closed · opens tomorrow at 9:00 AM (Skin camp)"
    )
    assert (
        status_line(visit(client, hours_page, "en", ist(SUNDAY, 10)))
        == "Open now · until 12:00 PM · Special hours today (Skin camp)"
    )
    assert (
        status_line(visit(client, hours_page, "ta", ist(SUNDAY, 10)))
        == "இப்போது திறந்திருக்கிறது · மதியம் 12:00 வரை · இன்று சிறப்பு நேரம் (Skin camp)"
    )


def test_a_label_not_yet_in_tamil_is_marked_english_for_screen_readers(client, hours_page, clinic_hours):
    OpeningExceptionFactory(
        hours=clinic_hours,
        date=SUNDAY,
        label="Skin camp",
        closed=False,
        opens=datetime.time(9),
        closes=datetime.time(12),
    )
    OpeningExceptionFactory(hours=clinic_hours, date=WEDNESDAY, label="Pongal", label_ta="பொங்கல்")

    sunday = visit(client, hours_page, "ta", ist(SUNDAY, 10)).content.decode()
    wednesday = visit(client, hours_page, "ta", ist(WEDNESDAY, 11)).content.decode()

    assert "<strong>இப்போது திறந்திருக்கிறது</strong>" in sunday
    assert '<span lang="en">(Skin camp)</span>' in sunday
    assert "<strong>இன்று விடுமுறை</strong> (பொங்கல்) · " in wednesday


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Closed · opens on Jan. 22, 2024 at 10:00 AM"),
        ("ta", "மூடப்பட்டுள்ளது · 22 ஜனவரி 2024 அன்று காலை 10:00 மணிக்குத் திறக்கும்"),
    ],
)
def test_a_closure_of_more_than_a_week_gives_the_date_it_reopens(
    client, hours_page, clinic_hours, language, expected
):
    for day in range(15, 21):  # Monday 15 to Saturday 20 January
        OpeningExceptionFactory(hours=clinic_hours, date=datetime.date(2024, 1, day), label="Renovation")

    assert status_line(visit(client, hours_page, language, ist(SATURDAY, 19, 30))) == expected


@pytest.mark.parametrize(
    ("moment", "seconds"),
    [
        (ist(MONDAY, 12, 59, 30), 30),  # closes at 13:00
        (ist(MONDAY, 15, 59, 15), 45),  # opens at 16:00
        (ist(SUNDAY, 23, 59, 50), 10),  # at midnight "opens tomorrow" becomes "opens today"
        (ist(MONDAY, 11), 60),  # far from any change: the site's usual 60 seconds
    ],
)
def test_the_page_is_cached_no_longer_than_its_status_holds(client, hours_page, moment, seconds):
    response = visit(client, hours_page, "en", moment)

    assert "public" in response["Cache-Control"]
    assert max_age(response) == seconds
    assert response["ETag"]


def test_the_usual_cache_time_is_the_ceiling(client, hours_page, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 20
    assert max_age(visit(client, hours_page, "en", ist(MONDAY, 11))) == 20


@pytest.mark.skipif(
    "locmem" not in settings.CACHES[settings.CACHE_MIDDLEWARE_ALIAS]["BACKEND"],
    reason="moves the local-memory cache's clock",
)
def test_the_servers_cached_copy_expires_when_the_clinic_closes(client, hours_page):
    url = url_in(hours_page, "en")
    start = time.time()
    with mock.patch("home.models.now", return_value=ist(MONDAY, 12, 59, 30)):
        assert status_line(client.get(url)).startswith("Open now")
    with mock.patch("home.models.now", return_value=ist(MONDAY, 13, 0, 1)):
        # 20 seconds on, the cached copy is served; 31 seconds on, it has expired.
        with mock.patch("time.time", return_value=start + 20):
            assert status_line(client.get(url)).startswith("Open now")
        with mock.patch("time.time", return_value=start + 31):
            assert status_line(client.get(url)) == "Closed · opens today at 4:00 PM"


@pytest.mark.parametrize(
    ("language", "monday", "today", "sessions", "closed"),
    [
        ("en", "Monday", "Today", "10:00 AM – 1:00 PM 4:00 PM – 7:00 PM", "Closed"),
        ("ta", "திங்கள்", "இன்று", "காலை 10:00 – மதியம் 1:00 மாலை 4:00 – இரவு 7:00", "விடுமுறை"),
    ],
)
def test_the_week_shows_each_days_sessions_with_today_highlighted(
    client, hours_page, language, monday, today, sessions, closed
):
    response = visit(client, hours_page, language, ist(WEDNESDAY, 11))
    rows = re.findall(r'<tr class="hours-table__day([^"]*)"[^>]*>(.*?)</tr>', response.content.decode(), re.S)
    # Each session is a list item: keep them apart when the tags go.
    rows = [
        (classes, " ".join(strip_tags(cells.replace("</li>", " </li>")).split())) for classes, cells in rows
    ]

    assert len(rows) == 7
    assert [classes for classes, _text in rows].count(" hours-table__day--today") == 1
    assert rows[2][0] == " hours-table__day--today" and today in rows[2][1]
    assert all(text.endswith(sessions) for _classes, text in rows[:6])
    assert rows[6][1].endswith(closed)
    assert rows[0][1].startswith(monday)


def test_holidays_and_special_hours_of_the_coming_weeks_are_listed(client, hours_page, clinic_hours):
    OpeningExceptionFactory(hours=clinic_hours, date=WEDNESDAY, label="Pongal")
    OpeningExceptionFactory(
        hours=clinic_hours,
        date=SUNDAY,
        label="Skin camp",
        closed=False,
        opens=datetime.time(9),
        closes=datetime.time(12),
    )
    OpeningExceptionFactory(hours=clinic_hours, date=datetime.date(2024, 1, 5), label="Long past")
    OpeningExceptionFactory(hours=clinic_hours, date=datetime.date(2024, 6, 1), label="Far ahead")

    html = visit(client, hours_page, "en", ist(TUESDAY, 11)).content.decode()
    listed = " ".join(strip_tags(html.split('class="hours-exceptions"')[1].split("</ul>")[0]).split())

    assert "Wednesday, Jan. 10, 2024: Pongal · closed all day" in listed
    assert "Sunday, Jan. 14, 2024: Skin camp · special hours 9:00 AM – 12:00 PM" in listed
    assert "Long past" not in html and "Far ahead" not in html


def test_without_exceptions_the_page_says_the_usual_hours_apply(client, hours_page):
    html = visit(client, hours_page, "en", ist(MONDAY, 11)).content.decode()
    assert "No holidays or special hours in the coming weeks" in html


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_page_says_how_to_visit_and_book(client, hours_page, language):
    response = visit(client, hours_page, language, ist(MONDAY, 11))
    html = response.content.decode()
    clinic = ClinicDetails.objects.get()

    assert response["Content-Language"] == language
    with translation.override(language):
        assert f"<h1>{escape(hours_page.title)}</h1>" in html
        assert hours_page.intro in html
        assert clinic.address.splitlines()[0] in html
        assert clinic.opening_hours.note in html
    assert f'href="{clinic.map_url}"' in html
    assert 'href="tel:+914440001234"' in html
    visit_section = html.split('class="hours-page__section hours-visit"')[1]
    assert '<a class="button" href="tel:+914440001234">' in visit_section  # no booking page: the phone


def test_the_page_is_english_and_tamil_in_the_demo(client, demo, settings):
    settings.TIME_ZONE = "UTC"
    hours_page = OpeningHoursPage.objects.get()
    assert url_in(hours_page, "en") == "/en/opening-hours/"
    assert url_in(hours_page, "ta") == "/ta/velai-neram/"
    tamil = visit(client, hours_page, "ta", ist(MONDAY, 11)).content.decode()
    assert "<h1>வேலை நேரமும் வருகை விவரமும்</h1>" in tamil
    assert "This week" not in tamil and "Open now" not in tamil
    assert "இந்த வாரம்" in tamil


@pytest.mark.parametrize(("language", "label"), [("en", "Opening hours"), ("ta", "வேலை நேரம்")])
def test_every_page_links_to_it_in_the_header_and_the_footer(client, hours_page, language, label):
    url = url_in(hours_page, language)
    html = client.get(f"/{language}/").content.decode()

    header = html.split('class="site-nav"')[1].split("</nav>")[0]
    footer = html.split('class="site-footer"')[1]
    assert f'<a href="{url}">{label}</a>' in header
    assert f'href="{url}"' in footer


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_footer_links_to_the_hours_page_everywhere_but_on_it(client, hours_page, language):
    # The footer is rendered once for the pages of a language (and kept): the hours page has its own.
    url = url_in(hours_page, language)
    home_footer = client.get(f"/{language}/").content.decode().split('class="site-footer"')[1]
    hours_footer = client.get(url).content.decode().split('class="site-footer"')[1]

    assert f'<p class="hours__more"><a href="{url}">' in home_footer
    assert "hours__more" not in hours_footer and f'href="{url}"' not in hours_footer
    assert client.get(f"/{language}/").content.decode().split('class="site-footer"')[1] == home_footer


def test_the_header_marks_the_hours_page_as_current_on_it(client, hours_page):
    html = visit(client, hours_page, "en", ist(MONDAY, 11)).content.decode()
    assert f'<a href="{url_in(hours_page, "en")}" aria-current="page">Opening hours</a>' in html


def test_no_link_when_the_page_is_not_published(client, hours_page):
    hours_page.unpublish()
    assert url_in(hours_page, "en") not in client.get("/en/").content.decode()


def graphs(response):
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return {graph["@type"]: graph for graph in map(json.loads, scripts)}


@pytest.mark.parametrize("language", ["en", "ta"])
def test_json_ld_describes_the_page_and_the_clinics_hours(client, hours_page, language):
    found = graphs(visit(client, hours_page, language, ist(MONDAY, 11)))
    url = f"http://testserver{url_in(hours_page, language)}"

    assert found["WebPage"]["url"] == url
    assert found["WebPage"]["about"] == {"@id": found["MedicalClinic"]["@id"]}
    assert found["WebPage"]["inLanguage"] == language
    assert len(found["MedicalClinic"]["openingHoursSpecification"]) == 12
    assert found["BreadcrumbList"]["itemListElement"][-1]["item"] == url


def test_json_ld_announces_a_coming_holiday(client, hours_page, clinic_hours):
    OpeningExceptionFactory(hours=clinic_hours, date=WEDNESDAY, label="Pongal")
    special = graphs(visit(client, hours_page, "en", ist(MONDAY, 11)))["MedicalClinic"]
    assert special["specialOpeningHoursSpecification"][0]["validFrom"] == "2024-01-10"


def test_the_sitemap_lists_it_in_both_languages(client, hours_page):
    sitemap = client.get("/sitemap-pages.xml").content.decode()  # a small site's one section
    assert f"http://testserver{url_in(hours_page, 'en')}" in sitemap
    assert f"http://testserver{url_in(hours_page, 'ta')}" in sitemap


def test_it_lives_once_under_home_with_no_children(hours_page, home_page):
    assert OpeningHoursPage.allowed_parent_page_models() == [HomePage]
    assert OpeningHoursPage.allowed_subpage_models() == []
    assert OpeningHoursPage in HomePage.allowed_subpage_models()
    assert OpeningHoursPage.can_create_at(home_page) is False  # one per site, and there is one
    assert OpeningHoursPage.can_create_at(Page.get_first_root_node()) is False


def test_the_demo_command_keeps_an_editors_intro(demo):
    from django.core.management import call_command

    hours_page = OpeningHoursPage.objects.get()
    hours_page.intro_ta = "ஆசிரியர் எழுதியது."
    hours_page.save_revision().publish()

    call_command("load_demo_content", verbosity=0)

    hours_page.refresh_from_db()
    assert hours_page.intro_ta == "ஆசிரியர் எழுதியது."
    assert OpeningHoursPage.objects.count() == 1


# The status itself, on the model, for the edges the page does not show.


def test_sessions_that_meet_count_as_one(db):
    hours = OpeningHoursFactory(
        sessions=[(0, datetime.time(10), datetime.time(13)), (0, datetime.time(13), datetime.time(16))]
    )
    status = hours.status(ist(MONDAY, 11))
    assert status.is_open and status.closes_at.time() == datetime.time(16)


def test_hours_without_sessions_are_closed_until_midnight(db):
    status = OpeningHoursFactory(sessions=[]).status(ist(MONDAY, 23, 0))
    assert not status.is_open and status.opens_at is None
    assert status.seconds_until_change() == 3600
