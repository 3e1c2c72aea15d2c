"""
A CDN in front of the site forgets what a change to a page made stale: the page in both languages
(old and new addresses), the pages that list it, the sitemap and the API answers that show it. A
local HTTP server stands in for the CDN (Wagtail's HTTP purge backend, FRONTEND_CACHE_PURGE_URL);
Cloudflare and CloudFront get the same URLs through their own backends.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.contrib.frontend_cache.backends import CloudflareBackend, CloudfrontBackend, HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import PageViewRestriction
from wagtail_factories import ImageFactory

from cms.settings.base import frontend_cache_backends
from tests.factories import ArticleCategoryFactory, ArticlePageFactory, AuthorFactory, BlogIndexPageFactory

SITE = "http://localhost"
API_LANGUAGES = ["", "?lang=en", "?lang=ta", "?lang=*"]


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the method's name is the HTTP verb
        self.server.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    """A stand-in CDN on a free loopback port; `cdn.purged` lists the URLs it was asked to forget."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = frontend_cache_backends(
        {"FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{server.server_port}"}
    )
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def article(blog_page):
    return ArticlePageFactory(
        parent=blog_page,
        title="Sun care",
        slug="sun-care",
        title_ta="சூரிய பாதுகாப்பு",
        slug_ta="suriya-paathukaappu",
        category=ArticleCategoryFactory(slug="skin"),
        authors=[AuthorFactory(name="Dr. Janani", slug="janani")],
    )


def api_urls(*paths):
    return {
        f"{SITE}/api/v3/{path}{'&' if '?' in path else '?'}{lang[1:]}".rstrip("?&")
        for path in paths
        for lang in API_LANGUAGES
    }


def test_publishing_an_article_purges_its_pages_in_both_languages_and_its_api_answers(
    cdn, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    assert set(cdn.purged) == {
        # The article, in each language.
        f"{SITE}/en/blog/sun-care/",
        f"{SITE}/ta/blog/suriya-paathukaappu/",
        # The blog that lists it, its feed and its authors' pages, in each language; the home page.
        f"{SITE}/en/blog/",
        f"{SITE}/en/blog/feed/",
        f"{SITE}/en/blog/authors/janani/",
        f"{SITE}/ta/blog/",
        f"{SITE}/ta/blog/feed/",
        f"{SITE}/ta/blog/authors/janani/",
        f"{SITE}/en/",
        f"{SITE}/ta/",
        f"{SITE}/sitemap.xml",
        f"{SITE}/sitemap-pages.xml",
    } | api_urls(
        "articles/",
        f"articles/{article.pk}/",
        "authors/",
        "authors/janani/",
        "categories/",
        "articles/find/?path=/en/blog/sun-care/",
        "articles/find/?path=%2Fen%2Fblog%2Fsun-care%2F",
        "articles/find/?path=/ta/blog/suriya-paathukaappu/",
        "articles/find/?path=%2Fta%2Fblog%2Fsuriya-paathukaappu%2F",
    )


def test_a_new_slug_purges_the_old_addresses_too(cdn, article, django_capture_on_commit_callbacks):
    article.save_revision().publish()
    article.slug_en = "sun-care-for-children"

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    purged = set(cdn.purged)
    assert {
        f"{SITE}/en/blog/sun-care/",
        f"{SITE}/en/blog/sun-care-for-children/",
        f"{SITE}/ta/blog/suriya-paathukaappu/",
    } <= purged
    assert (
        api_urls(
            "articles/find/?path=/en/blog/sun-care/", "articles/find/?path=/en/blog/sun-care-for-children/"
        )
        <= purged
    )


def test_unpublishing_an_article_purges_it_and_the_pages_listing_it(
    cdn, article, django_capture_on_commit_callbacks
):
    article.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert {
        f"{SITE}/en/blog/sun-care/",
        f"{SITE}/ta/blog/suriya-paathukaappu/",
        f"{SITE}/en/blog/",
        f"{SITE}/ta/blog/feed/",
        f"{SITE}/ta/",
        f"{SITE}/sitemap.xml",
        f"{SITE}/sitemap-pages.xml",
    } | api_urls("articles/", f"articles/{article.pk}/") <= set(cdn.purged)


def test_making_the_blog_private_purges_every_article_below_it(
    cdn, blog_page, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=blog_page, restriction_type=PageViewRestriction.LOGIN)

    assert {
        f"{SITE}/en/blog/",
        f"{SITE}/ta/blog/",
        f"{SITE}/en/blog/sun-care/",
        f"{SITE}/ta/blog/suriya-paathukaappu/",
    } <= set(cdn.purged)


def test_moving_an_article_to_another_blog_purges_its_old_and_new_addresses_and_both_blogs(
    cdn, home_page, article, django_capture_on_commit_callbacks
):
    article.save_revision().publish()
    news = BlogIndexPageFactory(parent=home_page, title="News", slug="news")

    with django_capture_on_commit_callbacks(execute=True):
        article.move(news, pos="last-child")

    assert {
        f"{SITE}/en/blog/sun-care/",
        f"{SITE}/en/news/sun-care/",
        f"{SITE}/ta/blog/suriya-paathukaappu/",
        f"{SITE}/ta/news/suriya-paathukaappu/",
        f"{SITE}/en/blog/",
        f"{SITE}/en/news/",
        f"{SITE}/ta/news/feed/",
    } | api_urls(
        "articles/find/?path=/ta/blog/suriya-paathukaappu/",
        "articles/find/?path=/ta/news/suriya-paathukaappu/",
    ) <= set(cdn.purged)


def test_a_purge_waits_for_the_task_worker(cdn, article, task_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert cdn.purged == []

    task_queue.run_due()

    assert f"{SITE}/en/blog/sun-care/" in cdn.purged


def test_without_a_cdn_nothing_is_purged(cdn, settings, article, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = frontend_cache_backends({})
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert cdn.purged == []


def test_the_environment_chooses_cloudflare_cloudfront_or_an_http_cache():
    backends = get_backends(
        frontend_cache_backends(
            {
                "CLOUDFLARE_ZONE_ID": "zone-1",
                "CLOUDFLARE_API_TOKEN": "token-1",
                "CLOUDFRONT_DISTRIBUTION_ID": "E2ABC",
                "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:6081",
                "FRONTEND_CACHE_HOSTNAMES": "clinic.example, www.clinic.example",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        )
    )

    assert isinstance(backends["cloudflare"], CloudflareBackend)
    assert backends["cloudflare"].cloudflare_zoneid == "zone-1"
    assert backends["cloudflare"].cloudflare_token == "token-1"
    assert isinstance(backends["cloudfront"], CloudfrontBackend)
    assert backends["cloudfront"].cloudfront_distribution_id == "E2ABC"
    assert isinstance(backends["http"], HTTPBackend)
    for backend in backends.values():
        assert backend.invalidates_hostname("clinic.example")
        assert not backend.invalidates_hostname("elsewhere.example")


def test_cloudflare_without_a_token_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="CLOUDFLARE_API_TOKEN"):
        frontend_cache_backends({"CLOUDFLARE_ZONE_ID": "zone-1"})


def test_deleting_an_image_purges_its_file_and_renditions(cdn, db, django_capture_on_commit_callbacks):
    image = ImageFactory(file__filename="mole-check.png")
    rendition = image.get_rendition("fill-100x100")

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert set(cdn.purged) == {
        f"{SITE}/media/original_images/mole-check.png",
        f"{SITE}{rendition.url}",
    }
