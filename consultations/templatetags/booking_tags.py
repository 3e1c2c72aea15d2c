"""The link every page's "Book a Consultation" button leads to."""

from django import template

from consultations.models import BookingPage

register = template.Library()


@register.simple_tag(takes_context=True)
def booking_page_url(context):
    """The live booking page's URL in the current language, or "" when there is none."""
    return BookingPage.url_for_request(context.get("request"))
