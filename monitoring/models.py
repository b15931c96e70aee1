"""After the money is paid: did the loan create the jobs it promised?

A loan under repayment has monitoring rounds at the months its scheme sets. In each, the applicant names
the people employed in the promised jobs, and MCLS checks them by national ID against the insurance
organisation's monthly lists of the business's workshops. A shortfall beyond the scheme's tolerance, or a
report not sent, is flagged to MCLS, who records a decision the scheme allows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs import notes
from greenjobs.file_imports.models import FileImportJob
from greenjobs.validators import validate_national_id

from .validators import validate_workshop_code


class Workshop(models.Model):
    """An insurance workshop (کارگاه) of a business: the insurance lists name people by its code."""

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="+", verbose_name=_("business")
    )
    code = models.CharField(
        _("insurance workshop code"), max_length=10, unique=True, validators=[validate_workshop_code]
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("insurance workshop")
        verbose_name_plural = _("insurance workshops")

    def __str__(self):
        return self.code


class RoundStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the applicant's report")
    REPORTED = "reported", _("Reported, awaiting verification")
    VERIFIED = "verified", _("Jobs verified")
    SHORTFALL = "shortfall", _("Shortfall flagged")
    OVERDUE = "overdue", _("Not reported by the deadline")
    DECIDED = "decided", _("Decision recorded")


# The applicant may still write the report.
EDITABLE_STATUSES = (RoundStatus.PENDING, RoundStatus.OVERDUE)
# MCLS has to act: verify a report, or decide on a shortfall or a missing report.
STAFF_STATUSES = (RoundStatus.REPORTED, RoundStatus.SHORTFALL, RoundStatus.OVERDUE)
# The round's outcome is known: these are the rounds the figures count (a missing report verifies nothing).
ASSESSED_STATUSES = (RoundStatus.VERIFIED, RoundStatus.SHORTFALL, RoundStatus.OVERDUE, RoundStatus.DECIDED)


class Flag(models.TextChoices):
    SHORTFALL = "shortfall", _("Shortfall beyond the tolerance")
    MISSED = "missed", _("Report missed")
    REPEATED_MISSED = "repeated_missed", _("Reports missed repeatedly")


class RoundKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled by the scheme")
    FOLLOW_UP = "follow_up", _("Follow-up after a warning")


class Round(models.Model):
    loan = models.ForeignKey(
        "incentives.LoanApplication",
        on_delete=models.PROTECT,
        related_name="monitoring_rounds",
        verbose_name=_("loan"),
    )
    number = models.PositiveSmallIntegerField(_("round"))
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices, default=RoundKind.SCHEDULED)
    months_after = models.PositiveSmallIntegerField(_("months after repayment starts"), null=True, blank=True)
    # The Jalali month checked, as its first day; the insurance lists of that month decide.
    month = models.DateField(_("month checked"))
    month_end = models.DateField(_("last day of the month"))
    due_on = models.DateField(_("report due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("in this status since"), default=timezone.now)
    # The day by which whoever holds the round should have acted (the applicant, then MCLS).
    sla_due_on = models.DateField(_("to act on by"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=20, choices=Flag.choices, blank=True)
    missed = models.BooleanField(_("report missed"), default=False)
    promised = models.PositiveIntegerField(_("jobs promised"), default=0)
    verified = models.PositiveIntegerField(_("jobs verified"), default=0)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["loan", "month"]
        verbose_name = _("monitoring round")
        verbose_name_plural = _("monitoring rounds")
        constraints = [
            # Planning twice (the daily run after the hook, two deliveries of a task) adds nothing.
            models.UniqueConstraint(fields=["loan", "month"], name="monitoring_one_round_per_loan_month"),
            models.CheckConstraint(
                condition=Q(verified__lte=models.F("promised")), name="monitoring_verified_within_promised"
            ),
        ]
        indexes = [
            # MCLS's queue: the rounds waiting for MCLS, the nearest deadline first.
            models.Index(
                fields=["sla_due_on", "id"],
                condition=Q(status__in=["reported", "shortfall", "overdue"]),
                name="monitoring_round_queue_idx",
            ),
            # The figures count the assessed rounds of a period's months.
            models.Index(fields=["month", "status"], name="monitoring_round_month_idx"),
            models.Index(fields=["status", "due_on"], name="monitoring_round_due_idx"),
        ]

    def __str__(self):
        return f"{self.loan_id} #{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def shortfall(self) -> int:
        return max(self.promised - self.verified, 0)

    @property
    def is_late(self) -> bool:
        return self.sla_due_on is not None and self.sla_due_on < timezone.localdate()


class RoundLine(models.Model):
    """Promised and verified jobs of one occupation in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="lines")
    occupation = models.ForeignKey("programs.GreenOccupation", on_delete=models.PROTECT, related_name="+")
    promised = models.PositiveIntegerField(_("promised"))
    verified = models.PositiveIntegerField(_("verified"), default=0)

    class Meta:
        ordering = ["round", "occupation__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "occupation"], name="monitoring_line_once"),
            models.CheckConstraint(
                condition=Q(verified__lte=models.F("promised")), name="monitoring_line_verified_within"
            ),
        ]

    def __str__(self):
        return f"{self.round_id} {self.occupation_id}: {self.verified}/{self.promised}"

    @property
    def shortfall(self) -> int:
        return max(self.promised - self.verified, 0)


