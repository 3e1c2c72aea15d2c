"""
Indexes of pages' publishing and expiry times, so that the API's sync cursor
(ArticlePageQuerySet.last_change: the newest of each) reads one entry from the end of each instead
of every article (issue #15). Wagtail's page table is not this app's: plain SQL, which SQLite and
PostgreSQL both understand. Each holds the pages that have that time only: a listing's filter
(`expire_at IS NULL OR expire_at > now`) cannot use it, and keeps reading its own index in order.
"""

from django.db import migrations

PAGES = "wagtailcore_page"
INDEXES = {
    "articles_page_last_published_idx": "last_published_at",
    "articles_page_expire_at_idx": "expire_at",
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_listing_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {PAGES} ({column}) WHERE {column} IS NOT NULL",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, column in INDEXES.items()
    ]
