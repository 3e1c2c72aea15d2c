"""
Keep a record of articles that stop being public, for apps that sync an offline copy; give every
new blog the medical review.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage
from wagtail.signals import page_published, page_unpublished

from .models import (
    EDITORS_GROUP,
    REVIEWERS_GROUP,
    ArticlePage,
    ArticleRemoval,
    BlogIndexPage,
    MedicalReviewTask,
)

# What each group may do on a blog (the data migration grants the same on the blogs it finds).
BLOG_RIGHTS = {EDITORS_GROUP: ("add", "change"), REVIEWERS_GROUP: ("change", "publish")}


@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
def record_removal(sender, instance, **kwargs):
    ArticleRemoval.objects.create(page_id=instance.pk)


@receiver(page_published, sender=ArticlePage)
def forget_removal(sender, instance, **kwargs):
    # Published again: it is in the "changed" list now, so it must not also read as removed.
    ArticleRemoval.objects.filter(page_id=instance.pk).delete()


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
