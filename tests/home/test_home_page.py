"""The home page: whether the clinic is open now, one booking button; and search in every header."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.models import Site

from home.models import ClinicDetails
from tests.clinic_time import MONDAY, SUNDAY, ist
from tests.factories import (
    BlogIndexPageFactory,
    BookingPageFactory,
    OpeningHoursFactory,
    OpeningHoursPageFactory,
)


@pytest.fixture
def clinic_hours(home_page, settings):
    """The demo clinic's hours (Mon–Sat 10–13 and 16–19 in Chennai); the server runs in UTC."""
    settings.TIME_ZONE = "UTC"
    clinic = ClinicDetails.for_site(Site.objects.get(is_default_site=True))
    clinic.clinic_name = "Dr. Janani's Skin Clinic"
    clinic.phone = "+91 44 4000 1234"
    clinic.opening_hours = OpeningHoursFactory()
    clinic.save()
    return clinic.opening_hours


def home_at(client, language, moment):
    """The home page as a patient sees it at `moment`, freshly rendered."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
    with mock.patch("home.models.now", return_value=moment):
        return client.get(f"/{language}/")


def status_line(response):
    match = re.search(r'<p class="hours-status[^"]*">(.*?)</p>', response.content.decode(), re.S)
    assert match, "no open-now status on the home page"
    return " ".join(strip_tags(match.group(1)).split())


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        (ist(MONDAY, 11), "en", "Open now · until 1:00 PM"),
        (ist(MONDAY, 13, 30), "en", "Closed · opens today at 4:00 PM"),
        (ist(SUNDAY, 12), "en", "Closed · opens tomorrow at 10:00 AM"),
        (ist(MONDAY, 11), "ta", "இப்போது திறந்திருக்கிறது · மதியம் 1:00 வரை"),
        (ist(MONDAY, 13, 30), "ta", "மூடப்பட்டுள்ளது · இன்று மாலை 4:00 மணிக்குத் திறக்கும்"),
    ],
)
def test_the_home_page_says_whether_the_clinic_is_open_now(client, clinic_hours, moment, language, expected):
    assert status_line(home_at(client, language, moment)) == expected


def test_the_status_comes_before_the_introduction_and_links_to_the_hours_page(
    client, home_page, clinic_hours
):
    hours_page = OpeningHoursPageFactory(parent=home_page)
    html = home_at(client, "ta", ist(MONDAY, 11)).content.decode()
    hero = html.split('<section class="hero">')[1].split("</section>")[0]

    with translation.override("ta"):
        assert f'<a href="{hours_page.get_url()}">' in hero.split('class="hours-status')[1]
    assert hero.index("<h1") < hero.index("hours-status") < hero.index('<a class="button"')


@pytest.mark.parametrize(
    ("moment", "seconds"),
    [
        (ist(MONDAY, 12, 59, 30), 30),  # "Open now" until 1 PM
        (ist(MONDAY, 15, 59, 50), 10),  # "opens today at 4:00 PM" until it opens
        (ist(MONDAY, 11), 60),  # far from any change: the site's usual 60 seconds
    ],
)
def test_the_home_page_is_cached_no_longer_than_its_status_holds(client, clinic_hours, moment, seconds):
    response = home_at(client, "en", moment)
    assert "public" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) == seconds


def test_without_opening_hours_the_home_page_shows_no_status(client, home_page):
    html = client.get("/en/").content.decode()
    assert "hours-status" not in html


def test_the_home_page_shows_one_booking_button_and_other_pages_one_in_the_header(
    client, home_page, clinic_hours
):
    booking = BookingPageFactory(parent=home_page)
    blog = BlogIndexPageFactory(parent=home_page)
    with translation.override("en"):
        booking_url, blog_url = booking.get_url(), blog.get_url()

    home = client.get("/en/").content.decode()
    assert home.count('<a class="button') == 1  # the hero's: the header leaves it out
    assert f'<a class="button" href="{booking_url}">Book a Consultation</a>' in home

    header = client.get(blog_url).content.decode().split("</header>")[0]
    assert header.count('<a class="button') == 1
    assert '<span class="button__long">Book a Consultation</span>' in header  # its accessible name
    assert '<span class="button__short" aria-hidden="true">Book</span>' in header  # what a phone shows

    booking_header = client.get(booking_url).content.decode().split("</header>")[0]
    assert '<a class="button' not in booking_header  # the booking page is the form itself


@pytest.mark.parametrize(
    ("language", "label", "button"),
    [("en", "Search articles", "Search"), ("ta", "கட்டுரைகளில் தேடுங்கள்", "தேடல்")],
)
def test_every_page_has_the_search_form_in_its_header(client, home_page, language, label, button):
    blog = BlogIndexPageFactory(parent=home_page)
    with translation.override(language):
        url = blog.get_url()
    for path in (f"/{language}/", url):
        header = client.get(path).content.decode().split("</header>")[0]
        assert f'role="search" method="get" action="/{language}/search/">' in header
        assert f'<label for="site-search-q" class="visually-hidden">{label}</label>' in header
        assert f'<button type="submit">{button}</button>' in header

    # The search page shows one form, its own (with a visible label), not the header's as well.
    header, main = client.get(f"/{language}/search/?q=skin").content.decode().split("</header>")
    assert 'role="search"' not in header
    assert main.count('role="search"') == 1
    assert f'<label for="search-q">{label}</label>' in main
