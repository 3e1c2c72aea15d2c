"""Anonymous page views are cached, and a publish shows on the very next view."""

from django.utils import translation

from articles.models import ArticlePage

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
    assert "Is Micro-Needling Effective" in client.get(english).content.decode()
    assert "மைக்ரோ-நீட்லிங்" in client.get(tamil).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        article.title_en = "Micro-needling and pores: the evidence"
        article.title_ta = "மைக்ரோ-நீட்லிங்: சான்றுகள்"
        article.save_revision().publish()

    assert "Micro-needling and pores: the evidence" in client.get(english).content.decode()
    assert "மைக்ரோ-நீட்லிங்: சான்றுகள்" in client.get(tamil).content.decode()
    assert "Micro-needling and pores: the evidence" in client.get("/en/blog/").content.decode()


def test_an_editor_never_gets_the_anonymous_copy(client, admin_client, demo):
    client.get("/en/blog/")  # cached for anonymous visitors
    html = admin_client.get("/en/blog/").content.decode()
    assert "wagtail-userbar" in html or "w-userbar" in html


def test_the_booking_form_is_never_shared_between_visitors(demo):
    """Each new visitor gets a CSRF cookie of their own: the form page is not served from the cache."""
    from django.test import Client

    from consultations.models import BookingPage

    url = url_in(BookingPage.objects.get(), "en")
    first, second = Client().get(url), Client().get(url)

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
