"""Every page lives at /en/<english path>/ and /ta/<tamil path>/, and the ways in lead there."""

import re

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from wagtail.models import Page

from cms.pages import serve_url
from tests.factories import ArticlePageFactory

TAMIL = re.compile(r"[\u0B80-\u0BFF]")
SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"


def url_in(page, language):
    with translation.override(language):
        return page.specific.get_url()


def demo_pages():
    return list(Page.objects.live().filter(depth__gt=1).specific())


def h1(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)


def test_every_demo_page_answers_in_english_and_tamil(client, demo):
    pages = demo_pages()
    assert len(pages) >= 6
    for page in pages:
        english = client.get(url_in(page, "en"))
        tamil = client.get(url_in(page, "ta"))

        assert english.status_code == 200, page.url_path
        assert tamil.status_code == 200, page.url_path
        assert '<html lang="en">' in english.content.decode()
        assert '<html lang="ta">' in tamil.content.decode()
        assert not TAMIL.search(h1(english.content.decode())), page.title
        # The Tamil page's interface is in Tamil even where its content falls back to English.
        assert TAMIL.search(tamil.content.decode())


def test_tamil_paths_use_transliterated_ascii_slugs(demo):
    seed = Page.objects.get(slug_en=SEED_SLUG)
    tamil_url = url_in(seed, "ta")

    assert tamil_url.startswith("/ta/vlaipptivu/maikro-nitlin")
    assert tamil_url.isascii()
    assert url_in(seed, "en") == f"/en/blog/{SEED_SLUG}/"


def test_the_seed_article_reads_in_tamil_at_its_tamil_path(client, demo):
    seed = Page.objects.get(slug_en=SEED_SLUG)
    html = client.get(url_in(seed, "ta")).content.decode()

    assert "மைக்ரோ-நீட்லிங்" in h1(html)
    assert "மைக்ரோ-நீட்லிங் ஏன் தேவை?" in html  # the "Need for Micro-Needling" section
    assert "டாக்டர் ஜனனி பழனிவேல்" in html


@pytest.mark.parametrize("kind", ["article", "blog"])
def test_a_tamil_prefix_on_an_english_path_redirects_permanently_to_the_tamil_path(client, demo, kind):
    page = Page.objects.get(slug_en=SEED_SLUG if kind == "article" else "blog")
    english_path = url_in(page, "en").removeprefix("/en")

    response = client.get("/ta" + english_path)

    assert response.status_code == 301
    assert response["Location"] == url_in(page, "ta")
    assert client.get(response["Location"]).status_code == 200


def test_an_english_prefix_on_a_tamil_path_redirects_to_the_english_path(client, demo):
    page = Page.objects.get(slug_en=SEED_SLUG)
    tamil_path = url_in(page, "ta").removeprefix("/ta")

    response = client.get("/en" + tamil_path)

    assert response.status_code == 301
    assert response["Location"] == url_in(page, "en")


def test_an_unknown_path_is_still_a_404_in_either_language(client, demo):
    assert client.get("/ta/no-such-page/").status_code == 404
    assert client.get("/en/blog/no-such-article/").status_code == 404


@pytest.mark.parametrize(
    ("headers", "cookies", "expected"),
    [
        ({}, {}, "/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "ta-IN,ta;q=0.9,en;q=0.5"}, {}, "/ta/"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, {}, "/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {"django_language": "ta"}, "/ta/"),
        ({"HTTP_ACCEPT_LANGUAGE": "ta"}, {"django_language": "en"}, "/en/"),
    ],
)
def test_the_root_redirects_by_cookie_then_accept_language_then_english(
    client, demo, headers, cookies, expected
):
    for name, value in cookies.items():
        client.cookies[name] = value

    response = client.get("/", **headers)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_an_old_unprefixed_link_redirects_into_a_language(client, demo):
    response = client.get("/blog/")
    assert response.status_code == 302
    assert response["Location"] == "/en/blog/"


