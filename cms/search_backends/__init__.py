"""
Wagtail's database search backends (SQLite FTS5, PostgreSQL full text), with three changes that the
clinic's readers notice, all behind `queryset.search()`, so that the code that searches stays the
same on Elasticsearch or OpenSearch (README, "Search"):

- Every word of a query matches whole words and the words it begins ("துளை" finds "துளைகளைக்",
  "pore" finds "pores"), in every language. Tamil words stay whole in the index: SQLite's tokenizer
  keeps vowel signs and the pulli inside words (cms/migrations/0001), PostgreSQL uses the "simple"
  configuration (WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG).
- The fields a model boosts (titles and introductions, in every language; see `is_headline`) rank
  above the rest, titles first: PostgreSQL weighs fields by their boost already; on SQLite they get
  the index's title column, weighed HEADLINE_WEIGHT times the body, each as many times as its
  boost (FTS5 weighs columns, not the fields within one).
- Results are counted in the database and only the slice asked for is loaded, in rank order: the
  full-text index is queried once per count or slice, not once per matching row.

WAGTAILSEARCH_BACKENDS' BACKEND "cms.search_backends" picks the one for the default database, as
Wagtail's "wagtail.search.backends.database" does.
"""

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from modelsearch.index import SearchField
from modelsearch.query import And, Or, PlainText

# A field boosted at least this much is a headline (Wagtail's Page.title has boost 2, articles'
# introductions 1.5).
HEADLINE_BOOST = 1.5


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    if connection.vendor == "postgresql":
        from cms.search_backends.postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from cms.search_backends.sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

    return DatabaseSearchBackend(params)


def is_headline(field):
    return isinstance(field, SearchField) and (field.boost or 1) >= HEADLINE_BOOST


def query_words(query_string, separators=None):
    """The words of a query, without those that are only dashes."""
    return [word for word in query_string.split(separators) if word.strip("-")]


def is_plain(query):
    """Whether `query` is words combined with AND and OR only: what the backends rank themselves."""
    if isinstance(query, PlainText):
        return bool(query_words(query.query_string))
    if isinstance(query, (And, Or)):
        return all(is_plain(subquery) for subquery in query.subqueries)
    return False


def index_ids(queryset):
    """The primary keys of `queryset` as the index stores them (text), for an `__in` filter."""
    return queryset.order_by().annotate(_index_id=Cast("pk", TextField())).values("_index_id")


def in_rank_order(queryset, ids_and_scores, score_field=None):
    """
    The objects of `queryset` with these ids (as the index stores them), in that order, each with
    its score as `score_field` when asked. One query (or one per page type, for `.specific()`).
    """
    to_python = queryset.model._meta.pk.to_python
    ranked = [(to_python(object_id), score) for object_id, score in ids_and_scores]
    objects = queryset.order_by().in_bulk([pk for pk, _score in ranked])
    ordered = []
    for pk, score in ranked:
        obj = objects.get(pk)
        if obj is not None:  # unpublished or deleted in between
            if score_field:
                setattr(obj, score_field, score)
            ordered.append(obj)
    return ordered


class RankedSearchMixin:
    """
    A query compiler that ranks plain queries itself: `count()` counts the queryset's objects that
    match, `ids_and_ranks()` gives a slice of their ids (as the index stores them) with their
    ranks, best first, both in one query. Other queries (phrases, NOT, ordering by a field) are
    left to Wagtail's compiler.
    """

    def ranks_itself(self):
        return self.order_by_relevance and self.fields is None and is_plain(self.query)

    def count(self, config):
        raise NotImplementedError

    def ids_and_ranks(self, config, start, stop):
        raise NotImplementedError

    def ranked(self, config, start, stop, score_field=None):
        return in_rank_order(self.queryset, self.ids_and_ranks(config, start, stop), score_field)


class RankedSearchResultsMixin:
    def _do_count(self):
        compiler = self.query_compiler
        if getattr(compiler, "ranks_itself", bool)():
            return compiler.count(compiler.get_config(self.backend))
        return super()._do_count()
