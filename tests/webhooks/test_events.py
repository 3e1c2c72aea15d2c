"""Which changes make which events, with the URLs before and after in every language."""

import pytest
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage, BlogIndexPage
from home.models import ClinicDetails, OpeningHours
from tests.factories import ArticlePageFactory, BlogIndexPageFactory
from webhooks.models import WebhookEndpoint, WebhookEvent

SEED = "is-micro-needling-effective-for-reducing-skin-pores"
SITE = "http://localhost"


@pytest.fixture
def seed(demo, endpoint):
    """The demo's seed article, in English and Tamil, with an endpoint that wants every event."""
    return ArticlePage.objects.get(slug_en=SEED)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block left for after the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def events(event_type=None):
    found = WebhookEvent.objects.order_by("created_at")
    if event_type:
        found = found.filter(type=event_type)
    return [event.payload for event in found]


def test_a_slug_change_carries_the_old_and_new_url_in_both_languages(seed, committed, client):
    old_ta = f"{SITE}/ta/vlaipptivu/{seed.slug_ta}/"
    assert client.get(old_ta.removeprefix(SITE)).status_code == 200
    seed.slug_en = "micro-needling-and-pores"
    seed.slug_ta = "maikro-nitlin-tulaikal"
    with committed():
        seed.save_revision().publish()

    [changed] = events("article.slug_changed")
    assert changed["page_id"] == seed.pk
    assert changed["languages"] == ["en", "ta"]
    assert changed["urls"] == {
        "en": {"old": f"{SITE}/en/blog/{SEED}/", "new": f"{SITE}/en/blog/micro-needling-and-pores/"},
        "ta": {"old": old_ta, "new": f"{SITE}/ta/vlaipptivu/maikro-nitlin-tulaikal/"},
    }
    # Published too, the same moment; the new URLs are the ones the site now answers.
    [published] = events("article.published")
    assert published["urls"] == changed["urls"] and published["timestamp"] == changed["timestamp"]
    assert client.get(changed["urls"]["ta"]["new"].removeprefix(SITE)).status_code == 200


def test_a_tamil_only_slug_change_names_only_tamil(seed, committed):
    seed.slug_ta = "maikro-nitlin-tulaikal"
    with committed():
        seed.save_revision().publish()

    [changed] = events("article.slug_changed")
    assert changed["languages"] == ["ta"]
    assert changed["urls"]["en"]["old"] == changed["urls"]["en"]["new"] == f"{SITE}/en/blog/{SEED}/"


def test_a_move_carries_the_old_and_new_url_in_both_languages(seed, committed, demo):
    news = BlogIndexPageFactory(parent=demo, title="News", slug="news", title_ta="செய்திகள்")
    with committed():
        seed.move(news, pos="last-child")

    [moved] = events("article.moved")
    assert moved["languages"] == ["en", "ta"]
    assert moved["urls"] == {
        "en": {"old": f"{SITE}/en/blog/{SEED}/", "new": f"{SITE}/en/news/{SEED}/"},
        "ta": {
            "old": f"{SITE}/ta/vlaipptivu/{seed.slug_ta}/",
            "new": f"{SITE}/ta/{news.slug_ta}/{seed.slug_ta}/",
        },
    }


def test_renaming_the_blog_tells_of_every_live_article_below_it(demo, endpoint, committed):
    blog = BlogIndexPage.objects.get()
    live = list(ArticlePage.objects.live().child_of(blog))
    assert len(live) >= 2
    blog.slug_en = "articles"
    with committed():
        blog.save_revision().publish()

    changed = {event["page_id"]: event for event in events("article.slug_changed")}
    assert set(changed) == {article.pk for article in live}
    for article in live:
        urls = changed[article.pk]["urls"]
        assert urls["en"] == {
            "old": f"{SITE}/en/blog/{article.slug_en}/",
            "new": f"{SITE}/en/articles/{article.slug_en}/",
        }
        assert urls["ta"]["old"] == urls["ta"]["new"]  # the Tamil slug of the blog did not change
        assert changed[article.pk]["languages"] == ["en"]
    assert events("article.published") == []  # the blog is not an article


def test_a_publish_names_the_languages_whose_text_changed(seed, committed):
    seed.title_ta = "மைக்ரோ-நீட்லிங்: புதிய தலைப்பு"
    with committed():
        seed.save_revision().publish()
    seed.body_en = [{"type": "paragraph", "value": "<p>Rewritten in English only.</p>"}]
    with committed():
        seed.save_revision().publish()
    seed.date = seed.date.replace(year=seed.date.year - 1)
    with committed():
        seed.save_revision().publish()

    tamil_title, english_body, shared_date = events("article.published")
    assert tamil_title["languages"] == ["ta"]
    assert english_body["languages"] == ["en"]
    assert shared_date["languages"] == ["en", "ta"]


