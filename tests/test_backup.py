"""manage.py backup_site and restore_site: the whole site in one archive, and back into an empty one."""

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import ConsultationRequestFactory

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "is-micro-needling-effective-for-reducing-skin-pores"
# What a patient and an app see, in both languages: the API's lists, and the home page, the blog and
# the seed article (slugs as the demo content gives them).
PATHS = [
    "/api/v3/articles/?lang=en",
    "/api/v3/articles/?lang=ta",
    "/en/",
    "/ta/",
    "/en/blog/",
    "/ta/vlaipptivu/",
    f"/en/blog/{ARTICLE}/",
]


def archive_contents(path):
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        data = json.load(archive.extractfile("data.json"))
        names = [member.name for member in archive.getmembers()]
    return manifest, data, names


def comparable(text):
    """A response with what differs between two renders of the same content taken out."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    # Renditions are made again after a restore: where a file of that name was already stored, the
    # storage gave theirs a random suffix (name_AbC12dE.width-400...).
    text = re.sub(r"(/media/images/[^\"/]*?)_[A-Za-z0-9]{7}(?=\.)", r"\1", text)
    return re.sub(r'nonce="[^"]+"', "", text)


@pytest.fixture
def empty_database_url(tmp_path):
    """A new, empty database beside the test database: SQLite, or on the PostgreSQL server."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    config = connection.settings_dict
    server = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    name = f"{config['NAME']}_restored"
    with psycopg.connect(dbname="postgres", password=config["PASSWORD"], autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{server['user']}:{config['PASSWORD']}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", password=config["PASSWORD"], autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_restored_demo_site_serves_the_same_pages_and_api_in_both_languages(
    client, demo, tmp_path, empty_database_url
):
    tamil_article = client.get(f"/en/blog/{ARTICLE}/")  # its Tamil address, from the English page's link
    tamil_path = re.search(r'hreflang="ta" href="(?:https?://[^/]+)?(/ta/[^"]+)"', tamil_article.text).group(
        1
    )
    paths = [*PATHS, tamil_path]
    before = {path: f"{(r := client.get(path)).status_code}\n{r.content.decode()}" for path in paths}
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive), verbosity=0)

    # A new server: a new database brought up to date, then the archive restored into it.
    env = {key: value for key, value in os.environ.items() if "REDIS" not in key}  # its own caches
    env.update(DATABASE_URL=empty_database_url, PYTHONPATH=str(ROOT))
    restored = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.restored_site",
            str(archive),
            str(tmp_path / "media"),
            str(tmp_path / "after.json"),
            *paths,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restored.returncode == 0, restored.stderr[-3000:]
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))

    for path in paths:
        assert before[path].startswith("200\n"), path
        assert comparable(after[path]) == comparable(before[path]), path
    assert "துளை" in after[tamil_path]  # the Tamil article, in Tamil
    assert sorted(p.name for p in (tmp_path / "media" / "original_images").iterdir()) == sorted(
        Path(name).name for name in archive_contents(archive)[2] if name.startswith("media/original_images/")
    )


def test_the_archive_holds_pages_with_revisions_snippets_settings_users_and_media(
    demo, tmp_path, django_user_model
):
    django_user_model.objects.create_user("editor", password="a long enough password")
    call_command("backup_site", output=str(tmp_path / "site.tar.gz"), verbosity=0)

    manifest, data, names = archive_contents(tmp_path / "site.tar.gz")
    counts = manifest["counts"]
    for model in (
        "wagtailcore.page",
        "wagtailcore.revision",
        "articles.articlepage",
        "articles.author",
        "home.openinghours",
        "home.clinicdetails",
        "auth.user",
        "auth.group",
        "wagtailimages.image",
    ):
        assert counts.get(model), model
    assert counts["articles.articlepage"] == sum(item["model"] == "articles.articlepage" for item in data)
    assert manifest["media_files"] == len([name for name in names if name.startswith("media/")]) > 0
    # Rebuilt or of the moment, never in it: the search index, sessions, renditions.
    assert not {"wagtailsearch.indexentry", "sessions.session", "wagtailimages.rendition"} & set(counts)


def test_consultation_requests_are_left_out_when_asked(demo, tmp_path):
    ConsultationRequestFactory(name="Priya Raman")
    call_command("backup_site", output=str(tmp_path / "all.tar.gz"), verbosity=0)
    call_command(
        "backup_site", output=str(tmp_path / "no-patients.tar.gz"), without_patient_data=True, verbosity=0
    )

    assert "Priya Raman" in json.dumps(archive_contents(tmp_path / "all.tar.gz")[1])
    manifest, data, _names = archive_contents(tmp_path / "no-patients.tar.gz")
    assert "Priya Raman" not in json.dumps(data)
    assert manifest["without_patient_data"] is True
    assert "consultations.consultationrequest" not in manifest["counts"]


def test_restoring_over_a_site_with_content_is_refused(demo, tmp_path):
    call_command("backup_site", output=str(tmp_path / "site.tar.gz"), verbosity=0)

    with pytest.raises(CommandError, match="has content of its own"):
        call_command("restore_site", str(tmp_path / "site.tar.gz"), verbosity=0)


def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path):
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz"):
        pass

    with pytest.raises(CommandError, match="Not a site backup"):
        call_command("restore_site", str(not_a_backup), verbosity=0)
