"""
What many parts of a page need beside its own content (the site with its root page, the pages
requests are routed through below it, the site's clinic details and hours, the pages every layout
links to, page restrictions, when the next page expires; and what every page of a language shows
alike, the footer and the clinic's JSON-LD), looked up once per request and kept between requests
in the public cache (cms/cache.py), which every content change empties.

They are kept together in one cache entry, so that a request reads them all in one cache read
(with Redis, one round trip), whichever it needs. After a publish the first reader of each page
pays for its render, not again for these: with them shared, an uncached page costs its own queries
and that one cache read.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.utils import timezone

# The public cache's key of the entry ({name: (value, expiry as a Unix time)}).
CACHE_KEY = "shared:data"

# What the request being served has read of it, for lookups that are not given the request (who
# may see which pages, asked by querysets): {} from the start of a request, None outside one.
_request_memo = ContextVar("shared_data", default=None)
_READ = object()  # in that memo once the cache's entry has been read


def _start(**kwargs):
    _request_memo.set({})


def _finish(**kwargs):
    _request_memo.set(None)


request_started.connect(_start, dispatch_uid="cms-shared-data-start")
request_finished.connect(_finish, dispatch_uid="cms-shared-data-finish")


def in_request():
    """Whether a request is being served (what `remember` keeps is then read once for it)."""
    return _request_memo.get() is not None


def _public_cache():
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def _kept():
    """What the public cache holds, less what has expired: {name: value}."""
    now = time.time()
    parts = _public_cache().get(CACHE_KEY) or {}
    return {name: value for name, (value, ends) in parts.items() if ends > now}


def remember(request, key, compute, until=None):
    """
    `compute()`'s value, kept on `request` (if any) and in the public cache under `key` for at most
    PUBLIC_CACHE_SECONDS, or until the datetime `until(value)` returns (when its value stops being
    true, say at a page's expiry; None for no such time).
    """
    memo = getattr(request, "_shared_data", None) if request is not None else None
    if memo is None:
        memo = _request_memo.get()
        if memo is not None and _READ not in memo:
            memo.update(_kept())  # everything kept, in one read for the request
            memo[_READ] = True
        elif memo is None:
            memo = _kept()  # outside a request: read each time
        if request is not None:
            request._shared_data = memo
    if key in memo:
        return memo[key]
    value = memo[key] = compute()
    timeout = settings.CACHE_MIDDLEWARE_SECONDS
    ends = until(value) if until is not None else None
    if ends is not None:
        timeout = min(timeout, (ends - timezone.now()).total_seconds())
    if timeout > 0:
        # Read again before adding to it: another process may have added something meanwhile
        # (two that add at once may lose one of theirs, which is then looked up again).
        now = time.time()
        cache = _public_cache()
        parts = {name: part for name, part in (cache.get(CACHE_KEY) or {}).items() if part[1] > now}
        parts[key] = (value, now + timeout)
        cache.set(CACHE_KEY, parts, settings.CACHE_MIDDLEWARE_SECONDS)
    return value


def forget(key):
    """
    Drop `key` at once, not only when the public cache is emptied after the transaction commits:
    for what the rest of the transaction reads too (who may see which pages).
    """
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(key, None)
    cache = _public_cache()
    parts = cache.get(CACHE_KEY)
    if parts and key in parts:
        del parts[key]
        cache.set(CACHE_KEY, parts, settings.CACHE_MIDDLEWARE_SECONDS)
