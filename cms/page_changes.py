"""
One signal, `page_changed`, for every change to what the public sees of a page: published,
unpublished, moved, made private or public, deleted. Code that follows pages elsewhere (the public
cache, webhooks) listens to it rather than to Wagtail's separate signals, which say nothing of a
page's URLs before a new slug was published and have none for a privacy change.
"""

import copy
import threading
from enum import StrEnum

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal
from django.utils import translation
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from cms.i18n import supported_languages


class PageChange(StrEnum):
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    MOVED = "moved"
    PRIVACY_CHANGED = "privacy_changed"
    DELETED = "deleted"


page_changed = Signal()
"""
Sent inside the transaction that makes the change (whatever acts outside the database waits for
transaction.on_commit), once per change, with:

- `sender`: the page's specific class; `page`: the page, as it is now (as it was, once deleted);
- `change`: a PageChange (a move within the same parent, which changes no URL, is MOVED too);
- `old_url_paths`: {language: url_path} before the change. For PUBLISHED, the paths of the page as
  it was live, or None if it was not (a first publish); a publish that changed a slug changed them.
- `revision` and `previous_revision_id` (PUBLISHED only): the revision published, and the id of the
  one that was live before (None if none was).

The page's descendants change with it (their URLs move, privacy is inherited): receivers that care
look below `page`.
"""


def url_path_fields():
    return [f"url_path_{language}" for language in supported_languages()]


def url_paths(page):
    """{language: the page's url_path in that language} (wagtail-modeltranslation keeps one each)."""
    return {language: getattr(page, f"url_path_{language}") for language in supported_languages()}


def full_urls(page, paths=None):
    """
    {language: the page's full URL in that language}, as Page.get_full_url gives it (None where the
    page is in no site); with `paths`, the URLs it had at those url_paths.
    """
    if paths is not None:
        page = copy.copy(page)
        for language, path in paths.items():
            setattr(page, f"url_path_{language}", path)
    urls = {}
    for language in supported_languages():
        with translation.override(language):
            urls[language] = page.get_full_url()
    return urls


# What a page was before a save or a move, kept between the signals before and after it (per
# thread: a request or a task changes one page at a time). Two stores, because a move saves the page
# (and wagtail-modeltranslation saves it again) between its own two signals.
_before = threading.local()


def _store(name):
    if not hasattr(_before, name):
        setattr(_before, name, {})
    return getattr(_before, name)


def _remember_live_state(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a live page is saved (as a publish does), note its live URL paths and revision."""
    if raw or instance.pk is None or not issubclass(sender, Page) or update_fields is not None:
        return
    row = (
        Page.objects.filter(pk=instance.pk, live=True).values("live_revision_id", *url_path_fields()).first()
    )
    _store("saved")[instance.pk] = row


def _on_publish(sender, instance, revision=None, **kwargs):
    row = _store("saved").pop(instance.pk, None)
    old_paths = {language: row[f"url_path_{language}"] for language in supported_languages()} if row else None
    page_changed.send(
        sender=sender,
        page=instance,
        change=PageChange.PUBLISHED,
        old_url_paths=old_paths,
        revision=revision,
        previous_revision_id=row["live_revision_id"] if row else None,
    )


def _on_unpublish(sender, instance, **kwargs):
    page_changed.send(
        sender=sender, page=instance, change=PageChange.UNPUBLISHED, old_url_paths=url_paths(instance)
    )


def _remember_paths_before_move(sender, instance, **kwargs):
    _store("moved")[instance.pk] = url_paths(instance)


def _on_move(sender, instance, **kwargs):
    old_paths = _store("moved").pop(instance.pk, None) or url_paths(instance)
    page_changed.send(sender=sender, page=instance.specific, change=PageChange.MOVED, old_url_paths=old_paths)


def _on_delete(sender, instance, **kwargs):
    # A page is deleted row by row down its class's parents (ArticlePage, then Page): send once, for
    # the page's own class.
    if issubclass(sender, Page) and sender is (instance.specific_class or Page):
        page_changed.send(
            sender=sender, page=instance, change=PageChange.DELETED, old_url_paths=url_paths(instance)
        )


def _on_privacy_change(sender, instance, raw=False, **kwargs):
    # Deleting a page deletes its restrictions first, while it still exists: receivers that act after
    # the commit find it gone (and the page's own DELETED follows).
    page = None if raw else Page.objects.filter(pk=instance.page_id).first()  # raw: a backup restored
    if page is not None:
        page = page.specific
        page_changed.send(
            sender=type(page), page=page, change=PageChange.PRIVACY_CHANGED, old_url_paths=url_paths(page)
        )


def connect_page_changes():
    """Listen to Wagtail's and Django's signals once, and send `page_changed` for them (CmsConfig.ready)."""
    pre_save.connect(_remember_live_state, dispatch_uid="page-changes-pre-save")
    page_published.connect(_on_publish, dispatch_uid="page-changes-published")
    page_unpublished.connect(_on_unpublish, dispatch_uid="page-changes-unpublished")
    pre_page_move.connect(_remember_paths_before_move, dispatch_uid="page-changes-pre-move")
    post_page_move.connect(_on_move, dispatch_uid="page-changes-moved")
    post_delete.connect(_on_delete, dispatch_uid="page-changes-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_privacy_change, sender=PageViewRestriction, dispatch_uid=f"page-changes-privacy-{id(signal)}"
        )
