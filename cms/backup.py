"""
The whole site in one archive, and back: `manage.py backup_site` and `manage.py restore_site`.

An archive is a .tar.gz holding `manifest.json` (format, date, versions, the migrations the data
was written at, the number of rows per model and of media files), `data.json` (Django's dumpdata
of every table that holds content: pages with their revisions, snippets, settings, users and
groups, workflows, redirects...; foreign keys to content types and permissions by natural key) and
`media/<name>`: every file the data refers to, read and written through the default storage (so S3
works too). Left out, as they are rebuilt or belong to the moment: content types and permissions
(made by migrate), sessions, sign-in failures, the task queue, the search and reference indexes,
image renditions (made again on first use) and live editing sessions.

Apps register the models that hold patients' data (register_patient_data); `--without-patient-data`
leaves those out, with their history in the admin's log.
"""

import datetime
import json
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.cache import caches
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers import json as json_serializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

FORMAT = 1

# Never in an archive: made by migrate, or rebuilt after a restore, or of the moment.
NOT_BACKED_UP = [
    "contenttypes",
    "auth.Permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "wagtailsearch",
    "wagtailcore.ReferenceIndex",
    "wagtailimages.Rendition",
    "wagtailadmin.EditingSession",
]
# Kept when restoring (the archive's natural keys point to them); every other table is emptied.
KEPT_ON_RESTORE = {"contenttypes.ContentType", "auth.Permission"}

_patient_data = set()

# Their ids depend on the order apps were installed and migrated in: by natural key, they find the
# same rows in another database. Every other relation keeps its id, as the rows keep theirs (a
# page's natural key, its url_path, is neither unique nor translated).
SERIALIZATION_FORMAT = "clinic-backup"
BY_NATURAL_KEY = {"contenttypes.ContentType", "auth.Permission"}


class Serializer(json_serializer.Serializer):
    """
    Django's JSON, with content types and permissions by natural key (BY_NATURAL_KEY), and times to
    the microsecond (Django's JSON stops at the millisecond: a sync cursor would move back).
    """

    def handle_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime):
            self._current[field.name] = value.isoformat()
        else:
            super().handle_field(obj, field)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model._meta.label in BY_NATURAL_KEY
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model._meta.label in BY_NATURAL_KEY
        super().handle_m2m_field(obj, field)


Deserializer = json_serializer.Deserializer  # reads natural keys and ids alike


def register_patient_data(*models_):
    """Models whose rows hold patients' data, left out by `backup_site --without-patient-data`."""
    _patient_data.update(model._meta.label for model in models_)


def patient_data_labels():
    return sorted(_patient_data)


# Writing -------------------------------------------------------------------------------------------


def write_backup(path, without_patient_data=False):
    """Write the archive to `path`; return its manifest."""
    excluded = NOT_BACKED_UP + (patient_data_labels() if without_patient_data else [])
    with tempfile.TemporaryDirectory() as workdir:
        data_path = Path(workdir) / "data.json"
        serializers.register_serializer(SERIALIZATION_FORMAT, __name__)
        with snapshot():
            call_command(
                "dumpdata",
                format=SERIALIZATION_FORMAT,
                exclude=excluded,
                use_base_manager=True,
                output=str(data_path),
                verbosity=0,
            )
        objects = json.loads(data_path.read_text(encoding="utf-8"))
        if without_patient_data:
            objects = without_history_of(objects, patient_data_labels())
            data_path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
        referenced = sorted(referenced_files(objects))
        files = [name for name in referenced if default_storage.exists(name)]
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "versions": versions(),
            "migrations": applied_migrations(),
            "without_patient_data": without_patient_data,
            "counts": dict(sorted(Counter(item["model"] for item in objects).items())),
            "media_files": len(files),
            # Named by the data but not in the storage (lost before, or deleted during the backup).
            "missing_media_files": sorted(set(referenced) - set(files)),
        }
        with tarfile.open(path, "w:gz") as archive:
            add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(data_path, "data.json")
            for name in files:
                with default_storage.open(name, "rb") as file:
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = default_storage.size(name)
                    archive.addfile(info, file)
    return manifest


