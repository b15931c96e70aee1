from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenjobs.bilingual import Bilingual


class Agency(Bilingual, models.Model):
    """One of the memorandum's three signatories."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name_fa = models.CharField(_("short name (Persian)"), max_length=100)
    short_name_en = models.CharField(_("short name (English)"), max_length=100)
    director_fa = models.CharField(_("director (Persian)"), max_length=200)
    director_en = models.CharField(_("director (English)"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.tr("short_name")

    @property
    def name(self):
        return self.tr("name")

    @property
    def short_name(self):
        return self.tr("short_name")

    @property
    def director(self):
        return self.tr("director")


class StaffRole(models.TextChoices):
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    MANAGER = "manager", _("Manager")


class StaffMembership(models.Model):
    """A staff account belongs to exactly one agency, with one role there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices)
    is_active = models.BooleanField(_("active"), default=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")

    def __str__(self):
        return f"{self.user} · {self.agency.code} · {self.get_role_display()}"


class Memorandum(Bilingual, models.Model):
    title_fa = models.CharField(_("title (Persian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    signed_on = models.DateField(_("signing date"))
    summary_fa = models.TextField(_("summary (Persian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source_fa = models.CharField(_("source (Persian)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    parties = models.ManyToManyField(Agency, related_name="memoranda", verbose_name=_("parties"))

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("memorandum of understanding")
        verbose_name_plural = _("memoranda of understanding")

    def __str__(self):
        return self.tr("title")

    @property
    def title(self):
        return self.tr("title")

    @property
    def summary(self):
        return self.tr("summary")

    @property
    def source(self):
        return self.tr("source")


class Goal(Bilingual, models.Model):
    """One of the memorandum's goals, G1 to G6, as the document words it."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=4)
    title_fa = models.CharField(_("title (Persian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_fa = models.TextField(_("what the portal tracks (Persian)"), blank=True)
    description_en = models.TextField(_("what the portal tracks (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["memorandum", "order"]
        constraints = [
            models.UniqueConstraint(fields=["memorandum", "code"], name="agencies_goal_code_unique")
        ]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return f"{self.code} · {self.tr('title')}"

    @property
    def title(self):
        return self.tr("title")

    @property
    def description(self):
        return self.tr("description")


class Obligation(Bilingual, models.Model):
    """What one agency undertook under the memorandum."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="obligations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="obligations")
    text_fa = models.TextField(_("obligation (Persian)"))
    text_en = models.TextField(_("obligation (English)"))
    goals = models.ManyToManyField(
        Goal, related_name="obligations", blank=True, verbose_name=_("goals served")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["agency__order", "order"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self):
        return f"{self.agency.code}: {self.tr('text')[:60]}"

    @property
    def text(self):
        return self.tr("text")
