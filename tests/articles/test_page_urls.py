"""Page URLs (cms.pages.serve_url) are those Wagtail gives, in every site and language."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from articles.models import ArticlePage, BlogIndexPage
from tests.factories import ArticlePageFactory

LANGUAGES = ["en", "ta"]


def urls_both_ways(pages, request, language):
    """(our URL parts and URL, Wagtail's own) of each page."""
    with translation.override(language):
        return [
            (
                (page.get_url_parts(request), page.get_url(request)),
                (Page.get_url_parts(page, request), Page.get_url(page, request)),
            )
            for page in pages
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_the_url_wagtail_gives(demo, language):
    blog = BlogIndexPage.objects.get()
    ArticlePageFactory(parent=blog, title="English only")  # no Tamil slug: its English one is used
    ArticlePageFactory(parent=blog, title="Café", slug="café-au-lait", slug_ta="café-ta")  # quoted
    request = RequestFactory().get("/api/v3/articles/")
    pages = [page.specific for page in Page.objects.all()]  # the tree's root has no URL

    pairs = urls_both_ways(pages, request, language)

    assert [ours for ours, _wagtails in pairs] == [wagtails for _ours, wagtails in pairs]
    assert sum(1 for (parts, _url), _wagtails in pairs if parts) == len(pages) - 1
    seed = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")
    with translation.override(language):
        if language == "ta":
            assert seed.get_url(request).startswith("/ta/vlaipptivu/maikro-nitlin")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("host", ["testserver", "blog.example.org"])
def test_a_page_in_two_sites_has_the_url_wagtail_gives_from_either(demo, host, language):
    blog = BlogIndexPage.objects.get()
    Site.objects.create(hostname="blog.example.org", port=80, root_page=blog)
    request = RequestFactory().get("/api/v3/articles/", HTTP_HOST=host)
    home = blog.get_parent().specific
    pages = [home, blog, *ArticlePage.objects.all()]

    pairs = urls_both_ways(pages, request, language)

    assert [ours for ours, _wagtails in pairs] == [wagtails for _ours, wagtails in pairs]
    # From the blog's own host the home page is on the other site, so its URL names that site.
    with translation.override(language):
        home_url = home.get_url(request)
    assert home_url.startswith("/") == (host == "testserver"), home_url
