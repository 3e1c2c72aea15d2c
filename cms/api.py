"""
The project's one API: Wagtail's v3 API (pages, images, documents, snippets, …, added by each
Wagtail app as it starts) plus the clinic's routers, all in the same OpenAPI document.
"""

from functools import wraps

from wagtail.api.v3.api import api

from articles.api import router as articles_router
from cms.language_parameters import declare_language_parameters
from cms.problems import register_problem_handlers
from consultations.api import router as consultations_router
from home.api import router as clinic_router

api.title = "Skin clinic API"
api.description = (
    "Articles, authors, categories, opening hours and clinic details, in English or Tamil.\n\n"
    "Choose the language with `?lang=en|ta` or the `Accept-Language` header (default English); "
    "text fields fall back to English where a translation is missing, and each item's "
    "`meta.fallback_fields` names them. `?fallback=none` gives null for them instead (still named "
    "in `meta.fallback_fields`). `?lang=*` gives every language at once, for apps that keep both "
    'offline: each translated value is a map such as `{"en": "…", "ta": null}` (null where '
    "a translation is missing, whatever `fallback` says), `meta.language` is `*` and "
    "`meta.fallback_fields` maps each language to its missing fields; `urls` always has every "
    "language. Both apply to the articles, authors, categories, clinic and opening-hours "
    "endpoints; Wagtail's own answer in one language. Wagtail's `?locale=` is not used by this project "
    "(400). Public reads need no token and are cached briefly (`ETag`, `Last-Modified`, "
    "`If-None-Match` → 304); editors' preview reads take `Authorization: Bearer <API token>`."
)
api.add_router("/", articles_router)
api.add_router("/", clinic_router)
api.add_router("/", consultations_router)
register_problem_handlers(api)

# The routers whose content comes in every language at once (`lang=*`) or without fallback.
EVERY_LANGUAGE_TAGS = {*articles_router.tags, *clinic_router.tags}


def _with_language_parameters(get_openapi_schema):
    """Ninja's document, with `lang` and `fallback`, which LanguageMiddleware reads, declared."""

    @wraps(get_openapi_schema)
    def get_schema_with_language_parameters(*args, **kwargs):
        return declare_language_parameters(get_openapi_schema(*args, **kwargs), EVERY_LANGUAGE_TAGS)

    return get_schema_with_language_parameters


api.get_openapi_schema = _with_language_parameters(api.get_openapi_schema)

__all__ = ["api"]
