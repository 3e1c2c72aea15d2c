"""
Every publish empties the page cache, so the first reader of each page pays for its render: that
costs a fixed few queries, whatever the page, in both languages. What every page shares (the
clinic's details and hours, the pages the layout links to, the site) is read by the first of them
and kept for the others (cms/shared_data.py).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.images import get_image_model

from articles.models import ArticlePage, BlogIndexPage
from home.models import ClinicDetails

SEED = "is-micro-needling-effective-for-reducing-skin-pores"
# Queries of a page rendered after another page (what pages share is read already). An article:
# its route (two steps from the site's root: the blog is kept with the site, the second step reads
# the article with its category and reviewer), its related articles' cards and, in the same
# queries, its own authors, tags and hero. Cards on the site show no tags: listings do not read them.
BUDGETS = {"home": 4, "blog": 6, "article": 5}
# What the first page after a publish reads besides: the site with its root page and the pages
# below it that have pages below them (the blog), the clinic with its hours (their sessions and
# exceptions), the pages the layout links to, page restrictions, the next expiry.
SHARED = 8


def url_of(name, language):
    if name == "home":
        return f"/{language}/"
    page = BlogIndexPage.objects.get() if name == "blog" else ArticlePage.objects.get(slug_en=SEED)
    with translation.override(language):
        return page.get_url()


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("name", BUDGETS)
def test_the_first_page_after_a_publish_reads_what_pages_share_once(
    client, demo, forget_cached_pages, django_assert_max_num_queries, name, language
):
    url = url_of(name, language)
    assert client.get(url).status_code == 200  # image renditions are made on a first view, once
    forget_cached_pages()  # as a publish does

    with django_assert_max_num_queries(BUDGETS[name] + SHARED):
        response = client.get(url)
    assert response.status_code == 200 and "Age" not in response  # rendered, not from the cache


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("name", BUDGETS)
def test_each_further_page_after_a_publish_costs_only_its_own_queries(
    client, demo, forget_cached_pages, django_assert_max_num_queries, name, language
):
    url = url_of(name, language)
    assert client.get(url).status_code == 200
    forget_cached_pages()
    assert client.get(url_of("blog" if name == "home" else "home", language)).status_code == 200

    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200 and "Age" not in response


@pytest.mark.parametrize("url", ["/en/", "/ta/", "/api/v3/articles/"])
def test_a_cached_page_is_one_cache_read(client, demo, monkeypatch, url):
    # With Redis each read is a round trip: Django's own middleware makes two per hit.
    public = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    assert client.get(url).status_code == 200
    reads = []
    read = public.get

    def counted_read(*args, **kwargs):
        reads.append(args)
        return read(*args, **kwargs)

    monkeypatch.setattr(public, "get", counted_read)

    response = client.get(url)
    assert response.status_code == 200 and "Age" in response  # answered from the cache
    assert len(reads) == 1


def uncached_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and "Age" not in response
    return len(queries)


@pytest.mark.parametrize("language", ["en", "ta"])
def test_an_articles_api_detail_costs_no_more_queries_than_the_list(
    client, demo, forget_cached_pages, language
):
    # The detail shows one article and the cards of its related ones: as few queries as the list's
    # cards, whatever their number (the article's own authors, tags and image come with theirs).
    article = ArticlePage.objects.get(slug_en=SEED)
    detail = f"/api/v3/articles/{article.pk}/?lang={language}"
    listing = f"/api/v3/articles/?lang={language}"
    assert client.get(detail).json()["related"]  # related cards to show; renditions made once
    assert client.get(listing).status_code == 200

    # The first request after a publish (which reads what requests share), then one after another.
    forget_cached_pages()
    detail_first = uncached_queries(client, detail)
    forget_cached_pages()
    list_first = uncached_queries(client, listing)
    forget_cached_pages()
    assert client.get(listing).status_code == 200
    detail_after = uncached_queries(client, detail)
    forget_cached_pages()
    assert client.get(detail).status_code == 200
    list_after = uncached_queries(client, listing)

    assert detail_first <= list_first and detail_after <= list_after
    assert detail_after <= 5 and detail_first <= 8


@pytest.mark.parametrize("name", BUDGETS)
def test_an_uncached_page_reads_what_pages_share_in_one_cache_read(
    client, demo, forget_cached_pages, monkeypatch, name
):
    # With Redis each read is a round trip: what pages share (the site, the clinic and its hours,
    # linked pages, restrictions, the next expiry, a listing's count, and in each language the
    # footer and the clinic's JSON-LD) is one entry, read once. (Its first reader adds to it: a
    # second read, and a write.) Here the page was read in the other language (what it shares with
    # itself, such as a listing's count, is kept) and another page in its own language since.
    url = url_of(name, "ta")
    assert client.get(url).status_code == 200
    forget_cached_pages()
    other = next(other for other in BUDGETS if other != name)
    assert client.get(url_of(name, "en")).status_code == 200
    assert client.get(url_of(other, "ta")).status_code == 200
    # Nor is anything read from the default cache (the sites' root paths in each language, that
    # wagtail-modeltranslation read there up to three times a page, are part of what pages share).
    keys = {"default": [], settings.CACHE_MIDDLEWARE_ALIAS: []}
    for alias in keys:
        for method in ("get", "get_many"):
            original = getattr(caches[alias], method)

            def counted(key, *args, _original=original, _keys=keys[alias], **kwargs):
                _keys.extend([key] if isinstance(key, str) else key)
                return _original(key, *args, **kwargs)

            monkeypatch.setattr(caches[alias], method, counted)

    response = client.get(url)
    assert response.status_code == 200 and "Age" not in response
    public = keys[settings.CACHE_MIDDLEWARE_ALIAS]
    shared = [key for key in public if key.startswith("shared")]
    assert shared == ["shared:data"]
    assert len(public) == 3  # besides: the response's entry, looked up, then updated
    assert keys["default"] == []


@pytest.mark.parametrize("name", BUDGETS)
def test_an_uncached_page_stores_no_image_rendition_again(
    client, demo, forget_cached_pages, monkeypatch, name
):
    # Its images' renditions come prefetched with it: storing them in the cache again at each
    # render was a cache write for every page served (with Redis, a round trip).
    url = url_of(name, "en")
    assert client.get(url).status_code == 200  # renditions made, once
    forget_cached_pages()
    renditions_cache = get_image_model().get_rendition_model().cache_backend
    writes = []
    for method in ("set", "set_many"):
        monkeypatch.setattr(
            renditions_cache, method, lambda *args, _method=method, **kwargs: writes.append(_method)
        )

    response = client.get(url)
    assert response.status_code == 200 and "/media/images/" in response.content.decode()
    assert writes == []


@pytest.mark.parametrize("url", ["/en/search/", "/ta/search/"])
def test_a_view_that_is_no_page_finds_the_site_with_what_pages_share(
    client, demo, forget_cached_pages, django_assert_num_queries, url
):
    # The search form's page (and any other view of the site's layout) needs the site for the
    # clinic's details, the hours and the linked pages: kept with what pages share, like those.
    assert client.get("/en/").status_code == 200
    forget_cached_pages()
    assert client.get("/ta/").status_code == 200

    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200 and "Age" not in response


def test_the_footer_is_rendered_once_for_the_pages_of_a_language_until_the_clinic_changes(
    client, demo, forget_cached_pages, django_capture_on_commit_callbacks
):
    # The footer (the week's hours, the contacts) is the same on every page of a language on the
    # clinic's day: the first page read renders it, the others show what it kept.
    urls = {language: [url_of(name, language) for name in BUDGETS] for language in ("ta", "en")}
    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "includes/site_footer.html":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        forget_cached_pages()
        footers = {client.get(url).content.decode().split('class="site-footer"')[1] for url in urls["ta"]}
        assert len(rendered) == 1 and len(footers) == 1
        assert all(client.get(url).status_code == 200 for url in urls["en"])
        assert len(rendered) == 2  # once more, in English

        clinic = ClinicDetails.objects.get()
        clinic.phone = "+91 44 0000 1111"
        with django_capture_on_commit_callbacks(execute=True):
            clinic.save()  # empties the public cache, what pages share (the footers) with it
        html = client.get(urls["ta"][1]).content.decode()
        assert len(rendered) == 3 and "+91 44 0000 1111" in html.split('class="site-footer"')[1]
    finally:
        template_rendered.disconnect(count)
