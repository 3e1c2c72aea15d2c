"""Links that several templates need: the opening hours page, and an author's page on the blog."""

from django import template

from articles.models import BlogIndexPage
from home.models import OpeningHoursPage

register = template.Library()


@register.simple_tag(takes_context=True)
def opening_hours_page_url(context):
    """The live opening hours page's URL in the current language, or "" when there is none."""
    return OpeningHoursPage.url_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def author_url(context, author, blog=None):
    """
    The URL of `author`'s page on `blog` (default: the context's `blog`, as an article has it) in
    the current language, or "" without a blog.
    """
    blog = blog or context.get("blog")
    if blog is None or author is None:
        return ""
    if not isinstance(blog, BlogIndexPage):
        # The article's parent comes as a plain Page: the deferred specific instance costs no query.
        blog = blog.specific_deferred
        if not isinstance(blog, BlogIndexPage):
            return ""
    return blog.get_author_url(author, context.get("request")) or ""
