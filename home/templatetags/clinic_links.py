"""Links that several templates need (the opening hours page), and the footer every page ends with."""

from django import template
from django.utils.translation import get_language

from cms.pages import find_site
from home.models import OpeningHoursPage

register = template.Library()

FOOTER_TEMPLATE = "includes/site_footer.html"


@register.simple_tag(takes_context=True)
def opening_hours_page_url(context):
    """The live opening hours page's URL in the current language, or "" when there is none."""
    return OpeningHoursPage.url_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def site_footer(context, clinic):
    """
    The footer of every page: the `clinic`'s week of opening hours (today marked) and its contacts.
    It is the same on every page of a site in a language on the clinic's day, but on the hours
    page (which it does not link to), so it is rendered once for each and kept with what pages
    share (cms/shared_data.py), which every content change empties: after a publish, the first
    page read renders it, and the other pages do not.
    """
    request = context.get("request")
    footer = context.template.engine.get_template(FOOTER_TEMPLATE)

    def render():
        with context.push(clinic=clinic):
            return footer.render(context)

    site = find_site(request) if request is not None else None
    if site is None or clinic is None:
        return render()
    on_hours_page = OpeningHoursPage.url_for_request(request) == request.path
    return clinic.remember_for_the_day(request, f"footer:{site.pk}:{get_language()}:{on_hours_page}", render)
