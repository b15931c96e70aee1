from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenjobs.bilingual import Bilingual


class TrainingCentre(Bilingual, models.Model):
    class Kind(models.TextChoices):
        TVTO = "tvto", _("TVTO centre")
        PRIVATE = "private", _("Accredited private institute")

    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    county = models.ForeignKey(
        "programs.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    address = models.TextField(_("address"), blank=True)
    accreditation_number = models.CharField(_("accreditation number"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who signs the centre's certificates; the signature image is a CertificateArtwork of the centre.
    signatory_name_fa = models.CharField(_("signatory's name (Persian)"), max_length=120, blank=True)
    signatory_name_en = models.CharField(_("signatory's name (English)"), max_length=120, blank=True)
    signatory_title_fa = models.CharField(_("signatory's title (Persian)"), max_length=160, blank=True)
    signatory_title_en = models.CharField(_("signatory's title (English)"), max_length=160, blank=True)

    class Meta:
        ordering = ["county__order", "name_fa"]
        verbose_name = _("training centre")
        verbose_name_plural = _("training centres")

    def __str__(self):
        return self.tr("name")

    @property
    def name(self):
        return self.tr("name")


class Audience(models.TextChoices):
    WORKERS = "workers", _("Workers")
    EMPLOYERS = "employers", _("Employers")
    JOB_SEEKERS = "job_seekers", _("Job seekers")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs")


class Course(Bilingual, models.Model):
    """A course built on a training standard, teaching one green occupation of the catalogue."""

    standard_code = models.CharField(_("training standard code"), max_length=40, unique=True)
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    occupation = models.ForeignKey(
        "programs.GreenOccupation",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("occupation taught"),
    )
    hours = models.PositiveSmallIntegerField(_("hours"), validators=[MinValueValidator(1)])
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    pass_mark = models.DecimalField(
        _("pass mark (out of 100, for theory and for practice)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["standard_code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return f"{self.standard_code} · {self.tr('title')}"

    @property
    def title(self):
        return self.tr("title")

    @property
    def description(self):
        return self.tr("description")


class Session(models.Model):
    """One run of a course at a centre, with dates, seats and an instructor."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Open for enrolment")
        RUNNING = "running", pgettext_lazy("training session", "Running")
        FINISHED = "finished", pgettext_lazy("training session", "Finished")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    centre = models.ForeignKey(
        TrainingCentre, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("centre")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    instructor = models.CharField(_("instructor"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    enrolled_count = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        indexes = [models.Index(fields=["starts_on", "id"], name="training_session_start_idx")]
        ordering = ["starts_on", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_session_dates_ordered"
            ),
            # The backstop of the capacity rule: the seat counter can never pass the seats.
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=F("capacity")), name="training_session_within_capacity"
            ),
        ]

    def __str__(self):
        return f"{self.course.title} · {self.centre.name} · {self.starts_on}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def is_open_for_enrolment(self) -> bool:
        return self.status == self.Status.PLANNED and self.starts_on >= timezone.localdate()


class Meeting(models.Model):
    """One class meeting of a session; attendance is taken per meeting. Numbered in date order."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("meeting"))
    held_on = models.DateField(_("held on"))

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="training_meeting_number_once"),
            # A second meeting on the same day would count every absence twice against the pass rule.
            models.UniqueConstraint(fields=["session", "held_on"], name="training_meeting_date_once"),
        ]

    def __str__(self):
        return f"{self.session_id} #{self.number}"

    @property
    def within_session(self) -> bool:
        """False only for rows recorded before the dates were checked; the page flags them for correction."""
        return self.session.starts_on <= self.held_on <= self.session.ends_on


class MeetingEvent(models.Model):
    """One correction or removal of a meeting: who, when, the dates, why, and the results it changed.

    `results` lists, for each enrolment whose recorded result moved, its attendance percent and pass
    before and after: [{"enrolment": id, "percent": [before, after], "passed": [before, after]}].
    Never edited.
    """

    class Action(models.TextChoices):
        CORRECTED = "corrected", _("Meeting date corrected")
        REMOVED = "removed", _("Meeting removed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meeting_events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    meeting_number = models.PositiveSmallIntegerField(_("meeting"))
    held_on_before = models.DateField(_("date before"))
    held_on_after = models.DateField(_("date after"), null=True, blank=True)
    results = models.JSONField(_("results changed"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("meeting correction")
        verbose_name_plural = _("meeting corrections")

    def __str__(self):
        return f"{self.session_id} #{self.meeting_number}: {self.action}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the wait list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    theory_score = models.DecimalField(
        _("theory score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    practical_score = models.DecimalField(
        _("practical score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "requested_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~Q(status="cancelled"),
                name="training_one_enrolment_per_person",
            )
        ]
        indexes = [
            # The figures count the people assessed within a period.
            models.Index(
                fields=["result_recorded_at"],
                condition=Q(result_recorded_at__isnull=False),
                name="training_enrolment_result_at",
            ),
            # A session's roster and wait list (one status, in the order people asked) (issue 12).
            models.Index(
                fields=["session", "status", "requested_at", "id"], name="training_enrol_roster_idx"
            ),
            # The enrolments API's order (session by start date, then who asked first), read from two
            # indexes in step instead of sorting every enrolment.
            models.Index(fields=["session", "requested_at", "id"], name="training_enrol_order_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.session_id} · {self.status}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "meeting"], name="training_attendance_once")
        ]

    def __str__(self):
        return f"{self.enrolment_id} @ {self.meeting_id}: {self.present}"


class Certificate(models.Model):
    """Issued once per passed enrolment (the one-to-one guarantees it, also against a task run twice)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Valid")
        REVOKED = "revoked", _("Revoked")

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        # The certificate lists' order, newest first (issue 12).
        indexes = [models.Index(fields=["-issued_on", "-id"], name="training_cert_issued_idx")]

    def __str__(self):
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class TrainingEvent(models.Model):
    """One status change in training: of an enrolment, a session or a certificate. Who, when, from, to and
    why; always filed under the session, so a session's history is one query. Never edited."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")

    def __str__(self):
        subject = (
            f"certificate {self.certificate_id}"
            if self.certificate_id
            else (f"enrolment {self.enrolment_id}" if self.enrolment_id else f"session {self.session_id}")
        )
        return f"{subject}: {self.from_status or '∅'} → {self.to_status}"


class AwarenessActivity(models.Model):
    """G5: a workshop, seminar, site visit or media campaign, with who it reached."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        SEMINAR = "seminar", _("Seminar")
        SITE_VISIT = "site_visit", _("Site visit")
        MEDIA = "media", _("Media campaign")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    held_on = models.DateField(_("held on"))
    county = models.ForeignKey(
        "programs.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    workers_count = models.PositiveIntegerField(_("workers reached"), default=0)
    employers_count = models.PositiveIntegerField(_("employers reached"), default=0)
    others_count = models.PositiveIntegerField(_("others reached"), default=0)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")

    def __str__(self):
        return self.title

    @property
    def participants(self) -> int:
        return self.workers_count + self.employers_count + self.others_count


class CertificateArtwork(models.Model):
    """An image printed on certificates: TVTO's emblem, or a centre signatory's signature.

    Uploaded by TVTO staff, kept privately like any document; the newest of a kind (and centre) is the
    one printed, the older ones stay as the record of what earlier certificates carried.
    """

    class Kind(models.TextChoices):
        EMBLEM = "emblem", _("Emblem")
        SIGNATURE = "signature", _("Signature")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    centre = models.ForeignKey(
        TrainingCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="artwork"
    )
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("certificate image")
        verbose_name_plural = _("certificate images")
        indexes = [models.Index(fields=["kind", "centre", "-uploaded_at"], name="training_artwork_latest")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.uploaded_at:%Y-%m-%d}"
