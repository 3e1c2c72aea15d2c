"""Anonymous page views are cached, and a publish shows on the very next view."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from articles.models import ArticlePage, BlogIndexPage
from tests.factories import ArticlePageFactory
from tests.public_cache import read, read_fresh_then_cached, read_twice, stored_keys

SEED = "is-micro-needling-effective-for-reducing-skin-pores"


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def test_pages_are_publicly_cacheable(client, demo):
    response = client.get("/en/blog/")
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["ETag"]


def test_a_publish_is_visible_on_the_next_view_in_both_languages(
    client, demo, django_capture_on_commit_callbacks
):
    article = ArticlePage.objects.get(slug_en=SEED)
    english, tamil = url_in(article, "en"), url_in(article, "ta")
    # Each page is rendered once, then served from the cache.
    assert "Is Micro-Needling Effective" in read_twice(client, english).content.decode()
    assert "மைக்ரோ-நீட்லிங்" in read_twice(client, tamil).content.decode()
    assert "Is Micro-Needling Effective" in read_twice(client, "/en/blog/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        article.title_en = "Micro-needling and pores: the evidence"
        article.title_ta = "மைக்ரோ-நீட்லிங்: சான்றுகள்"
        article.save_revision().publish()

    # The cached copies are gone: each page is rendered again, and that copy is cached in turn.
    new_english = read_fresh_then_cached(client, english).content.decode()
    new_tamil = read_fresh_then_cached(client, tamil).content.decode()
    assert "Micro-needling and pores: the evidence" in new_english
    assert "மைக்ரோ-நீட்லிங்: சான்றுகள்" in new_tamil
    blog = read_fresh_then_cached(client, "/en/blog/").content.decode()
    assert "Micro-needling and pores: the evidence" in blog
    assert "Is Micro-Needling Effective" not in blog


def test_making_a_page_private_takes_it_out_of_the_public_cache(
    client, demo, django_capture_on_commit_callbacks
):
    article = ArticlePage.objects.get(slug_en=SEED)
    read_twice(client, url_in(article, "en"))  # cached
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    response = read(client, url_in(article, "en"))
    assert not response.from_cache
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_editor_never_gets_the_anonymous_copy(client, admin_client, demo):
    read_twice(client, "/en/blog/")  # cached for anonymous visitors
    response = read(admin_client, "/en/blog/")
    html = response.content.decode()
    assert not response.from_cache
    assert "wagtail-userbar" in html or "w-userbar" in html


def test_the_booking_form_is_never_shared_between_visitors(demo):
    """Each new visitor gets a CSRF cookie of their own: the form page is not served from the cache."""
    from django.test import Client

    from consultations.models import BookingPage

    url = url_in(BookingPage.objects.get(), "en")
    first, second = Client().get(url), Client().get(url)

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


# Privacy ------------------------------------------------------------------------------------------


def restrict_article_to_logged_in_users(article, blog):
    return PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)


def restrict_blog_by_password(article, blog):
    return PageViewRestriction.objects.create(
        page=blog, restriction_type=PageViewRestriction.PASSWORD, password="clinic-staff"
    )


def restrict_blog_to_a_group(article, blog):
    restriction = PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Doctors"))
    return restriction


RESTRICTIONS = [restrict_article_to_logged_in_users, restrict_blog_by_password, restrict_blog_to_a_group]


@pytest.mark.parametrize("restrict", RESTRICTIONS)
def test_an_article_made_private_is_gone_from_the_next_anonymous_read(
    client, blog_page, restrict, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=blog_page, title="Treating melasma at home")
    url = url_in(article, "en")
    # Cached everywhere a visitor or an app reads it.
    assert "Treating melasma at home" in read_twice(client, url).content.decode()
    assert "Treating melasma at home" in read_twice(client, "/en/blog/").content.decode()
    assert "Treating melasma at home" in read_twice(client, "/api/v3/articles/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        restrict(article, blog_page)

    page = read(client, url)
    assert not page.from_cache
    assert "Sun, skin and sense." not in page.content.decode()  # the body: a login redirect or a form
    assert "public" not in page.get("Cache-Control", "")
    assert "Treating melasma at home" not in read(client, "/en/blog/").content.decode()
    articles = read(client, "/api/v3/articles/")
    assert not articles.from_cache
    assert articles.json()["items"] == []
    assert client.get(f"/api/v3/articles/{article.pk}/").status_code == 404


def test_changing_who_may_see_a_private_page_empties_the_cache(
    client, blog_page, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=blog_page)
    restriction = restrict_article_to_logged_in_users(article, blog_page)
    read_twice(client, "/en/blog/")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restriction_type = PageViewRestriction.GROUPS
        restriction.save()
    read_fresh_then_cached(client, "/en/blog/")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.groups.add(Group.objects.create(name="Doctors"))
    read_fresh_then_cached(client, "/en/blog/")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    read_fresh_then_cached(client, "/en/blog/")


def test_making_a_collection_private_empties_the_cache(client, blog_page, django_capture_on_commit_callbacks):
    read_twice(client, "/en/blog/")
    collection = Collection.get_first_root_node().add_child(name="Patient forms")
    assert read(client, "/en/blog/").from_cache  # a new, public collection changes nothing anyone sees
    with django_capture_on_commit_callbacks(execute=True):
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    read_fresh_then_cached(client, "/en/blog/")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.groups.add(Group.objects.create(name="Front desk"))
    read_fresh_then_cached(client, "/en/blog/")


def test_an_editors_page_with_the_user_bar_is_never_public(client, admin_client, blog_page):
    article = ArticlePageFactory(parent=blog_page)
    url = url_in(article, "en")
    for _read in range(2):
        response = read(admin_client, url)
        assert "w-userbar" in response.content.decode() or "wagtail-userbar" in response.content.decode()
        assert not response.from_cache
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    # Nor is an anonymous visitor given the editor's copy.
    assert "userbar" not in read_twice(client, url).content.decode()


def test_a_private_page_is_kept_private_after_its_password_is_given(client, blog_page):
    article = ArticlePageFactory(parent=blog_page)
    restriction = restrict_blog_by_password(article, blog_page)
    url = url_in(article, "en")

    form = read(client, url)
    assert "Sun, skin and sense." not in form.content.decode()
    assert "public" not in form["Cache-Control"]  # it sets the form's CSRF cookie
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": "clinic-staff", "return_url": url},
    )

    for _read in range(2):
        response = read(client, url)
        assert "Sun, skin and sense." in response.content.decode()
        assert not response.from_cache
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    client.cookies.clear()  # another visitor
    assert "Sun, skin and sense." not in read(client, url).content.decode()


@override_settings(PUBLIC_CACHE_STORE_RESPONSES=False)
def test_with_responses_not_stored_pages_are_rendered_each_time_but_share_their_lookups(client, demo):
    """The benchmark's "uncached" pages: each read is like a page's first read after a publish."""
    with CaptureQueriesContext(connection) as first_queries:
        first = read(client, "/en/")
    with CaptureQueriesContext(connection) as again_queries:
        again = read(client, "/en/")
    assert first.status_code == again.status_code == 200
    assert not first.from_cache and not again.from_cache
    assert stored_keys(caches[settings.CACHE_MIDDLEWARE_ALIAS]) == []
    # What pages share (the clinic's details, the menu, the next expiry) was kept by the first read.
    assert 0 < len(again_queries) < len(first_queries)


def test_a_cached_page_is_answered_before_sessions_and_users_are_looked_at(client, demo):
    # The cache answers as high in the stack as it can: a hit costs about a third less that way.
    rendered = read(client, "/en/blog/")
    cached = read(client, "/en/blog/")
    assert not rendered.from_cache and cached.from_cache
    assert hasattr(rendered.wsgi_request, "session") and hasattr(rendered.wsgi_request, "user")
    assert not hasattr(cached.wsgi_request, "session") and not hasattr(cached.wsgi_request, "user")
    assert cached["Content-Language"] == "en"


def test_a_cached_page_says_how_long_it_has_been_kept(client, demo, monkeypatch):
    read_twice(client, "/en/blog/")
    stored_at = time.time()
    monkeypatch.setattr(time, "time", lambda: stored_at + 5)
    cached = read(client, "/en/blog/")
    assert cached.from_cache and cached["Age"] == "5"
    assert cached["Cache-Control"] == "public, max-age=60"


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_host_the_site_does_not_serve_never_gets_a_cached_page(client, demo):
    read_twice(client, "/en/blog/")
    # The cache's keys take the host as sent, unchecked: only a served host's pages are ever stored.
    assert client.get("/en/blog/", HTTP_HOST="elsewhere.example").status_code == 400


@pytest.mark.parametrize("language", ["en", "ta"])
def test_a_cached_page_is_kept_per_language(client, demo, language):
    other = {"en": "ta", "ta": "en"}[language]
    blog = BlogIndexPage.objects.get()
    read_twice(client, url_in(blog, other))
    response = read_twice(client, url_in(blog, language), HTTP_ACCEPT_LANGUAGE=other)
    assert response["Content-Language"] == language
    assert f'<html lang="{language}"' in response.content.decode()


@pytest.mark.parametrize("condition", ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"])
def test_a_cached_page_answers_a_conditional_read_with_a_304(client, demo, condition):
    first = read(client, "/en/blog/")
    validator = first["ETag"] if condition == "HTTP_IF_NONE_MATCH" else first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/en/blog/", **{condition: validator})
    assert again.status_code == 304
    assert not queries.captured_queries  # the cached copy's validators answered it


def remember_me(request):
    response = HttpResponse("<p>Hello</p>")
    response.set_cookie("visitor", "a-visitor's-own-value")
    return response


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_sets_a_cookie_is_never_shared(client, db):
    response = read(client, "/en/remember-me/")
    assert response.cookies["visitor"].value == "a-visitor's-own-value"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not read(client, "/en/remember-me/").from_cache


urlpatterns = [path("en/remember-me/", remember_me)]
