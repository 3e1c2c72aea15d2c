"""
The Redis cache backend (cms/redis_cache.py): Django's, keeping one redis-py client, so that a
cached read is the read alone, not the building of a client as well. These run against the public
cache when it is Redis (REDIS_URL), else are skipped.
"""

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from cms.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(
    settings.CACHES["public"]["BACKEND"] != "cms.redis_cache.RedisCache",
    reason="needs Redis (REDIS_URL) for the public cache",
)


@pytest.fixture
def redis_clients_built(monkeypatch):
    """The redis.Redis clients built while the test runs."""
    built = []
    build = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        build(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    return built


@pytest.mark.parametrize("url", ["/en/", "/api/v3/articles/"])
def test_a_cached_read_builds_no_redis_client(client, demo, redis_clients_built, url):
    assert client.get(url).status_code == 200
    built_by_the_render = len(redis_clients_built)

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200 and "Age" in response  # answered from the cache
    assert len(redis_clients_built) == built_by_the_render


def test_one_client_still_sees_every_change_made_through_another():
    mine = caches["public"]
    other = RedisCache(settings.CACHES["public"]["LOCATION"], {})
    mine.set("shared-client-check", "first", 60)

    other.set("shared-client-check", "second", 60)
    assert mine.get("shared-client-check") == "second"
    other.clear()  # what a publish in another server process does
    assert mine.get("shared-client-check") is None
