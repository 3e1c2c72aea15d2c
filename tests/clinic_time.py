"""Moments in the clinic's time for the opening-hours tests: a week in January 2024, in Chennai."""

import datetime
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")

# Monday the 8th to Sunday the 14th.
MONDAY = datetime.date(2024, 1, 8)
TUESDAY = datetime.date(2024, 1, 9)
WEDNESDAY = datetime.date(2024, 1, 10)
SATURDAY = datetime.date(2024, 1, 13)
SUNDAY = datetime.date(2024, 1, 14)
NEXT_MONDAY = datetime.date(2024, 1, 15)


def ist(date, hour, minute=0, second=0):
    """A moment given in clinic time, as the server's clock (UTC) reports it."""
    return datetime.datetime.combine(date, datetime.time(hour, minute, second), IST).astimezone(datetime.UTC)
