"""What the clinic's search backends share: headlines, query words, ranked counting and slicing."""

from django.db.models import TextField
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
