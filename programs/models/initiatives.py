"""Joint initiatives of the three agencies, and large environmental-technology projects (G6)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.bilingual import Bilingual


class Initiative(Bilingual, models.Model):
    title_fa = models.CharField(_("title (Persian)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(
        "agencies.Goal", related_name="initiatives", verbose_name=_("goals served")
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name=_("lead agency"),
    )
    partners = models.ManyToManyField(
        "agencies.Agency", related_name="partner_initiatives", blank=True, verbose_name=_("partner agencies")
    )
    budget = models.BigIntegerField(_("budget (Rial)"), default=0, validators=[MinValueValidator(0)])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("joint initiative")
        verbose_name_plural = _("joint initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="programs_initiative_dates_ordered"
            )
        ]

    def __str__(self):
        return self.tr("title")

    @property
    def title(self):
        return self.tr("title")


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=250)
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.completed_on:
            return self.completed_on > self.due_on
        return self.due_on < today


class Project(Bilingual, models.Model):
    """A large provincial project in environmental technologies, awarded by tender (G6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Taking bids")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    title_fa = models.CharField(_("title (Persian)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    estimated_value = models.BigIntegerField(_("estimated value (Rial)"), validators=[MinValueValidator(0)])
    bids_close_on = models.DateField(_("bids close on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # The ranking formula's weights, shown beside the ranking so anyone can redo the sum.
    weight_price = models.PositiveSmallIntegerField(_("weight: price"), default=40)
    weight_technical = models.PositiveSmallIntegerField(_("weight: technical score"), default=40)
    weight_knowledge_based = models.PositiveSmallIntegerField(_("weight: knowledge-based"), default=20)
    awarded_bid = models.OneToOneField(
        "Bid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded bid"),
    )
    award_reason = models.TextField(_("reason for the award"), blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-bids_close_on", "pk"]
        verbose_name = _("environmental-technology project")
        verbose_name_plural = _("environmental-technology projects")

    def __str__(self):
        return self.tr("title")

    @property
    def title(self):
        return self.tr("title")


class Bid(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bids")
    bidder = models.CharField(_("bidder"), max_length=250)
    national_business_id = models.CharField(_("national business ID"), max_length=11, blank=True)
    is_knowledge_based = models.BooleanField(_("knowledge-based"), default=False)
    knowledge_based_as_of = models.DateField(_("knowledge-based status as of"), null=True, blank=True)
    amount = models.BigIntegerField(_("bid amount (Rial)"), validators=[MinValueValidator(1)])
    technical_score = models.DecimalField(
        _("technical score (0–100)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )  # fmt: skip
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self):
        return f"{self.bidder} · {self.amount}"


class ProjectEvent(models.Model):
    """One status change of a project (award, cancellation): who, when, from, to and why. Never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Project.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Project.Status.choices)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self):
        return f"{self.project_id}: {self.from_status or '∅'} → {self.to_status}"
