"""Wagtail's SQLite FTS5 search backend, ranking headlines first (see cms.search_backends)."""

from django.db import connection
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme, MatchExpression, SearchQueryExpression
from modelsearch.index import SearchField
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from cms.search_backends.ranking import (
    RankedSearchMixin,
    RankedSearchResultsMixin,
    is_headline,
    one_of,
    query_words,
)

# The index of the entries' ids, content types and object ids (cms/migrations/0002).
ENTRY_KEYS_INDEX = "cms_search_entry_keys"


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

    def match(self, config, columns):
        """The FTS5 query for the query's words in these columns of the index."""
        compiler = sqlite.SQLiteFTSIndexEntry.objects.none().query.get_compiler(connection=connection)
        match = MatchExpression(columns, self.build_search_query(self.query, config=config))
        _template, (match_query,) = match.as_sql(compiler, connection)
        return match_query

    def matching_entries_sql(self, config, columns, tier=None):
        """
        SQL for `columns` of the index entries of the queryset's objects that match (only in their
        headlines, with `tier` "headline"; only elsewhere, with "body"), and its parameters. The
        full-text index drives the query (CROSS JOIN fixes SQLite's join order): left to itself,
        SQLite reads every entry of the queryset and runs the full-text query once for each. Each
        match's entry is read from a small index of its keys rather than from the entry's row (its
        text), and its object is looked up by its key in the queryset (`one_of`), so a search costs
        what its matches cost, whatever the size of the archive.
        """
        fts, entries = sqlite.SQLiteFTSIndexEntry._meta.db_table, sqlite.IndexEntry._meta.db_table
        everywhere, headline = self.match(config, self.FTS_TABLE_FIELDS), self.match(config, ["title"])
        match_query = {None: everywhere, "headline": headline, "body": f"{everywhere} NOT {headline}"}[tier]
        content_types = get_descendants_content_types_pks(self.queryset.model)
        visible_sql, visible_params = one_of(self.queryset, f"{entries}.object_id")
        placeholders = ", ".join(["%s"] * len(content_types))
        sql = (
            f"SELECT {columns} FROM {fts} CROSS JOIN {entries} INDEXED BY {ENTRY_KEYS_INDEX} "
            f"ON {entries}.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND {entries}.content_type_id IN ({placeholders}) AND {visible_sql}"
        )
        return sql, [match_query, *content_types, *visible_params]

    def fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, config, tier=None):
        return self.fetch(*self.matching_entries_sql(config, "COUNT(*)", tier))[0][0]

    def headline_count(self, config):
        return self.count(config, tier="headline")

    def headline_ids_and_ranks(self, config, start, limit):
        fts, entries = sqlite.SQLiteFTSIndexEntry._meta.db_table, sqlite.IndexEntry._meta.db_table
        # FTS5 ranks the matches itself (its `rank` column, here bm25() weighing the title column
        # only: the columns are autocomplete, body, title), in half the time of ordering them by
        # bm25() in SQL; lower is better, and equal ranks come in the index's order.
        columns = f"{entries}.object_id, -{fts}.rank"
        sql, params = self.matching_entries_sql(config, columns, tier="headline")
        sql += f" AND {fts}.rank MATCH %s ORDER BY {fts}.rank LIMIT %s OFFSET %s"
        return self.fetch(sql, [*params, "bm25(0, 0, 1)", -1 if limit is None else limit, start])

    def body_ids(self, config, start, limit):
        entries = sqlite.IndexEntry._meta.db_table
        fts = sqlite.SQLiteFTSIndexEntry._meta.db_table
        sql, params = self.matching_entries_sql(config, f"{entries}.object_id", tier="body")
        # In the full-text index's own order (its rowid is the entry's id), newest first: SQLite
        # stops reading matches once it has the slice, rather than sorting every one.
        sql += f" ORDER BY {fts}.rowid DESC LIMIT %s OFFSET %s"
        return [row[0] for row in self.fetch(sql, [*params, -1 if limit is None else limit, start])]

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
    filters_in_database = True  # any queryset's filters, as SQL (cms.search.restricted)
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
    results_class = SQLiteSearchResults
