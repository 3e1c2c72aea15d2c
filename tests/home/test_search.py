"""Site search finds articles by English and Tamil words and by Tamil word prefixes."""

import pytest
from django.db import connection

from articles.models import ArticlePage
from tests.factories import ArticlePageFactory

SEED_TITLE_TA = "மைக்ரோ-நீட்லிங் சருமத் துளைகளைக் குறைக்க உதவுமா?"


def result_titles(response):
    return [page.title for page in response.context["results"]]


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "collagen"),  # an English word in the body
        ("ta", "கொலாஜன்"),  # a Tamil word in the Tamil body
        ("ta", "துளைகளைக்"),  # a Tamil word of the Tamil title
        ("ta", "நீட்லி"),  # a Tamil prefix
        ("en", "நீட்லி"),  # Tamil words are found from the English site too
    ],
)
def test_search_finds_the_seed_article(client, demo, language, query):
    response = client.get(f"/{language}/search/", {"q": query})

    assert response.status_code == 200
    seed = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")
    assert seed.pk in [page.pk for page in response.context["results"]]


def test_tamil_results_are_shown_in_tamil(client, demo):
    response = client.get("/ta/search/", {"q": "கொலாஜன்"})
    assert SEED_TITLE_TA in result_titles(response)


def test_an_empty_translation_is_not_indexed_as_the_word_none(client, blog_page):
    ArticlePageFactory(parent=blog_page, title="Sunscreen basics")  # no Tamil text at all

    response = client.get("/en/search/", {"q": "None"})

    assert result_titles(response) == []


def test_drafts_are_not_found(client, blog_page):
    ArticlePageFactory(parent=blog_page, title="Secret laser plans", live=False)
    response = client.get("/en/search/", {"q": "laser"})
    assert result_titles(response) == []


def test_no_query_and_no_match_are_friendly(client, demo):
    assert client.get("/en/search/").status_code == 200
    response = client.get("/ta/search/", {"q": "zzzzqqq"})
    assert response.status_code == 200
    assert "முடிவுகள் எதுவும் இல்லை" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks SQLite's FTS index contents")
def test_the_index_holds_no_none_text(blog_page):
    ArticlePageFactory(parent=blog_page, title="Sunscreen basics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body || autocomplete FROM wagtailsearch_indexentry")
        bodies = [row[0] for row in cursor.fetchall()]
    assert bodies and not any("None" in body.split() for body in bodies)
