"""Template tags that print what search engines and link previews read: JSON-LD, Open Graph, the feed link."""

from django import template
from django.utils.html import format_html_join
from wagtail.models import Site

from articles.models import ArticlePage, Author, BlogIndexPage
from home import structured_data
from home.models import ClinicDetails, OpeningHoursPage

register = template.Library()


def _routed_author(context):
    """The author whose page the blog is showing (its `authors/<slug>/` route), else None."""
    author = context.get("author")
    return author if isinstance(author, Author) and isinstance(context.get("page"), BlogIndexPage) else None


def _article_blog(context):
    """An article's blog index (the context's `blog`, its parent) as a BlogIndexPage, or None."""
    blog = context.get("blog")
    if blog is not None and not isinstance(blog, BlogIndexPage):
        blog = blog.specific_deferred  # no query: only its URL and routes are needed
    return blog if isinstance(blog, BlogIndexPage) else None


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
    page, the article on an article, the author's profile on an author's page, the opening hours
    page as a page about the clinic, the breadcrumbs on every page below Home.
    """
    request = context.get("request")
    site, clinic = _site_and_clinic(request)
    if site is None:
        return ""
    home = site.root_page
    graphs = [structured_data.clinic_graph(request, clinic, home)]
    page = context.get("page")
    if page is not None and getattr(page, "pk", None):
        last_crumb = None
        author = _routed_author(context)
        if isinstance(page, ArticlePage):
            graphs.append(structured_data.article_graph(request, page, clinic, home, _article_blog(context)))
        elif isinstance(page, OpeningHoursPage):
            graphs.append(structured_data.opening_hours_page_graph(request, page, home))
        elif author is not None:
            profile = structured_data.author_profile_graph(request, author, page)
            graphs.append(profile)
            last_crumb = (author.name, profile["url"])
        graphs.append(structured_data.breadcrumb_graph(request, page, home, last_crumb))
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
    author = _routed_author(context)
    return {"meta": structured_data.social_meta(request, page, canonical, site_name, author)}


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
