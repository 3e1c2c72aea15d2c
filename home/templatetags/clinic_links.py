"""Links that several templates need: the opening hours page."""

from django import template

from home.models import OpeningHoursPage

register = template.Library()


@register.simple_tag(takes_context=True)
def opening_hours_page_url(context):
    """The live opening hours page's URL in the current language, or "" when there is none."""
    return OpeningHoursPage.url_for_request(context.get("request"))
