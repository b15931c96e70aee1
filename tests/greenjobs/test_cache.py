"""The Redis cache answers as an empty cache when Redis does not answer."""

import socket

from greenjobs import cache as cache_module
from greenjobs.cache import FailSoftRedisCache


def unreachable_cache() -> FailSoftRedisCache:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )


def test_reads_give_the_default_and_writes_are_dropped_when_redis_is_down(monkeypatch):
    logged = []
    monkeypatch.setattr(
        cache_module.logger, "warning", lambda message, *args, **kwargs: logged.append(message % args)
    )
    cache = unreachable_cache()

    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("key") is False
    assert cache.touch("key") is False
    cache.delete_many(["a", "b"])
    assert cache.clear() is False
    assert logged[:2] == [
        "Cache set skipped: Redis is unreachable.",
        "Cache get skipped: Redis is unreachable.",
    ]


def test_a_mark_that_cannot_be_stored_does_not_stop_the_work_it_guards():
    cache = unreachable_cache()

    # add() keeps de-duplication marks: losing the guarded work would be worse than repeating it
    assert cache.add("programs:event-mail:1", "sent") is True
    # a counter starts again, as in a new window: a rate limit lets the request through
    assert cache.incr("ratelimit:x", 3) == 3
