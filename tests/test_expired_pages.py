"""
A page past its expiry time is gone from everything visitors and apps read at once, not only once
it is unpublished (by the task worker, or `publish_scheduled`); and no cached copy outlives it.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation

from tests.factories import ArticlePageFactory, AuthorFactory
from tests.public_cache import read

TITLE = "Collagen creams, reconsidered"


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def expired(blog_page):
    """A live article whose expiry time has passed: nothing has unpublished it yet."""
    author = AuthorFactory(name="Dr. Meena Raman", slug="meena-raman")
    ArticlePageFactory(parent=blog_page, title="Sunscreen every day", authors=[author])
    return ArticlePageFactory(
        parent=blog_page,
        title=TITLE,
        title_ta="கொலாஜன் கிரீம்கள்",
        authors=[author],
        expire_at=timezone.now() - datetime.timedelta(minutes=1),
    )


@pytest.mark.parametrize("language", ["en", "ta"])
def test_an_expired_page_is_not_found(client, expired, language):
    assert expired.live
    assert client.get(url_in(expired, language)).status_code == 404


def test_an_expired_page_is_in_no_list_of_the_site(client, expired, blog_page):
    author_page = blog_page.url + "authors/meena-raman/"
    for url in ["/en/", "/en/blog/", author_page, blog_page.url + "feed/", "/sitemap-pages.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Sunscreen every day" in response.content.decode() or url == "/sitemap-pages.xml", url
        assert TITLE not in response.content.decode(), url
        assert expired.slug not in response.content.decode(), url


def test_an_expired_page_is_not_found_by_site_search(client, expired):
    results = client.get("/en/search/", {"q": "collagen"}).content.decode()
    assert TITLE not in results
    assert "Sunscreen every day" not in results  # the search did run: nothing else matches
    assert "Sunscreen every day" in client.get("/en/search/", {"q": "sunscreen"}).content.decode()


def test_an_expired_article_is_in_no_answer_of_the_api(client, expired):
    assert TITLE not in client.get("/api/v3/articles/").content.decode()
    assert TITLE not in client.get("/api/v3/articles/", {"search": "collagen"}).content.decode()
    assert client.get(f"/api/v3/articles/{expired.pk}/").status_code == 404
    assert client.get("/api/v3/articles/find/", {"path": url_in(expired, "en")}).status_code == 404
    (author,) = client.get("/api/v3/authors/").json()
    assert author["article_count"] == 1


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_nothing_is_cached_beyond_the_next_expiry(client, blog_page):
    article = ArticlePageFactory(parent=blog_page, expire_at=timezone.now() + datetime.timedelta(seconds=20))
    for url in [url_in(article, "en"), "/en/blog/", "/api/v3/articles/"]:
        response = read(client, url)
        assert "public" in response["Cache-Control"]
        assert 1 <= max_age(response) <= 20, url  # and so does the server's copy (Django's cache middleware)


def test_a_distant_expiry_leaves_the_usual_cache_time(client, blog_page, settings):
    ArticlePageFactory(parent=blog_page, expire_at=timezone.now() + datetime.timedelta(days=3))
    assert max_age(read(client, "/en/blog/")) == settings.CACHE_MIDDLEWARE_SECONDS
