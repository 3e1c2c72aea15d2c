"""
Fill the blog with published copies of the demo articles, for measuring how costs grow with the
archive (`make bench`): `manage.py seed_articles 10000` takes about a minute where Page.copy()
would take an hour.
"""

import datetime
import time
import uuid

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from articles.models import ArticleAuthor, ArticlePage, ArticlePageTag

# Page columns each copy gets its own value for; every other column is copied from its seed.
OWN_PAGE_COLUMNS = (
    "path",
    "numchild",
    "translation_key",
    "slug",
    "slug_en",
    "slug_ta",
    "url_path",
    "url_path_en",
    "url_path_ta",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "live_revision_id",
    "latest_revision_id",
)
OWN_ARTICLE_COLUMNS = ("page_ptr_id", "date")


class Command(BaseCommand):
    help = (
        "Add published copies of the blog's live articles (in turn; in English and, where they have "
        "it, Tamil; with their authors and tags) until it holds TOTAL articles, each a day older "
        "than the last, then rebuild the search index. "
        "Rows are inserted in bulk: no signals, webhooks or revisions (as pages loaded from a fixture: "
        "the first edit in the admin makes one). For benchmarks on a throwaway database, never on the "
        "clinic's own."
    )

    def add_arguments(self, parser):
        parser.add_argument("total", type=int, help="How many articles the blog should hold in all.")
        parser.add_argument(
            "--skip-index", action="store_true", help="Leave the search index as it is (faster)."
        )

    def handle(self, *args, total, skip_index, **options):
        started = time.monotonic()
        # The articles someone wrote: earlier copies have no revision.
        seeds = list(ArticlePage.objects.live().filter(latest_revision__isnull=False).order_by("path"))
        if not seeds:
            raise CommandError("No live article to copy: run load_demo_content first.")
        blog = seeds[0].get_parent()
        existing = ArticlePage.objects.child_of(blog).count()
        added = 0
        with transaction.atomic():
            added = self.add_copies(blog, seeds, total - existing)
        if added and not skip_index:
            call_command("update_index", verbosity=0)
        if added and connection.vendor == "postgresql":
            # The planner's statistics still describe the blog before the copies (a handful of
            # rows) until autovacuum gets to it, a minute later or never where it is off: without
            # them PostgreSQL plans for four articles, and a search takes seconds.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if options["verbosity"]:
            self.stdout.write(
                f"Added {added} articles (the blog holds {existing + added}) "
                f"in {time.monotonic() - started:.0f} s."
            )

    def add_copies(self, blog, seeds, count):
        if count <= 0:
            return 0
        last_child = blog.get_last_child()
        first_step = ArticlePage._str2int(last_child.path[-ArticlePage.steplen :]) + 1 if last_child else 1
        oldest = min(seed.date for seed in seeds)
        copies = []  # (seed, path, date, number)
        for offset in range(count):
            seed = seeds[offset % len(seeds)]
            path = ArticlePage._get_path(blog.path, blog.depth + 1, first_step + offset)
            copies.append((seed, path, oldest - datetime.timedelta(days=offset + 1), first_step + offset))

        self.insert_rows(blog, copies)
        page_ids = dict(
            ArticlePage.objects.filter(path__in=[path for _seed, path, _date, _n in copies]).values_list(
                "path", "pk"
            )
        )
        self.copy_relations(copies, page_ids)
        blog.numchild += count
        blog.save(update_fields=["numchild"])
        return count

    def insert_rows(self, blog, copies):
        page_table, article_table = Page._meta.db_table, ArticlePage._meta.db_table
        page_copied = [
            f.column for f in Page._meta.concrete_fields if f.column not in ("id", *OWN_PAGE_COLUMNS)
        ]
        article_copied = [
            f.column for f in ArticlePage._meta.local_concrete_fields if f.column not in OWN_ARTICLE_COLUMNS
        ]
        quote = connection.ops.quote_name
        page_sql = (
            f"INSERT INTO {page_table} ({', '.join(map(quote, (*OWN_PAGE_COLUMNS, *page_copied)))}) "
            f"SELECT {', '.join(['%s'] * len(OWN_PAGE_COLUMNS))}, {', '.join(map(quote, page_copied))} "
            f"FROM {page_table} WHERE id = %s"
        )
        copied = ", ".join(map(quote, article_copied))
        article_sql = (
            f"INSERT INTO {article_table} ({', '.join(map(quote, OWN_ARTICLE_COLUMNS))}, {copied}) "
            f"SELECT (SELECT id FROM {page_table} WHERE path = %s), %s, {copied} "
            f"FROM {article_table} WHERE page_ptr_id = %s"
        )
        key_field = ArticlePage._meta.get_field("translation_key")
        ops = connection.ops
        page_rows, article_rows = [], []
        for seed, path, date, number in copies:
            slug_en = f"{seed.slug_en}-{number}"
            slug_ta = f"{seed.slug_ta}-{number}" if seed.slug_ta else None
            published = ops.adapt_datetimefield_value(
                timezone.make_aware(datetime.datetime.combine(date, datetime.time(9)))
            )
            page_rows.append(
                (
                    path,
                    0,
                    key_field.get_db_prep_value(uuid.uuid4(), connection),
                    slug_en,
                    slug_en,
                    slug_ta,
                    f"{blog.url_path_en}{slug_en}/",
                    f"{blog.url_path_en}{slug_en}/",
                    f"{blog.url_path_ta}{slug_ta or slug_en}/" if blog.url_path_ta else None,
                    published,
                    published,
                    published,
                    None,
                    None,
                    seed.pk,
                )
            )
            article_rows.append((path, ops.adapt_datefield_value(date), seed.pk))
        with connection.cursor() as cursor:
            cursor.executemany(page_sql, page_rows)
            cursor.executemany(article_sql, article_rows)

    def copy_relations(self, copies, page_ids):
        """Each copy's authors (in order) and tags, as its seed's."""
        seed_ids = {seed.pk for seed, *_rest in copies}
        authors, tags = {pk: [] for pk in seed_ids}, {pk: [] for pk in seed_ids}
        for link in ArticleAuthor.objects.filter(page_id__in=seed_ids).order_by("sort_order", "pk"):
            authors[link.page_id].append(link)
        for tagged in ArticlePageTag.objects.filter(content_object_id__in=seed_ids):
            tags[tagged.content_object_id].append(tagged.tag_id)
        new_links, new_tags = [], []
        for seed, path, _date, _number in copies:
            page_id = page_ids[path]
            new_links += [
                ArticleAuthor(page_id=page_id, author_id=link.author_id, sort_order=link.sort_order)
                for link in authors[seed.pk]
            ]
            new_tags += [ArticlePageTag(content_object_id=page_id, tag_id=tag_id) for tag_id in tags[seed.pk]]
        ArticleAuthor.objects.bulk_create(new_links, batch_size=1000)
        ArticlePageTag.objects.bulk_create(new_tags, batch_size=1000)
