"""
Telling a response the public cache answered from one the view rendered, with any cache backend.

Django's FetchFromCacheMiddleware adds an Age header to each response it serves from the cache, and
such a response never reaches the view, nor the database. A rendered response has no Age header.
"""

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def read(client, url, *args, **kwargs):
    """
    A GET of `url`, its `from_cache` attribute saying whether the public cache answered it (after
    checking that such an answer made no database query, as a cached copy must not).
    """
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, *args, **kwargs)
    response.from_cache = "Age" in response
    if response.from_cache:
        assert not queries.captured_queries, f"{url}: a cached answer queried the database"
    return response


def read_twice(client, url, *args, **kwargs):
    """
    Read `url` twice; check that the first read rendered it and the second came from the cache, that
    is, that a cached copy is stored. Returns the first response.
    """
    first = read(client, url, *args, **kwargs)
    again = read(client, url, *args, **kwargs)
    assert not first.from_cache, f"{url} was already cached"
    assert again.from_cache, f"{url} was not cached by its first read"
    assert again.content == first.content
    return first


def read_fresh_then_cached(client, url, *args, **kwargs):
    """
    After a change: read `url` twice; check that the first read did not get the old cached copy (it
    rendered the page again) and that the second got the new one from the cache. Returns the first.
    """
    fresh = read(client, url, *args, **kwargs)
    again = read(client, url, *args, **kwargs)
    assert not fresh.from_cache, f"{url}: the cached copy was kept after the change"
    assert again.from_cache, f"{url}: the new copy was not cached"
    assert again.content == fresh.content
    return fresh


def stored_keys(cache):
    """
    The keys of the responses a cache holds, local-memory or Redis (whose database holds nothing
    else in tests), less what pages share beside them (cms/shared_data.py).
    """
    if isinstance(cache, LocMemCache):
        keys = list(cache._cache)
    elif isinstance(cache, RedisCache):
        keys = [key.decode() for key in cache._cache.get_client().keys("*")]
    else:
        raise NotImplementedError(f"cannot list the keys of {type(cache).__name__}")
    return [key for key in keys if ":shared:" not in key]
