"""The measurement of the memorandum: indicators per goal, yearly targets, hand-entered values, reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs import notes
from greenjobs.bilingual import Bilingual
from greenjobs.jobs import Job


class Indicator(Bilingual, models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from the portal's records")
        MANUAL = "manual", _("Entered by a person")

    code = models.CharField(_("code"), max_length=12, unique=True)
    goal = models.ForeignKey(
        "agencies.Goal", on_delete=models.PROTECT, related_name="indicators", verbose_name=_("goal")
    )
    name_fa = models.CharField(_("name (Persian)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)
    unit_fa = models.CharField(_("unit (Persian)"), max_length=40)
    unit_en = models.CharField(_("unit (English)"), max_length=40)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    # Cumulative indicators count everything up to the period's end (a stock); the others count only
    # what happened within the period (a flow).
    cumulative = models.BooleanField(_("cumulative"), default=False)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        # The tables were made when these models lived in programs; the move left the data where it was.
        db_table = "programs_indicator"
        ordering = ["goal__order", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.code} · {self.tr('name')}"

    @property
    def name(self):
        return self.tr("name")

    @property
    def unit(self):
        return self.tr("unit")


class IndicatorTarget(models.Model):
    """The target of an indicator for one Jalali (fiscal) year, set by the steering committee."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    jalali_year = models.PositiveSmallIntegerField(_("Jalali year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programs_indicatortarget"
        ordering = ["indicator", "jalali_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "jalali_year"], name="programs_one_target_per_year")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.jalali_year}: {self.value}"


class ManualValue(models.Model):
    """A figure only a person can know, for one period, with who entered it and when."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    note = models.TextField(_("source of the figure"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "programs_manualvalue"
        ordering = ["indicator", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="programs_one_manual_value_per_period",
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period_start}–{self.period_end}: {self.value}"


class ReportJob(Job):
    """One progress report: requested for a period and language, computed and rendered by Celery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        FA = "fa", _("Persian")
        EN = "en", _("English")

    period = models.CharField(_("period"), max_length=10)  # 1405, 1405-Q3 or 1405-07
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FA)
    # One request, one report: a re-delivered task finds the key taken and the file already there.
    request_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    stored_name = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    # The recovery task starts a job whose worker was lost again, a bounded number of times.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    scheduled = models.BooleanField(_("made by the schedule"), default=False)

    class Meta:
        db_table = "programs_reportjob"
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        # The constraint keeps the name it had before the job base existed.
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="programs_report_progress_percent"),
        ]

    def __str__(self):
        return f"{self.period} ({self.language}) · {self.get_status_display()}"


class Recomputation(models.Model):
    """A deliberate recomputation of closed periods' stored figures: who asked, why, and what changed."""

    periods = models.JSONField(_("periods"), default=list)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # [{"period": "1404-Q2", "code": "G1.8", "before": 10, "after": 12}, ...]: only the figures that moved.
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("recomputation of closed periods")
        verbose_name_plural = _("recomputations of closed periods")

    def __str__(self):
        return f"{', '.join(self.periods)} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def note(self) -> str:
        """The reason as the reader should see it: typed text as typed, a system note translated."""
        return notes.render(self.reason)


class IndicatorValue(models.Model):
    """An indicator's actual for a period that had ended when it was computed. It is computed once and
    read from then on; only a Recomputation changes it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="stored_values")
    period = models.CharField(_("period"), max_length=10)
    start = models.DateField(_("period starts"))
    end = models.DateField(_("period ends"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    recomputation = models.ForeignKey(
        Recomputation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["period", "indicator"]
        verbose_name = _("stored indicator value")
        verbose_name_plural = _("stored indicator values")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="measurement_one_value_per_period")
        ]
        indexes = [models.Index(fields=["start", "end"], name="measurement_value_span")]

    def __str__(self):
        return f"{self.indicator_id} {self.period}: {self.value}"


class LateChange(models.Model):
    """A record that belongs to a period whose figures were already stored: until someone recomputes
    that period, its stored figures leave it out, and the pages say so."""

    day = models.DateField(_("day it concerns"))
    what = models.CharField(_("what changed"), max_length=200)
    noticed_at = models.DateTimeField(_("noticed at"), default=timezone.now)
    recomputation = models.ForeignKey(
        Recomputation, on_delete=models.SET_NULL, null=True, blank=True, related_name="late_changes"
    )

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("late change")
        verbose_name_plural = _("late changes")
        indexes = [
            models.Index(
                fields=["day"], condition=Q(recomputation__isnull=True), name="measurement_late_open"
            )
        ]

    def __str__(self):
        return f"{self.day}: {self.what}"


class ProgressSnapshot(models.Model):
    """What the public and programme dashboards show, prepared by Celery: the pages only read it."""

    key = models.CharField(max_length=20, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")

    def __str__(self):
        return f"{self.key} · {self.computed_at:%Y-%m-%d %H:%M}"


class RunningValue(models.Model):
    """What a windowed indicator has added up in a period not over yet, up to `through`: the current
    period's figure is this plus the records stamped since, never a count from the period's first day."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="running_values")
    period = models.CharField(_("period"), max_length=10)
    through = models.DateTimeField(_("counted up to"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("running indicator value")
        verbose_name_plural = _("running indicator values")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="measurement_one_running_value")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period} to {self.through:%Y-%m-%d %H:%M}: {self.value}"


class PeriodBreakdown(models.Model):
    """The report's tables (by county and agency, the loan funnel, training, savings, late milestones) of a
    period that had ended when they were computed: computed once, then read; a Recomputation redoes them."""

    period = models.CharField(_("period"), max_length=10, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    recomputation = models.ForeignKey(
        Recomputation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("stored report tables")
        verbose_name_plural = _("stored report tables")

    def __str__(self):
        return self.period
