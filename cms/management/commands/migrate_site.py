"""Bring the database fully up to date: migrations, then the translated Page columns and URL paths."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from cms.pages import index_translated_slugs


class Command(BaseCommand):
    help = (
        "Run every step a database needs after a deploy or a new language: `migrate --noinput` "
        "(which also adds Page's per-language columns), index the per-language slug columns, "
        "`update_translation_fields` and "
        "`set_translation_url_paths`, then `schedule_publishing` (queue every scheduled go-live and "
        "expiry). Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        # wagtail-modeltranslation's migrate adds Page's _<lang> columns with raw ALTER TABLE and
        # would prompt for it; --noinput answers for us.
        call_command("migrate", interactive=False, verbosity=verbosity)
        # Routing finds a page's child by its slug in the active language: index those columns.
        index_translated_slugs(connection)
        # Pages created before a language existed have empty default-language columns otherwise.
        call_command("update_translation_fields", verbosity=verbosity)
        # ...and url_path_<lang> values that routing relies on.
        call_command("set_translation_url_paths", verbosity=verbosity)
        # Schedules made while tasks could not be queued (or before they were) get their tasks.
        call_command("schedule_publishing", verbosity=verbosity)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Database schema and translated page paths are up to date."))
