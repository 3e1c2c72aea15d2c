"""Rebuild the site from an archive `backup_site` wrote: see cms/backup.py."""

from django.core.management.base import BaseCommand

from cms.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Load an archive written by `backup_site` into this database and media storage, in one "
        "transaction, then empty the caches and rebuild the search and reference indexes. The "
        "database must be up to date (`migrate_site`) and empty of content: --force replaces "
        "whatever it holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive backup_site wrote.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the content of a database that has some."
        )

    def handle(self, *args, **options):
        manifest = restore_backup(options["archive"], force=options["force"])
        if options["verbosity"]:
            rows = sum(manifest["counts"].values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {rows} rows and {manifest['media_files']} media files from "
                    f"{options['archive']} (written {manifest['created_at']})."
                )
            )
