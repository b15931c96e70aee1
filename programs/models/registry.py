from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs import notes
from greenjobs.bilingual import Bilingual
from greenjobs.file_imports.models import FileImportJob
from greenjobs.text import search_key
from greenjobs.validators import validate_business_id, validate_national_id

from . import registration_rules as rules

# Registrations are quoted as GR-00042 (green registration), loans by their scheme: GL-SUN-00042.
REFERENCE_PREFIX = "GR"


class County(Bilingual, models.Model):
    """A county (شهرستان) of Qom province."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.tr("name")

    @property
    def name(self):
        return self.tr("name")


class Sector(models.TextChoices):
    ENERGY = "energy", _("Renewable energy and energy efficiency")
    WATER = "water", _("Water and irrigation")
    WASTE = "waste", _("Waste management and recycling")
    AGRICULTURE = "agriculture", _("Sustainable agriculture")
    CONSTRUCTION = "construction", _("Green building")
    MANUFACTURING = "manufacturing", _("Cleaner manufacturing")
    TRANSPORT = "transport", _("Clean transport")
    SERVICES = "services", _("Environmental services")
    TOURISM = "tourism", _("Ecotourism")


class OccupationKind(models.TextChoices):
    NEW_GREEN = "new_green", _("New green occupation")
    GREENED_EXISTING = "greened_existing", _("Greened existing occupation")


class GreenOccupation(Bilingual, models.Model):
    """An occupation or trade of the catalogue: new green (G3) or an existing one greened (G4)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=OccupationKind.choices)
    requirements_fa = models.TextField(_("environmental requirements (Persian)"))
    requirements_en = models.TextField(_("environmental requirements (English)"), blank=True)
    training_standard_code = models.CharField(_("training standard code"), max_length=40, blank=True)
    introduced_on = models.DateField(_("introduced on"), default=timezone.localdate)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("green occupation")
        verbose_name_plural = _("green occupations")

    def __str__(self):
        return f"{self.code} · {self.tr('name')}"

    @property
    def name(self):
        return self.tr("name")

    @property
    def requirements(self):
        return self.tr("requirements")

    def refresh_search_text(self):
        self.search_text = search_key(
            " ".join([self.code, self.name_fa, self.name_en, self.training_standard_code])
        )


class LegalForm(models.TextChoices):
    SOLE = "sole", _("Sole proprietorship")
    PRIVATE_JSC = "private_jsc", _("Private joint-stock company")
    LLC = "llc", _("Limited liability company")
    COOPERATIVE = "cooperative", _("Cooperative")
    PUBLIC_JSC = "public_jsc", _("Public joint-stock company")
    NGO = "ngo", _("Non-governmental organisation")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_ASSESSMENT = "under_assessment", _("Under environmental assessment")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    VERIFIED = "verified", _("Verified green")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Verification expired")


