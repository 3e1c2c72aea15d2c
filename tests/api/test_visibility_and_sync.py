"""Nothing that is not public leaks through the API, and offline apps can sync by delta."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import ArticleCategoryFactory, ArticlePageFactory
from tests.public_cache import read_fresh_then_cached, read_twice

HIDDEN_KINDS = ["draft", "private", "expired", "scheduled"]


@pytest.fixture
def matrix(blog_page):
    """One public article and one of each kind that must stay hidden, all in one category."""
    category = ArticleCategoryFactory(slug="skin")
    now = timezone.now()
    public = ArticlePageFactory(parent=blog_page, title="Public collagen", category=category)
    hidden = {
        "draft": ArticlePageFactory(parent=blog_page, title="Draft collagen", category=category, live=False),
        "private": ArticlePageFactory(parent=blog_page, title="Private collagen", category=category),
        "expired": ArticlePageFactory(
            parent=blog_page,
            title="Expired collagen",
            category=category,
            expire_at=now - datetime.timedelta(hours=1),
        ),
        "scheduled": ArticlePageFactory(
            parent=blog_page,
            title="Scheduled collagen",
            category=category,
            live=False,
            go_live_at=now + datetime.timedelta(days=1),
        ),
    }
    PageViewRestriction.objects.create(
        page=hidden["private"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return public, hidden


def titles(items):
    return {item["title"] for item in items}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_listed(client, matrix, kind):
    public, hidden = matrix
    items = client.get("/api/v3/articles/").json()["items"]
    assert public.title in titles(items)
    assert hidden[kind].title not in titles(items)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_have_no_detail(client, matrix, kind):
    _public, hidden = matrix
    assert client.get(f"/api/v3/articles/{hidden[kind].pk}/").status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_found_by_search(client, matrix, kind):
    _public, hidden = matrix
    items = client.get("/api/v3/articles/", {"search": "collagen"}).json()["items"]
    assert hidden[kind].title not in titles(items)
    assert "Public collagen" in titles(items)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_related(client, matrix, kind):
    public, hidden = matrix
    related = client.get(f"/api/v3/articles/{public.pk}/").json()["related"]
    assert hidden[kind].title not in titles(related)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_in_a_delta_sync(client, matrix, kind):
    _public, hidden = matrix
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    items = client.get("/api/v3/articles/", {"updated_since": since}).json()["items"]
    assert hidden[kind].title not in titles(items)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_articles_are_not_in_wagtails_own_pages_endpoint(client, matrix, kind):
    _public, hidden = matrix
    # Anonymous clients cannot read Wagtail's pages endpoints at all (they are for editors' tokens).
    assert client.get("/api/v3/pages/", {"type": "articles.ArticlePage"}).status_code == 401
    assert client.get(f"/api/v3/pages/{hidden[kind].pk}/").status_code == 401


def sync(client, since):
    response = client.get("/api/v3/articles/", {"updated_since": since})
    assert response.status_code == 200
    return response.json()


def test_delta_sync_after_publish_unpublish_and_delete(client, blog_page, django_capture_on_commit_callbacks):
    keep = ArticlePageFactory(parent=blog_page, title="Keeps")
    to_unpublish = ArticlePageFactory(parent=blog_page, title="Unpublished later")
    to_delete = ArticlePageFactory(parent=blog_page, title="Deleted later")
    first = sync(client, "2000-01-01T00:00:00Z")
    assert titles(first["items"]) == {"Keeps", "Unpublished later", "Deleted later"}
    since = first["server_time"]

    # Nothing new yet; that answer is cached (read_twice checks it), and must not outlive the changes.
    unchanged = read_twice(client, "/api/v3/articles/", {"updated_since": since}).json()
    assert (unchanged["items"], unchanged["removed_ids"]) == ([], [])

    with django_capture_on_commit_callbacks(execute=True):  # as a real commit would
        keep.title = "Keeps, edited"
        keep.save_revision().publish()
        to_unpublish.unpublish()
        deleted_id = to_delete.pk
        to_delete.delete()
        new = ArticlePageFactory(parent=blog_page, title="Brand new")

    delta = read_fresh_then_cached(client, "/api/v3/articles/", {"updated_since": since}).json()
    assert titles(delta["items"]) == {"Keeps, edited", "Brand new"}
    assert delta["removed_ids"] == sorted([to_unpublish.pk, deleted_id])
    assert new.pk not in delta["removed_ids"]


def test_republishing_takes_an_article_off_the_removed_list(
    client, blog_page, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=blog_page, title="Back again")
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
        article.save_revision().publish()

    delta = sync(client, since)
    assert titles(delta["items"]) == {"Back again"}
    assert delta["removed_ids"] == []
