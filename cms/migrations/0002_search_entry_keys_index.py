"""
An index of SQLite's search entries by id holding their content type and object id, so that a search
reads them from it rather than from the entries themselves (each a page or more of text): what
cms.search_backends.sqlite reads for every match. Other databases are left as they are.
"""

from django.db import migrations

INDEX = "cms_search_entry_keys"
ENTRIES = "wagtailsearch_indexentry"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {ENTRIES} (id, content_type_id, object_id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_search_keeps_tamil_words_whole")]

    operations = [migrations.RunPython(create, drop)]
