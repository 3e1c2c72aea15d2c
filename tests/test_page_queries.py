"""
Every publish empties the page cache, so the first reader of each page pays for its render: that
costs a fixed few queries, whatever the page, in both languages. What every page shares (the
clinic's details and hours, the pages the layout links to, the site) is read by the first of them
and kept for the others (cms/shared_data.py).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from articles.models import ArticlePage, BlogIndexPage

SEED = "is-micro-needling-effective-for-reducing-skin-pores"
# Queries of a page rendered after another page (what pages share is read already).
BUDGETS = {"home": 6, "blog": 11, "article": 17}
# What the first page after a publish reads besides: the clinic and its hours, the pages the
# layout links to, the site, page restrictions, the next expiry.
SHARED = 11


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
