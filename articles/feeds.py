"""The blog's RSS feed of the latest articles, one per language (served by BlogIndexPage's feed/ route)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils.timezone import get_current_timezone

from home.models import ClinicDetails

# How many of the newest articles a feed lists.
FEED_ITEMS = 20


class ArticleFeed(Feed):
    """The newest articles under one blog index, in the active language, with absolute links in it."""

    def __init__(self, blog):
        super().__init__()
        self.blog = blog

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.blog

    def title(self, blog):
        clinic = ClinicDetails.for_request(self.request)
        return f"{blog.title} | {clinic.clinic_name}" if clinic.clinic_name else blog.title

    def url(self, page):
        # On the host the request came to, as the pages' canonical links (not the Site's hostname).
        return self.request.build_absolute_uri(page.get_url(self.request))

    def link(self, blog):
        return self.url(blog)

    def description(self, blog):
        return blog.intro or blog.title

    def items(self, blog):
        # The blog's listing: the authors and categories come with the articles, the bodies never.
        return blog.articles()[:FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.intro

    def item_link(self, article):
        return self.url(article)

    def item_pubdate(self, article):
        return datetime.datetime.combine(article.date, datetime.time(), tzinfo=get_current_timezone())

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        return article.author_names() or None

    def item_categories(self, article):
        return [article.category.name] if article.category else ()
