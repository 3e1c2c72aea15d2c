"""Wagtail's SQLite FTS5 search backend, ranking headlines first (see cms.search_backends)."""

from django.db import connection
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme, MatchExpression, SearchQueryExpression
from modelsearch.index import SearchField
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from cms.search_backends import (
    RankedSearchMixin,
    RankedSearchResultsMixin,
    index_ids,
    is_headline,
    query_words,
)

# How much more a word in a headline (the index's title column) counts than one in the body.
HEADLINE_WEIGHT = 10.0


class ObjectIndexer(sqlite.ObjectIndexer):
    """The title column holds the headline fields (is_headline), the body the other searchable ones."""

    def texts(self, headline):
        texts = []
        for field in self.search_fields:
            for current_field, value in self.prepare_field(self.obj, field):
                if isinstance(current_field, SearchField) and is_headline(current_field) == headline:
                    # A headline counts as often as its boost: titles twice, introductions once.
                    texts.extend([value] * (int(current_field.boost) if headline else 1))
        return texts

    @cached_property
    def title(self):
        return " ".join(self.texts(headline=True))

    @cached_property
    def body(self):
        return " ".join(self.texts(headline=False))


class SQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        """As Wagtail's, with this module's ObjectIndexer."""
        if not model.get_search_fields():
            return
        indexers = {indexer.id: indexer for indexer in (ObjectIndexer(obj, self.backend) for obj in objs)}
        if not indexers:
            return
        content_type_id = get_content_type_pk(model)
        entries = self.entries.filter(content_type_id=content_type_id)
        existing = set(entries.filter(object_id__in=indexers).values_list("object_id", flat=True))
        new = []
        for object_id, indexer in indexers.items():
            columns = {"title": indexer.title, "autocomplete": indexer.autocomplete, "body": indexer.body}
            if object_id in existing:
                entries.filter(object_id=object_id).update(**columns)
            else:
                new.append(sqlite.IndexEntry(content_type_id=content_type_id, object_id=object_id, **columns))
        self.entries.bulk_create(new)
        self._refresh_title_norms()


class WholeTextMixin:
    """
    Searches the whole text when asked for some fields: the FTS table has a column for titles and
    one for the rest, not one per field, and Wagtail's compiler would match "{name} : ..." and fail
    (the admin's snippet listings search their fields).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = None


class SQLiteSearchQueryCompiler(WholeTextMixin, RankedSearchMixin, sqlite.SQLiteSearchQueryCompiler):
    def build_search_query_content(self, query, config=None):
        """Every word of plain text matches whole words and the words it begins."""
        if not isinstance(query, PlainText):
            return super().build_search_query_content(query, config=config)
        words = query_words(query.query_string)
        if not words:
            return None
        lexemes = Lexeme(words[0], prefix=True)
        for word in words[1:]:
            if query.operator.upper() == "AND":
                lexemes &= Lexeme(word, prefix=True)
            else:
                lexemes |= Lexeme(word, prefix=True)
        return SearchQueryExpression(lexemes, config=config)

    def matching_entries_sql(self, config, columns):
        """
        SQL for `columns` of the index entries of the queryset's objects that match, and its
        parameters. The full-text index drives the query (CROSS JOIN fixes SQLite's join order):
        left to itself, SQLite reads every entry of the queryset and runs the full-text query once
        for each, seconds on a large archive.
        """
        fts, entries = sqlite.SQLiteFTSIndexEntry._meta.db_table, sqlite.IndexEntry._meta.db_table
        compiler = sqlite.SQLiteFTSIndexEntry.objects.none().query.get_compiler(connection=connection)
        match = MatchExpression(self.FTS_TABLE_FIELDS, self.build_search_query(self.query, config=config))
        _template, match_params = match.as_sql(compiler, connection)
        content_types = get_descendants_content_types_pks(self.queryset.model)
        ids_sql, ids_params = index_ids(self.queryset).query.sql_with_params()
        placeholders = ", ".join(["%s"] * len(content_types))
        sql = (
            f"SELECT {columns} FROM {fts} CROSS JOIN {entries} ON {entries}.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND {entries}.content_type_id IN ({placeholders}) "
            f"AND {entries}.object_id IN ({ids_sql})"
        )
        return sql, [*match_params, *content_types, *ids_params]

    def count(self, config):
        sql, params = self.matching_entries_sql(config, "COUNT(*)")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def ids_and_ranks(self, config, start, stop):
        fts, entries = sqlite.SQLiteFTSIndexEntry._meta.db_table, sqlite.IndexEntry._meta.db_table
        # bm25() is lower for better matches; its weights are the columns': autocomplete, body, title.
        columns = f"{entries}.object_id, -bm25({fts}, 0, 1, {HEADLINE_WEIGHT:f}) AS rank"
        sql, params = self.matching_entries_sql(config, columns)
        sql += f" ORDER BY rank DESC, {entries}.id DESC LIMIT %s OFFSET %s"
        limit = -1 if stop is None else stop - (start or 0)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, start or 0])
            return cursor.fetchall()

    def search(self, config, start, stop, score_field=None):
        if self.ranks_itself():
            return self.ranked(config, start, stop, score_field)
        return super().search(config, start, stop, score_field=score_field)


class SQLiteAutocompleteQueryCompiler(WholeTextMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteSearchResults(RankedSearchResultsMixin, sqlite.SQLiteSearchResults):
    pass


class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    matches_word_beginnings = True  # cms.search.search_pages needs no autocomplete()
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
    results_class = SQLiteSearchResults
