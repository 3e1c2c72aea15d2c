"""The articles API: cards, details, filters, languages and the fallback flags apps rely on."""

import datetime

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import ImageFactory

from articles.models import ArticlePage
from tests.factories import ArticleCategoryFactory, ArticlePageFactory, AuthorFactory

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"


@pytest.fixture
def seed(demo):
    return ArticlePage.objects.get(slug_en=SEED_SLUG)


def test_list_gives_cards_newest_first_with_a_total(client, demo):
    response = client.get("/api/v3/articles/", {"limit": 2})
    data = response.json()

    assert response.status_code == 200
    assert data["count"] == 4
    assert len(data["items"]) == 2
    first = data["items"][0]
    assert first["title"] == "Is Micro-Needling Effective for Reducing Skin Pores?"
    assert first["date"] == "2022-08-04"
    assert first["authors"][0]["name"] == "Dr. Janani Palanivel"
    assert first["authors"][0]["credentials"] == "MBBS, MD (Dermatology)"
    assert first["authors"][0]["photo_url"].startswith("http://testserver/media/")
    assert first["category"]["slug"] == "health-and-beauty-tips"
    assert set(first["tags"]) == {"micro-needling", "pores", "collagen"}
    assert first["reading_time"] >= 1
    assert first["urls"]["en"] == f"http://testserver/en/blog/{SEED_SLUG}/"
    assert first["urls"]["ta"].startswith("http://testserver/ta/vlaipptivu/maikro-nitlin")


def test_hero_image_comes_in_fixed_webp_widths_with_alt_text(client, demo):
    hero = client.get("/api/v3/articles/", {"limit": 1}).json()["items"][0]["hero_image"]

    assert hero["alt"]
    assert [r["width"] for r in hero["renditions"]] == [400, 800, 1200]
    for rendition in hero["renditions"]:
        assert rendition["url"].endswith(".webp") and rendition["height"] > 0
        stored = rendition["url"].removeprefix("http://testserver" + settings.MEDIA_URL)
        assert default_storage.exists(stored), stored


def test_tamil_is_chosen_by_lang_or_accept_language(client, seed):
    by_param = client.get(f"/api/v3/articles/{seed.pk}/", {"lang": "ta"})
    by_header = client.get(f"/api/v3/articles/{seed.pk}/", HTTP_ACCEPT_LANGUAGE="ta-IN,ta;q=0.9")

    for response in (by_param, by_header):
        data = response.json()
        assert data["title"].startswith("மைக்ரோ-நீட்லிங்")
        assert data["meta"] == {"language": "ta", "fallback_fields": [], "translation_stale": False}
        assert response["Content-Language"] == "ta"
        assert "Accept-Language" in response["Vary"]


def test_english_is_the_default_language(client, seed):
    response = client.get(f"/api/v3/articles/{seed.pk}/")
    assert response.json()["title"] == "Is Micro-Needling Effective for Reducing Skin Pores?"
    assert response["Content-Language"] == "en"


def test_untranslated_fields_fall_back_to_english_and_say_so(client, demo):
    article = ArticlePage.objects.get(slug_en="understanding-hair-fall")

    data = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "ta"}).json()

    assert data["title"] == "Understanding Hair Fall"
    assert set(data["meta"]["fallback_fields"]) >= {"title", "intro", "body"}
    assert data["meta"]["language"] == "ta"


def test_an_unsupported_lang_is_a_400_listing_the_supported_ones(client, seed):
    response = client.get("/api/v3/articles/", {"lang": "fr"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert "Supported: en, ta." in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "lang"]


def test_wagtail_locale_parameter_is_refused_pointing_to_lang(client, seed):
    response = client.get("/api/v3/pages/", {"locale": "ta"})
    assert response.status_code == 400
    assert "lang" in response.json()["detail"]


def test_detail_has_structured_body_with_html_and_absolute_links(client, blog_page):
    target = ArticlePageFactory(parent=blog_page, title="Sunscreen basics")
    article = ArticlePageFactory(
        parent=blog_page,
        body=[
            {"type": "heading", "value": {"text": "Need for Micro-Needling", "level": "h2"}},
            {"type": "paragraph", "value": f'<p>See <a linktype="page" id="{target.pk}">this</a>.</p>'},
        ],
    )

    english = client.get(f"/api/v3/articles/{article.pk}/").json()["body"]
    tamil = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "ta"}).json()["body"]

    assert english[0]["type"] == "heading" and english[0]["value"]["text"] == "Need for Micro-Needling"
    assert english[1]["type"] == "paragraph"
    assert f'href="http://testserver/en/blog/{target.slug}/"' in english[1]["value"]
    assert f'href="http://testserver/ta/blog/{target.slug}/"' in tamil[1]["value"]