class Business(models.Model):
    """An applicant's enterprise registered as (a candidate) green business."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("owner")
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    national_business_id = models.CharField(
        _("national business ID"),
        max_length=11,
        blank=True,
        validators=[validate_business_id],
        help_text=_("The 11-digit national ID of the legal entity (شناسه ملی)."),
    )
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("county"),
    )
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    employees_total = models.PositiveIntegerField(_("employees in total"), default=0)
    is_knowledge_based = models.BooleanField(_("knowledge-based company"), default=False)
    knowledge_based_number = models.CharField(
        _("knowledge-based certificate number"), max_length=40, blank=True
    )
    knowledge_based_as_of = models.DateField(_("knowledge-based status as of"), null=True, blank=True)
    knowledge_based_expires_on = models.DateField(
        _("knowledge-based certificate expires on"), null=True, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("in this status since"), default=timezone.now)
    verified_kind = models.CharField(
        _("verified as"), max_length=20, choices=OccupationKind.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Kept by the workflow so the programme's figures count first verifications with an index range
    # instead of grouping every registration's events (a renewal is not a new green business).
    first_verified_at = models.DateTimeField(_("first verified at"), null=True, blank=True, editable=False)
    expires_on = models.DateField(_("verification expires on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessing officer"),
    )
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("business registration")
        verbose_name_plural = _("business registrations")
        constraints = [
            # One live registration per legal entity; a rejected or draft one does not block a new one.
            models.UniqueConstraint(
                fields=["national_business_id"],
                condition=~Q(national_business_id="") & ~Q(status__in=["draft", "rejected"]),
                name="programs_business_one_live_registration",
            ),
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="programs_business_import_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="verified", verified_kind__in=["new_green", "greened_existing"])
                | ~Q(status="verified"),
                name="programs_business_verified_has_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(
                fields=["first_verified_at", "verified_kind", "county"],
                condition=Q(first_verified_at__isnull=False),
                name="programs_first_verified",
            ),
            # The staff lists' orderings (issue 12), so a page is an index walk stopped by LIMIT:
            # DOE's queue of open cases, oldest first;
            models.Index(
                fields=["status_changed_at", "id"],
                condition=Q(status__in=["submitted", "under_assessment"]),
                name="programs_biz_doe_queue_idx",
            ),
            # the registry other agencies read, newest verification first;
            models.Index(
                fields=["-verified_at", "id"],
                condition=Q(status__in=["verified", "expired"]),
                name="programs_biz_registry_idx",
            ),
            # the API's list, latest change first, all statuses or one.
            models.Index(fields=["-updated_at", "-id"], name="programs_biz_updated_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="programs_biz_status_upd_idx"),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def reference(self) -> str:
        """The registration's tracking number, as the applicant and staff quote it."""
        return f"{REFERENCE_PREFIX}-{self.pk:05d}"

    def refresh_search_text(self):
        self.search_text = search_key(" ".join([self.legal_name, self.address, self.national_business_id]))

    def clean_fields(self, exclude=None):
        # The bounds are checked field by field, like validators, so a form that edits some of the fields
        # (one step of the wizard) is told about those fields only.
        exclude = set(exclude or ())
        problems: dict[str, list[str]] = {}
        if "employees_total" not in exclude and isinstance(self.employees_total, int):
            try:
                rules.validate_employees_total(self.employees_total)
            except ValidationError as exc:
                # Said in the portal's words rather than as the database column's range.
                problems["employees_total"] = exc.messages
        errors = {}
        try:
            super().clean_fields(exclude=exclude | set(problems))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        checked = {f.name for f in self._meta.fields} - exclude - set(errors) - set(problems)
        if "employees_total" in checked and self.pk:
            problem = rules.employees_total_problem(self.employees_total, self.green_jobs.count())
            if problem:
                problems["employees_total"] = [problem]
        dates = {"knowledge_based_as_of", "knowledge_based_expires_on"}
        if dates & checked and not dates & set(errors):
            for field, problem in rules.knowledge_based_date_problems(
                self.knowledge_based_as_of, self.knowledge_based_expires_on
            ).items():
                # A stored date that this form does not edit is reported on the date it does edit.
                problems.setdefault(field if field in checked else min(dates & checked), []).append(problem)
        for field, messages in problems.items():
            errors.setdefault(field, []).extend(ValidationError(m, code="out_of_bounds") for m in messages)
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable_by_owner(self) -> bool:
        return self.status in (RegistrationStatus.DRAFT, RegistrationStatus.CHANGES_REQUESTED)

    @property
    def days_in_status(self) -> int:
        return (timezone.now() - self.status_changed_at).days


class GreenJob(models.Model):
    """One person holding a green job in a registered business, identified by national ID."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="green_jobs")
    occupation = models.ForeignKey(
        GreenOccupation, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("occupation")
    )
    holder_name = models.CharField(_("employee's name"), max_length=200)
    holder_national_id = models.CharField(
        _("employee's national ID"), max_length=10, validators=[validate_national_id]
    )
    # Whether the business is verified (or lapsed) now, kept by the workflow: the people in green jobs
    # are then one index-ordered scan of the partial index below, never a grouping of every job.
    counted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("green job")
        verbose_name_plural = _("green jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "holder_national_id"], name="programs_greenjob_one_per_person"
            )
        ]
        indexes = [
            models.Index(
                fields=["holder_national_id"], condition=Q(counted=True), name="programs_greenjob_counted"
            )
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.occupation}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.business_id:
            # However the job is added (the owner's form, the admin, a data fix), it counts as its
            # business stands; from then on the workflow moves it with the business.
            self.counted = self.business.status in (RegistrationStatus.VERIFIED, RegistrationStatus.EXPIRED)
        super().save(*args, **kwargs)

    def clean(self):
        if self._state.adding and self.business_id:
            listed = GreenJob.objects.filter(business_id=self.business_id).count()
            problem = rules.green_job_room_problem(self.business.employees_total, listed)
            if problem:
                raise ValidationError(problem, code="more_green_jobs_than_employees")


class DocumentKind(models.TextChoices):
    LICENCE = "licence", _("Business licence")
    PERMIT = "permit", _("Environmental permit")
    KNOWLEDGE_BASED = "knowledge_based", _("Knowledge-based certificate")
    OTHER = "other", _("Other document")


class BusinessDocument(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.original_name


class RegistrationEvent(models.Model):
    """One transition of a registration: who, when, from, to and why. Never edited."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")

    def __str__(self):
        return f"{self.business_id}: {self.from_status or '∅'} → {self.to_status}"

    @property
    def note(self) -> str:
        """The reason as the reader should see it: typed text as typed, a system note translated."""
        return notes.render(self.reason)


