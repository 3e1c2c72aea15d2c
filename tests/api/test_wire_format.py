"""
The API's bytes on the wire: JSON as UTF-8 (Tamil as it is, not `\\uXXXX`) with its charset, and
responses compressed with Brotli or gzip as the client asks, the public cache and ETags included.
"""

import gzip
import json
import re
from urllib.parse import urlsplit

import brotli
import pytest
from django.utils.html import strip_tags

from articles.models import ArticlePage
from tests.encodings import BROWSER, decoded
from tests.factories import ArticlePageFactory
from tests.public_cache import read

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
JSON_UTF8 = "application/json; charset=utf-8"
PROBLEM_UTF8 = "application/problem+json; charset=utf-8"
TAMIL = re.compile("[\u0b80-\u0bff]")
ESCAPE = re.compile(rb"\\u[0-9a-fA-F]{4}")


def vary(response):
    return {header.strip().lower() for header in response.get("Vary", "").split(",")}


@pytest.fixture
def seed(demo):
    return ArticlePage.objects.get(slug_en=SEED_SLUG)


# UTF-8 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v3/articles/",
        "/api/v3/articles/{seed}/",
        "/api/v3/articles/find/",
        "/api/v3/authors/",
        "/api/v3/categories/",
        "/api/v3/clinic/",
        "/api/v3/opening-hours/",
    ],
)
def test_the_clinics_endpoints_write_tamil_as_utf8_text(client, seed, path):
    query = {"lang": "ta"}
    if path.endswith("/find/"):
        query["path"] = urlsplit(client.get(f"/api/v3/articles/{seed.pk}/").json()["urls"]["ta"]).path
    response = client.get(path.format(seed=seed.pk), query)

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_UTF8
    assert not ESCAPE.search(response.content)
    assert TAMIL.search(response.content.decode("utf-8"))


def test_wagtails_own_endpoints_write_utf8_too(client, seed, editor_authorization):
    response = client.get(
        f"/api/v3/pages/{seed.pk}/", {"lang": "ta"}, HTTP_AUTHORIZATION=editor_authorization
    )

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_UTF8
    assert not ESCAPE.search(response.content)
    assert response.json()["title"] == seed.title_ta


def test_the_openapi_document_is_utf8_json(client, db):
    response = client.get("/api/v3/openapi.json")

    assert response["Content-Type"] == JSON_UTF8
    assert not ESCAPE.search(response.content)
    assert "→ 304" in response.json()["info"]["description"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/v3/articles/?lang=xx", 400),  # the language middleware
        ("get", "/api/v3/articles/99999/", 404),  # Wagtail's handler
        ("get", "/api/v3/nothing-here/", 404),  # outside any router
        ("get", "/api/v3/opening-hours/?at=garbage&lang=ta", 400),
        ("delete", "/api/v3/articles/", 405),  # Django's, made problem+json
        ("get", "/api/v3/pages/", 401),
    ],
)
def test_problems_say_they_are_utf8_and_write_tamil_as_text(client, demo, method, path, status):
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_UTF8
    assert not ESCAPE.search(response.content)
    if "garbage" in path:
        assert TAMIL.search(response.json()["detail"])


# Compression --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept_encoding, encoding",
    [
        (BROWSER, "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("", None),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),
    ],
)
def test_api_responses_come_in_the_encoding_the_client_prefers(client, demo, accept_encoding, encoding):
    plain = client.get("/api/v3/articles/", {"lang": "ta"})
    response = client.get("/api/v3/articles/", {"lang": "ta"}, HTTP_ACCEPT_ENCODING=accept_encoding)

    assert response.get("Content-Encoding") == encoding
    assert decoded(response) == plain.content
    assert "accept-encoding" in vary(response) and "accept-encoding" in vary(plain)
    if encoding:
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3


def test_a_cached_response_is_served_in_each_readers_encoding(client, demo):
    first = read(client, "/api/v3/articles/", HTTP_ACCEPT_ENCODING="br")
    identity = read(client, "/api/v3/articles/")
    gzipped = read(client, "/api/v3/articles/", HTTP_ACCEPT_ENCODING="gzip")
    brotli_again = read(client, "/api/v3/articles/", HTTP_ACCEPT_ENCODING=BROWSER)

    # One copy is stored (uncompressed) and read by all: without Accept-Encoding, as it is.
    assert not first.from_cache and identity.from_cache and gzipped.from_cache and brotli_again.from_cache
    assert identity.get("Content-Encoding") is None
    assert identity.json()["count"] == 4
    assert (first["Content-Encoding"], gzipped["Content-Encoding"]) == ("br", "gzip")
    assert decoded(first) == identity.content == decoded(gzipped) == decoded(brotli_again)


