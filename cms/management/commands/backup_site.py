"""Write the whole site (data and media files) to one archive: see cms/backup.py."""

from django.core.management.base import BaseCommand

from cms.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write everything needed to rebuild the site (pages with revisions, snippets, settings, "
        "translations, users and groups, and the media files they use) to one .tar.gz archive, "
        "which `restore_site` reads. It holds password hashes and, unless --without-patient-data, "
        "patients' consultation requests: keep it as private as the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="The archive to write, e.g. site.tar.gz.")
        parser.add_argument(
            "--without-patient-data",
            action="store_true",
            help="Leave out consultation requests (patients' data) and their history.",
        )

    def handle(self, *args, **options):
        manifest = write_backup(options["output"], without_patient_data=options["without_patient_data"])
        for name in manifest["missing_media_files"]:
            self.stderr.write(f"Missing from the media storage, so not in the archive: {name}")
        if options["verbosity"]:
            rows = sum(manifest["counts"].values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {options['output']}: {rows} rows of {len(manifest['counts'])} models, "
                    f"{manifest['media_files']} media files."
                )
            )
