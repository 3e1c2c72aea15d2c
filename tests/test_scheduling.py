"""
Scheduled publishing and expiry happen on time by themselves (cms/scheduling.py): the worker's queue
holds a task due at each go-live and expiry, and no one runs `manage.py publish_scheduled`.

The clock is moved, not waited for: `task_queue.run_due(at=...)` runs what the worker would run at
that moment, and `clock(at)` makes the site and the API answer as they would then.
"""

import datetime
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from articles.models import ArticlePage
from cms.scheduling import publish_scheduled_revision
from tests.factories import ArticlePageFactory

HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


@contextmanager
def clock(at):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block left for after the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def run_due(task_queue, committed):
    """Run the tasks due at `at`, committing as the worker does (the public cache then empties)."""

    def run(at):
        with committed():
            return task_queue.run_due(at=at)

    return run


@pytest.fixture
def article(blog_page):
    """A draft article, with its Tamil title and slug, never published."""
    return ArticlePageFactory(
        parent=blog_page,
        title="Sunscreen in the monsoon",
        title_ta="மழைக்காலத்தில் சன்ஸ்கிரீன்",
        slug="sunscreen-monsoon",
        slug_ta="mazhaikkaala-sunscreen",
        live=False,
    )


def publish(page, committed, **schedule):
    """Publish the page's next revision as an editor would, with go_live_at and/or expire_at set."""
    for field, value in schedule.items():
        setattr(page, field, value)
    with committed():
        page.save_revision().publish()


def visible(client, page, at):
    """What a visitor finds at `at`: the status of its English and Tamil pages and its API detail."""
    urls = []
    for language in ("en", "ta"):
        with translation.override(language):
            urls.append(page.get_url())
    assert urls[0].startswith("/en/") and urls[0].endswith("/sunscreen-monsoon/"), urls
    assert urls[1].startswith("/ta/") and urls[1].endswith("/mazhaikkaala-sunscreen/"), urls
    with clock(at):
        return (
            *(client.get(url).status_code for url in urls),
            client.get(f"/api/v3/articles/{page.pk}/").status_code,
        )


def scheduled_publications(page):
    return PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count()


def test_a_scheduled_article_goes_live_at_its_time_by_itself(client, task_queue, run_due, committed, article):
    go_live = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, go_live_at=go_live)
    assert [task.run_after for task in task_queue.waiting("publish_scheduled_revision")] == [go_live]
    assert visible(client, article, go_live - SECOND) == (404, 404, 404)  # the 404s are cached now

    assert "publish_scheduled_revision" not in run_due(go_live - SECOND)
    assert visible(client, article, go_live - SECOND) == (404, 404, 404)

    assert "publish_scheduled_revision" in run_due(go_live)
    assert visible(client, article, go_live) == (200, 200, 200)
    article.refresh_from_db()
    assert article.live and article.first_published_at == go_live
    assert scheduled_publications(article) == 1


def test_an_article_disappears_at_its_expiry_by_itself(client, task_queue, run_due, committed, article):
    expire = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, expire_at=expire)
    assert visible(client, article, expire - SECOND) == (200, 200, 200)  # and cached

    assert "expire_object" not in run_due(expire - SECOND)
    assert visible(client, article, expire - SECOND) == (200, 200, 200)

    assert "expire_object" in run_due(expire)
    article.refresh_from_db()
    assert not article.live and article.expired
    assert visible(client, article, expire) == (404, 404, 404)
    assert PageLogEntry.objects.filter(page=article, action="wagtail.unpublish.scheduled").count() == 1


def test_a_scheduled_article_expires_after_going_live(client, task_queue, run_due, committed, article):
    go_live = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, go_live_at=go_live, expire_at=go_live + 2 * HOUR)

    run_due(go_live)
    assert visible(client, article, go_live + HOUR) == (200, 200, 200)
    run_due(go_live + 2 * HOUR)
    assert visible(client, article, go_live + 2 * HOUR) == (404, 404, 404)


def test_rescheduling_later_moves_the_go_live(client, task_queue, run_due, committed, article):
    first = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, go_live_at=first)
    publish(article, committed, go_live_at=first + 2 * HOUR)

    run_due(first)  # the first schedule's task finds nothing due
    assert visible(client, article, first + HOUR) == (404, 404, 404)
    run_due(first + 2 * HOUR)
    assert visible(client, article, first + 2 * HOUR) == (200, 200, 200)
    assert scheduled_publications(article) == 1


def test_rescheduling_earlier_moves_the_go_live(client, task_queue, run_due, committed, article):
    later = timezone.now().replace(microsecond=0) + 3 * HOUR
    publish(article, committed, go_live_at=later)
    publish(article, committed, go_live_at=later - 2 * HOUR)

    run_due(later - 2 * HOUR)
    assert visible(client, article, later - 2 * HOUR) == (200, 200, 200)
    run_due(later)
    assert scheduled_publications(article) == 1


def test_moving_the_expiry_later_keeps_the_article(client, task_queue, run_due, committed, article):
    expire = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, expire_at=expire)
    publish(article, committed, expire_at=expire + 2 * HOUR)

    run_due(expire)
    assert visible(client, article, expire + HOUR) == (200, 200, 200)
    run_due(expire + 2 * HOUR)
    assert visible(client, article, expire + 2 * HOUR) == (404, 404, 404)


def test_a_cancelled_schedule_publishes_nothing(client, task_queue, run_due, committed, article):
    go_live = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, go_live_at=go_live)
    article.revisions.update(approved_go_live_at=None)  # what the admin's "Cancel scheduled publish" does

    run_due(go_live)
    assert visible(client, article, go_live) == (404, 404, 404)


def test_a_schedule_is_published_once_however_often_it_is_queued(task_queue, run_due, committed, article):
    go_live = timezone.now().replace(microsecond=0) + HOUR
    publish(article, committed, go_live_at=go_live)
    revision = article.revisions.get(approved_go_live_at=go_live)
    with committed():
        revision.save()  # saving the scheduled revision again queues no second task
        call_command("schedule_publishing", verbosity=0)  # nor does a deploy
    assert len(task_queue.waiting("publish_scheduled_revision")) == 1

    # A second task for it all the same (a worker retrying, a restored queue): it publishes once.
    publish_scheduled_revision.enqueue(revision.pk)
    run_due(go_live)
    assert scheduled_publications(article) == 1
    assert ArticlePage.objects.get(pk=article.pk).live_revision == revision


def test_a_deploy_queues_schedules_made_before_and_overdue_ones_run_at_once(
    client, task_queue, run_due, committed, article
):
    go_live = timezone.now().replace(microsecond=0) - HOUR
    article.go_live_at = go_live
    revision = article.save_revision()
    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=go_live)  # no task queued

    with committed():
        call_command("migrate_site", verbosity=0)
    run_due(timezone.now())
    assert visible(client, article, timezone.now()) == (200, 200, 200)
