"""
What many parts of a page need beside its own content (the site's clinic details and hours, the
pages every layout links to, when the next page expires), looked up once per request and kept
between requests in the public cache (cms/cache.py), which every content change empties.

After a publish the first reader of each page pays for its render, not again for these: with them
shared, an uncached page costs its own queries and a handful of cache reads.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

_MISSING = object()


def remember(request, key, compute, until=None):
    """
    `compute()`'s value, kept on `request` (if any) and in the public cache under `key` for at most
    PUBLIC_CACHE_SECONDS, or until the datetime `until(value)` returns (when its value stops being
    true, say at a page's expiry; None for no such time).
    """
    memo = getattr(request, "_shared_data", None) if request is not None else None
    if memo is not None and key in memo:
        return memo[key]
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    cache_key = f"shared:{key}"
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        timeout = settings.CACHE_MIDDLEWARE_SECONDS
        ends = until(value) if until is not None else None
        if ends is not None:
            timeout = min(timeout, (ends - timezone.now()).total_seconds())
        if timeout > 0:
            cache.set(cache_key, value, timeout)
    if request is not None:
        if memo is None:
            memo = request._shared_data = {}
        memo[key] = value
    return value


def forget(key):
    """
    Drop `key` at once, not only when the public cache is emptied after the transaction commits:
    for what the rest of the transaction reads too (who may see which pages).
    """
    caches[settings.CACHE_MIDDLEWARE_ALIAS].delete(f"shared:{key}")
