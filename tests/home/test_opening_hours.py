"""The clinic's opening hours: is it open at a given moment, and when does it next open?"""

import datetime

import pytest

from tests.clinic_time import IST, MONDAY, NEXT_MONDAY, SATURDAY, SUNDAY, WEDNESDAY, ist
from tests.factories import OpeningExceptionFactory, OpeningHoursFactory

UTC = datetime.UTC


@pytest.fixture
def hours(db):
    return OpeningHoursFactory()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ist(MONDAY, 9, 59, 59), False),
        (ist(MONDAY, 10), True),
        (ist(MONDAY, 12, 59, 59), True),
        (ist(MONDAY, 13), False),  # the morning session ends at 13:00 sharp
        (ist(MONDAY, 15, 59), False),
        (ist(MONDAY, 16), True),
        (ist(SATURDAY, 18, 59), True),
        (ist(SATURDAY, 19), False),
        (ist(SUNDAY, 11), False),
    ],
)
def test_is_open_at_session_edges(hours, moment, expected):
    assert hours.is_open(moment) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ist(MONDAY, 8), ist(MONDAY, 10)),
        (ist(MONDAY, 13), ist(MONDAY, 16)),
        (ist(MONDAY, 15, 59), ist(MONDAY, 16)),
        (ist(MONDAY, 11), ist(MONDAY, 16)),  # open now: the next opening is the afternoon session
        (ist(MONDAY, 19), ist(datetime.date(2024, 1, 9), 10)),
        (ist(SATURDAY, 19), ist(NEXT_MONDAY, 10)),  # across Sunday and the week boundary
        (ist(SUNDAY, 12), ist(NEXT_MONDAY, 10)),
    ],
)
def test_next_opening_crosses_session_day_and_week_boundaries(hours, moment, expected):
    assert hours.next_opening(moment) == expected


def test_next_opening_is_given_in_the_clinic_timezone(hours):
    opening = hours.next_opening(ist(SUNDAY, 12))
    assert opening.tzinfo == IST
    assert opening.strftime("%A %H:%M") == "Monday 10:00"


def test_a_holiday_exception_closes_the_whole_day(hours):
    OpeningExceptionFactory(hours=hours, date=WEDNESDAY, label="Pongal")

    assert hours.is_open(ist(WEDNESDAY, 11)) is False
    assert hours.next_opening(ist(datetime.date(2024, 1, 9), 19, 30)) == ist(datetime.date(2024, 1, 11), 10)


def test_special_hours_replace_the_weekly_sessions_that_day(hours):
    OpeningExceptionFactory(
        hours=hours,
        date=SUNDAY,
        label="Skin camp",
        closed=False,
        opens=datetime.time(9),
        closes=datetime.time(12),
    )

    assert hours.is_open(ist(SUNDAY, 9, 30)) is True
    assert hours.is_open(ist(SUNDAY, 16, 30)) is False
    assert hours.next_opening(ist(SATURDAY, 19)) == ist(SUNDAY, 9)


def test_a_server_in_utc_still_answers_in_clinic_time(hours, settings):
    settings.TIME_ZONE = "UTC"
    # 04:45 UTC is 10:15 in Chennai on a Monday: open, though it is before 10:00 in UTC.
    monday_morning_utc = datetime.datetime(2024, 1, 8, 4, 45, tzinfo=UTC)
    assert hours.is_open(monday_morning_utc) is True
    # 13:31 UTC on Saturday is 19:01 in Chennai: closed until Monday 10:00 there (04:30 UTC).
    saturday_evening_utc = datetime.datetime(2024, 1, 13, 13, 31, tzinfo=UTC)
    assert hours.is_open(saturday_evening_utc) is False
    assert hours.next_opening(saturday_evening_utc) == datetime.datetime(2024, 1, 15, 4, 30, tzinfo=UTC)


def test_naive_datetimes_are_refused(hours):
    with pytest.raises(ValueError):
        hours.is_open(datetime.datetime(2024, 1, 8, 11))


def test_hours_with_no_sessions_never_open(db):
    hours = OpeningHoursFactory(sessions=[])
    assert hours.is_open(ist(MONDAY, 11)) is False
    assert hours.next_opening(ist(MONDAY, 11)) is None


def test_week_lists_seven_days_with_today_and_exceptions(hours):
    OpeningExceptionFactory(hours=hours, date=WEDNESDAY, label="Pongal")

    week = hours.week(ist(WEDNESDAY, 9))

    assert [str(day["weekday"]) for day in week][:2] == ["Monday", "Tuesday"]
    assert [day["date"] for day in week] == [MONDAY + datetime.timedelta(days=n) for n in range(7)]
    wednesday = week[2]
    assert wednesday["is_today"] and wednesday["sessions"] == [] and wednesday["exception"] == "Pongal"
    assert week[0]["sessions"] == [
        (datetime.time(10), datetime.time(13)),
        (datetime.time(16), datetime.time(19)),
    ]
    assert week[6]["sessions"] == []
