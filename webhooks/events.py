"""
What other channels hear of, and when: changes to live articles (through cms.page_changes, which
knows every way a page changes) and to the clinic's details and hours become events, recorded for
the subscribed endpoints once the change has committed, and delivered by the task queue.

What a page looked like before (its URLs, its previous revision) is noted in the signal, while it
still can be; everything else is read after the commit, when every handler has had its say.
"""

import json
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page, Revision

from articles.models import ArticlePage
from cms.i18n import is_empty, supported_languages, translated_fields
from cms.page_changes import PageChange, full_urls, page_changed, url_paths
from home.models import ClinicDetails, OpeningHours, OpeningHoursPage

from .models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .tasks import send_after_commit

# The page types whose changes are announced (the `page_id` of an event).
PAGE_TYPES = {ArticlePage._meta.label_lower}


@transaction.atomic
def record_event(event_type, *, occurred_at, object_type, object_id, languages, old_urls, new_urls, **extra):
    """
    Store the event for every active endpoint subscribed to its type and queue their deliveries.
    Returns it, or None when no endpoint wants it (then nothing is stored).
    """
    endpoints = WebhookEndpoint.objects.subscribed_to(event_type)
    if not endpoints:
        return None
    page_id = object_id if object_type in PAGE_TYPES else None
    event = WebhookEvent(type=event_type, page_id=page_id, created_at=occurred_at)
    event.payload = {
        "id": str(event.pk),
        "type": event_type,
        "timestamp": occurred_at.isoformat(),
        "page_id": page_id,
        "object": {"type": object_type, "id": object_id},
        "languages": languages,
        "urls": {
            language: {"old": (old_urls or {}).get(language), "new": (new_urls or {}).get(language)}
            for language in supported_languages()
        },
        **extra,
    }
    event.save()
    send_after_commit(
        WebhookDelivery.objects.bulk_create(WebhookDelivery(event=event, endpoint=e) for e in endpoints)
    )
    return event


# Articles


def on_page_changed(sender, page, change, old_url_paths, **kwargs):
    """Note what the page was, and record its events after the commit."""
    is_article = issubclass(sender, ArticlePage)
    if change in (PageChange.UNPUBLISHED, PageChange.DELETED) and not is_article:
        return  # each article below is unpublished or deleted too, and says so itself
    if change is PageChange.DELETED and not page.live:
        return  # it never was public
    urls_changed = old_url_paths is not None and old_url_paths != url_paths(page)
    if change in (PageChange.PUBLISHED, PageChange.MOVED) and not is_article and not urls_changed:
        return  # no URL below it changed
    occurred_at = timezone.now()
    old_urls = full_urls(page, old_url_paths) if old_url_paths else None
    if change is PageChange.DELETED:
        # Recorded from what is known now: once committed, the page is gone.
        callback = partial(
            record_event,
            EventType.ARTICLE_DELETED,
            occurred_at=occurred_at,
            object_type=page._meta.label_lower,
            object_id=page.pk,
            languages=supported_languages(),
            old_urls=old_urls,
            new_urls=None,
        )
    else:
        callback = partial(
            announce_page_change,
            page.pk,
            change,
            old_urls,
            occurred_at,
            revision_id=getattr(kwargs.get("revision"), "pk", None),
            previous_revision_id=kwargs.get("previous_revision_id"),
        )
    transaction.on_commit(callback, robust=True)