def test_detail_has_review_and_related_cards(client, blog_page):
    reviewer = AuthorFactory(name="Dr. Reviewer")
    category = ArticleCategoryFactory()
    article = ArticlePageFactory(
        parent=blog_page, category=category, reviewed_by=reviewer, last_reviewed=datetime.date(2024, 4, 1)
    )
    related = ArticlePageFactory(parent=blog_page, category=category, title="Related one")

    data = client.get(f"/api/v3/articles/{article.pk}/").json()

    assert data["reviewed_by"]["name"] == "Dr. Reviewer"
    assert data["last_reviewed"] == "2024-04-01"
    assert [card["id"] for card in data["related"]] == [related.pk]


@pytest.mark.parametrize("language", ["en", "ta"])
def test_find_by_web_path_in_either_language(client, seed, language):
    path = (
        client.get(f"/api/v3/articles/{seed.pk}/").json()["urls"][language].removeprefix("http://testserver")
    )

    response = client.get("/api/v3/articles/find/", {"path": path, "lang": language})

    assert response.status_code == 200
    assert response.json()["id"] == seed.pk


def test_find_with_a_path_that_is_not_an_article(client, demo):
    assert client.get("/api/v3/articles/find/", {"path": "/en/blog/"}).status_code == 404
    assert client.get("/api/v3/articles/find/", {"path": "/xx/blog/"}).status_code == 400


@pytest.mark.parametrize(
    ("params", "expected_slugs"),
    [
        ({"category": "acne-care"}, ["five-habits-for-acne-prone-skin"]),
        ({"tag": "sunscreen"}, ["choosing-a-sunscreen-for-indian-summers"]),
        ({"date_from": "2022-05-01", "date_to": "2022-06-01"}, ["choosing-a-sunscreen-for-indian-summers"]),
        ({"search": "collagen"}, [SEED_SLUG]),
        ({"search": "துளை", "lang": "ta"}, [SEED_SLUG]),
        ({"author": "nobody"}, []),
    ],
)
def test_filters(client, demo, params, expected_slugs):
    data = client.get("/api/v3/articles/", params).json()
    ids = [item["id"] for item in data["items"]]
    expected = list(ArticlePage.objects.filter(slug_en__in=expected_slugs).values_list("pk", flat=True))
    assert sorted(ids) == sorted(expected)
    assert data["count"] == len(expected)


def test_filter_by_author_and_ordering_oldest_first(client, demo):
    data = client.get("/api/v3/articles/", {"author": "janani-palanivel", "ordering": "date"}).json()
    dates = [item["date"] for item in data["items"]]
    assert dates == sorted(dates) and len(dates) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 10000},
        {"limit": "ten"},
        {"offset": -1},
        {"date_from": "2024-13-45"},
        {"updated_since": "yesterday"},
        {"updated_since": "2024-01-01T10:00:00"},
        {"ordering": "title"},
        {"colour": "blue"},
    ],
)
def test_bad_list_parameters_are_json_4xx(client, demo, params):
    response = client.get("/api/v3/articles/", params)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v3/articles/0/", "/api/v3/articles/abc/", "/api/v3/articles/99999/"])
def test_bad_article_ids_are_json_4xx(client, demo, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_list_runs_the_same_number_of_queries_for_5_and_50_items(client, blog_page):
    photo = ImageFactory()
    author = AuthorFactory(photo=photo)
    image = ImageFactory()
    for n in range(50):
        ArticlePageFactory(
            parent=blog_page, authors=[author], hero_image=image, hero_image_alt="Alt", tags=[f"tag-{n % 3}"]
        )
    client.get("/api/v3/articles/", {"limit": 50})  # make the renditions once

    def queries(limit):
        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/v3/articles/", {"limit": limit, "lang": "en", "offset": 0})
            assert len(response.json()["items"]) == limit
        return len(context)

    from django.core.cache import caches

    caches["public"].clear()
    five = queries(5)
    caches["public"].clear()
    fifty = queries(50)
    assert five == fifty
    assert fifty <= 12


@pytest.mark.parametrize("params", [{}, {"ordering": "date"}, {"tag": "pores"}])
def test_paging_through_the_list_gives_every_article_once_in_order(client, blog_page, params):
    """Windows past the middle are read from the other end (articles.api.list_window) with the same items."""
    for n in range(11):  # three a day, and a third of them tagged
        ArticlePageFactory(
            parent=blog_page,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n // 3),
            tags=["pores"] if n % 3 else [],
        )
    everything = [
        item["id"] for item in client.get("/api/v3/articles/", {**params, "limit": 50}).json()["items"]
    ]

    for limit in (1, 3, 4):
        windows = [
            [
                item["id"]
                for item in client.get(
                    "/api/v3/articles/", {**params, "limit": limit, "offset": offset}
                ).json()["items"]
            ]
            for offset in range(0, len(everything) + limit, limit)
        ]
        assert sum(windows, []) == everything, limit
    assert len(everything) == (7 if "tag" in params else 11)
