"""Clinic details and opening hours over the API, with open-now computed on the server."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from wagtail.models import Site

from home.models import ClinicDetails
from tests.clinic_time import MONDAY, ist
from tests.factories import OpeningExceptionFactory, OpeningHoursFactory

URL = "/api/v3/opening-hours/"


@pytest.fixture
def clinic_hours(db, settings):
    """The clinic's hours (Monday–Saturday 10–13 and 16–19 in Chennai), with the server in UTC."""
    settings.TIME_ZONE = "UTC"
    hours = OpeningHoursFactory(note_ta="முன்பதிவின் பேரில் மட்டும்")
    ClinicDetails.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"clinic_name": "Skin Clinic", "opening_hours": hours},
    )
    return hours


def ask(client, moment, **params):
    """The opening hours as an app asks for them now, `moment` being now; not a copy cached before."""
    caches[django_settings.CACHE_MIDDLEWARE_ALIAS].clear()
    with mock.patch("home.models.now", return_value=moment):
        return client.get(URL, params)


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_clinic_details_in_both_languages(client, demo):
    english = client.get("/api/v3/clinic/").json()
    tamil = client.get("/api/v3/clinic/", {"lang": "ta"}).json()

    assert english["clinic_name"] == "Dr. Janani's Skin Clinic"
    assert english["phone_link"] == "tel:+914440001234"
    assert tamil["clinic_name"] == "டாக்டர் ஜனனியின் தோல் கிளினிக்"
    assert tamil["meta"]["fallback_fields"] == []


@pytest.mark.parametrize(
    ("at", "open_now", "next_opening"),
    [
        ("2024-01-08T12:59:00+05:30", True, "2024-01-08T16:00:00+05:30"),
        ("2024-01-08T15:59:00+05:30", False, "2024-01-08T16:00:00+05:30"),
        ("2024-01-13T19:00:00+05:30", False, "2024-01-15T10:00:00+05:30"),
        ("2024-01-08T04:45:00Z", True, "2024-01-08T16:00:00+05:30"),
    ],
)
def test_open_now_and_next_opening_at_a_given_moment(client, demo, at, open_now, next_opening):
    data = client.get("/api/v3/opening-hours/", {"at": at}).json()

    assert data["open_now"] is open_now
    assert data["next_opening"] == next_opening
    assert data["timezone"] == "Asia/Kolkata"
    assert data["note"] == "On appointments"


@pytest.mark.parametrize(
    ("at", "expected_at", "open_until", "next_opening"),
    [
        (
            "2024-01-08T04:45:00Z",
            "2024-01-08T10:15:00+05:30",
            "2024-01-08T13:00:00+05:30",
            "2024-01-08T16:00:00+05:30",
        ),
        ("2024-01-08T07:30:00+00:00", "2024-01-08T13:00:00+05:30", None, "2024-01-08T16:00:00+05:30"),
        (
            "2024-01-08T17:30:00+05:30",
            "2024-01-08T17:30:00+05:30",
            "2024-01-08T19:00:00+05:30",
            "2024-01-09T10:00:00+05:30",
        ),
        ("2024-01-08T06:00:00-08:00", "2024-01-08T19:30:00+05:30", None, "2024-01-09T10:00:00+05:30"),
    ],
)
def test_every_moment_is_given_in_the_clinics_timezone_whatever_offset_at_used(
    client, clinic_hours, at, expected_at, open_until, next_opening
):
    data = client.get(URL, {"at": at}).json()

    assert data["at"] == expected_at
    assert data["open_now"] is (open_until is not None)
    assert data["open_until"] == open_until
    assert data["next_opening"] == next_opening


def test_open_until_follows_sessions_that_meet(client, db, settings):
    settings.TIME_ZONE = "UTC"
    hours = OpeningHoursFactory(
        sessions=[(0, datetime.time(10), datetime.time(13)), (0, datetime.time(13), datetime.time(16))]
    )
    ClinicDetails.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"opening_hours": hours}
    )

    data = client.get(URL, {"at": "2024-01-08T11:00:00+05:30"}).json()

    assert data["open_until"] == "2024-01-08T16:00:00+05:30"


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        (ist(MONDAY, 11), "en", "Open now · until 1:00 PM"),
        (ist(MONDAY, 11), "ta", "இப்போது திறந்திருக்கிறது · மதியம் 1:00 வரை"),
        (ist(MONDAY, 19, 30), "en", "Closed · opens tomorrow at 10:00 AM"),
        (ist(MONDAY, 19, 30), "ta", "மூடப்பட்டுள்ளது · நாளை காலை 10:00 மணிக்குத் திறக்கும்"),
    ],
)
def test_the_status_sentence_is_the_one_the_hours_page_shows(
    client, clinic_hours, moment, language, expected
):
    assert ask(client, moment, lang=language).json()["status_text"] == expected


