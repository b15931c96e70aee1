"""Shapes of the training API. Input serializers check types only; the services decide the rules."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenjobs.api_fields import LocalDecimalField, LocalIntegerField, PortalDateField
from greenjobs.links import absolute_url
from programs.models import County

from ..models import (
    Audience,
    AwarenessActivity,
    Certificate,
    Course,
    Enrolment,
    Meeting,
    MeetingEvent,
    Session,
    TrainingCentre,
)
from ..permissions import can_edit_activity
from ..services.certificates import mask_name

# --- catalogue ---


class TrainingCentreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingCentre
        fields = [
            "id",
            "name",
            "name_fa",
            "name_en",
            "kind",
            "kind_label",
            "county",
            "county_name",
            "address",
            "accreditation_number",
            "is_active",
            "session_count",
        ]
        read_only_fields = fields


class CourseSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    occupation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "standard_code",
            "title",
            "title_fa",
            "title_en",
            "description",
            "description_fa",
            "description_en",
            "occupation",
            "occupation_name",
            "hours",
            "audience",
            "audience_label",
            "pass_mark",
            "min_attendance_percent",
            "is_active",
            "session_count",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    standard_code = serializers.CharField(source="course.standard_code", read_only=True)
    hours = serializers.IntegerField(source="course.hours", read_only=True)
    audience = serializers.CharField(source="course.audience", read_only=True)
    audience_label = serializers.CharField(source="course.get_audience_display", read_only=True)
    occupation = serializers.CharField(source="course.occupation.code", read_only=True)
    occupation_name = serializers.CharField(source="course.occupation.name", read_only=True)
    centre = serializers.PrimaryKeyRelatedField(read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    county = serializers.CharField(source="centre.county.code", read_only=True)
    county_name = serializers.CharField(source="centre.county.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    is_open_for_enrolment = serializers.BooleanField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "course_title",
            "standard_code",
            "hours",
            "audience",
            "audience_label",
            "occupation",
            "occupation_name",
            "centre",
            "centre_name",
            "county",
            "county_name",
            "starts_on",
            "ends_on",
            "instructor",
            "capacity",
            "enrolled_count",
            "seats_left",
            "status",
            "status_label",
            "is_open_for_enrolment",
        ]
        read_only_fields = fields


# --- enrolments ---


class EnrolmentSerializer(serializers.ModelSerializer):
    """Lists annotate `waitlist_position` (selectors of the view); it is null unless on the wait list."""

    course_title = serializers.CharField(source="session.course.title", read_only=True)
    standard_code = serializers.CharField(source="session.course.standard_code", read_only=True)
    centre_name = serializers.CharField(source="session.centre.name", read_only=True)
    starts_on = serializers.DateField(source="session.starts_on", read_only=True)
    ends_on = serializers.DateField(source="session.ends_on", read_only=True)
    session_status = serializers.CharField(source="session.status", read_only=True)
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "course_title",
            "standard_code",
            "centre_name",
            "starts_on",
            "ends_on",
            "session_status",
            "person",
            "person_name",
            "status",
            "status_label",
            "requested_at",
            "waitlist_position",
            "theory_score",
            "practical_score",
            "passed",
            "result_recorded_at",
            "certificate",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="1 for the first on the wait list, else null.")
    )
    def get_waitlist_position(self, enrolment) -> int | None:
        return getattr(enrolment, "waitlist_position", None)

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="The certificate, once issued."))
    def get_certificate(self, enrolment) -> int | None:
        try:
            return enrolment.certificate.pk
        except Certificate.DoesNotExist:
            return None


# --- records ---


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "session", "number", "held_on"]
        read_only_fields = fields


class MeetingWriteSerializer(serializers.Serializer):
    held_on = PortalDateField()


class MeetingCorrectSerializer(serializers.Serializer):
    held_on = PortalDateField(help_text="The day the meeting was really held, within the session's dates.")
    reason = serializers.CharField(
        max_length=1000, help_text="Why the date is changed; kept with the change."
    )


class MeetingRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text="Why the meeting is removed; kept with the change."
    )


class MeetingEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = MeetingEvent
        fields = ["id", "session", "action", "meeting_number", "held_on_before", "held_on_after", "results",
                  "reason", "actor", "at"]  # fmt: skip
        read_only_fields = fields


class AttendanceWriteSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none())
    present = serializers.ListField(
        child=LocalIntegerField(min_value=1),
        allow_empty=True,
        help_text="Ids of the enrolments present; every other enrolled person is recorded absent.",
    )

    def __init__(self, *args, session=None, **kwargs):
        # Only a meeting of this session can be picked; another session's meeting "does not exist".
        super().__init__(*args, **kwargs)
        if session is not None:
            self.fields["meeting"].queryset = session.meetings.all()


class AttendanceResultSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    recorded = serializers.IntegerField(help_text="How many enrolled people the roll call covered.")
    present = serializers.ListField(child=serializers.IntegerField())


class ScoreSerializer(serializers.Serializer):
    enrolment = LocalIntegerField(min_value=1)
    theory = LocalDecimalField(max_digits=6, decimal_places=2)
    practical = LocalDecimalField(max_digits=6, decimal_places=2)


class ResultsWriteSerializer(serializers.Serializer):
    results = ScoreSerializer(many=True, allow_empty=False)

    def validate_results(self, rows):
        ids = [row["enrolment"] for row in rows]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each enrolment appears once.")
        return rows


# --- certificates ---


class CertificateSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="enrolment.session_id", read_only=True)
    person = serializers.IntegerField(source="enrolment.person_id", read_only=True)
    person_name = serializers.CharField(source="enrolment.person.__str__", read_only=True)
    course_title = serializers.CharField(source="enrolment.session.course.title", read_only=True)
    standard_code = serializers.CharField(source="enrolment.session.course.standard_code", read_only=True)
    centre_name = serializers.CharField(source="enrolment.session.centre.name", read_only=True)
    is_revoked = serializers.BooleanField(read_only=True)
    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "verification_code",
            "issued_on",
            "enrolment",
            "session",
            "person",
            "person_name",
            "course_title",
            "standard_code",
            "centre_name",
            "is_revoked",
            "revoked_at",
            "revoked_reason",
            "verification_url",
            "pdf_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate) -> str:
        return absolute_url(reverse("training:verify", kwargs={"code": certificate.verification_code}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, certificate) -> str:
        return absolute_url(reverse("training:certificate_pdf", kwargs={"pk": certificate.pk}))


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CertificateVerificationSerializer(serializers.ModelSerializer):
    """What anyone holding the code may learn: enough to trust the paper, not to harvest names."""

    holder = serializers.SerializerMethodField()
    course_title = serializers.CharField(source="enrolment.session.course.title", read_only=True)
    standard_code = serializers.CharField(source="enrolment.session.course.standard_code", read_only=True)
    hours = serializers.IntegerField(source="enrolment.session.course.hours", read_only=True)
    centre_name = serializers.CharField(source="enrolment.session.centre.name", read_only=True)
    is_valid = serializers.SerializerMethodField()
    is_revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "serial",
            "holder",
            "course_title",
            "standard_code",
            "hours",
            "centre_name",
            "issued_on",
            "is_valid",
            "is_revoked",
            "revoked_at",
            "revoked_reason",
        ]
        read_only_fields = fields

    def get_holder(self, certificate) -> str:
        # As the verification page shows it.
        person = certificate.enrolment.person
        return mask_name(person.get_full_name() or person.username)

    def get_is_valid(self, certificate) -> bool:
        return not certificate.is_revoked


# --- awareness activities ---


class AwarenessActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    participants = serializers.IntegerField(read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.__str__", read_only=True)
    is_editable = serializers.SerializerMethodField(help_text="Whether the caller's agency may correct it.")

    class Meta:
        model = AwarenessActivity
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "agency",
            "held_on",
            "county",
            "audience",
            "audience_label",
            "workers_count",
            "employers_count",
            "others_count",
            "participants",
            "description",
            "recorded_by_name",
            "recorded_at",
            "is_editable",
        ]
        read_only_fields = fields

    def get_is_editable(self, activity) -> bool:
        return can_edit_activity(self.context["request"].user, activity)


class AwarenessActivityWriteSerializer(serializers.Serializer):
    """An activity's fields; on PATCH every one is optional. The agency is always the caller's own."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AwarenessActivity.Kind.choices)
    held_on = PortalDateField()
    county = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        required=False,
        allow_null=True,
        help_text="County code; null for a province-wide activity.",
    )
    audience = serializers.ChoiceField(choices=Audience.choices)
    workers_count = LocalIntegerField(required=False, allow_null=True)
    employers_count = LocalIntegerField(required=False, allow_null=True)
    others_count = LocalIntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
