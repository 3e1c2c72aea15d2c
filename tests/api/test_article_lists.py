"""
Article cards: the listing (a few columns, prefetched relations) gives the cards whole pages give,
the site's blog shows the cards the API lists, and reading times are stored per language.
"""

import importlib
import json
import re
from html import unescape

import pytest
from django.apps import apps
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from ninja.responses import NinjaJSONEncoder
from wagtail.models import Site
from wagtail_factories import ImageFactory

from articles.api import ArticleList, cards_data
from articles.models import ArticlePage, BlogIndexPage
from cms.i18n import fallback_fields
from tests.factories import ArticlePageFactory, AuthorFactory

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"


def paragraphs(words):
    return [{"type": "paragraph", "value": f"<p>{' '.join(['collagen'] * words)}</p>"}]


@pytest.fixture
def blog(demo):
    """The demo blog plus an article by two authors with neither hero image nor (any more) category."""
    blog = BlogIndexPage.objects.get()
    article = ArticlePageFactory(
        parent=blog,
        authors=[AuthorFactory(photo=ImageFactory()), AuthorFactory()],
        tags=["sunscreen", "acne"],
    )
    ArticlePage.objects.filter(pk=article.pk).update(category=None)
    return blog


@pytest.mark.parametrize("language", ["en", "ta"])
def test_list_cards_are_the_cards_built_from_the_pages(client, blog, language):
    items = client.get("/api/v3/articles/", {"lang": language, "limit": 50}).json()["items"]

    request = RequestFactory().get("/api/v3/articles/")
    with translation.override(language):
        expected = cards_data([ArticlePage.objects.get(pk=item["id"]) for item in items], request)
    assert len(items) == 5
    assert without_tag_order(items) == without_tag_order(
        json.loads(json.dumps(expected, cls=NinjaJSONEncoder))
    )


def without_tag_order(cards):
    # Pages list their tags in whatever order the database returns them.
    return [{**card, "tags": sorted(card["tags"])} for card in cards]


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "en"},
        {"lang": "ta"},
        {"lang": "*"},
        {"lang": "ta", "fallback": "none"},
        {"search": "skin"},
        {"updated_since": "2000-01-01T00:00:00Z"},
    ],
)
def test_list_responses_match_the_documented_schema(client, blog, params):
    # django-ninja does not validate the list on its way out (it is built to the schema): this is
    # what its validation would have sent.
    data = client.get("/api/v3/articles/", params).json()

    validated = ArticleList.model_validate(data).model_dump()
    assert data["items"]
    assert json.loads(json.dumps(validated, cls=NinjaJSONEncoder)) == data


def test_the_list_never_reads_article_bodies(client, blog):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v3/articles/", {"lang": "ta"}).status_code == 200

    assert not [query["sql"] for query in queries if "body" in query["sql"]]


@pytest.mark.parametrize("host", ["testserver", "blog.example.org"])
def test_card_urls_are_those_get_url_gives_when_the_blog_is_in_two_sites(client, blog, host):
    Site.objects.create(hostname="blog.example.org", port=80, root_page=blog)
    items = client.get("/api/v3/articles/", {"limit": 50}, HTTP_HOST=host).json()["items"]

    request = RequestFactory().get("/api/v3/articles/", HTTP_HOST=host)
    for item in items:
        article = ArticlePage.objects.get(pk=item["id"])
        for language in ("en", "ta"):
            with translation.override(language):
                expected = request.build_absolute_uri(article.get_url(request))
            assert item["urls"][language] == expected
            assert expected.startswith(f"http://{host}/{language}/")
    assert len(items) == 5


CARD = re.compile(
    r'<h3 class="card__title"[^>]*><a href="([^"]+)">([^<]+)</a></h3>\s*'
    r'<p class="card__intro"[^>]*>([^<]*)</p>\s*<p class="card__meta">\s*([^·]*?)\s*·',
)


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_blog_shows_the_cards_the_api_lists(client, blog, language):
    with translation.override(language):
        blog_url = blog.get_url()
    html = client.get(blog_url).content.decode()
    items = client.get("/api/v3/articles/", {"lang": language, "limit": 10}).json()["items"]

    shown = [
        (url, unescape(title), unescape(intro), unescape(authors))
        for url, title, intro, authors in CARD.findall(html)
    ]
    listed = [
        (
            item["urls"][language].removeprefix("http://testserver"),
            item["title"],
            item["intro"],
            ", ".join(author["name"] for author in item["authors"]),
        )
        for item in items
    ]
    assert shown == listed
    assert len(shown) == 5


def test_reading_time_is_stored_per_language_and_an_untranslated_body_falls_back(blog):
    article = ArticlePageFactory(parent=blog, body=paragraphs(450))

    article.refresh_from_db()
    assert (article.reading_time_en, article.reading_time_ta) == (3, 3)
    assert "reading_time" not in fallback_fields(article, "ta")  # derived: never asked of editors
    with translation.override("ta"):
        assert article.reading_time == 3


def test_publishing_a_tamil_revision_updates_its_reading_time(client, blog):
    article = ArticlePageFactory(parent=blog, body=paragraphs(450))
    article.title_ta = "கொலாஜன்"
    article.body_ta = paragraphs(650)
    article.save_revision().publish()

    article.refresh_from_db()
    assert (article.reading_time_en, article.reading_time_ta) == (3, 4)
    cards = {
        language: next(
            card
            for card in client.get("/api/v3/articles/", {"lang": language, "limit": 50}).json()["items"]
            if card["id"] == article.pk
        )
        for language in ("en", "ta")
    }
    assert (cards["en"]["reading_time"], cards["ta"]["reading_time"]) == (3, 4)


def test_a_revision_saved_before_reading_times_were_stored_gets_them(blog):
    article = ArticlePageFactory(parent=blog, body=paragraphs(450))
    revision = article.save_revision()
    for field in ("reading_time", "reading_time_en", "reading_time_ta"):
        revision.content.pop(field)

    draft = revision.as_object()

    assert (draft.reading_time_en, draft.reading_time_ta) == (3, 3)


def test_the_migration_stores_reading_times_of_existing_articles(blog):
    ArticlePageFactory(parent=blog, body=paragraphs(450))
    stored = ArticlePage.objects.values_list("pk", "reading_time_en", "reading_time_ta")
    expected = set(stored)
    ArticlePage.objects.update(reading_time_en=None, reading_time_ta=None)

    importlib.import_module("articles.migrations.0003_reading_time").store_reading_times(apps, None)

    assert set(stored) == expected
    assert (3, 3) in {(en, ta) for _pk, en, ta in expected}
    seed = ArticlePage.objects.get(slug_en=SEED_SLUG)
    assert seed.reading_time_ta  # its Tamil body has its own


def test_the_list_is_counted_once_for_every_reader_and_again_after_a_change(
    client, blog, forget_cached_pages, django_capture_on_commit_callbacks
):
    def count_and_queries(url):
        with CaptureQueriesContext(connection) as queries:
            count = client.get(url).json()["count"]
        return count, sum("COUNT(" in query["sql"] for query in queries)

    forget_cached_pages()
    total, counted = count_and_queries("/api/v3/articles/?lang=en")
    assert counted == 1
    assert count_and_queries("/api/v3/articles/?lang=ta&limit=1") == (total, 0)  # one count for all
    assert count_and_queries("/api/v3/articles/?tag=sunscreen")[1] == 1  # another listing's own

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(slug_en=SEED_SLUG).unpublish()
    assert count_and_queries("/api/v3/articles/?lang=ta&limit=1") == (total - 1, 1)
