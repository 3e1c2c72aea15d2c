"""Template tags that print what search engines and link previews read: JSON-LD, Open Graph, the feed link."""

from django import template
from django.utils.html import format_html_join
from wagtail.models import Site

from articles.models import ArticlePage, BlogIndexPage
from home import structured_data
from home.models import ClinicDetails

register = template.Library()


def _site_and_clinic(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None, None
    # for_request() shares the instance (and its opening hours) with the footer's `settings` tag.
    return site, ClinicDetails.for_request(request)


@register.simple_tag(takes_context=True)
def json_ld(context):
    """
    The page's JSON-LD, one `<script type="application/ld+json">` per graph: the clinic on every
    page, the article on an article, the breadcrumbs on every page below Home.
    """
    request = context.get("request")
    site, clinic = _site_and_clinic(request)
    if site is None:
        return ""
    home = site.root_page
    graphs = [structured_data.clinic_graph(request, clinic, home)]
    page = context.get("page")
    if page is not None and getattr(page, "pk", None):
        if isinstance(page, ArticlePage):
            graphs.append(structured_data.article_graph(request, page, clinic, home))
        graphs.append(structured_data.breadcrumb_graph(request, page, home))
    return format_html_join(
        "\n    ", "{}", ((structured_data.json_ld_script(graph),) for graph in graphs if graph)
    )


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, language_links):
    """Open Graph and Twitter card tags; og:url is the canonical URL from `language_links`."""
    request = context.get("request")
    site, clinic = _site_and_clinic(request)
    canonical = next((link["full_url"] for link in language_links if link["is_current"]), "")
    page = context.get("page")
    if page is not None and not getattr(page, "pk", None):
        page = None
    site_name = clinic.clinic_name if clinic else ""
    return {"meta": structured_data.social_meta(request, page, canonical, site_name)}


@register.simple_tag(takes_context=True)
def blog_feed_url(context):
    """The absolute URL of the blog's RSS feed in the active language, or "" without a blog."""
    request = context.get("request")
    site, _clinic = _site_and_clinic(request)
    if site is None:
        return ""
    blog = BlogIndexPage.objects.live().public().descendant_of(site.root_page).first()
    url = blog.get_feed_url(request) if blog else None
    return request.build_absolute_uri(url) if url else ""
