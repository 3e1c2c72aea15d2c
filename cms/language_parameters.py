"""
The API's language parameters, `lang` and `fallback`: the values they take, how a request's are read
(LanguageMiddleware), and how the OpenAPI document declares them, from the same lists so the two agree.
"""

from django.conf import settings

from cms.i18n import EVERY_LANGUAGE, ContentLanguages, language_from_accept_header, supported_languages

LANG, FALLBACK = "lang", "fallback"
NO_FALLBACK = "none"


def lang_values():
    return [*supported_languages(), EVERY_LANGUAGE]


def fallback_values():
    """The default language (the default: a missing translation shows its text) or "none" (null)."""
    return [settings.LANGUAGE_CODE, NO_FALLBACK]


class LanguageParameterError(ValueError):
    """An unsupported `lang` or `fallback`: `detail` for people, `errors` for programs."""

    def __init__(self, parameter, detail):
        super().__init__(detail)
        self.detail = detail
        self.errors = [{"loc": ["query", parameter], "msg": f"Unsupported {parameter}.", "type": "enum"}]


def read_language_parameters(query, accept_language):
    """
    What a request asks for, as (ContentLanguages, the language to activate): `lang`, else the
    Accept-Language header, else the default language; `fallback`, else on. The active language
    (UI text such as day names, error messages) is the one asked for; with `lang=*`, that of
    Accept-Language, else the default. Raises LanguageParameterError for a value not supported.
    """
    requested = query.get(LANG)
    fallback = query.get(FALLBACK, settings.LANGUAGE_CODE)
    if requested is not None and requested not in lang_values():
        raise LanguageParameterError(
            LANG,
            f"Unsupported lang {requested!r}. Supported: {', '.join(supported_languages())}. "
            f"Or {EVERY_LANGUAGE} for every language at once.",
        )
    if fallback not in fallback_values():
        raise LanguageParameterError(
            FALLBACK,
            f"Unsupported fallback {fallback!r}. Supported: {NO_FALLBACK} (missing translations are "
            f"null), or {settings.LANGUAGE_CODE} (they show the {settings.LANGUAGE_CODE} text; the default).",
        )
    from_header = language_from_accept_header(accept_language)
    chosen = ContentLanguages(
        language=requested or from_header or settings.LANGUAGE_CODE, fallback=fallback != NO_FALLBACK
    )
    active = (from_header or settings.LANGUAGE_CODE) if chosen.every else chosen.language
    return chosen, active


LANG_DESCRIPTION = (
    "The language of the text (else the `Accept-Language` header, else English). `*` gives every "
    "language at once: each translated value becomes a map of language to value, null where that "
    "language has none, `meta.language` is `*` and `meta.fallback_fields` a map of language to the "
    "fields missing in it."
)
FALLBACK_DESCRIPTION = (
    "What a missing translation shows with one `lang`: the English text (`en`, the default) or "
    "null (`none`); either way `meta.fallback_fields` names the fields. With `lang=*` maps always "
    "hold null where a translation is missing."
)


def language_parameters():
    """The OpenAPI declarations of `lang` and `fallback`."""
    return [
        {
            "name": LANG,
            "in": "query",
            "required": False,
            "description": LANG_DESCRIPTION,
            "schema": {"type": "string", "enum": lang_values()},
        },
        {
            "name": FALLBACK,
            "in": "query",
            "required": False,
            "description": FALLBACK_DESCRIPTION,
            "schema": {"type": "string", "enum": fallback_values(), "default": settings.LANGUAGE_CODE},
        },
    ]


def declare_language_parameters(openapi, tags):
    """
    Declares `lang` (with `*`) and `fallback` on the OpenAPI document's operations tagged one of
    `tags` (those whose content comes in every language), replacing any declaration they had.
    LanguageMiddleware reads both, for every endpoint, before the endpoints see the request.
    """
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or not set(operation.get("tags", ())) & set(tags):
                continue
            parameters = [
                parameter
                for parameter in operation.get("parameters", [])
                if not (parameter.get("in") == "query" and parameter.get("name") in (LANG, FALLBACK))
            ]
            operation["parameters"] = parameters + language_parameters()
    return openapi
