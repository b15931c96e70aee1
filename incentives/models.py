from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs import notes
from greenjobs.bilingual import Bilingual

from .validators import validate_monitoring_months, validate_portal_date, validate_scheme_code

# A scheme's priority weights are shares of the 100-point score the public page promises.
WEIGHTS_TOTAL = 100
# The longest application window a scheme may have: a later closing date is a typing mistake.
LONGEST_WINDOW_YEARS = 5


class GraceStart(models.TextChoices):
    DISBURSEMENT = "disbursement", _("From the first disbursement")
    OPERATION = "operation", _("From the start of operation")


class GraceInterest(models.TextChoices):
    CAPITALISED = "capitalised", _("Added to the principal")
    WAIVED = "waived", _("Waived")


class LoanScheme(Bilingual, models.Model):
    """A loan facility of MCLS with its own budget, terms, window, eligibility rules and priorities."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[validate_scheme_code],
        help_text=_(
            "Latin letters and digits, starting with a letter, with single hyphens between groups, "
            "for example GL-1404. It is part of the scheme's address."
        ),
    )
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    budget = models.BigIntegerField(_("budget (Rial)"), validators=[MinValueValidator(1)])
    committed = models.BigIntegerField(_("committed (Rial)"), default=0, editable=False)
    disbursed = models.BigIntegerField(_("disbursed (Rial)"), default=0, editable=False)
    max_amount = models.BigIntegerField(
        _("maximum per application (Rial)"), validators=[MinValueValidator(1)]
    )
    min_amount = models.BigIntegerField(
        _("minimum per application (Rial)"), default=0, validators=[MinValueValidator(0)]
    )
    interest_rate = models.DecimalField(
        _("annual interest rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    term_months = models.PositiveSmallIntegerField(
        _("repayment instalments (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    grace_months = models.PositiveSmallIntegerField(
        _("grace months"), default=0, validators=[MaxValueValidator(36)]
    )
    grace_starts = models.CharField(
        _("grace starts"), max_length=20, choices=GraceStart.choices, default=GraceStart.DISBURSEMENT
    )
    grace_interest = models.CharField(
        _("interest during grace"),
        max_length=20,
        choices=GraceInterest.choices,
        default=GraceInterest.CAPITALISED,
    )
    opens_on = models.DateField(_("applications open on"), validators=[validate_portal_date])
    closes_on = models.DateField(_("applications close on"), validators=[validate_portal_date])
    requires_verified_registration = models.BooleanField(
        _("requires a verified green registration"), default=True
    )
    weight_knowledge_based = models.PositiveSmallIntegerField(
        _("weight: knowledge-based"), default=25, validators=[MaxValueValidator(WEIGHTS_TOTAL)]
    )
    weight_jobs_per_rial = models.PositiveSmallIntegerField(
        _("weight: green jobs per Rial"), default=35, validators=[MaxValueValidator(WEIGHTS_TOTAL)]
    )
    weight_environment = models.PositiveSmallIntegerField(
        _("weight: environmental gain"), default=25, validators=[MaxValueValidator(WEIGHTS_TOTAL)]
    )
    weight_county = models.PositiveSmallIntegerField(
        _("weight: county"), default=15, validators=[MaxValueValidator(WEIGHTS_TOTAL)]
    )
    priority_counties = models.ManyToManyField(
        "programs.County",
        blank=True,
        related_name="+",
        verbose_name=_("priority counties"),
        help_text=_("Applications from these counties get the county part of the priority score."),
    )
    # What happens after the money is paid (issue 15): when the promised jobs are checked, what counts as
    # a job kept, how much shortfall is tolerated, and how long the applicant has to report.
    monitoring_months = models.CharField(
        _("monitoring rounds (months after repayment starts)"),
        max_length=60,
        default="6,12,24",
        validators=[validate_monitoring_months],
        help_text=_(
            "Months after repayment (or operation) starts, separated by commas, for example 6,12,24."
        ),
    )
    min_insured_days = models.PositiveSmallIntegerField(
        _("minimum insured days in a month"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "A promised job counts for a month when its holder is insured at the business this many days."
        ),
    )
    shortfall_tolerance = models.DecimalField(
        _("shortfall tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A round missing more than this share of the promised jobs is flagged to MCLS."),
    )
    report_days = models.PositiveSmallIntegerField(
        _("days to report after a round's month"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "code"]
        verbose_name = _("loan scheme")
        verbose_name_plural = _("loan schemes")
        constraints = [
            # The backstop of the budget invariant: whatever the code does, the database refuses this.
            models.CheckConstraint(
                condition=Q(committed__lte=F("budget")), name="incentives_committed_within_budget"
            ),
            models.CheckConstraint(condition=Q(committed__gte=0), name="incentives_committed_non_negative"),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0) & Q(disbursed__lte=F("committed")),
                name="incentives_disbursed_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="incentives_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(max_amount__gte=F("min_amount")), name="incentives_amounts_ordered"
            ),
            models.CheckConstraint(
                condition=Q(budget__gt=0) & Q(max_amount__lte=F("budget")),
                name="incentives_max_amount_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_knowledge_based=WEIGHTS_TOTAL
                    - F("weight_jobs_per_rial")
                    - F("weight_environment")
                    - F("weight_county")
                ),
                name="incentives_weights_total",
            ),
            # Titles are stored with single spaces (the service folds them), so comparing them in lower
            # case makes "Green Loans" and "green  loans" the same title.
            models.UniqueConstraint(Lower("title_fa"), name="incentives_scheme_title_fa_unique"),
            models.UniqueConstraint(Lower("title_en"), name="incentives_scheme_title_en_unique"),
        ]

    def __str__(self):
        return self.tr("title")

    @property
    def title(self):
        return self.tr("title")

    @property
    def description(self):
        return self.tr("description")

    @property
    def available(self) -> int:
        return self.budget - self.committed

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_published and self.opens_on <= today <= self.closes_on

    @property
    def monitoring_month_list(self) -> list[int]:
        return [int(part) for part in self.monitoring_months.split(",") if part.strip().isdigit()]


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ENVIRONMENTAL_REVIEW = "environmental_review", _("Environmental review (DOE)")
    CREDIT_REVIEW = "credit_review", _("Credit and eligibility review (MCLS)")
    DECISION = "decision", _("Awaiting decision (MCLS)")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CONTRACTED = "contracted", _("Contract signed")
    DISBURSED = "disbursed", _("Disbursed")
    REPAYING = "repaying", _("Repaying")
    IN_ARREARS = "in_arrears", _("In arrears")
    SETTLED = "settled", _("Settled")


# Applications that still occupy their business's place in a scheme.
CLOSED_STAGES = (Stage.WITHDRAWN, Stage.REJECTED, Stage.SETTLED)
# Stages where the applicant may still withdraw.
WITHDRAWABLE_STAGES = (
    Stage.DRAFT,
    Stage.SUBMITTED,
    Stage.ENVIRONMENTAL_REVIEW,
    Stage.CREDIT_REVIEW,
    Stage.DECISION,
    Stage.RETURNED,
)


class LoanApplication(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="loan_applications",
        verbose_name=_("applicant"),
    )
    business = models.ForeignKey(
        "programs.Business",
        on_delete=models.PROTECT,
        related_name="loan_applications",
        verbose_name=_("business"),
    )
    scheme = models.ForeignKey(
        LoanScheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("scheme")
    )
    amount = models.BigIntegerField(_("amount requested (Rial)"), validators=[MinValueValidator(1)])
    purpose = models.TextField(_("purpose"))
    jobs_to_create = models.PositiveIntegerField(_("green jobs to be created"), default=0)
    energy_saving_kwh = models.DecimalField(
        _("expected energy saving (kWh/year)"), max_digits=14, decimal_places=2, default=0
    )
    water_saving_m3 = models.DecimalField(
        _("expected water saving (m³/year)"), max_digits=14, decimal_places=2, default=0
    )
    materials_saving_t = models.DecimalField(
        _("expected raw-material saving (tonnes/year)"), max_digits=14, decimal_places=2, default=0
    )
    waste_reduction_t = models.DecimalField(
        _("expected waste reduction (tonnes/year)"), max_digits=14, decimal_places=2, default=0
    )
    commitments = models.TextField(_("environmental commitments"), blank=True)

    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.DRAFT)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    returned_from = models.CharField(max_length=24, choices=Stage.choices, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    priority_score = models.DecimalField(_("priority score"), max_digits=6, decimal_places=2, default=0)
    score_breakdown = models.JSONField(_("score breakdown"), default=dict, blank=True)
    approved_amount = models.BigIntegerField(_("approved amount (Rial)"), default=0)
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    contracted_on = models.DateField(
        _("contract date"), null=True, blank=True, validators=[validate_portal_date]
    )
    operation_starts_on = models.DateField(
        _("operation starts on"), null=True, blank=True, validators=[validate_portal_date]
    )
    disbursed_amount = models.BigIntegerField(_("disbursed (Rial)"), default=0)
    first_disbursed_on = models.DateField(_("first disbursed on"), null=True, blank=True)
    overdue_amount = models.BigIntegerField(_("overdue (Rial)"), default=0)
    days_late = models.PositiveIntegerField(_("days late"), default=0)
    arrears_checked_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority_score", "stage_changed_at"]
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "scheme"],
                condition=~Q(stage__in=["withdrawn", "rejected", "settled"]),
                name="incentives_one_open_application_per_business_and_scheme",
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__gte=0) & Q(disbursed_amount__lte=F("approved_amount"))
                | Q(approved_amount=0, disbursed_amount=0),
                name="incentives_disbursed_within_approved",
            ),
        ]
        indexes = [
            # The figures add up today's arrears over the loans in arrears only.
            models.Index(
                fields=["overdue_amount"], condition=Q(overdue_amount__gt=0), name="incentives_app_in_arrears"
            ),
            # The programme's figures count applications by submission time within a period.
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="incentives_app_submitted",
            ),
            models.Index(fields=["stage", "stage_changed_at"]),
            # The queues' and the API's order, highest priority first (issue 12): over several stages
            # the first index is walked and the stages filtered, for one stage the second is exact.
            models.Index(
                fields=["-priority_score", "stage_changed_at", "id"], name="incentives_app_priority_idx"
            ),
            models.Index(
                fields=["stage", "-priority_score", "stage_changed_at", "id"],
                name="incentives_app_stage_prio_idx",
            ),
        ]

    def __str__(self):
        return f"{self.scheme.code}-{self.pk}"

    @property
    def reference(self) -> str:
        return f"{self.scheme.code}-{self.pk:05d}"

    @property
    def days_in_stage(self) -> int:
        return (timezone.now() - self.stage_changed_at).days

    @property
    def can_be_edited(self) -> bool:
        return self.stage in (Stage.DRAFT, Stage.RETURNED)


class PlannedJob(models.Model):
    """Green jobs the loan will create, by catalogue occupation."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="planned_jobs")
    occupation = models.ForeignKey("programs.GreenOccupation", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(_("number of jobs"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "occupation"], name="incentives_planned_job_once")
        ]

    def __str__(self):
        return f"{self.count} × {self.occupation}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_PLAN = "business_plan", _("Business plan")
        QUOTATION = "quotation", _("Equipment quotation")
        FINANCIAL = "financial", _("Financial statement")
        GUARANTEE = "guarantee", _("Guarantee")
        OTHER = "other", _("Other document")

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class ApplicationEvent(models.Model):
    """One move of an application: who, when, from, to and why. Never edited."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=24, choices=Stage.choices)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The figures count approvals and refusals within a period.
            models.Index(fields=["action", "at"], name="incentives_event_action_at"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.from_stage or '∅'} → {self.to_stage}"

    @property
    def note(self) -> str:
        """The reason as the reader should see it: typed text as typed, a system note translated."""
        return notes.render(self.reason)


class Disbursement(models.Model):
    """One tranche paid out. The request key makes a repeated request (double click, retry) a no-op."""

    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="disbursements")
    amount = models.BigIntegerField(_("amount (Rial)"), validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("paid on"), validators=[validate_portal_date])
    request_key = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [
            models.Index(fields=["paid_on"], name="incentives_tranche_paid_on"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.amount}"


class Instalment(models.Model):
    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal = models.BigIntegerField(_("principal (Rial)"))
    interest = models.BigIntegerField(_("interest (Rial)"))
    amount = models.BigIntegerField(_("instalment (Rial)"))
    balance_after = models.BigIntegerField(_("balance after (Rial)"))
    paid = models.BigIntegerField(_("paid (Rial)"), default=0)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="incentives_instalment_number_once"
            ),
            models.CheckConstraint(
                condition=Q(amount=F("principal") + F("interest")), name="incentives_instalment_sums"
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("amount")), name="incentives_paid_within"
            ),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="incentives_balance_non_negative"),
        ]

    def __str__(self):
        return f"{self.application_id} #{self.number}"

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


class Payment(models.Model):
    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("amount (Rial)"), validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("paid on"), validators=[validate_portal_date])
    reference = models.CharField(_("bank reference"), max_length=60)
    request_key = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.amount}"
