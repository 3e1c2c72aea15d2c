"""Template helpers for the clinic's times: clock times, sessions (see home/clock.py), the status."""

from django import template
from django.utils.html import format_html, format_html_join
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


@register.simple_tag
def status_sentence(status):
    """
    An OpeningStatus as its sentence in HTML: the state in bold, then the rest, a label shown
    untranslated marked with its language, e.g. "<strong>Closed today</strong> (Pongal) · opens …".
    """
    parts = status.sentence_parts()
    return format_html_join(
        " · ",
        "{}{}",
        (
            (
                format_html("<strong>{}</strong>", part.text) if index == 0 else part.text,
                _label_html(part),
            )
            for index, part in enumerate(parts)
        ),
    )


def _label_html(part):
    if not part.label:
        return ""
    if part.label_language:
        return format_html(' <span lang="{}">({})</span>', part.label_language, part.label)
    return format_html(" ({})", part.label)
