"""
Project middleware, each with one job: choosing the language (site and API), refusing input the
database cannot take, keeping the API's errors JSON, and the security headers Django does not send
(Content-Security-Policy per part of the site, Permissions-Policy).
"""

import re
from http import HTTPStatus

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag

from cms.i18n import supported_languages
from cms.language_parameters import FALLBACK, LANG, LanguageParameterError, read_language_parameters
from cms.problems import problem, with_charset

API_PREFIX = "/api/"


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


class LanguageMiddleware(LocaleMiddleware):
    """
    Chooses the language of every request: Django's LocaleMiddleware for the site, the API's own
    rules under /api/.

    The site: pages live under /en/ and /ta/; `/` and unprefixed paths redirect by cookie, then
    Accept-Language, then English. Paths outside the prefixes (admin, documents, static, media,
    sitemap, robots.txt) keep their own answers: Django would otherwise redirect any of their 404s
    to /en/....

    The API: `?lang=` or else `Accept-Language` picks the language (default English), `lang=*`
    every language at once, and `?fallback=none` null for missing translations (see
    cms.language_parameters); the choice is `request.content_languages` (cms.i18n.ContentLanguages).
    An unsupported `lang` or `fallback`, or Wagtail's per-tree `?locale=` (not used here), is a 400
    that says what to send instead. Every API response says `Content-Language` (every language
    for `lang=*`) and varies on Accept-Language.
    """

    unprefixed_paths = (
        "/admin/",
        "/documents/",
        "/static/",
        "/media/",
        "/sitemap",
        "/robots.txt",
        "/healthz",
    )

    def process_request(self, request):
        if not is_api(request):
            translation.activate(site_language(request))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        languages = supported_languages()
        if "locale" in request.GET:
            return problem(
                400,
                "This API does not use Wagtail's `locale`: choose the language with `lang` "
                f"({', '.join(languages)}) or the Accept-Language header.",
            )
        try:
            chosen, language = api_language(request)
        except LanguageParameterError as error:
            return problem(400, error.detail, errors=error.errors)
        if LANG in request.GET or FALLBACK in request.GET:
            # Handled here for every endpoint, so the endpoints never see them.
            request.GET = request.GET.copy()
            request.GET.pop(LANG, None)
            request.GET.pop(FALLBACK, None)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.content_languages = chosen
        return None

    def process_response(self, request, response):
        if is_api(request):
            chosen = getattr(request, "content_languages", None)
            every = (
                chosen is not None
                and chosen.every
                and getattr(request, "content_languages_used", False)
                and response.status_code < 400
            )
            # RFC 9110: content meant for the readers of several languages lists them all.
            content_language = ", ".join(chosen.codes) if every else translation.get_language()
            response.headers.setdefault("Content-Language", content_language)
            patch_vary_headers(response, ("Accept-Language",))
            return response
        if request.path_info.startswith(self.unprefixed_paths):
            return response
        return super().process_response(request, response)


def request_language(request):
    """
    The language LanguageMiddleware activates for `request`, or None for an API request it answers
    with a 400. The public cache (cms/cache.py) keys what it keeps by it, before that middleware runs.
    """
    if not is_api(request):
        return site_language(request)
    if "locale" in request.GET:
        return None
    try:
        return api_language(request)[1]
    except LanguageParameterError:
        return None


