"""Keep a record of articles that stop being public, for apps that sync an offline copy."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import ArticlePage, ArticleRemoval


@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
def record_removal(sender, instance, **kwargs):
    ArticleRemoval.objects.create(page_id=instance.pk)


@receiver(page_published, sender=ArticlePage)
def forget_removal(sender, instance, **kwargs):
    # Published again: it is in the "changed" list now, so it must not also read as removed.
    ArticleRemoval.objects.filter(page_id=instance.pk).delete()
