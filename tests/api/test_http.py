"""HTTP behaviour of the API: caching headers, 304s, invalidation on publish, CORS, tokens."""

import pytest
from django.core.cache import caches

from articles.models import ArticlePage
from tests.factories import ArticlePageFactory
from tests.public_cache import read, read_fresh_then_cached, read_twice, stored_keys


def test_public_reads_carry_etag_last_modified_and_public_cache_control(client, demo):
    for path in ["/api/v3/articles/", "/api/v3/clinic/", "/api/v3/opening-hours/", "/api/v3/authors/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["ETag"] and response["Last-Modified"], path
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"], path


def test_a_repeated_read_with_if_none_match_is_a_304(client, demo):
    first = client.get("/api/v3/articles/")
    again = client.get("/api/v3/articles/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("params", [{}, {"lang": "ta"}, {"updated_since": "2000-01-01T00:00:00Z"}])
def test_unchanged_content_rendered_again_has_the_same_etag(client, demo, params):
    # As another server process would render it, with a cache of its own (or after this one expired):
    # a client's If-None-Match must get a 304 from whichever process answers.
    first = read(client, "/api/v3/articles/", params)
    caches["public"].clear()
    again = read(client, "/api/v3/articles/", params, HTTP_IF_NONE_MATCH=first["ETag"])

    assert not first.from_cache and not again.from_cache
    assert again.status_code == 304


def test_a_different_language_is_a_different_cached_response(client, demo):
    english = client.get("/api/v3/clinic/").json()["clinic_name"]
    tamil = client.get("/api/v3/clinic/", HTTP_ACCEPT_LANGUAGE="ta").json()["clinic_name"]
    assert english != tamil


@pytest.mark.parametrize(
    ("params", "headers", "language"),
    [
        ({}, {}, "en"),
        ({}, {"HTTP_ACCEPT_LANGUAGE": "ta"}, "ta"),
        ({"lang": "ta"}, {}, "ta"),
        ({"lang": "en"}, {"HTTP_ACCEPT_LANGUAGE": "ta"}, "en"),
    ],
)
def test_each_language_is_served_from_the_cache_in_that_language(client, demo, params, headers, language):
    # The cache finds the language before LanguageMiddleware chooses it: the two must agree.
    other_reader = {"HTTP_ACCEPT_LANGUAGE": "ta" if language == "en" else "en"}
    read_twice(client, "/api/v3/clinic/", **other_reader)
    response = read_twice(client, "/api/v3/clinic/", params, **headers)
    assert response["Content-Language"] == language
    cached = read(client, "/api/v3/clinic/", params, **headers)
    assert cached.from_cache and cached["Content-Language"] == language


def test_a_refused_language_is_refused_though_the_same_path_is_cached(client, demo):
    read_twice(client, "/api/v3/clinic/")
    for params in ({"lang": "fr"}, {"fallback": "fr"}, {"locale": "ta"}):
        response = client.get("/api/v3/clinic/", params)
        assert response.status_code == 400, params
        assert response["Content-Type"].startswith("application/problem+json")


def test_publishing_a_change_is_visible_on_the_next_read(
    client, blog_page, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=blog_page, title="Before")
    detail, listing = f"/api/v3/articles/{article.pk}/", "/api/v3/articles/"
    # Each read is answered once by the API, then from the cache.
    assert read_twice(client, detail).json()["title"] == "Before"
    assert read_twice(client, listing).json()["items"][0]["title"] == "Before"

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "After"
        article.save_revision().publish()

    # The cached copies are gone: the API answers again, and that answer is cached in turn.
    assert read_fresh_then_cached(client, detail).json()["title"] == "After"
    assert read_fresh_then_cached(client, listing).json()["items"][0]["title"] == "After"


def test_saving_a_snippet_or_setting_is_visible_on_the_next_read(
    client, demo, django_capture_on_commit_callbacks
):
    from articles.models import Author
    from home.models import ClinicDetails

    assert read_twice(client, "/api/v3/authors/").json()[0]["role"] == "Consultant dermatologist"
    clinic = read_twice(client, "/api/v3/clinic/").json()

    with django_capture_on_commit_callbacks(execute=True):
        author = Author.objects.get(slug="janani-palanivel")
        author.role = "Chief dermatologist"
        author.save()
        details = ClinicDetails.objects.get()
        details.phone = "+91 44 4000 9999"
        details.save()

    assert read_fresh_then_cached(client, "/api/v3/authors/").json()[0]["role"] == "Chief dermatologist"
    phone = read_fresh_then_cached(client, "/api/v3/clinic/").json()["phone"]
    assert phone != clinic["phone"]
    assert phone.replace(" ", "").endswith("4440009999")


def test_api_404s_stay_json_404s(client, demo):
    for path in ["/api/v3/nothing-here/", "/api/v3/articles/99999/", "/api/nope"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Location" not in response
        assert response["Content-Type"].startswith("application/problem+json"), path
        problem = response.json()
        assert problem["status"] == 404 and problem["title"] == "Not Found", path
        assert problem["detail"], path


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": ";;q=foo,,"},
        {"HTTP_IF_NONE_MATCH": "not-an-etag"},
        {"HTTP_IF_MODIFIED_SINCE": "the day before yesterday"},
        {"HTTP_AUTHORIZATION": "Bearer not-a-real-token"},
        {"HTTP_AUTHORIZATION": "Basic Zm9vOmJhcg=="},
    ],
)
def test_malformed_headers_never_break_a_public_read(client, demo, headers):
    response = client.get("/api/v3/articles/", **headers)
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_cors_allows_listed_origins_only(client, demo, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]

    allowed = client.get("/api/v3/articles/", HTTP_ORIGIN="https://app.example.org")
    refused = client.get("/api/v3/articles/", HTTP_ORIGIN="https://evil.example.com")
    site = client.get("/en/", HTTP_ORIGIN="https://app.example.org")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Origin" not in site


def test_an_editor_token_previews_the_latest_draft_in_either_language(client, editor_token):
    article = ArticlePage.objects.get(slug_en="understanding-hair-fall")
    article.title = "Understanding Hair Fall (draft)"
    article.title_ta = "முடி உதிர்தல் (வரைவு)"
    article.save_revision()  # saved, not published

    auth = {"HTTP_AUTHORIZATION": f"Bearer {editor_token}"}
    english = client.get(f"/api/v3/articles/{article.pk}/preview/", **auth)
    tamil = client.get(f"/api/v3/articles/{article.pk}/preview/", {"lang": "ta"}, **auth)
    public = client.get(f"/api/v3/articles/{article.pk}/")

    assert english.json()["title"] == "Understanding Hair Fall (draft)"
    assert tamil.json()["title"] == "முடி உதிர்தல் (வரைவு)"
    assert public.json()["title"] == "Understanding Hair Fall"
    assert "no-store" in english["Cache-Control"] and "private" in english["Cache-Control"]


def test_a_preview_shows_the_drafts_own_tags_and_the_public_detail_the_published_ones(client, editor_token):
    article = ArticlePage.objects.get(slug_en="understanding-hair-fall")
    published = client.get(f"/api/v3/articles/{article.pk}/").json()["tags"]
    article.tags.set(["draft-only-tag"])
    article.save_revision()  # saved, not published

    auth = {"HTTP_AUTHORIZATION": f"Bearer {editor_token}"}
    preview = client.get(f"/api/v3/articles/{article.pk}/preview/", **auth).json()
    caches["public"].clear()
    public = client.get(f"/api/v3/articles/{article.pk}/").json()

    assert preview["tags"] == ["draft-only-tag"]
    assert public["tags"] == published != ["draft-only-tag"]


def test_preview_needs_a_valid_token(client, demo):
    article = ArticlePage.objects.get(slug_en="understanding-hair-fall")
    assert client.get(f"/api/v3/articles/{article.pk}/preview/").status_code == 401
    bad = client.get(f"/api/v3/articles/{article.pk}/preview/", HTTP_AUTHORIZATION="Bearer wagtail_nope")
    assert bad.status_code == 401


def test_a_token_read_is_never_stored_in_the_public_cache(client, editor_token):
    for path in ["/api/v3/pages/", "/api/v3/articles/"]:
        token_read = read(client, path, HTTP_AUTHORIZATION=f"Bearer {editor_token}")
        assert token_read.status_code == 200 and not token_read.from_cache
    assert stored_keys(caches["public"]) == []  # nothing at all was stored

    # Nor did it leave a copy for anonymous readers: their first read is answered by the API.
    read_twice(client, "/api/v3/articles/")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v3/articles/?search=a%00b",
        "/api/v3/pages/?search=a%00b",
        "/api/v3/pages/?offset=99999999999999999999",
        "/api/v3/pages/99999999999999999999/",
        "/api/v3/redirects/?offset=2981323447060861718364160",
        "/api/v3/pages/find/?html_path=/&site=localhost:%25M",
        "/api/v3/pages/?site=localhost:http",
    ],
)
def test_input_the_database_cannot_take_is_a_400_not_a_server_error(client, demo, path):
    """Found by the schemathesis run: SQLite fails on NUL in search text and on huge integers."""
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path, text",
    [
        ("/en/search/?q=colla%00gen", "Bad request"),
        ("/en/blog/?category=%00", "Bad request"),
        ("/en/blog/?tag=a%00", "Bad request"),
        ("/ta/vlaipptivu/?category=%00", "தவறான கோரிக்கை"),
    ],
)
def test_nul_in_the_sites_query_string_is_a_400_page_in_the_visitors_language(client, demo, path, text):
    """PostgreSQL refuses NUL in a string: the blog's filters gave a server error."""
    response = client.get(path)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert text in response.content.decode()


def test_a_query_value_the_api_cannot_read_is_a_400_summarised_in_the_requested_language(client, demo):
    response = client.get("/api/v3/opening-hours/", {"at": "garbage", "lang": "ta"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["detail"] == "சில மதிப்புகள் சரியானவை அல்ல: எவை என்பதை `errors` கூறுகிறது."
    assert body["errors"][0]["loc"] == ["query", "at"]
