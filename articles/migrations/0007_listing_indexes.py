"""
Indexes for the listing of articles (ArticlePageQuerySet.for_listing: newest date first, then id), so
that a page of the blog, of a category or of a tag, or of the API list, is read from an index at
either end instead of sorting every article (issue #15).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_article_visibility_change'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='articlepage',
            index=models.Index(fields=['date', 'page_ptr'], name='article_date_idx'),
        ),
        migrations.AddIndex(
            model_name='articlepage',
            index=models.Index(fields=['category', 'date', 'page_ptr'], name='article_category_date_idx'),
        ),
        migrations.AddIndex(
            model_name='articlepagetag',
            index=models.Index(fields=['content_object', 'tag'], name='article_tag_lookup_idx'),
        ),
    ]
