"""Training in the admin: to look things up, not to change them.

Centres, courses, sessions, enrolments, results and certificates belong to TVTO and change only
through training.services, which check who acts (an IT administrator is not TVTO staff) and keep the
rules the pages keep: seats, the wait list, certificate serials, revocations with a reason. So every
screen here is read-only, like the loan and registration screens.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from greenjobs.admin import LargeListAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Attendance,
    AwarenessActivity,
    Certificate,
    Course,
    Enrolment,
    Meeting,
    Session,
    TrainingCentre,
    TrainingEvent,
)


@admin.register(TrainingCentre)
class TrainingCentreAdmin(ReadOnlyAdmin):
    list_display = ("name_fa", "name_en", "kind", "county", "accreditation_number", "is_active")
    list_filter = ("kind", "county", "is_active")
    search_fields = ("name_fa", "name_en", "accreditation_number")
    list_select_related = ("county",)


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("standard_code", "title_fa", "title_en", "occupation", "hours", "audience", "is_active")
    list_filter = ("audience", "is_active")
    search_fields = ("standard_code", "title_fa", "title_en")
    list_select_related = ("occupation",)


class MeetingInline(ReadOnlyInline):
    model = Meeting
    fields = ("number", "held_on")
    verbose_name = _("meeting")
    verbose_name_plural = _("meetings")


class EventInline(ReadOnlyInline):
    """The history the workflow records: who moved what, when, from and to which status, and why."""

    model = TrainingEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    verbose_name = _("event")
    verbose_name_plural = _("history")


class SessionEventInline(EventInline):
    fk_name = "session"


class EnrolmentEventInline(EventInline):
    fk_name = "enrolment"


class CertificateEventInline(EventInline):
    fk_name = "certificate"


@admin.register(Session)
class SessionAdmin(LargeListAdmin, ReadOnlyAdmin):
    list_display = ("course", "centre", "starts_on", "ends_on", "capacity", "enrolled_count", "status")
    list_filter = ("status", "centre")
    search_fields = ("course__standard_code", "course__title_fa", "course__title_en", "instructor")
    list_select_related = ("course", "centre")
    inlines = [MeetingInline, SessionEventInline]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("meeting", "present", "recorded_by")
    verbose_name = _("attendance")
    verbose_name_plural = _("attendance")


@admin.register(Enrolment)
class EnrolmentAdmin(LargeListAdmin, ReadOnlyAdmin):
    list_display = ("person", "session", "status", "requested_at", "passed")
    list_filter = ("status", "passed")
    search_fields = (
        "person__first_name",
        "person__last_name",
        "person__national_id",
        "session__course__title_fa",
    )
    list_select_related = ("person", "session__course")
    inlines = [AttendanceInline, EnrolmentEventInline]


@admin.register(Certificate)
class CertificateAdmin(LargeListAdmin, ReadOnlyAdmin):
    list_display = ("serial", "enrolment", "issued_on", "status", "revoked_at")
    list_filter = ("status",)
    search_fields = ("serial", "verification_code", "enrolment__person__last_name")
    list_select_related = ("enrolment__person", "enrolment__session__course")
    inlines = [CertificateEventInline]


@admin.register(AwarenessActivity)
class AwarenessActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "agency", "held_on", "county", "workers_count", "employers_count")
    list_filter = ("kind", "agency", "audience")
    search_fields = ("title",)
    list_select_related = ("agency", "county")
