"""Article cards and blog links for templates outside the blog's pages: the layout, home, bylines."""

from django import template

from articles.models import ArticlePage, BlogIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def blog_feed_url(context):
    """The absolute URL of the blog's RSS feed in the active language, or "" without a blog."""
    request = context.get("request")
    blog = BlogIndexPage.for_request(request)
    url = blog.get_feed_url(request) if blog else None
    return request.build_absolute_uri(url) if url else ""


@register.simple_tag(takes_context=True)
def latest_articles(context, count):
    """The request's site's `count` newest articles, as cards."""
    return ArticlePage.objects.for_listing().in_site_of(context.get("request")).as_cards(tags=False)[:count]


@register.simple_tag(takes_context=True)
def blog_url(context):
    """The live blog's URL in the current language, or "" when the site has none."""
    return BlogIndexPage.url_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def author_url(context, author, blog=None):
    """
    The URL of `author`'s page on `blog` (default: the context's `blog`, as an article has it) in
    the current language, or "" without a blog.
    """
    blog = blog or context.get("blog")
    if not isinstance(blog, BlogIndexPage) or author is None:
        return ""
    return blog.get_author_url(author, context.get("request")) or ""