@contextmanager
def snapshot():
    """One transaction that sees the database as it was when it began, while the site goes on."""
    connection = connections[DEFAULT_DB_ALIAS]
    # PostgreSQL's default, read committed, would let each query see later commits; inside a
    # transaction already begun (a test's), the isolation level is that one's.
    isolate = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if isolate:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def without_history_of(objects, labels):
    """`objects` without the admin's log entries about rows of the models `labels` name."""
    left_out = {tuple(label.lower().split(".")) for label in labels}
    return [
        item
        for item in objects
        if not (
            item["model"] == "wagtailcore.modellogentry" and tuple(item["fields"]["content_type"]) in left_out
        )
    ]


def referenced_files(objects):
    """The names of the stored files that the rows in `objects` refer to (their FileFields)."""
    names = set()
    for item in objects:
        model = apps.get_model(item["model"])
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and item["fields"].get(field.name):
                names.add(item["fields"][field.name])
    return names


def add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, BytesIO(content))


def versions():
    return {"django": django.__version__, "wagtail": wagtail.__version__}


def applied_migrations():
    """Each app's applied migrations, by name: the schema the data was written in."""
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    by_app = {}
    for app, name in sorted(applied):
        by_app.setdefault(app, []).append(name)
    return by_app


# Restoring -----------------------------------------------------------------------------------------


def read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as error:
        raise CommandError(f"Not a site backup (no readable manifest.json): {error}") from error
    if manifest.get("format") != FORMAT:
        raise CommandError(
            f"Backup format {manifest.get('format')} is not {FORMAT}, the one this code reads."
        )
    return manifest


def missing_migrations(manifest):
    """Migrations the archive's data was written after that this database has not run."""
    here = applied_migrations()
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in here.get(app, [])
    ]


def site_content():
    """What in the database is more than migrate_site makes: a reason to refuse a restore over it."""
    found = {
        "users": get_user_model().objects.count(),
        "pages": Page.objects.filter(depth__gt=2).count()
        + Page.objects.filter(depth=2)
        .exclude(content_type__model="page", content_type__app_label="wagtailcore")
        .count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }
    return {what: count for what, count in found.items() if count}


def restore_backup(path, force=False):
    """
    Replace the database's content and the media files named in the archive at `path` with the
    archive's, in one transaction; refuse a database with content of its own unless `force`.
    """
    with tarfile.open(path, "r:gz") as archive:
        manifest = read_manifest(archive)
        missing = missing_migrations(manifest)
        if missing:
            raise CommandError(
                "This backup was written by a newer version of the site: run its code, then "
                f"`manage.py migrate_site`. Not applied here: {', '.join(missing[:5])}"
            )
        content = site_content()
        if content and not force:
            summary = ", ".join(f"{count} {what}" for what, count in content.items())
            raise CommandError(
                f"The database has content of its own ({summary}); restore into an empty one "
                "(`manage.py migrate_site` on a new database), or pass --force to replace it."
            )
        with tempfile.TemporaryDirectory() as workdir:
            data_path = Path(workdir) / "data.json"
            data_path.write_bytes(archive.extractfile("data.json").read())
            with transaction.atomic():
                empty_tables()
                call_command("loaddata", str(data_path), verbosity=0)
                restore_media(archive)
    after_restore()
    return manifest


def empty_tables():
    """Every table but content types, permissions and the migration history emptied, at once."""
    connection = connections[DEFAULT_DB_ALIAS]
    kept = {apps.get_model(label)._meta.db_table for label in KEPT_ON_RESTORE}
    tables = [
        name for name in connection.introspection.django_table_names(only_existing=True) if name not in kept
    ]
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=False):
            cursor.execute(statement)


def restore_media(archive):
    for member in archive.getmembers():
        if not member.isfile() or not member.name.startswith("media/"):
            continue
        name = member.name.removeprefix("media/")
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(archive.extractfile(member), name=name))
        if saved != name:
            raise CommandError(f"The storage saved {name} as {saved}")


def after_restore():
    """What the archive leaves out, made again: caches emptied, indexes rebuilt, schedules queued."""
    for cache in caches.all():
        cache.clear()
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    call_command("schedule_publishing", verbosity=0)