class Outcome(models.TextChoices):
    VERIFIED = "verified", _("Verified: insured at the business")
    TOO_FEW_DAYS = "too_few_days", _("Insured at the business, but too few days")
    INSURED_ELSEWHERE = "insured_elsewhere", _("Insured at another workshop")
    NOT_INSURED = "not_insured", _("Not on the business's insurance list")
    NO_LIST = "no_list", _("The insurance list of the month is not in yet")
    COUNTED_ELSEWHERE = "counted_elsewhere", _("Already counted for another loan this month")
    BEYOND_PROMISE = "beyond_promise", _("More people than jobs promised in this occupation")
    NOT_PROMISED = "not_promised", _("An occupation the loan did not promise")


class Employee(models.Model):
    """A person the applicant names in a round's report, and what the verification found."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="employees")
    national_id = models.CharField(_("national ID"), max_length=10, validators=[validate_national_id])
    name = models.CharField(_("name"), max_length=200)
    occupation = models.ForeignKey(
        "programs.GreenOccupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    started_on = models.DateField(_("started on"))
    # The round's month, copied so the database itself keeps one person to one job a month.
    month = models.DateField(editable=False)
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices, blank=True)
    insured_days = models.PositiveSmallIntegerField(_("days insured at the business"), null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "national_id"], name="monitoring_employee_once_a_round"),
            # One person fills at most one promised job a month, across every loan and business.
            models.UniqueConstraint(
                fields=["national_id", "month"],
                condition=Q(outcome="verified"),
                name="monitoring_one_verified_job_per_person_month",
            ),
        ]
        indexes = [models.Index(fields=["national_id", "month"], name="monitoring_employee_person_idx")]

    def __str__(self):
        return f"{self.name} ({self.national_id})"


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", _("Employment contract")
    INSURANCE_LIST = "insurance_list", _("The workshop's insurance list")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other evidence")


class RoundDocument(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=EvidenceKind.choices)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class RoundEvent(models.Model):
    """One move of a round: who, when, from, to and why. Never edited."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=RoundStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.round_id}: {self.from_status or '∅'} → {self.to_status}"

    @property
    def note(self) -> str:
        return notes.render(self.reason)


class DecisionKind(models.TextChoices):
    WARNING = "warning", _("Warning with a new deadline")
    RATE = "rate", _("Changed interest rate")
    RECALL = "recall", _("Recall of the outstanding amount")


class Decision(models.Model):
    """MCLS's decision on a shortfall or a missing report, as the scheme allows."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    new_rate = models.DecimalField(
        _("new annual rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recall_due_on = models.DateField(_("recalled amount due on"), null=True, blank=True)
    follow_up = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up round"),
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.round_id}: {self.kind}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


# The site visit's checklist: what an inspector looks at in a business a loan paid for.
CHECKLIST = (
    ("operating", _("The business is operating at its address")),
    ("equipment", _("What the loan financed is installed and in use")),
    ("people_present", _("The people named in the report are at work")),
    ("green_occupations", _("They work in the promised green occupations")),
    ("commitments", _("The environmental commitments are visibly kept")),
)
CHECKLIST_ANSWERS = (("yes", _("Yes")), ("no", _("No")), ("unseen", _("Not checked")))


class SiteVisit(models.Model):
    loan = models.ForeignKey(
        "incentives.LoanApplication",
        on_delete=models.PROTECT,
        related_name="site_visits",
        verbose_name=_("loan"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("round"),
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    due_on = models.DateField(_("to visit by"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        indexes = [
            models.Index(
                fields=["due_on", "id"], condition=Q(status="planned"), name="monitoring_visit_queue_idx"
            )
        ]

    def __str__(self):
        return f"{self.loan_id} · {self.due_on}"

    @property
    def is_late(self) -> bool:
        return self.status == VisitStatus.PLANNED and self.due_on < timezone.localdate()

    def checklist_lines(self) -> list[tuple[str, str, str]]:
        answers = dict(CHECKLIST_ANSWERS)
        return [
            (key, label, answers.get(self.checklist.get(key, "unseen"), answers["unseen"]))
            for key, label in CHECKLIST
        ]


class VisitPhoto(models.Model):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class InsuranceImport(FileImportJob):
    """An import of the insurance organisation's monthly workshop lists, run in the background."""

    lists_count = models.PositiveIntegerField(default=0)
    records_count = models.PositiveIntegerField(default=0)
    rounds_verified = models.PositiveIntegerField(default=0)

    class Meta(FileImportJob.Meta):
        verbose_name = _("insurance list import")
        verbose_name_plural = _("insurance list imports")


class InsuranceList(models.Model):
    """One workshop's list for one month: a later import of the same list replaces it whole."""

    workshop_code = models.CharField(_("insurance workshop code"), max_length=10)
    month = models.DateField(_("month"))
    source = models.ForeignKey(InsuranceImport, on_delete=models.PROTECT, related_name="lists")
    people = models.PositiveIntegerField(_("people on the list"), default=0)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-month", "workshop_code"]
        verbose_name = _("insurance list")
        verbose_name_plural = _("insurance lists")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop_code", "month"], name="monitoring_one_list_per_workshop_month"
            )
        ]

    def __str__(self):
        return f"{self.workshop_code} {self.month}"


class InsuranceRecord(models.Model):
    """A person on a workshop's list for a month, with the days insured."""

    insurance_list = models.ForeignKey(InsuranceList, on_delete=models.CASCADE, related_name="records")
    national_id = models.CharField(max_length=10)
    days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(31), MinValueValidator(0)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["insurance_list", "national_id"], name="monitoring_record_once_a_list"
            )
        ]
        indexes = [models.Index(fields=["national_id"], name="monitoring_record_person_idx")]

    def __str__(self):
        return f"{self.national_id}: {self.days}"
