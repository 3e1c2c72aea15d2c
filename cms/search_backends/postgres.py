"""Wagtail's PostgreSQL full-text search backend, matching word prefixes (see cms.search_backends)."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.utils.functional import cached_property
from modelsearch.backends.database.postgres import postgres
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.index import SearchField
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from cms.search_backends.ranking import RankedSearchMixin, RankedSearchResultsMixin, is_headline, one_of


class ObjectIndexer(postgres.ObjectIndexer):
    """
    The title column holds the headline fields (is_headline: titles and introductions, in every
    language), weighed by their boost; the body the other searchable ones. Wagtail's puts only the
    field named "title" in the title column, which the clinic's pages index per language.
    """

    def vector(self, headline):
        texts = [
            (value, weight)
            for field in self.search_fields
            for current_field, weight, value in self.prepare_field(self.obj, field)
            if isinstance(current_field, SearchField) and is_headline(current_field) == headline
        ]
        return self.as_vector(texts)

    @cached_property
    def title(self):
        return self.vector(headline=True)

    @cached_property
    def body(self):
        return self.vector(headline=False)


class PostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        """As Wagtail's, with this module's ObjectIndexer."""
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        entry = postgres.IndexEntry
        compiler = InsertQuery(entry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            params.extend((get_content_type_pk(model), indexer.id))
            vectors = []
            for column in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(entry._meta.get_field(column), getattr(indexer, column))
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))  # for fuzzy search
            rows.append(f"(%s, %s, {', '.join(vectors)}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {entry._meta.db_table} (content_type_id, object_id, title, autocomplete, "
                f"body, title_norm, title_text, body_text) (VALUES {', '.join(rows)}) "
                "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, "
                "title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                params,
            )
        self._refresh_title_norms()


class PostgresSearchQueryCompiler(RankedSearchMixin, postgres.PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        """Every word of plain text matches whole words and the words it begins."""
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config=config, invert=invert)
        words = [word for word in re.split(r"[\s\-]+", query.query_string) if word]
        if not words:
            return None
        lexemes = Lexeme(words[0], invert=invert, prefix=True)
        for word in words[1:]:
            if query.operator == "and":
                lexemes &= Lexeme(word, invert=invert, prefix=True)
            else:
                lexemes |= Lexeme(word, invert=invert, prefix=True)
        return SearchQuery(lexemes, search_type="raw", config=config)

    def entries(self, config, *matches, entries=None):
        """The index entries of the queryset's objects that match in every one of these columns."""
        query = self.build_tsquery(self.query, config=config)
        entries = postgres.IndexEntry.objects.all() if entries is None else entries
        # Each match's object is looked up in the queryset by its key (`one_of`): no list of every
        # object the queryset lets through is built for each query.
        visible_sql, visible_params = one_of(self.queryset, f"{postgres.IndexEntry._meta.db_table}.object_id")
        entries = entries.filter(RawSQL(visible_sql, visible_params, output_field=BooleanField()))
        if "content_type_plus_zero" in entries.query.annotations:
            entries = entries.filter(
                content_type_plus_zero__in=get_descendants_content_types_pks(self.queryset.model)
            )
        else:
            entries = entries.filter(content_type__in=get_descendants_content_types_pks(self.queryset.model))
        return entries.filter(*[match(query) for match in matches]), query

    def count(self, config):
        # PostgreSQL's planner costs a text match as cheap and, for a common word, reads every entry
        # and its text vectors (the body's are large and stored apart: 100 to 180 ms at 10,000
        # articles on a busy machine) rather than the GIN indexes, which find them in a few: here
        # it may not scan a whole table (SET LOCAL, for this query in its own transaction), and the
        # content type ("+ 0") is checked on the entries the GIN indexes find, not used to find
        # them. Each match's page is then looked up by its key (an index scan: a bitmap scan for
        # one row costs twice as much). 15 to 35 ms for "skin" (7,500 matches) in those conditions.
        by_index = postgres.IndexEntry.objects.alias(content_type_plus_zero=F("content_type_id") + 0)
        entries = self.entries(config, lambda query: Q(title=query) | Q(body=query), entries=by_index)[0]
        with transaction.atomic(using=entries.db), connections[entries.db].cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            return entries.count()

    def headline_entries(self, config):
        return self.entries(config, lambda query: Q(title=query))

    def headline_count(self, config):
        return self.headline_entries(config)[0].count()

    def headline_ids_and_ranks(self, config, start, limit):
        # The title column is small (headlines only): ranking it reads no body.
        entries, query = self.headline_entries(config)
        entries = entries.annotate(rank=SearchRank(F("title"), query, weights=self.sql_weights))
        rows = entries.order_by("-rank", "-pk").values_list("object_id", "rank")
        return list(rows[start:] if limit is None else rows[start : start + limit])

    def body_ids(self, config, start, limit):
        entries, _query = self.entries(config, lambda query: Q(body=query) & ~Q(title=query))
        rows = entries.order_by("-pk").values_list("object_id", flat=True)
        return list(rows[start:] if limit is None else rows[start : start + limit])

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.ranks_itself():
            return self.ranked(config, start, stop, score_field)
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class PostgresSearchResults(RankedSearchResultsMixin, postgres.PostgresSearchResults):
    pass


class PostgresSearchBackend(postgres.PostgresSearchBackend):
    matches_word_beginnings = True  # cms.search.search_pages needs no autocomplete()
    filters_in_database = True  # any queryset's filters, as SQL (cms.search.restricted)
    query_compiler_class = PostgresSearchQueryCompiler
    index_class = PostgresIndex
    results_class = PostgresSearchResults
