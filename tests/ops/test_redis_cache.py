"""The Redis cache keeps one redis-py client per connection pool (aifabriek/ops/redis_cache.py)."""

from uuid import uuid4

import pytest

from aifabriek.ops.redis_cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid4().hex}"})
    yield cache
    cache.clear()
    for pool in cache._cache._pools.values():
        pool.disconnect()


def test_values_round_trip_through_one_reused_client(redis_cache):
    redis_cache.set("figure", {"committed": "130000000.00"}, timeout=60)
    assert redis_cache.get("figure") == {"committed": "130000000.00"}
    assert redis_cache.get_many(["figure", "absent"]) == {"figure": {"committed": "130000000.00"}}

    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("another-key") is client


def test_deleting_and_adding_go_through_the_same_client(redis_cache):
    assert redis_cache.add("token", "a", timeout=None) is True
    assert redis_cache.add("token", "b", timeout=None) is False
    assert redis_cache.get("token") == "a"
    assert redis_cache.delete("token") is True
    assert redis_cache.get("token", "gone") == "gone"
