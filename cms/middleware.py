"""Project middleware: choosing the language, for the site and for the API."""

import re
from http import HTTPStatus

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

from cms.problems import problem

API_PREFIX = "/api/"


def supported_languages():
    return [code for code, _name in settings.LANGUAGES]


def language_from_accept_header(header):
    """The first supported language in an Accept-Language header, or None (malformed or no match)."""
    for accepted, _quality in trans_real.parse_accept_lang_header(header or ""):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


class PrefixedLocaleMiddleware(LocaleMiddleware):
    """
    Django's LocaleMiddleware for the site, and the API's own language rules under /api/.

    The site: pages live under /en/ and /ta/; `/` and unprefixed paths redirect by cookie, then
    Accept-Language, then English. Paths outside the prefixes (admin, documents, static, media,
    sitemap, robots.txt) keep their own answers: Django would otherwise redirect any of their 404s
    to /en/....

    The API: `?lang=` or else `Accept-Language` picks the language (default English); an
    unsupported `lang`, or Wagtail's per-tree `?locale=` (not used here), is a 400 that says what
    to send instead. Every API response says `Content-Language` and varies on Accept-Language.
    """

    unprefixed_paths = ("/admin/", "/documents/", "/static/", "/media/", "/sitemap.xml", "/robots.txt")

    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        too_large = out_of_range_number(request)
        if too_large:
            return problem(400, f"{too_large} is out of range: numbers in the API fit in 32 bits.")
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            # Databases cannot take them (SQLite's full-text search fails with a server error).
            return problem(400, "Query parameters cannot contain NUL characters.")
        languages = supported_languages()
        if "locale" in request.GET:
            return problem(
                400,
                "This API does not use Wagtail's `locale`: choose the language with `lang` "
                "or the Accept-Language header.",
                supported_languages=languages,
            )
        requested = request.GET.get("lang")
        if requested is not None:
            if requested not in languages:
                return problem(400, f"Unsupported lang {requested!r}.", supported_languages=languages)
            # Handled here for every endpoint, so the endpoints never see it.
            request.GET = request.GET.copy()
            del request.GET["lang"]
            language = requested
        else:
            language = language_from_accept_header(request.headers.get("Accept-Language"))
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return None

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            response = json_error(response)
            response.headers.setdefault("Content-Language", translation.get_language())
            patch_vary_headers(response, ("Accept-Language",))
            return response
        if request.path_info.startswith(self.unprefixed_paths):
            return response
        return super().process_response(request, response)


MAX_NUMBER = 2**31 - 1
NUMBER = re.compile(r"^[-+]?\d+$")


def out_of_range_number(request):
    """
    The first path segment or query value that is a whole number too large for a database id or
    offset, if any. Wagtail's own endpoints pass them to the database unchecked, where SQLite
    fails with a server error ("datatype mismatch") rather than a clear answer.
    """
    values = [segment for segment in request.path_info.split("/") if segment]
    values += [value for values_ in request.GET.lists() for value in values_[1]]
    for value in values:
        if NUMBER.match(value) and abs(int(value)) > MAX_NUMBER:
            return value[:40]
    return None


def json_error(response):
    """An API error that Django or Ninja answered in HTML or plain text (a 405, a 404 outside any
    router, an oversized body…) as problem+json instead, keeping headers such as Allow."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or "json" in content_type:
        return response
    replacement = problem(response.status_code, HTTPStatus(response.status_code).phrase)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            replacement[header] = response[header]
    return replacement
