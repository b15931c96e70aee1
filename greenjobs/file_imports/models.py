"""The row of an import job, abstract: each kind of import adds the counts of what it wrote."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from greenjobs.jobs import Job


class FileImportJob(Job):
    """Abstract: an uploaded file's import; a concrete job adds the counts of what it wrote."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting")
        RUNNING = "running", gettext_lazy("Running")
        SUCCEEDED = "succeeded", gettext_lazy("Imported")
        FAILED = "failed", gettext_lazy("Failed")

    # Always someone's: the uploader's rights are checked again when the job runs.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta(Job.Meta):
        abstract = True
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.original_name} · {self.get_status_display()}"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return self.rows_percent(self.processed_rows)

    def rows_percent(self, done: int) -> int:
        return int(done * 100 / self.total_rows) if self.total_rows else 0
