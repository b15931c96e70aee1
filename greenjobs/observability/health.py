"""Checks behind /healthz/ready: can this process reach its database, Redis (when configured) and the
private file storage? /healthz/live checks nothing: it only shows the process answers."""

import uuid

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections

from greenjobs.uploads import private_storage

OK, NOT_CONFIGURED = "ok", "not configured"
PROBE = b"greenjobs readiness probe"


def check_database(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"
    return OK


def check_redis() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return OK


def check_storage() -> str:
    """Writes, reads back and deletes a tiny object, the way documents are stored."""
    try:
        storage = private_storage()
        name = storage.save(f"healthz/{uuid.uuid4().hex}.probe", ContentFile(PROBE))
        try:
            with storage.open(name, "rb") as probe:
                content = probe.read()
        finally:
            storage.delete(name)
    except Exception as exc:  # any backend (disk, S3) and any failure: this process cannot store files
        return f"error: {exc.__class__.__name__}"
    return OK if content == PROBE else "error: the probe read back differently"


def readiness() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis(), "storage": check_storage()}
    ready = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    return ready, {"status": "ok" if ready else "unavailable", **checks}
