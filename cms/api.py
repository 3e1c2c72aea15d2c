"""
The project's one API: Wagtail's v3 API (pages, images, documents, snippets, …, added by each
Wagtail app as it starts) plus the clinic's routers, all in the same OpenAPI document.
"""

from ninja.openapi.docs import Swagger
from wagtail.api.v3.api import api
from wagtail.api.v3.routers.pages import router as wagtail_pages_router

from articles.api import router as articles_router
from cms.api_index import router as index_router
from cms.openapi import publish_complete_document
from cms.problems import register_problem_handlers
from cms.wagtail_api import (
    UTF8JSONRenderer,
    bodies_as_declared,
    find_page_knows_its_parameters,
    refuse_root_page_actions,
    render_openapi_document_with_renderer,
    require_editor_tokens,
    require_token_to_read,
    root_needs_a_site,
    snippet_keys_of_their_type,
)
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
# How apps read an article, and what the bytes on the wire are (cms/wagtail_api.py, cms/compression.py).
api.description += (
    "\n\nApps read an article with `/articles/{id}/` or `/articles/find/?path=…` (lists: `/articles/`): "
    "the text in the chosen language, `meta.language`, `meta.fallback_fields`, absolute web "
    "addresses in each language and sized image renditions. Wagtail's own `/pages/` endpoints are "
    "for editors' tools and need a token. JSON is UTF-8; responses are compressed (Brotli or gzip) "
    "for clients that send `Accept-Encoding`."
)
api.renderer = UTF8JSONRenderer()
render_openapi_document_with_renderer(api)
require_token_to_read(wagtail_pages_router)
require_editor_tokens()
refuse_root_page_actions()
root_needs_a_site()
snippet_keys_of_their_type()
bodies_as_declared()
find_page_knows_its_parameters()
api.add_router("/", index_router)
api.add_router("/", articles_router)
api.add_router("/", clinic_router)
api.add_router("/", consultations_router)
register_problem_handlers(api)
# The routers whose content comes in every language at once (`lang=*`) or without fallback.
publish_complete_document(api, every_language_tags={*articles_router.tags, *clinic_router.tags})
# /api/v3/docs/ works offline: Swagger UI comes from django-ninja's static files (`ninja` is an installed
# app), and checks the document itself rather than sending it to swagger.io's validator.
api.docs = Swagger(settings={"validatorUrl": None})

__all__ = ["api"]
