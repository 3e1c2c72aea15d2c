"""
Wagtail's own /api/v3/pages/ is for editors' tools (a token); apps read articles at /articles/,
the one documented way, which says its language and fallbacks. Absolute URLs use the request's Site.
"""

import pytest
from wagtail.models import Site

from articles.models import ArticlePage

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
PAGE_READS = ["/api/v3/pages/", "/api/v3/pages/{seed}/", "/api/v3/pages/find/?html_path=/en/blog/"]


@pytest.fixture
def seed(demo):
    return ArticlePage.objects.get(slug_en=SEED_SLUG)


@pytest.mark.parametrize("path", PAGE_READS)
def test_anonymous_clients_are_sent_to_the_articles_endpoint(client, seed, path):
    response = client.get(path.format(seed=seed.pk), HTTP_ACCEPT_LANGUAGE="ta")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert "/api/v3/articles/" in response.json()["detail"]
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_an_editors_token_still_reads_pages(client, seed, editor_authorization):
    listing = client.get(
        "/api/v3/pages/", {"type": "articles.ArticlePage"}, HTTP_AUTHORIZATION=editor_authorization
    )
    detail = client.get(f"/api/v3/pages/{seed.pk}/", {"lang": "ta"}, HTTP_AUTHORIZATION=editor_authorization)

    assert seed.pk in {page["id"] for page in listing.json()["items"]}
    assert detail.json()["title"] == seed.title_ta
    assert detail["Content-Language"] == "ta"
    assert "no-store" in detail["Cache-Control"]


def test_the_openapi_document_says_pages_need_a_token_and_where_apps_read(client, db):
    document = client.get("/api/v3/openapi.json").json()

    for path in ["/api/v3/pages/", "/api/v3/pages/{page_id}/", "/api/v3/pages/find/"]:
        read = document["paths"][path]["get"]
        assert read["security"], path
        assert "/api/v3/articles/" in read["description"], path
    assert "/articles/{id}/" in document["info"]["description"]
    assert "/pages/" in document["info"]["description"]


def test_wagtails_absolute_urls_are_on_the_requests_site(client, seed, editor_authorization):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "clinic.example.org", 443
    site.save()

    data = client.get(
        f"/api/v3/pages/{seed.pk}/",
        {"lang": "ta"},
        HTTP_AUTHORIZATION=editor_authorization,
        HTTP_HOST="clinic.example.org",
        secure=True,
    ).json()

    assert data["meta"]["detail_url"] == f"https://clinic.example.org/api/v3/pages/{seed.pk}/"
    assert data["meta"]["html_url"].startswith("https://clinic.example.org/ta/vlaipptivu/")
    article = client.get(
        f"/api/v3/articles/{seed.pk}/", {"lang": "ta"}, HTTP_HOST="clinic.example.org", secure=True
    )
    assert article.json()["urls"]["ta"] == data["meta"]["html_url"]