def test_switcher_hreflang_and_canonical_links_resolve(client, demo):
    seed = Page.objects.get(slug_en=SEED_SLUG)
    html = client.get(url_in(seed, "ta")).content.decode()

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    switcher = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', html)

    assert set(alternates) == {"en", "ta", "x-default"}
    assert alternates["x-default"] == alternates["en"]
    assert canonical == alternates["ta"] == "http://testserver" + url_in(seed, "ta")
    assert {code: url for url, code in switcher} == {"en": url_in(seed, "en"), "ta": url_in(seed, "ta")}
    for url in [*alternates.values(), *(url for url, _code in switcher)]:
        assert client.get(url).status_code == 200, url


def test_paths_outside_the_language_prefix_are_not_redirected(client, demo):
    api_missing = client.get("/api/v3/no-such-endpoint/")
    assert api_missing.status_code == 404
    assert "Location" not in api_missing

    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")


def test_the_switcher_hreflang_and_language_lists_follow_settings_languages(client, demo, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ml", "Malayalam")]
    seed = Page.objects.get(slug_en=SEED_SLUG)

    html = client.get(url_in(seed, "en")).content.decode()

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))
    assert set(alternates) == {"en", "ta", "ml", "x-default"}
    assert 'hreflang="ml" lang="ml">മലയാളം</a>' in html
    malayalam = client.get(alternates["ml"])
    assert malayalam.status_code == 200
    assert '<html lang="ml">' in malayalam.content.decode()


def test_the_search_page_switches_language_keeping_the_query(client, demo):
    html = client.get("/en/search/", {"q": "collagen"}).content.decode()

    switcher = {code: url for url, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', html)}
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))

    assert switcher == {"en": "/en/search/?q=collagen", "ta": "/ta/search/?q=collagen"}
    assert alternates["ta"] == "http://testserver/ta/search/?q=collagen"
    assert client.get(switcher["ta"]).status_code == 200


def route_queries(blog, path_components, language):
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    with translation.override(language), CaptureQueriesContext(connection) as queries:
        page = blog.route(RequestFactory().get("/"), path_components).page
    return page, [query["sql"] for query in queries]


@pytest.mark.parametrize("language", ["en", "ta"])
def test_an_article_is_found_with_the_same_queries_however_many_siblings_it_has(demo, language):
    seed = Page.objects.get(slug_en=SEED_SLUG).specific
    blog = seed.get_parent().specific
    slug = getattr(seed, f"slug_{language}")
    found, few_siblings = route_queries(blog, [slug], language)
    for number in range(12):
        ArticlePageFactory(parent=blog, title=f"Sibling {number}", title_ta=f"உடன்பிறப்பு {number}")

    found_again, many_siblings = route_queries(blog, [slug], language)

    assert found == found_again == seed
    assert len(many_siblings) == len(few_siblings) <= 2  # the child, then its specific row
    # The database picks the child by its slug: the siblings are never all loaded to compare theirs.
    assert slug in many_siblings[0]


def test_an_article_without_a_tamil_slug_answers_under_ta_at_its_english_slug(client, blog_page):
    article = ArticlePageFactory(parent=blog_page, title="Sun care", slug="sun-care")
    assert not article.slug_ta

    response = client.get(f"{url_in(blog_page, 'ta')}sun-care/")

    assert response.status_code == 200
    assert '<html lang="ta">' in response.content.decode()
    assert url_in(article, "ta").endswith("/sun-care/")


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("path", ["", "blog/", "blog/is-micro-needling/", "வலைப்பதிவு/", "a b/", "blog"])
def test_page_paths_are_written_as_reverse_writes_them(language, path, settings):
    for prefix in ("/", "/clinic/"):
        set_script_prefix(prefix)
        try:
            with translation.override(language):
                try:
                    expected = reverse("wagtail_serve", args=(path,))
                except NoReverseMatch:
                    with pytest.raises(NoReverseMatch):
                        serve_url(path)
                else:
                    assert serve_url(path) == expected
        finally:
            set_script_prefix("/")


def test_every_demo_pages_url_is_wagtails(demo):
    for page in demo_pages():
        for language in ("en", "ta"):
            with translation.override(language):
                assert page.get_url_parts() == Page.get_url_parts(page), (page.url_path, language)
                assert page.get_url().startswith(f"/{language}/")