def site_language(request):
    """Django's LocaleMiddleware's choice: the path's prefix, else the cookie, Accept-Language, English."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if (
        i18n_patterns_used
        and not prefixed_default_language
        and not translation.get_language_from_path(request.path_info)
    ):
        return settings.LANGUAGE_CODE
    return language


def api_language(request):
    """(ContentLanguages, the language to activate) of an API request: see read_language_parameters."""
    return read_language_parameters(request.GET, request.META.get("HTTP_ACCEPT_LANGUAGE"))


MAX_NUMBER = 2**31 - 1
# Search text: the API's `search` (Wagtail's endpoints and the articles'), the site search's `q`.
SEARCH_PARAMETERS = ("search", "q")
NUMBER = re.compile(r"^[-+]?\d+$")


class InputGuardMiddleware:
    """
    Refuses, with a 400, input that databases cannot take and that no honest client sends: NUL
    characters in the path, the query string or a cookie (PostgreSQL refuses them in a string,
    SQLite's full-text search fails on them), and, in the API, whole numbers beyond 32 bits in the
    path or the query (Wagtail's own endpoints pass them to the database, where SQLite fails with
    "datatype mismatch"), a `site` filter whose port is not a number, and a JSON body that is not
    an object (every body the API takes is one; Wagtail's write endpoints fail on an array). A page
    update whose page id is not a number is a 404 (Wagtail looks the page up before checking it).
    The site answers with its 400 page, the API with problem+json. Search text is made searchable
    (searchable_text()).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_character_in(request)
        if where:
            if is_api(request):
                return problem(400, f"The {where} cannot contain NUL characters.")
            raise BadRequest(f"NUL character in the {where}.")
        sent = {key: request.GET.getlist(key) for key in SEARCH_PARAMETERS if key in request.GET}
        searchable = {key: [searchable_text(value) for value in values] for key, values in sent.items()}
        if searchable != sent:
            request.GET = request.GET.copy()
            for key, values in searchable.items():
                request.GET.setlist(key, values)
        if is_api(request):
            too_large = out_of_range_number(request)
            if too_large:
                return problem(400, f"{too_large} is out of range: numbers in the API fit in 32 bits.")
            _host, colon, port = request.GET.get("site", "").partition(":")
            if colon and not port.isdigit():
                # Wagtail's pages endpoints look the port up as a number and fail on anything else.
                return problem(400, "site must be a hostname, or hostname:port with a numeric port.")
            if not json_body_is_an_object(request):
                return problem(400, "The body must be a JSON object.")
            page_id = page_id_to_update(request)
            if page_id is not None and not page_id.isdigit():
                return problem(404, f"No page has the id {page_id[:40]!r}: a page's id is a whole number.")
        return self.get_response(request)


def json_body_is_an_object(request):
    """
    Whether a JSON request body is an object, or absent. A JSON text is an object exactly when it
    starts with "{". A body too large to read here is left to Django's own limit.
    """
    if request.method not in ("POST", "PUT", "PATCH") or request.content_type != "application/json":
        return True
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return True  # the endpoint answers the malformed header
    if length == 0 or length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return True
    text = request.body.lstrip(b" \t\r\n")
    return not text or text.startswith(b"{")


def searchable_text(text):
    """
    Search text as every search backend can take it. Wagtail's SQLite full-text search wraps each
    word in double quotes without escaping those inside it (and fails on an odd one), and fails on
    text that is only spaces. No search here reads quotes as a phrase, so they are spaces.
    """
    return text.replace('"', " ").strip()


def nul_character_in(request):
    """
    Where the request carries a NUL character that could reach the database, or None: the path
    (an API path segment is looked up as a slug), the query string, or a cookie (the session's).
    """
    if "\x00" in request.path_info:
        return "path"
    if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
        return "query parameters"
    if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
        return "cookies"
    return None


def page_id_to_update(request):
    """
    The page id of a PATCH to Wagtail's pages endpoint, as sent; None for any other request.
    Wagtail reads it (to learn the page's type) before its routing checks that it is a number.
    """
    if request.method != "PATCH" or not request.path_info.startswith("/api/v3/pages/"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.kwargs.get("page_id") if match.url_name == "detail_page" else None


def out_of_range_number(request):
    """The first path segment or query value that is a whole number too large for an id or offset."""
    values = [segment for segment in request.path_info.split("/") if segment]
    values += [value for _key, values_ in request.GET.lists() for value in values_]
    for value in values:
        if NUMBER.match(value) and abs(int(value)) > MAX_NUMBER:
            return value[:40]
    return None


# The request headers that make a GET conditional (RFC 9110 13.1).
CONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """
    Django's (ETags, and 304 or 412 for conditional GETs), which parses the response's validators
    for every GET: here only for a GET that sends a condition, the only one they can change.
    """

    def process_response(self, request, response):
        if request.method != "GET" or any(header in request.META for header in CONDITIONS):
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        return response


class ApiProblemMiddleware:
    """
    Keeps every API error JSON: one that Django or Ninja answered in HTML or plain text (a 405, a
    404 outside any router, an oversized body…) becomes problem+json, keeping headers such as Allow;
    Wagtail's own problem+json gets its charset.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if "json" in with_charset(response).get("Content-Type", ""):
            return response
        replacement = problem(response.status_code, HTTPStatus(response.status_code).phrase)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp's header, with settings.ADMIN_CONTENT_SECURITY_POLICY for the Wagtail admin and
    settings.CONTENT_SECURITY_POLICY for everything else (see cms/settings/base.py for why they differ).

    django-csp builds the header anew for every response, which took a quarter of a static file's
    time. Here each part of the site's headers are built once, by django-csp, and then reused for
    every response whose view sets no policy of its own (django-csp's decorators) to a request that
    used no nonce: for those they are the same every time.
    """

    def process_response(self, request, response):
        admin = request.path_info.startswith(settings.ADMIN_PATH_PREFIX)
        if admin:
            # The admin's preview renders the page through the middleware again, as a request for the
            # page's own URL, which gets the site's policy: the admin frames it, so it takes the admin's.
            del response[HEADER]
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, attribute) for attribute in PER_VIEW_POLICY)
            or excludes_paths()
        ):
            return super().process_response(request, response)
        headers = _policy_headers.get(admin)
        if headers is None:
            blank = super().process_response(request, HttpResponse())
            headers = _policy_headers[admin] = [
                (name, blank[name]) for name in POLICY_HEADERS if name in blank
            ]
        for name, value in headers:
            response.headers.setdefault(name, value)
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_PATH_PREFIX)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


POLICY_HEADERS = (HEADER, HEADER_REPORT_ONLY)
# What django-csp's view decorators set on a response (csp_exempt, csp_update, csp_replace, csp).
PER_VIEW_POLICY = [
    f"_csp_{kind}{suffix}" for kind in ("exempt", "config", "update", "replace") for suffix in ("", "_ro")
]
# The headers of each part of the site, True for the admin (ContentSecurityPolicyMiddleware).
_policy_headers = {}


def excludes_paths():
    """Whether a policy leaves paths out (django-csp's EXCLUDE_URL_PREFIXES): then it is per path."""
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


@receiver(setting_changed)
def _forget_policy_headers(setting, **kwargs):
    if "CONTENT_SECURITY_POLICY" in setting or setting in ("ADMIN_PATH_PREFIX", "DEBUG"):
        _policy_headers.clear()


class PermissionsPolicyMiddleware:
    """
    The Permissions-Policy header from settings.PERMISSIONS_POLICY, {feature: [origins]}: an empty
    list turns the feature off for the page and anything it frames; "self" allows the site's own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed_origin(origin) for origin in origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def allowed_origin(origin):
    """An origin as Permissions-Policy writes it: self and * bare, addresses quoted."""
    return origin if origin in ("self", "*") else f'"{origin}"'
