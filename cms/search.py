"""Search over the text of every language, without indexing a missing translation as "None"."""

from django.conf import settings
from modelsearch import index as modelsearch_index
from modelsearch.backends.base import EmptySearchResults
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from cms.i18n import translated_fields


class EmptyTranslationMixin:
    """An empty translation indexes as nothing (fields like RichTextField would make it "None")."""

    def get_value(self, obj):
        if getattr(obj, self.field_name, None) in (None, ""):
            return ""
        return super().get_value(obj)


class TranslatedSearchField(EmptyTranslationMixin, index.SearchField):
    """A full-text field for one language's column."""


class TranslatedAutocompleteField(EmptyTranslationMixin, index.AutocompleteField):
    """A prefix-matching field for one language's column."""


def localize_search_fields(model):
    if getattr(model, "search_fields", None):
        model.search_fields = localized_fields(model, model.search_fields)


def localized_fields(model, fields):
    """
    Index every language's column of each translated field the model declares for search.

    For each `SearchField(name)` or `AutocompleteField(name)` on a translated field, the model
    gets a full-text and a prefix (autocomplete) field per language in settings.LANGUAGES, so
    searches find Tamil words and Tamil word prefixes as well as English ones.
    wagtail-modeltranslation adds plain full-text copies for pages only, which index a missing
    translation as the text "None"; those copies are replaced.
    """
    fields = [localize_related(model, field) for field in fields]
    translated = set(translated_fields(model))
    if not translated:
        return fields
    localized_names = {f"{name}_{code}" for name in translated for code, _ in settings.LANGUAGES}
    kept = [
        field
        for field in fields
        if not (
            isinstance(field, (modelsearch_index.SearchField, modelsearch_index.AutocompleteField))
            and field.field_name in localized_names
        )
    ]
    added = []
    for field in kept:
        is_text = isinstance(field, (modelsearch_index.SearchField, modelsearch_index.AutocompleteField))
        if not is_text or field.field_name not in translated:
            continue
        for code, _name in settings.LANGUAGES:
            name = f"{field.field_name}_{code}"
            if isinstance(field, modelsearch_index.SearchField):
                added.append(TranslatedSearchField(name, boost=field.boost))
            added.append(TranslatedAutocompleteField(name))
    unique = {}
    for field in added:
        unique.setdefault((type(field), field.field_name), field)
    return kept + list(unique.values())


def localize_related(model, field):
    """A copy of `RelatedFields` whose inner fields cover every language of the related model."""
    if not isinstance(field, modelsearch_index.RelatedFields):
        return field
    related_model = model._meta.get_field(field.field_name).related_model
    return index.RelatedFields(field.field_name, localized_fields(related_model, field.fields))


def search_pages(pages, query, results=None):
    """
    The pages of `pages` (a queryset of any page type, filtered in any way) that match `query`,
    best first: each word matches whole words and the words it begins, in every language ("துளை"
    finds "துளைகளைக்"; "பரு" finds "பருக்கள்", never "பராமரிப்பு"), titles and introductions
    above the body. Lazy, like a queryset: `count()` counts in the database and a slice loads
    only its pages, as `results` (by default `pages`' own model, as Wagtail loads it) gives
    them, e.g. `.specific()` or as cards. The site's search and the API's share it.

    Every search backend can filter on a page's id (Wagtail's Page.search_fields), so `pages` is
    passed as a list of ids the database computes, whatever its filters; the database backends
    (cms.search_backends), which filter with the queryset's own SQL, get `pages`' filters as they
    are, and check them for each match rather than list every page they let through.
    """
    if not any(character.isalnum() for character in query):
        return EmptySearchResults()  # punctuation alone: no backend can search for it
    results = results if results is not None else pages.model._default_manager.all()
    candidates = restricted(results, pages, get_search_backend())
    matches = candidates.search(query, operator="and")
    if not getattr(matches.backend, "matches_word_beginnings", False) and not matches.count():
        # Elasticsearch and OpenSearch find word beginnings with autocomplete(); the database
        # backends (cms.search_backends) with search() itself.
        matches = candidates.autocomplete(query, operator="and")
    return matches


def restricted(results, pages, backend):
    """
    `results` restricted to `pages`: with their filters themselves where the backend filters with
    the database (`filters_in_database`) and both are the same model without DISTINCT, else by id.
    """
    query = pages.query
    if (
        getattr(backend, "filters_in_database", False)
        and results.model is pages.model
        and not (query.distinct or query.is_sliced or query.combinator or results.query.distinct)
    ):
        return results & pages
    return results.filter(id__in=pages.values("id"))
