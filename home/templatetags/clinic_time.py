"""Template helpers for the clinic's times: clock times and sessions, as home/clock.py writes them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from home.clock import format_clock, format_session

register = template.Library()


@register.filter
def clock(value):
    """A time of day as the reader's language writes it: "4:00 PM" in English, "மாலை 4:00" in Tamil."""
    return format_clock(value)


@register.simple_tag
def session(opens, closes, time_class=""):
    """
    A session as format_session() writes it, "10:00 AM – 1:00 PM"; with `time_class`, each time is a
    <span> of that class (e.g. one that keeps it on one line while the session may wrap at the dash).
    """
    if not time_class:
        return format_session(opens, closes)

    def clock_html(value):
        return format_html('<span class="{}">{}</span>', time_class, format_clock(value))

    # The times are escaped HTML; the pattern around them is the translator's " – ".
    return mark_safe(format_session(opens, closes, clock=clock_html))

