"""
Record when articles may have appeared or disappeared other than by a publish, for apps that sync
an offline copy (`updated_since`, see ArticleVisibilityChange); give every new blog the medical
review.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Workflow, WorkflowPage
from wagtail.signals import page_unpublished, post_page_move, pre_page_move

from .models import (
    EDITORS_GROUP,
    REVIEWERS_GROUP,
    ArticlePage,
    ArticleVisibilityChange,
    BlogIndexPage,
    MedicalReviewTask,
)

# What each group may do on a blog (the data migration grants the same on the blogs it finds).
BLOG_RIGHTS = {EDITORS_GROUP: ("add", "change"), REVIEWERS_GROUP: ("change", "publish")}


@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
def record_removal(sender, instance, **kwargs):
    ArticleVisibilityChange.record([instance.pk])


def live_articles_at_or_below(page):
    return ArticlePage.objects.live().descendant_of(page, inclusive=True)


@receiver(post_save, sender=PageViewRestriction)
def record_made_private(sender, instance, created, raw=False, **kwargs):
    # Those it hides: public until now. (A changed password or group list hides nothing new; a
    # restored backup, raw, changes nothing.)
    if created and not raw:
        articles = live_articles_at_or_below(instance.page).public_ignoring(instance)
        ArticleVisibilityChange.record(articles.values_list("pk", flat=True))


@receiver(post_delete, sender=PageViewRestriction)
def record_made_public(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted with its page: the articles record their own deletion
        return
    articles = live_articles_at_or_below(page).public()
    ArticleVisibilityChange.record(articles.values_list("pk", flat=True))


@receiver(pre_page_move)
@receiver(post_page_move)
def record_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    # Under another parent, articles may change site, or come into or out of a private section:
    # those public before the move and those public after it.
    if parent_page_before.pk != parent_page_after.pk:
        articles = live_articles_at_or_below(instance).public()
        ArticleVisibilityChange.record(articles.values_list("pk", flat=True))


@receiver(post_save, sender=BlogIndexPage)
def set_up_medical_review(sender, instance, created, raw=False, **kwargs):
    """
    A new blog's articles go through the medical review: the blog gets the workflow, editors may
    add and edit its articles, and reviewers edit and publish them. (Nothing happens where the data
    migration's groups or workflow are missing, e.g. in a database emptied by a test.)
    """
    if not created or raw:
        return
    workflow = (
        Workflow.objects.active()
        .filter(workflow_tasks__task__content_type=ContentType.objects.get_for_model(MedicalReviewTask))
        .first()
    )
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=instance, defaults={"workflow": workflow})
    page_type = ContentType.objects.get_for_model(Page)
    for group in Group.objects.filter(name__in=BLOG_RIGHTS):
        for action in BLOG_RIGHTS[group.name]:
            permission = Permission.objects.get(content_type=page_type, codename=f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=permission)
