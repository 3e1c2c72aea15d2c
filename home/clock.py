"""
Clock times as patients read them, the same on every page, in the API and in the booking form:
"4:00 PM" and "10:00 AM – 1:00 PM" in English, "மாலை 4:00" and "காலை 10:00 – மதியம் 1:00" in Tamil.
"""

import datetime
from functools import lru_cache

from django.utils.dateformat import time_format
from django.utils.translation import get_language, pgettext, pgettext_lazy

# Tamil, like many languages, names the part of the day rather than saying AM or PM ("காலை 10:00",
# "மாலை 4:00"): each span of hours (up to the hour it ends) has its own entry, which English translates
# as AM or PM. A context keeps them apart from Django's own "AM"/"PM" (used by the "A" date format).
DAY_PERIODS = [
    (5, pgettext_lazy("time of day, midnight to 4:59", "AM")),
    (12, pgettext_lazy("time of day, 5:00 to 11:59", "AM")),
    (16, pgettext_lazy("time of day, noon to 15:59", "PM")),
    (19, pgettext_lazy("time of day, 16:00 to 18:59", "PM")),
    (24, pgettext_lazy("time of day, 19:00 to midnight", "PM")),
]


def format_clock(value):
    """A time of day in the active language: "4:00 PM" in English, "மாலை 4:00" in Tamil; "" for None."""
    if value in (None, ""):
        return ""
    return _clock_in(clock_time(value), get_language())


def clock_time(value):
    """The hour and minute of a time or datetime, all a clock shows (two datetimes of different time
    zones may be equal, and be kept as one, while their clocks differ); None stays None."""
    return None if value in (None, "") else datetime.time(value.hour, value.minute)


# Every page shows the week's hours: the same dozen times and sessions, each written from the
# translation catalogs a few times a page. The text depends on nothing but the time and the
# language, so each is written once per process.
@lru_cache(maxsize=512)
def _clock_in(value, language):
    """format_clock's text for `value`; `language` is the active one, which the text depends on."""
    period = next(label for end, label in DAY_PERIODS if value.hour < end)
    # Translators: %(time)s is a 12-hour clock time such as 4:00, %(period)s the part of the day (AM, PM).
    return pgettext("time of day", "%(time)s %(period)s") % {
        "time": time_format(value, "g:i"),
        "period": period,
    }


def format_session(opens, closes, clock=format_clock):
    """
    A session from `opens` to `closes` in the active language: "10:00 AM – 1:00 PM",
    "காலை 10:00 – மதியம் 1:00". `clock` writes each time (the templates' `session` tag wraps it in HTML).
    """
    if clock is format_clock:
        return _session_in(clock_time(opens), clock_time(closes), get_language())
    return _session(opens, closes, clock)


@lru_cache(maxsize=512)
def _session_in(opens, closes, language):
    """format_session's text with format_clock's times; `language` is the active one (see _clock_in)."""
    return _session(opens, closes, format_clock)


def _session(opens, closes, clock):
    # Translators: a session of the clinic's opening hours, e.g. "10:00 AM – 1:00 PM".
    return pgettext("opening hours session", "%(opens)s – %(closes)s") % {
        "opens": clock(opens),
        "closes": clock(closes),
    }
