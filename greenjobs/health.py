"""Checks behind /healthz: can the portal reach its database and, when configured, its broker?"""

import redis
from django.conf import settings
from django.db import DatabaseError, connections


def check_database(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return healthy, {"status": "ok" if healthy else "unavailable", **checks}