def test_a_first_publish_has_no_old_urls(db, endpoint, committed, blog_page):
    draft = ArticlePageFactory(parent=blog_page, live=False, slug="new-article")
    with committed():
        draft.save_revision().publish()

    [published] = events("article.published")
    assert published["urls"]["en"] == {"old": None, "new": f"{SITE}/en/blog/new-article/"}
    assert events("article.slug_changed") == []


def test_unpublishing_and_deleting_carry_the_urls_that_are_gone(seed, committed, demo):
    other = ArticlePage.objects.live().exclude(pk=seed.pk).first()
    with committed():
        seed.unpublish()
    with committed():
        other.delete()

    [unpublished] = events("article.unpublished")
    assert unpublished["page_id"] == seed.pk
    assert unpublished["urls"]["en"] == {"old": f"{SITE}/en/blog/{SEED}/", "new": None}
    assert unpublished["urls"]["ta"]["new"] is None and unpublished["urls"]["ta"]["old"]
    [deleted] = events("article.deleted")
    assert deleted["page_id"] == other.pk
    assert deleted["urls"]["en"] == {"old": f"{SITE}/en/blog/{other.slug_en}/", "new": None}


def test_deleting_an_article_that_was_never_public_says_nothing(db, endpoint, committed, blog_page):
    draft = ArticlePageFactory(parent=blog_page, live=False)
    with committed():
        draft.delete()
    assert events() == []


def test_privacy_changes_say_whether_the_article_is_public(seed, committed):
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=seed, restriction_type=PageViewRestriction.PASSWORD, password="clinic"
        )
    with committed():
        restriction.delete()

    private, public = events("article.privacy_changed")
    assert private["page_id"] == public["page_id"] == seed.pk
    assert (private["public"], public["public"]) == (False, True)
    assert private["urls"]["en"] == {"old": f"{SITE}/en/blog/{SEED}/", "new": f"{SITE}/en/blog/{SEED}/"}


def test_making_the_blog_private_tells_of_each_live_article(demo, endpoint, committed):
    blog = BlogIndexPage.objects.get()
    with committed():
        PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.LOGIN)

    private = events("article.privacy_changed")
    assert {event["page_id"] for event in private} == set(
        ArticlePage.objects.live().child_of(blog).values_list("pk", flat=True)
    )
    assert all(event["public"] is False for event in private)


def test_clinic_details_and_opening_hours_changes_are_events(demo, endpoint, committed):
    details = ClinicDetails.objects.get()
    with committed():
        details.phone = "+91 44 4000 1234"
        details.save()
    hours = OpeningHours.objects.get()
    with committed():
        hours.note_en = "Closed for Pongal on 14 January"
        hours.save()

    [clinic] = events("clinic.details_changed")
    assert clinic["page_id"] is None
    assert clinic["object"] == {"type": "home.clinicdetails", "id": details.pk}
    assert clinic["languages"] == ["en", "ta"]
    assert clinic["urls"]["en"]["new"] == f"{SITE}/en/opening-hours/"
    assert clinic["urls"]["ta"]["new"] == f"{SITE}/ta/velai-neram/"
    [changed_hours] = events("clinic.hours_changed")
    assert changed_hours["object"] == {"type": "home.openinghours", "id": hours.pk}


def test_an_endpoint_gets_only_the_events_it_subscribed_to(seed, endpoint, receivers, committed, task_queue):
    WebhookEndpoint.objects.create(name="Search", url=receivers().url, events=["article.deleted"])
    WebhookEndpoint.objects.create(name="Old kiosk", url=receivers().url, is_active=False)
    with committed():
        seed.save_revision().publish()
    with committed():
        seed.delete()

    published, deleted = WebhookEvent.objects.order_by("created_at")
    assert [d.endpoint for d in published.deliveries.all()] == [endpoint]
    assert sorted(d.endpoint.name for d in deleted.deliveries.all()) == ["Mobile app", "Search"]
    assert len(task_queue.waiting("deliver_webhook")) == 3


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_a_transaction_has_every_languages_new_url(endpoint, home_page):
    """As in the admin (autocommit): the Tamil URLs are updated by the time the event is made."""
    blog = BlogIndexPageFactory(parent=home_page, title_ta="வலைப்பதிவு")
    news = BlogIndexPageFactory(parent=home_page, title="News", slug="news", title_ta="செய்திகள்")
    article = ArticlePageFactory(parent=blog, title="Sunscreen", slug="sunscreen", title_ta="சன்ஸ்கிரீன்")

    ArticlePage.objects.get(pk=article.pk).move(news, pos="last-child")

    [moved] = events("article.moved")
    assert moved["urls"]["ta"] == {
        "old": f"{SITE}/ta/{blog.slug_ta}/{article.slug_ta}/",
        "new": f"{SITE}/ta/{news.slug_ta}/{article.slug_ta}/",
    }
    assert moved["urls"]["en"]["new"] == f"{SITE}/en/news/sunscreen/"
