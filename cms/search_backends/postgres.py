"""Wagtail's PostgreSQL full-text search backend, matching word prefixes (see cms.search_backends)."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from modelsearch.backends.database.postgres import postgres
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from cms.search_backends import RankedSearchMixin, RankedSearchResultsMixin, index_ids


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

    def ranked_entries(self, config):
        query = self.build_tsquery(self.query, config=config)
        # Headline fields (boosted) are weighed by their boost: Wagtail gives them weight A, the body D.
        vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
        return (
            postgres.IndexEntry.objects.filter(Q(title=query) | Q(body=query))
            .filter(
                content_type__in=get_descendants_content_types_pks(self.queryset.model),
                object_id__in=index_ids(self.queryset),
            )
            .annotate(rank=SearchRank(vector, query, weights=self.sql_weights))
        )

    def count(self, config):
        return self.ranked_entries(config).count()

    def ids_and_ranks(self, config, start, stop):
        entries = self.ranked_entries(config).order_by("-rank", "-pk")
        return list(entries.values_list("object_id", "rank")[start:stop])

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.ranks_itself():
            return self.ranked(config, start, stop, score_field)
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class PostgresSearchResults(RankedSearchResultsMixin, postgres.PostgresSearchResults):
    pass


class PostgresSearchBackend(postgres.PostgresSearchBackend):
    matches_word_beginnings = True  # cms.search.search_pages needs no autocomplete()
    query_compiler_class = PostgresSearchQueryCompiler
    results_class = PostgresSearchResults
