"""
SQLite's full-text index (Wagtail's FTS5 table) made again with a tokenizer that keeps Tamil words
whole: by default unicode61 splits words at the vowel signs and the pulli (Unicode categories Mc and
Mn), so "பரு" (pimple) matched "பராமரிப்பு" (care). Other databases are left as they are (PostgreSQL:
SEARCH_CONFIG "simple" in WAGTAILSEARCH_BACKENDS).
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
ENTRIES = "wagtailsearch_indexentry"
# Letters, numbers, private use, and the combining marks of Tamil (and other Indic scripts); accents
# on Latin letters are still folded away ("café" finds "cafe").
KEEPS_MARKS = "unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"
SPLITS_AT_MARKS = "unicode61"


def fts_table_exists(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def remake_fts_table(tokenizer):
    def remake(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite" or not fts_table_exists(schema_editor):
            return
        # The triggers that keep it in step with the entries name the table, so they keep working.
        schema_editor.execute(f"DROP TABLE {FTS_TABLE}")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title, tokenize = \"{tokenizer}\")"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, autocomplete, body, title) "
            f"SELECT id, autocomplete, body, title FROM {ENTRIES}"
        )

    return remake


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(remake_fts_table(KEEPS_MARKS), remake_fts_table(SPLITS_AT_MARKS))]
