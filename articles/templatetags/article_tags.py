"""Template tags for the blog's links that every page's layout carries."""

from django import template
from wagtail.models import Site

from articles.models import BlogIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def blog_feed_url(context):
    """The absolute URL of the blog's RSS feed in the active language, or "" without a blog."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return ""
    blog = BlogIndexPage.objects.live().public().descendant_of(site.root_page).first()
    url = blog.get_feed_url(request) if blog else None
    return request.build_absolute_uri(url) if url else ""