@transaction.atomic  # one commit for all the events a change makes
def announce_page_change(page_id, change, old_urls, occurred_at, revision_id=None, previous_revision_id=None):
    """Record the events a committed change to a page makes, for it and for the articles below it."""
    if not WebhookEndpoint.objects.filter(is_active=True).exists():
        return
    page = Page.objects.filter(pk=page_id).first()
    if page is None:  # deleted since (a privacy change that went with its page)
        return
    page = page.specific
    article = page if isinstance(page, ArticlePage) else None
    record = partial(record_event, occurred_at=occurred_at)

    if change is PageChange.UNPUBLISHED:
        record(
            EventType.ARTICLE_UNPUBLISHED,
            **about(page),
            languages=supported_languages(),
            old_urls=old_urls,
            new_urls=None,
        )
    elif change is PageChange.PRIVACY_CHANGED:
        for each in live_articles_at_or_below(page):
            urls = full_urls(each)
            record(
                EventType.ARTICLE_PRIVACY_CHANGED,
                **about(each),
                languages=supported_languages(),
                old_urls=urls,
                new_urls=urls,
                public=not each.get_view_restrictions().exists(),
            )
    elif change in (PageChange.PUBLISHED, PageChange.MOVED):
        new_urls = full_urls(page)
        if article is not None and change is PageChange.PUBLISHED:
            record(
                EventType.ARTICLE_PUBLISHED,
                **about(page),
                languages=languages_changed(page, revision_id, previous_revision_id),
                old_urls=old_urls,
                new_urls=new_urls,
            )
        if old_urls is None or old_urls == new_urls:
            return
        # The page's URLs changed, and with them those of every article below it.
        event_type = EventType.ARTICLE_MOVED if change is PageChange.MOVED else EventType.ARTICLE_SLUG_CHANGED
        for each in live_articles_at_or_below(page):
            each_new = full_urls(each)
            each_old = {
                language: moved_url(each_new[language], new_urls[language], old_urls.get(language))
                for language in supported_languages()
            }
            record(
                event_type,
                **about(each),
                languages=[
                    language for language in supported_languages() if each_old[language] != each_new[language]
                ],
                old_urls=each_old,
                new_urls=each_new,
            )


def about(page):
    return {"object_type": page._meta.label_lower, "object_id": page.pk}


def live_articles_at_or_below(page):
    if isinstance(page, ArticlePage):
        return [page] if page.live else []
    return list(ArticlePage.objects.live().descendant_of(page))


def moved_url(url, new_prefix, old_prefix):
    """A URL below a page that moved from `old_prefix` to `new_prefix`, as it was before the move."""
    if not (url and new_prefix and old_prefix) or not url.startswith(new_prefix):
        return None
    return old_prefix + url[len(new_prefix) :]


def languages_changed(page, revision_id, previous_revision_id):
    """
    The languages whose own text a publish changed, comparing the published revision with the one
    live before; every language on a first publish, or when only shared fields (date, image) changed.
    """
    languages = supported_languages()
    contents = dict(
        Revision.objects.filter(pk__in=[revision_id, previous_revision_id]).values_list("pk", "content")
    )
    before, after = contents.get(previous_revision_id), contents.get(revision_id)
    if before is None or after is None:
        return languages
    fields = [name for name in translated_fields(type(page)) if name != "url_path"]
    changed = [
        language
        for language in languages
        if any(
            comparable(before.get(f"{name}_{language}")) != comparable(after.get(f"{name}_{language}"))
            for name in fields
        )
    ]
    return changed or languages


def comparable(value):
    """
    A field's value in a revision, as two revisions of the same text compare equal: None for no text
    (None or ""), a StreamField's JSON parsed, without the block ids and key order a save may change.
    """
    if is_empty(value):
        return None
    if isinstance(value, str) and value.startswith("[{"):
        try:
            return _without_block_ids(json.loads(value))
        except ValueError:
            return value
    return value


def _without_block_ids(data):
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    if isinstance(data, dict):
        return {
            key: _without_block_ids(item) for key, item in data.items() if key != "id" or "type" not in data
        }
    return data


# The clinic


def on_clinic_changed(event_type, instance):
    """Record the clinic's change after the commit, with the opening-hours page's URLs (where it shows)."""
    transaction.on_commit(
        partial(
            announce_clinic_change,
            event_type,
            instance._meta.label_lower,
            instance.pk,
            timezone.now(),
        ),
        robust=True,
    )


@transaction.atomic
def announce_clinic_change(event_type, object_type, object_id, occurred_at):
    hours_page = OpeningHoursPage.objects.live().public().first()
    urls = full_urls(hours_page) if hours_page is not None else None
    record_event(
        event_type,
        occurred_at=occurred_at,
        object_type=object_type,
        object_id=object_id,
        languages=supported_languages(),
        old_urls=urls,
        new_urls=urls,
    )


def _on_clinic_details_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        on_clinic_changed(EventType.CLINIC_DETAILS_CHANGED, instance)


def _on_opening_hours_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        on_clinic_changed(EventType.OPENING_HOURS_CHANGED, instance)


def connect_events():
    """Listen to the changes other channels hear of (WebhooksConfig.ready)."""
    page_changed.connect(on_page_changed, dispatch_uid="webhooks-page-changed")
    post_save.connect(_on_clinic_details_saved, sender=ClinicDetails, dispatch_uid="webhooks-clinic-details")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_opening_hours_changed,
            sender=OpeningHours,
            dispatch_uid=f"webhooks-opening-hours-{id(signal)}",
        )
