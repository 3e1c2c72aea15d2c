"""
Anonymous reads answered from Django's cache, emptied the moment published content changes.

Django's own cache middleware does the work (keys per path, query string and the Vary headers,
so per language too), except that each URL's responses and Vary headers are kept in one entry,
so that a hit is one cache read (see `entry_key`). These subclasses decide what is public:
GET/HEAD requests under settings.PUBLIC_CACHE_PATHS on nobody's behalf (no Authorization header,
no session: an editor's pages carry the user bar, a visitor who gave a page's password sees that
page) whose response sets no cookie (a form's CSRF token), kept no longer than until the next page
expires. The cache alias settings.CACHE_MIDDLEWARE_ALIAS holds nothing else but what pages share
(cms/shared_data.py), so invalidating it is a plain clear(). With several server processes it must
be a shared cache (Redis, see REDIS_URL) for that clear() to reach them all.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
    set_response_etag,
)
from django.utils.http import http_date
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from cms.compression import keep_compressed
from cms.middleware import request_language
from cms.page_changes import page_changed
from cms.pages import next_expiry
from cms.shared_data import forget

# Models whose saving or deletion changes what public pages or API responses show; each app adds
# its own in its AppConfig.ready() with register_public_models().
_public_models = set()


def is_public_path(request):
    return request.path_info.startswith(tuple(settings.PUBLIC_CACHE_PATHS))


def is_personal(request):
    """A request on someone's behalf: an API token, or a session (an editor, a page's password)."""
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def is_public_read(request):
    return request.method in ("GET", "HEAD") and is_public_path(request) and not is_personal(request)


class FetchPublicFromCacheMiddleware(FetchFromCacheMiddleware):
    """
    Serve a cached copy of a public read, in one cache read (see `entry_key`); never consult the
    cache for anything else.

    It sits as high in the stack as it can, right below UpdatePublicCacheMiddleware, so that a hit
    skips what only a response made here needs (sessions, the language's activation, the input
    guard): the key's language is the one LanguageMiddleware will choose (request_language()).
    """

    def process_request(self, request):
        request._cache_update_cache = False
        if not is_public_read(request):
            return None
        language = request_language(request)
        if language is None:
            return None  # an API request LanguageMiddleware refuses
        request.public_cache_key = entry_key(request, self.key_prefix, language)
        stored = cached_response(self.cache.get(request.public_cache_key), request)
        if stored is None:
            request._cache_update_cache = True
            return None
        response, fresh_until, max_age = stored
        # Django's age estimation of the cached response (FetchFromCacheMiddleware).
        response["Age"] = max_age - max(0, min(max_age, math.ceil(fresh_until - time.time())))
        request.public_cache_hit = True
        return response


class UpdatePublicCacheMiddleware(UpdateCacheMiddleware):
    """Give public reads their caching headers (and store them); keep token reads private."""

    def process_response(self, request, response):
        if getattr(request, "public_cache_hit", False):
            return response  # it has its headers, and is stored already
        if is_public_path(request) and request.method in ("GET", "HEAD"):
            if is_personal(request) or response.cookies:
                patch_cache_control(response, private=True, no_store=True)
            elif response.status_code == 200 and not response.streaming:
                if "Cache-Control" not in response:
                    patch_cache_control(response, public=True, max_age=public_max_age(request))
                response.headers.setdefault("Last-Modified", http_date())
                if not response.has_header("ETag"):
                    set_response_etag(response)
        self.store(request, response)
        return response

    def store(self, request, response):
        """
        Django's UpdateCacheMiddleware.process_response, keeping one entry per URL (`entry_key`);
        nothing while settings.PUBLIC_CACHE_STORE_RESPONSES is off (what pages share is still kept).
        """
        if not settings.PUBLIC_CACHE_STORE_RESPONSES or not self._should_update_cache(request, response):
            return
        if response.streaming or response.status_code not in (200, 304):
            return
        if response.cookies and has_vary_header(response, "Cookie"):
            return
        cache_control = response.get("Cache-Control", "").lower()
        if any(directive in cache_control for directive in ("private", "no-cache", "no-store")):
            return
        if has_vary_header(response, "*"):
            return
        timeout = get_max_age(response)
        if timeout is None:
            timeout = self.cache_timeout
        elif timeout == 0:
            return
        patch_response_headers(response, timeout)
        if not timeout or response.status_code != 200:
            return
        key = request.public_cache_key
        vary = vary_headers(response)
        variant = variant_key(request, request.method, vary)

        def save(response):
            keep_compressed(response)
            entry = self.cache.get(key)
            if not entry or entry["vary"] != vary:
                entry = {"vary": vary, "responses": {}}
            now = time.time()
            responses = {k: stored for k, stored in entry["responses"].items() if stored[1] > now}
            # Its max-age is `timeout` (patch_response_headers), and it expires with the entry.
            responses[variant] = (response, now + timeout, timeout)
            self.cache.set(key, {"vary": vary, "responses": responses}, timeout)

        if callable(getattr(response, "render", None)):
            response.add_post_render_callback(save)
        else:
            save(response)


def entry_key(request, key_prefix, language):
    """
    The one cache entry of a URL in a language: its Vary headers and its responses, one per their
    values (`variant_key`). Django's middleware keeps the two apart, so that a hit costs two reads,
    two round trips to Redis; here it costs one.

    The URL is the scheme, the host as sent and the path and query as sent: an entry is only ever
    stored for a host ALLOWED_HOSTS accepts (the response of any other is a 400), so checking it
    again here (build_absolute_uri(), a third of a hit's time in this function) changes nothing.
    """
    url = f"{request.scheme}://{request._get_raw_host()}{request.path}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"{key_prefix}.{digest}.{language}"


def variant_key(request, method, vary):
    """Which of an entry's responses answers `request`: the method and the values of its Vary headers."""
    return (method, *(request.META.get(header) for header in vary))


def vary_headers(response):
    """The request headers `response` varies on, as Django's learn_cache_key() lists them."""
    headers = []
    for header in cc_delim_re.split(response.headers.get("Vary", "")):
        header = header.upper().replace("-", "_")
        # The language is part of every key already (Django's rule, with USE_I18N).
        if header and not (header == "ACCEPT_LANGUAGE" and settings.USE_I18N):
            headers.append("HTTP_" + header)
    return sorted(headers)


def cached_response(entry, request):
    """
    The fresh response `entry` holds for `request` (a GET's answers a HEAD too), with the time it
    stays fresh until (a timestamp) and its max-age, or None.
    """
    if not entry:
        return None
    for method in ("GET", "HEAD") if request.method == "HEAD" else ("GET",):
        stored = entry["responses"].get(variant_key(request, method, entry["vary"]))
        if stored is not None and stored[1] > time.time():
            return stored
    return None


def public_max_age(request):
    """
    How long a public response may be kept: PUBLIC_CACHE_SECONDS, or, for one that shows pages,
    less when a page expires sooner (an expiry is not an edit: nothing clears the cache then).
    """
    max_age = settings.CACHE_MIDDLEWARE_SECONDS
    expiry = next_expiry(request) if getattr(request, "shows_pages", False) else None
    if expiry is not None:
        max_age = min(max_age, max(1, math.ceil((expiry - timezone.now()).total_seconds())))
    return max_age


def shows_pages(request):
    """Say that the response to `request` shows pages (or lists them): see public_max_age()."""
    request.shows_pages = True


def showing_pages(view):
    """A view (or an API router's operations, `router.add_decorator`) whose responses show pages."""

    @wraps(view)
    def view_showing_pages(request, *args, **kwargs):
        shows_pages(request)
        return view(request, *args, **kwargs)

    return view_showing_pages


def invalidate_public_cache(**kwargs):
    """Empty the public cache once the current transaction (if any) has committed."""
    transaction.on_commit(caches[settings.CACHE_MIDDLEWARE_ALIAS].clear)


def connect_page_invalidation():
    """
    Publishing, unpublishing, moving, deleting any page or changing its privacy empties the public
    cache (cms/page_changes.py); so does deleting an instance of a registered model, changing the
    groups a private page is restricted to, or a collection's privacy.
    """
    page_changed.connect(invalidate_public_cache, dispatch_uid="public-cache-page-changed")
    post_delete.connect(_on_delete, dispatch_uid="public-cache-delete")
    connect_relations_invalidation(PageViewRestriction)  # page_changed says nothing of its groups
    register_public_models(PageViewRestriction)  # nor, always, of its removal (cms/shared_data.py)
    for signal in (post_save, post_delete):
        signal.connect(_forget_restrictions, sender=PageViewRestriction, dispatch_uid="forget-restrictions")
    register_public_models(CollectionViewRestriction)


def register_public_models(*models):
    """
    Saving or deleting an instance of one of `models` (snippets, settings, images), or changing its
    many-to-many relations (a restriction's groups), empties the cache.
    """
    for model in models:
        _public_models.add(model)
        post_save.connect(
            invalidate_public_cache, sender=model, dispatch_uid=f"public-cache-{model._meta.label}"
        )
        connect_relations_invalidation(model)


def connect_relations_invalidation(model):
    """Adding or removing many-to-many relations of a `model` instance empties the cache."""
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            _on_relations_changed,
            sender=field.remote_field.through,
            dispatch_uid=f"public-cache-{model._meta.label}-{field.name}",
        )


def _on_relations_changed(action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate_public_cache()


def _forget_restrictions(**kwargs):
    forget("restricted-paths")  # cms.pages.restricted_paths()


def _on_delete(sender, **kwargs):
    if sender in _public_models:
        invalidate_public_cache()
