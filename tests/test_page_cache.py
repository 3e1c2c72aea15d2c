"""Anonymous page views are cached, and a publish shows on the very next view."""

from django.utils import translation
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage
from tests.public_cache import read, read_fresh_then_cached, read_twice

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
