"""
Wagtail's database search backends (SQLite FTS5, PostgreSQL full text), with three changes that the
clinic's readers notice, all behind `queryset.search()`, so that the code that searches stays the
same on Elasticsearch or OpenSearch (README, "Search"):

- Every word of a query matches whole words and the words it begins ("துளை" finds "துளைகளைக்",
  "pore" finds "pores"), in every language. Tamil words stay whole in the index: SQLite's tokenizer
  keeps vowel signs and the pulli inside words (cms/migrations/0001), PostgreSQL uses the "simple"
  configuration (WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG).
- The fields a model boosts (titles and introductions, in every language; see `is_headline`) go in
  the index's title column, the rest in its body. Objects whose headlines match come first, best
  first, titles above introductions (PostgreSQL weighs each field by its boost; SQLite repeats
  each as many times as its boost, as FTS5 weighs columns, not the fields within one); then those
  that match only in the body, most recently indexed first (RankedSearchMixin). Only headlines are
  ranked, so a common word costs no more than reading the index.
- Results are counted in the database and only the slice asked for is loaded, in rank order: the
  full-text index is queried once per count or slice, not once per matching row.

WAGTAILSEARCH_BACKENDS' BACKEND "cms.search_backends" picks the one for the default database, as
Wagtail's "wagtail.search.backends.database" does.
"""

from django.db import connection
from django.utils.module_loading import import_string

# One module per database: each defines a model of Wagtail's search app for its own database only
# (SQLite's full-text table), so only the one in use may be imported.
BACKENDS = {
    "postgresql": "cms.search_backends.postgres.PostgresSearchBackend",
    "sqlite": "cms.search_backends.sqlite.SQLiteSearchBackend",
}


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    default = "wagtail.search.backends.database.SearchBackend"
    return import_string(BACKENDS.get(connection.vendor, default))(params)