def test_a_cached_response_is_compressed_in_brotli_once_not_at_each_read(client, demo, monkeypatch):
    compressed = []
    compress = brotli.compress
    monkeypatch.setattr(
        brotli, "compress", lambda data, **kwargs: compressed.append(len(data)) or compress(data, **kwargs)
    )
    first = read(client, "/api/v3/articles/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert len(compressed) == 1  # when it was stored, and sent as it was kept
    again = [read(client, "/api/v3/articles/", HTTP_ACCEPT_ENCODING=BROWSER) for _ in range(3)]
    assert len(compressed) == 1
    assert all(response.from_cache and response["Content-Encoding"] == "br" for response in again)
    assert decoded(again[-1]) == decoded(first) == read(client, "/api/v3/articles/").content


def test_etags_are_weak_when_compressed_and_if_none_match_still_gives_304(client, demo):
    identity = client.get("/api/v3/articles/")
    compressed = client.get("/api/v3/articles/", HTTP_ACCEPT_ENCODING=BROWSER)

    assert identity["ETag"].startswith('"')  # the uncompressed body's own, strong
    assert compressed["ETag"] == "W/" + identity["ETag"]  # another representation, matched weakly
    for etag, accept_encoding in [(compressed["ETag"], BROWSER), (identity["ETag"], "")]:
        again = client.get("/api/v3/articles/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=accept_encoding)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag  # what the client holds, as the 200 gave it
        assert "accept-encoding" in vary(again)

    # A stale ETag gets the whole (compressed) body again.
    changed = client.get("/api/v3/articles/", HTTP_IF_NONE_MATCH='W/"stale"', HTTP_ACCEPT_ENCODING="gzip")
    assert changed.status_code == 200 and changed["Content-Encoding"] == "gzip"


def tamil_sentences(article):
    """The sentences of an article's Tamil body, as plain text."""
    text = " ".join(strip_tags(str(block.value)) for block in article.body_ta)
    return [sentence for sentence in re.split(r"(?<=[.?!])\s+", text) if len(sentence) > 20]


def sizes(response, query):
    """(uncompressed, gzip, Brotli) bytes of a list, as the API sends them and as escaped JSON."""
    escaped = json.dumps(response.json()).encode()  # Python's default, as the API wrote it before
    gzipped = response.client.get("/api/v3/articles/", query, HTTP_ACCEPT_ENCODING="gzip")
    in_brotli = response.client.get("/api/v3/articles/", query, HTTP_ACCEPT_ENCODING="br")
    assert decoded(gzipped) == decoded(in_brotli) == response.content
    return {
        "escaped": (len(escaped), len(gzip.compress(escaped)), len(brotli.compress(escaped, quality=5))),
        "UTF-8": (len(response.content), len(gzipped.content), len(in_brotli.content)),
    }


def print_sizes(title, figures):
    print(f"\n{title:<40} {'plain':>7} {'gzip':>6} {'br':>6}")
    for label, (plain, gz, br) in figures.items():
        print(f"  {label:<38} {plain:>7} {gz:>6} {br:>6}")


def test_a_tamil_list_of_twenty_cards_in_bytes(client, seed):
    """
    The figures of issue #14: lists of Tamil article cards as JSON with `\\uXXXX` escapes (as
    before) and as UTF-8, each uncompressed, gzipped and in Brotli. Run with -s to see them.
    """
    query = {"lang": "ta", "limit": 20}
    # The demo's list as the issue measured it: 4 cards, one of them translated.
    demo_list = sizes(client.get("/api/v3/articles/", query), query)

    # 20 cards all in Tamil, each with its own title and intro (sentences of the seed article's body).
    sentences = tamil_sentences(seed)
    for number in range(19):
        ArticlePageFactory(
            parent=seed.get_parent(),
            title_en=f"{seed.title_en} ({number})",
            title_ta=" ".join(sentences[number % len(sentences)].split()[:6]),
            intro_en=seed.intro_en,
            intro_ta=sentences[(number + 1) % len(sentences)],
            hero_image=seed.hero_image,
            hero_image_alt_en=seed.hero_image_alt_en,
            hero_image_alt_ta=seed.hero_image_alt_ta,
            category=seed.category,
            authors=[link.author for link in seed.article_authors.all()],
            tags=["collagen", "pores"],
        )
    query["category"] = seed.category.slug
    response = client.get("/api/v3/articles/", query)
    items = response.json()["items"]
    assert len(items) == 20 and not any(item["meta"]["fallback_fields"] for item in items)
    tamil_list = sizes(response, query)

    print_sizes("The demo's list (?limit=20: 4 cards)", demo_list)
    print_sizes("20 Tamil cards", tamil_list)
    for figures in (demo_list, tamil_list):
        (escaped, _escaped_gzip, _escaped_br), (plain, gzipped, in_brotli) = figures.values()
        assert plain < 0.85 * escaped
        assert in_brotli < gzipped < plain / 3
