"""
Django's Redis cache backend, keeping one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation. With redis-py 8
that costs more than the read itself (some 50 to 100 µs of CPU: the client fills a dict of about
170 response callbacks, its retry and event objects, on each call), and on a cached page or API
read, which is one cache read (cms/cache.py), it was a third of the Redis path's extra CPU over
local memory. A `redis.Redis` is safe to share between threads (each command takes a connection
from the pool) and its pool reconnects after a fork, so one per pool does.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES' BACKEND "cms.redis_cache.RedisCache": Django's, with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
