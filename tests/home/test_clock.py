"""One clock for patients: times and sessions written the same way on every page, in the API and the form."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from home.clock import format_clock, format_session

MORNING, NOON, TEA_TIME, EVENING = (datetime.time(h) for h in (10, 13, 16, 19))


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", datetime.time(10), "10:00 AM"),
        ("en", datetime.time(13, 30), "1:30 PM"),
        ("en", datetime.time(0, 15), "12:15 AM"),
        ("ta", datetime.time(4, 30), "அதிகாலை 4:30"),
        ("ta", datetime.time(10), "காலை 10:00"),
        ("ta", datetime.time(12), "மதியம் 12:00"),
        ("ta", datetime.time(16), "மாலை 4:00"),
        ("ta", datetime.time(19), "இரவு 7:00"),
    ],
)
def test_a_time_names_the_part_of_the_day_as_the_language_does(language, value, expected):
    with translation.override(language):
        assert format_clock(value) == expected


def test_a_datetime_is_written_by_its_clock_time_and_nothing_is_written_for_none():
    assert format_clock(datetime.datetime(2024, 1, 8, 16, 0)) == "4:00 PM"
    assert format_clock(None) == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "10:00 AM – 1:00 PM"), ("ta", "காலை 10:00 – மதியம் 1:00")],
)
def test_a_session_is_written_from_its_two_clock_times(language, expected):
    with translation.override(language):
        assert format_session(MORNING, NOON) == expected


def render(source, **context):
    return Template("{% load clinic_time %}" + source).render(Context(context))


def test_the_clock_filter_and_the_session_tag_write_the_same_clock(settings):
    with translation.override("ta"):
        assert render("{{ time|clock }}", time=TEA_TIME) == "மாலை 4:00"
        assert render("{% session opens closes %}", opens=TEA_TIME, closes=EVENING) == "மாலை 4:00 – இரவு 7:00"


def test_the_session_tag_can_keep_each_time_on_one_line():
    html = render('{% session opens closes time_class="nowrap" %}', opens=MORNING, closes=NOON)
    assert html == '<span class="nowrap">10:00 AM</span> – <span class="nowrap">1:00 PM</span>'


def test_the_same_instant_in_two_time_zones_is_written_by_each_ones_clock():
    utc = datetime.datetime(2024, 1, 8, 10, 0, tzinfo=datetime.UTC)
    chennai = utc.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
    assert utc == chennai
    assert (format_clock(utc), format_clock(chennai)) == ("10:00 AM", "3:30 PM")
    assert format_session(utc, chennai) == "10:00 AM – 3:30 PM"


def test_a_time_written_in_one_language_is_written_afresh_in_the_other():
    for language, expected in [("en", "4:00 PM"), ("ta", "மாலை 4:00"), ("en", "4:00 PM")]:
        with translation.override(language):
            assert format_clock(TEA_TIME) == expected
            assert format_session(MORNING, TEA_TIME).endswith(expected)
