"""The base of every background job's row: who asked and when, its status, its progress and its message.

A job is a row plus a thin Celery task that loads it by id and calls a service; the service moves the row
through the lifecycle below, so the page that polls a job only ever reads the row. The lifecycle methods
write; the caller decides the transaction and the locks around them.
"""

import zlib
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Abstract: a concrete job adds what it works on and what it produced.

    A subclass may redeclare `Status` (and the `status` field) for its own labels, with the same four values.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    # Nobody asks for a scheduled job, hence null.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moved with every step of progress: a running job whose heartbeat stopped has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_percent"
            ),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    def start(self, *, message: str = "", progress: int = 0, **fields) -> None:
        """Marks the job running from now; `fields` are the subclass's own columns to reset with it."""
        now = timezone.now()
        self._save(
            status=self.Status.RUNNING, started_at=now, heartbeat_at=now, progress=_percent(progress),
            message=message, finished_at=None, **fields,
        )  # fmt: skip

    def advance(self, progress: int, **fields) -> None:
        """Moves the progress (a percent) and the heartbeat; written by an UPDATE, so it never overwrites
        other columns with what this instance happens to hold."""
        values = {"progress": _percent(progress), "heartbeat_at": timezone.now(), **fields}
        type(self)._default_manager.filter(pk=self.pk).update(**values)
        for name, value in values.items():
            setattr(self, name, value)

    def finish(self, *, message: str = "", **fields) -> None:
        self._save(
            status=self.Status.SUCCEEDED, progress=100, message=message, finished_at=timezone.now(), **fields
        )

    def fail(self, message: str, **fields) -> None:
        self._save(status=self.Status.FAILED, message=message, finished_at=timezone.now(), **fields)

    def _save(self, **values) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=list(values))


def _percent(value: int) -> int:
    return min(max(int(value), 0), 100)


def serialise_runs(model: type[Job], pk: int) -> None:
    """Within the caller's transaction, waits until no other transaction runs the same job, without
    locking the job's row, so the progress can still be written on the row meanwhile.

    PostgreSQL gives a lock on a number, held until the transaction ends; SQLite (the embedded default)
    lets one transaction write at a time anyway.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return
    # The lock's two numbers: one for the kind of job, one for the job (ids past 2^31 may share a lock,
    # which only makes two jobs wait for each other).
    kind = zlib.crc32(model._meta.label_lower.encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, pk % 2**31])


@contextmanager
def progress_beside(job: Job):
    """Yields `advance(progress, **fields)` that writes on the job's row through a connection of its own,
    so the progress shows while the caller's transaction, which may write for minutes, is still open.

    The caller must not hold the job's row locked (see serialise_runs). Under SQLite the open
    transaction locks the whole file, so there the progress is only what the caller writes at the end.
    """
    alias = router.db_for_write(type(job))
    if connections[alias].vendor != "postgresql":
        yield lambda progress, **fields: None
        return
    side = connections.create_connection(alias)

    def advance(progress: int, **fields) -> None:
        query = UpdateQuery(type(job))
        query.add_q(Q(pk=job.pk))
        query.add_update_values({"progress": _percent(progress), "heartbeat_at": timezone.now(), **fields})
        query.get_compiler(connection=side).execute_sql(ROW_COUNT)

    try:
        yield advance
    finally:
        side.close()