def test_the_status_sentence_names_a_holiday_in_the_requested_language(client, clinic_hours):
    OpeningExceptionFactory(hours=clinic_hours, date=MONDAY, label="Pongal", label_ta="பொங்கல்")

    data = ask(client, ist(MONDAY, 11), lang="ta").json()

    assert data["status_text"] == "இன்று விடுமுறை (பொங்கல்) · நாளை காலை 10:00 மணிக்குத் திறக்கும்"
    assert data["open_now"] is False and data["open_until"] is None


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize(
    ("moment", "seconds"),
    [
        (ist(MONDAY, 12, 59, 30), 30),  # closes at 13:00
        (ist(MONDAY, 15, 59, 15), 45),  # opens at 16:00
        (ist(datetime.date(2024, 1, 14), 23, 59, 50), 10),  # at midnight "opens tomorrow" becomes "today"
        (ist(MONDAY, 11), 60),  # far from any change: the site's usual 60 seconds
    ],
)
def test_the_answer_for_now_is_cached_no_longer_than_the_status_holds(
    client, clinic_hours, moment, seconds, language
):
    response = ask(client, moment, lang=language)

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert max_age(response) == seconds
    assert response["ETag"]


def test_the_answer_for_a_given_moment_keeps_the_usual_cache_time(client, clinic_hours):
    response = ask(client, ist(MONDAY, 12, 59, 30), at="2024-01-08T12:59:30+05:30")
    assert max_age(response) == django_settings.CACHE_MIDDLEWARE_SECONDS


@pytest.mark.skipif(
    "locmem" not in django_settings.CACHES[django_settings.CACHE_MIDDLEWARE_ALIAS]["BACKEND"],
    reason="moves the local-memory cache's clock",
)
def test_the_servers_cached_answer_expires_when_the_clinic_closes(client, clinic_hours):
    start = time.time()
    with mock.patch("home.models.now", return_value=ist(MONDAY, 12, 59, 30)):
        assert client.get(URL).json()["open_now"] is True
    with mock.patch("home.models.now", return_value=ist(MONDAY, 13, 0, 1)):
        # 20 seconds on, the cached answer is served; 31 seconds on, it has expired.
        with mock.patch("time.time", return_value=start + 20):
            assert client.get(URL).json()["open_now"] is True
        with mock.patch("time.time", return_value=start + 31):
            assert client.get(URL).json()["open_now"] is False


def test_the_timezone_convention_is_documented(client, clinic_hours):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"][URL]["get"]
    fields = document["components"]["schemas"]["OpeningHoursOut"]["properties"]
    [at] = [parameter for parameter in operation["parameters"] if parameter.get("name") == "at"]

    def says_clinic_time(text):
        return "in the clinic's timezone" in " ".join(text.split())

    assert says_clinic_time(operation["description"])
    assert "offset" in at["description"]
    assert all(says_clinic_time(fields[name]["description"]) for name in ("at", "open_until", "next_opening"))


def test_weekly_sessions_and_tamil_names(client, demo):
    data = client.get("/api/v3/opening-hours/", {"lang": "ta"}).json()

    monday, sunday = data["weekly"][0], data["weekly"][6]
    assert monday["name"] == "திங்கள்"
    assert monday["sessions"] == [
        {"opens": "10:00", "closes": "13:00"},
        {"opens": "16:00", "closes": "19:00"},
    ]
    assert sunday["sessions"] == []
    assert data["note"] == "முன்பதிவின் பேரில் மட்டும்"


@pytest.mark.parametrize("at", ["2024-01-08T10:00:00", "not-a-date"])
def test_a_moment_without_timezone_or_malformed_is_a_4xx(client, demo, at):
    response = client.get("/api/v3/opening-hours/", {"at": at})
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")


def test_categories_with_article_counts_and_authors(client, demo):
    categories = {c["slug"]: c for c in client.get("/api/v3/categories/").json()}
    assert categories["health-and-beauty-tips"]["article_count"] == 1
    assert categories["health-and-beauty-tips"]["id"]

    tamil = {c["slug"]: c["name"] for c in client.get("/api/v3/categories/", {"lang": "ta"}).json()}
    assert tamil["acne-care"] == "முகப்பரு பராமரிப்பு"

    authors = client.get("/api/v3/authors/").json()
    assert authors[0]["slug"] == "janani-palanivel" and authors[0]["article_count"] == 4
    assert client.get("/api/v3/authors/janani-palanivel/", {"lang": "ta"}).json()["name"] == (
        "டாக்டர் ஜனனி பழனிவேல்"
    )
    assert client.get("/api/v3/authors/nobody/").status_code == 404
