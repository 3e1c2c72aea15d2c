"""What the clinic's search backends share: headlines, query words, ranked counting and slicing."""

from django.core.exceptions import EmptyResultSet
from django.db.models import AutoField, BigAutoField, BigIntegerField, IntegerField, SmallAutoField, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from modelsearch.index import SearchField
from modelsearch.query import And, Or, PlainText

# A field boosted at least this much is a headline (Wagtail's Page.title has boost 2, articles'
# introductions 1.5).
HEADLINE_BOOST = 1.5


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


INTEGER_KEYS = (AutoField, BigAutoField, SmallAutoField, IntegerField, BigIntegerField)


def one_of(queryset, object_id_sql):
    """
    SQL (and its parameters) true where `object_id_sql`, an index entry's object id (text), is the
    key of one of `queryset`'s objects, checked object by object: an integer key is looked up by
    its primary key index, so a search costs what its matches cost, not what the archive does
    (an `IN` list of the queryset's keys would be built from every visible page at each query).
    """
    pk = queryset.model._meta.pk
    while pk.remote_field is not None:  # a page type's key is its Page's
        pk = pk.target_field
    if isinstance(pk, INTEGER_KEYS):
        # The index stores keys as text: "42" is cast to 42 to find its row.
        rows = queryset.order_by().filter(pk=RawSQL(f"CAST({object_id_sql} AS bigint)", ()))
    else:
        rows = (
            queryset.order_by()
            .annotate(_index_id=Cast("pk", TextField()))
            .filter(_index_id=RawSQL(object_id_sql, ()))
        )
    try:
        sql, params = rows.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter no object passes (`pk__in=[]`): Django makes no SQL of it
        return "1 = 0", []
    return f"EXISTS ({sql})", list(params)


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
    A query compiler that ranks plain queries itself, in two tiers that each stay cheap on a large
    archive: the objects whose headlines (see `is_headline`) match every word, best first, then
    those that match in the rest of their text, most recently indexed first. Ranking every match
    would read the whole text of each (thousands for a common word); the first tier reads only the
    headlines, the second nothing but the index's own order. `count()` counts the queryset's
    objects that match and `ids_and_ranks()` gives a slice of their ids (as the index stores them)
    with their ranks (0 in the second tier), a query or two each. Other queries (phrases, NOT,
    ordering by a field) are left to Wagtail's compiler.
    """

    def _get_filters_from_queryset(self, check_only=False):
        # The database backends filter with the queryset's own SQL, so any filter works, a field
        # declared as a FilterField or not (cms.search.restricted passes the visible pages' own).
        if check_only:
            return None
        return super()._get_filters_from_queryset(check_only=check_only)

    def ranks_itself(self):
        return self.order_by_relevance and self.fields is None and is_plain(self.query)

    def count(self, config):
        raise NotImplementedError

    def headline_count(self, config):
        raise NotImplementedError

    def headline_ids_and_ranks(self, config, start, limit):
        """Ids and ranks of the objects whose headlines match, best first; `limit` None for all."""
        raise NotImplementedError

    def body_ids(self, config, start, limit):
        """Ids of the other objects that match, most recently indexed first; `limit` None for all."""
        raise NotImplementedError

    def ids_and_ranks(self, config, start, stop):
        start = start or 0
        limit = None if stop is None else max(stop - start, 0)
        if limit == 0:
            return []
        ranked = self.headline_ids_and_ranks(config, start, limit)
        if limit is not None and len(ranked) == limit:
            return ranked
        # The headlines end in this slice (or before it): the body's matches follow.
        headlines = start + len(ranked) if ranked or not start else self.headline_count(config)
        rest = None if limit is None else limit - len(ranked)
        body = self.body_ids(config, start + len(ranked) - headlines, rest)
        return ranked + [(object_id, 0.0) for object_id in body]

    def ranked(self, config, start, stop, score_field=None):
        return in_rank_order(self.queryset, self.ids_and_ranks(config, start, stop), score_field)


class RankedSearchResultsMixin:
    def _do_count(self):
        compiler = self.query_compiler
        if getattr(compiler, "ranks_itself", bool)():
            return compiler.count(compiler.get_config(self.backend))
        return super()._do_count()
