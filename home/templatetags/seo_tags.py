"""Template tags that print what search engines and link previews read: JSON-LD and Open Graph."""

from django import template
from django.utils.html import format_html_join
from django.utils.translation import get_language

from cms.pages import find_site
from cms.seo import StructuredDataMixin, breadcrumb_graph, json_ld_script
from cms.seo import social_meta as page_social_meta
from home.models import ClinicDetails
from home.structured_data import clinic_graph, clinic_reference

register = template.Library()


def _site_and_clinic(request):
    site = find_site(request) if request is not None else None
    if site is None:
        return None, None
    # for_request() shares the instance (and its opening hours) with the footer's `settings` tag.
    return site, ClinicDetails.for_request(request)


def _page(context):
    page = context.get("page")
    return page if page is not None and getattr(page, "pk", None) else None


@register.simple_tag(takes_context=True)
def json_ld(context):
    """
    The page's JSON-LD, one `<script type="application/ld+json">` per graph: the clinic on every
    page, then the page's own graphs (an article, an author's profile, a page about the clinic),
    then the breadcrumbs on every page below Home.
    """
    request = context.get("request")
    site, clinic = _site_and_clinic(request)
    if site is None:
        return ""
    home = site.root_page
    scripts = [_clinic_script(request, clinic, home)]
    graphs = []
    page = _page(context)
    if page is not None:
        tail = None
        if isinstance(page, StructuredDataMixin):
            graphs += page.structured_data(request, context, clinic_reference(request, clinic, home))
            tail = page.breadcrumb_tail(request, context)
        graphs.append(breadcrumb_graph(request, page, home, tail))
    scripts += [json_ld_script(graph) for graph in graphs if graph]
    return format_html_join("\n    ", "{}", ((script,) for script in scripts))


def _clinic_script(request, clinic, home):
    """
    The clinic's graph as a script: the same on every page for a host, in a language, on the
    clinic's day (its coming special hours), so written once for each and kept with what pages
    share (cms/shared_data.py), until that day ends.
    """
    key = f"clinic-json-ld:{home.pk}:{request.build_absolute_uri('/')}:{get_language()}"

    def script():
        return json_ld_script(clinic_graph(request, clinic, home))

    return clinic.remember_for_the_day(request, key, script)


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, language_links):
    """Open Graph and Twitter card tags; og:url is the canonical URL from `language_links`."""
    request = context.get("request")
    _site, clinic = _site_and_clinic(request)
    canonical = next((link["full_url"] for link in language_links if link["is_current"]), "")
    site_name = clinic.clinic_name if clinic else ""
    return {"meta": page_social_meta(request, _page(context), canonical, site_name, context)}
