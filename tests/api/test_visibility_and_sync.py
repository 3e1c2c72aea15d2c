"""Nothing that is not public leaks through the API, and offline apps can sync by delta."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from articles.models import ArticleCategory, ArticlePage, ArticleVisibilityChange, Author
from tests.factories import (
    ArticleCategoryFactory,
    ArticlePageFactory,
    AuthorFactory,
    BlogIndexPageFactory,
    HomePageFactory,
)
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


# Delta sync: what leaves (or comes back) without a publish --------------------------------------


def make_private(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def test_an_article_made_private_is_removed_and_comes_back_when_public_again(
    client, blog_page, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=blog_page, title="Soon private")
    ArticlePageFactory(parent=blog_page, title="Stays public")
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]

    with django_capture_on_commit_callbacks(execute=True):
        restriction = make_private(article)
    made_private = sync(client, since)
    assert (made_private["items"], made_private["removed_ids"]) == ([], [article.pk])
    assert client.get(f"/api/v3/articles/{article.pk}/").status_code == 404

    since = made_private["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    public_again = sync(client, since)
    assert titles(public_again["items"]) == {"Soon private"}
    assert public_again["removed_ids"] == []


def test_articles_under_a_page_made_private_are_removed(
    client, blog_page, django_capture_on_commit_callbacks
):
    articles = ArticlePageFactory.create_batch(3, parent=blog_page)
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=blog_page, restriction_type=PageViewRestriction.PASSWORD, password="clinic-staff"
        )
    delta = sync(client, since)
    assert delta["items"] == []
    assert delta["removed_ids"] == sorted(article.pk for article in articles)


def test_an_article_private_all_along_is_never_named(client, blog_page, django_capture_on_commit_callbacks):
    private = ArticlePageFactory(parent=blog_page, title="Private all along")
    make_private(private)
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        make_private(blog_page)  # hides nothing that was public
        blog_page.title = "The clinic's blog"
        blog_page.save_revision().publish()
    delta = sync(client, since)
    assert (delta["items"], delta["removed_ids"]) == ([], [])


def test_an_expired_article_is_removed_before_the_scheduler_runs(client, blog_page):
    article = ArticlePageFactory(
        parent=blog_page, title="Expiring", expire_at=timezone.now() + datetime.timedelta(days=1)
    )
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now())  # its time has come
    delta = sync(client, since)
    assert delta["removed_ids"] == [article.pk]
    assert client.get(f"/api/v3/articles/{article.pk}/").status_code == 404

    call_command("publish_scheduled")  # unpublishes it: still removed, once
    assert sync(client, since)["removed_ids"] == [article.pk]
    assert sync(client, delta["server_time"])["removed_ids"] == [article.pk]  # the unpublishing itself


def test_an_article_moved_to_another_sites_blog_leaves_one_and_joins_the_other(
    client, blog_page, django_capture_on_commit_callbacks
):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="second-clinic")
    Site.objects.create(hostname="second.example", port=80, root_page=other_home)
    other_blog = BlogIndexPageFactory(parent=other_home)
    article = ArticlePageFactory(parent=blog_page, title="Moving house")
    here, there = {}, {"HTTP_HOST": "second.example"}
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    assert client.get("/api/v3/articles/", {"updated_since": since}, **there).json()["items"] == []

    with django_capture_on_commit_callbacks(execute=True):
        article.move(other_blog, pos="last-child")

    left = client.get("/api/v3/articles/", {"updated_since": since}, **here).json()
    assert (left["items"], left["removed_ids"]) == ([], [article.pk])
    joined = client.get("/api/v3/articles/", {"updated_since": since}, **there).json()
    assert (titles(joined["items"]), joined["removed_ids"]) == ({"Moving house"}, [])


def test_reordering_articles_changes_nothing_to_sync(client, blog_page, django_capture_on_commit_callbacks):
    first, second = ArticlePageFactory.create_batch(2, parent=blog_page)
    since = sync(client, "2000-01-01T00:00:00Z")["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        second.move(first, pos="left")
    delta = sync(client, since)
    assert (delta["items"], delta["removed_ids"]) == ([], [])


def test_a_delta_sync_runs_a_fixed_number_of_queries(
    client, blog_page, django_assert_max_num_queries, forget_cached_pages
):
    def changes(count):
        """`count` articles gone: half made private, half unpublished."""
        for number, article in enumerate(ArticlePageFactory.create_batch(count, parent=blog_page)):
            if number % 2:
                make_private(article)
            else:
                article.unpublish()

    changes(2)
    forget_cached_pages()
    with django_assert_max_num_queries(40) as few:
        assert sync(client, "2000-01-01T00:00:00Z")["removed_ids"]
    changes(6)
    forget_cached_pages()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(sync(client, "2000-01-01T00:00:00Z")["removed_ids"]) > 2


def test_server_time_is_the_newest_change_an_app_would_sync(client, blog_page):
    """
    The cursor an app passes back: the newest publish, expiry, category or author edit, or change of
    visibility of an article, not of other pages or of authors and categories without articles.
    """
    then = (timezone.now() - datetime.timedelta(days=10)).replace(microsecond=0)
    article = ArticlePageFactory(parent=blog_page)
    ArticlePageFactory(parent=blog_page, expire_at=timezone.now() + datetime.timedelta(days=1))
    Page.objects.filter(pk__in=ArticlePage.objects.values("pk")).update(last_published_at=then)
    ArticleCategory.objects.update(updated_at=then)
    Author.objects.update(updated_at=then)
    ArticleVisibilityChange.objects.all().delete()  # the site's pages made in setting up
    AuthorFactory()  # edited now, but wrote nothing
    ArticleCategoryFactory()
    blog_page.save_revision().publish()  # not an article

    def server_time():
        return ArticlePage.objects.last_change(timezone.now())

    assert server_time() == then
    Author.objects.filter(article_links__page=article).update(updated_at=then + datetime.timedelta(hours=1))
    assert server_time() == then + datetime.timedelta(hours=1)
    ArticleCategory.objects.filter(pk=article.category_id).update(
        updated_at=then + datetime.timedelta(hours=2)
    )
    assert server_time() == then + datetime.timedelta(hours=2)
    Page.objects.filter(pk=article.pk).update(expire_at=then + datetime.timedelta(hours=3))
    assert server_time() == then + datetime.timedelta(hours=3)
    ArticleVisibilityChange.objects.create(page_id=article.pk, changed_at=then + datetime.timedelta(hours=4))
    assert server_time() == then + datetime.timedelta(hours=4)
    Page.objects.filter(pk=article.pk).update(last_published_at=then + datetime.timedelta(hours=5))
    assert server_time() == then + datetime.timedelta(hours=5)

    listed = client.get("/api/v3/articles/", {"updated_since": "2000-01-01T00:00:00Z"}).json()
    assert datetime.datetime.fromisoformat(listed["server_time"]) == then + datetime.timedelta(hours=5)
