"""
Scheduled publishing and expiry, on time, with no cron and no one running `publish_scheduled`.

Wagtail records a schedule and leaves acting on it to its `publish_scheduled` command, run from
cron. Here each schedule queues its own background task, due at that very moment, which the worker
(`manage.py db_worker`, see README "Background tasks") runs then:

- a revision scheduled to go live (Wagtail sets its `approved_go_live_at`) queues
  `publish_scheduled_revision(revision_id)`, due at `approved_go_live_at`;
- an object published with an expiry (`expire_at`) queues `expire_object(model, pk)`, due at
  `expire_at`.

Each task looks again when it runs, under a row lock, and acts only if the schedule still stands
and is due: a schedule cancelled meanwhile leaves a task that does nothing, a schedule moved later
queues a new task and leaves the old one nothing to do, and a task that runs twice (or two workers
at once) publishes once. `schedule_pending()` (run by `migrate_site`, so by every `make run` and
deploy) queues tasks for schedules made before this existed or while tasks could not be queued;
overdue ones run at once. Publishing and unpublishing go through Wagtail, so its signals, the log
("published/unpublished by schedule"), the public cache and webhooks follow as they would for an
editor.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from wagtail.models import DraftStateMixin, Page, Revision
from wagtail.signals import page_published, published

logger = logging.getLogger(__name__)


@task()
def publish_scheduled_revision(revision_id):
    """Publish a revision whose go-live time has come, unless its schedule was cancelled or moved."""
    with transaction.atomic():
        revision = (
            Revision.objects.select_for_update()
            .filter(pk=revision_id, approved_go_live_at__lte=timezone.now())
            .first()
        )
        if revision is None:
            return False
        # Publishing clears approved_go_live_at: a second run finds nothing to do.
        revision.publish(log_action="wagtail.publish.scheduled")
        return True


@task()
def expire_object(model_label, pk):
    """Unpublish a live object whose expiry time has come, unless it was moved later or removed."""
    model = apps.get_model(model_label)
    with transaction.atomic():
        instance = (
            model.objects.select_for_update().filter(pk=pk, live=True, expire_at__lte=timezone.now()).first()
        )
        if instance is None:
            return False
        instance.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
        return True


def _already_queued(task_obj, run_after, args):
    """Whether the database queue already holds this very task, not run yet (no duplicates)."""
    if not isinstance(task_obj.get_backend(), DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task_obj.module_path, run_after=run_after
    )
    return any(result.args_kwargs.get("args") == list(args) for result in waiting)


def _queue_at(task_obj, run_after, *args):
    """Queue `task_obj(*args)` to run at `run_after`, once the current transaction has committed."""

    def enqueue():
        if not task_obj.get_backend().supports_defer:
            # The immediate backend of the tests: it cannot wait, and running now would do nothing.
            logger.debug(
                "Not scheduling %s%r: its task backend cannot run a task later.", task_obj.name, args
            )
            return
        if not _already_queued(task_obj, run_after, args):
            task_obj.using(run_after=run_after).enqueue(*args)

    transaction.on_commit(enqueue, robust=True)


def _model_label(instance):
    # Pages are unpublished as Wagtail's command does, through the base Page (whatever their type).
    return "wagtailcore.page" if isinstance(instance, Page) else instance._meta.label_lower


def schedule_go_live(revision):
    if revision.approved_go_live_at is not None:
        _queue_at(publish_scheduled_revision, revision.approved_go_live_at, revision.pk)


def schedule_expiry(instance):
    if instance.live and instance.expire_at is not None:
        _queue_at(expire_object, instance.expire_at, _model_label(instance), instance.pk)


def _on_revision_saved(sender, instance, **kwargs):
    schedule_go_live(instance)


def _on_published(sender, instance, **kwargs):
    schedule_expiry(instance)


def schedule_pending():
    """Queue a task for every go-live and expiry schedule in the database (those queued already excepted)."""
    revisions = list(Revision.objects.filter(approved_go_live_at__isnull=False))
    for revision in revisions:
        schedule_go_live(revision)
    expiring = 0
    for model in [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]:
        for instance in model.objects.filter(live=True, expire_at__isnull=False):
            schedule_expiry(instance)
            expiring += 1
    return len(revisions), expiring


def connect_scheduling():
    """Queue the tasks whenever Wagtail records a schedule (CmsConfig.ready)."""
    post_save.connect(_on_revision_saved, sender=Revision, dispatch_uid="scheduling-go-live")
    # `published` covers pages and snippets; copying a live page sends only `page_published`.
    published.connect(_on_published, dispatch_uid="scheduling-expiry")
    page_published.connect(_on_published, dispatch_uid="scheduling-expiry-page")