class RequirementCategory(models.TextChoices):
    ENERGY = "energy", _("Energy")
    WATER = "water", _("Water")
    MATERIALS = "materials", _("Raw materials")
    WASTE = "waste", _("Waste")
    EMISSIONS = "emissions", _("Pollution and emissions")
    PERMITS = "permits", _("Permits")


class Unit(models.TextChoices):
    KWH = "kwh", _("kWh")
    M3 = "m3", _("m³")
    TONNE = "tonne", _("tonnes")
    KG = "kg", _("kg")
    NONE = "", _("no measurement")


# Which unit each measured category is recorded in, so reductions add up across businesses.
CATEGORY_UNITS = {
    RequirementCategory.ENERGY: Unit.KWH,
    RequirementCategory.WATER: Unit.M3,
    RequirementCategory.MATERIALS: Unit.TONNE,
    RequirementCategory.WASTE: Unit.TONNE,
    RequirementCategory.EMISSIONS: Unit.KG,
    RequirementCategory.PERMITS: Unit.NONE,
}


class Assessment(models.Model):
    """A DOE environmental assessment of one registration (a renewal makes a new one)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        READY = "ready", _("Ready for decision")
        DECIDED = "decided", _("Decided")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="assessments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    summary = models.TextField(_("officer's summary"), blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=RegistrationStatus.choices, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("environmental assessment")
        verbose_name_plural = _("environmental assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["business"], condition=~Q(status="decided"), name="programs_one_open_assessment"
            )
        ]
        indexes = [
            # The figures count decisions within a period, and find each business's latest verification.
            models.Index(
                fields=["decided_at"], condition=Q(status="decided"), name="programs_assessment_decided"
            ),
            # The assessments API's order, newest first.
            models.Index(fields=["started_at"], name="programs_assessment_started"),
            models.Index(
                fields=["business", "decided_at"],
                condition=Q(status="decided", decision="verified"),
                name="programs_assessment_verified",
            ),
        ]

    def __str__(self):
        return f"{self.business} · {self.get_status_display()}"


class AssessmentItem(models.Model):
    """One checklist line: a requirement, its baseline and current measurement, and compliance."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("requirement"), max_length=20, choices=RequirementCategory.choices)
    description = models.CharField(_("what was checked"), max_length=300)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    baseline = models.DecimalField(
        _("baseline (per year)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current = models.DecimalField(
        _("current (per year)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    compliant = models.BooleanField(_("meets the requirement"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="programs_item_baseline_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(current__isnull=True) | Q(current__gte=0),
                name="programs_item_current_non_negative",
            ),
        ]
        indexes = [
            # The figures count the requirements found not met, a small part of all checklist lines.
            models.Index(fields=["assessment"], condition=Q(compliant=False), name="programs_item_not_met"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"

    @property
    def reduction(self) -> Decimal | None:
        if self.baseline is None or self.current is None:
            return None
        return self.baseline - self.current

    @property
    def reduction_percent(self) -> Decimal | None:
        if self.reduction is None or not self.baseline:
            return None
        return (self.reduction * 100 / self.baseline).quantize(Decimal("0.1"))


class ImportJob(FileImportJob):
    """A bulk import of existing registrations from a spreadsheet, run in the background."""

    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta(FileImportJob.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
