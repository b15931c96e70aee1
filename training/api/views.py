"""The training API. Thin: training.permissions and the selectors decide what is seen, the services every
change, with the same rules as the pages.

Like the pages, an enrolment or a certificate the caller may not see answers 404, whether it exists or not.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from greenjobs.api import ID_PATTERN, run_service
from greenjobs.exceptions import DomainError
from greenjobs.permissions import HasRole

from .. import permissions, selectors, selectors_activities, selectors_certificates
from ..models import Certificate, Enrolment
from ..services import activities, certificates, enrolment
from ..services import results as records
from ..views.certificates import _over_limit, _verify_limit
from . import filters
from .serializers import (
    AttendanceResultSerializer,
    AttendanceWriteSerializer,
    AwarenessActivitySerializer,
    AwarenessActivityWriteSerializer,
    CertificateSerializer,
    CertificateVerificationSerializer,
    CourseSerializer,
    EnrolmentSerializer,
    MeetingCorrectSerializer,
    MeetingEventSerializer,
    MeetingRemoveSerializer,
    MeetingSerializer,
    MeetingWriteSerializer,
    ResultsWriteSerializer,
    RevokeSerializer,
    SessionSerializer,
    TrainingCentreSerializer,
)

# Sub-resources and actions are neither filtered nor paginated.
PLAIN = {"filter_backends": [], "pagination_class": None}


def _forbidden():
    return DomainError(_("You may not do this."), code="forbidden", status_code=403)


class ListFiltersOnly:
    # Filters and the list's scope narrow the list; one object is looked up among all the caller sees.
    # (A comment, not a docstring: the schema would show it as every operation's description.)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


def _enrolments_for(user):
    """The enrolments the caller may see, with their place on the wait list, in constant queries."""
    queryset = Enrolment.objects.select_related("session__course", "session__centre", "person", "certificate")
    return selectors.with_waitlist_position(permissions.visible_enrolments(user, queryset))


# --- catalogue ---


@extend_schema_view(
    list=extend_schema(summary="Training centres (active ones; TVTO also sees the others)"),
    retrieve=extend_schema(summary="One training centre"),
)
class TrainingCentreViewSet(viewsets.ReadOnlyModelViewSet):
    """TVTO centres and accredited private institutes."""

    serializer_class = TrainingCentreSerializer
    permission_classes = [AllowAny]
    filterset_class = filters.TrainingCentreFilter
    ordering_fields = ["name_fa", "name_en"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.centres(include_inactive=permissions.can_manage_training(self.request.user))


@extend_schema_view(
    list=extend_schema(summary="Courses (active ones; TVTO also sees the others)"),
    retrieve=extend_schema(summary="One course"),
)
class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Courses, each on a training standard and teaching one green occupation."""

    serializer_class = CourseSerializer
    permission_classes = [AllowAny]
    filterset_class = filters.CourseFilter
    ordering_fields = ["standard_code", "title_fa", "title_en", "hours"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.courses(include_inactive=permissions.can_manage_training(self.request.user))


@extend_schema_view(
    list=extend_schema(
        summary="Sessions open for enrolment, soonest first; TVTO may widen the list with `scope`"
    ),
    retrieve=extend_schema(summary="One session, in any status"),
)
class SessionViewSet(ListFiltersOnly, viewsets.ReadOnlyModelViewSet):
    """Sessions of the courses: the public catalogue, enrolment, and TVTO's records of each session."""

    serializer_class = SessionSerializer
    filterset_class = filters.SessionFilter
    ordering_fields = ["starts_on", "ends_on"]
    lookup_value_regex = ID_PATTERN

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if self.action == "list":
            if permissions.can_manage_training(self.request.user):
                return selectors.staff_sessions()
            return selectors.upcoming_sessions()
        # As the session page: any session can be opened by its number.
        return selectors.staff_sessions(scope="all")

    def _tvto_session(self):
        """The session whose records (meetings, attendance, results) TVTO keeps; nobody else sees them."""
        if not permissions.can_manage_training(self.request.user):
            raise _forbidden()
        return self.get_object()

    @extend_schema(
        request=None,
        responses={
            201: EnrolmentSerializer,
            403: OpenApiResponse(description="Not an applicant's account"),
            404: OpenApiResponse(description="No such session"),
            409: OpenApiResponse(description="Enrolment has closed, or already enrolled or on the wait list"),
        },
        summary="Enrol the signed-in applicant: a seat if one is free, else the end of the wait list",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def enrol(self, request, pk=None):
        # The service finds the session itself, so a closed one says why (409) rather than 404.
        created = run_service(enrolment.enrol, session_id=int(pk), person=request.user, actor=request.user)
        row = _enrolments_for(request.user).get(pk=created.pk)
        serializer = EnrolmentSerializer(row, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], responses=MeetingSerializer(many=True), summary="The session's meetings (TVTO)"
    )
    @extend_schema(
        methods=["POST"],
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer},
        summary="Add the session's next meeting (TVTO)",
    )
    @action(detail=True, methods=["get", "post"], **PLAIN)
    def meetings(self, request, pk=None):
        session = self._tvto_session()
        if request.method == "POST":
            serializer = MeetingWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            meeting = run_service(
                records.meeting_add,
                session_id=session.pk,
                actor=request.user,
                held_on=serializer.validated_data["held_on"],
            )
            return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)
        return Response(MeetingSerializer(session.meetings.order_by("number"), many=True).data)

    @extend_schema(
        methods=["PATCH"],
        request=MeetingCorrectSerializer,
        responses={200: MeetingEventSerializer},
        summary="Correct a meeting's date; the recorded results are worked out again (TVTO)",
    )
    @extend_schema(
        methods=["DELETE"],
        request=MeetingRemoveSerializer,
        responses={200: MeetingEventSerializer},
        summary="Remove a meeting with its roll call; the recorded results are worked out again (TVTO)",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"meetings/(?P<meeting_id>[0-9]{1,9})",
        url_name="meeting",
        **PLAIN,
    )
    def meeting(self, request, pk=None, meeting_id=None):
        session = self._tvto_session()
        meeting = session.meetings.filter(pk=int(meeting_id)).first()
        if meeting is None:
            raise NotFound
        if request.method == "PATCH":
            serializer = MeetingCorrectSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            event = run_service(
                records.meeting_correct,
                meeting_id=meeting.pk,
                actor=request.user,
                **serializer.validated_data,
            )
        else:
            serializer = MeetingRemoveSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            event = run_service(
                records.meeting_remove, meeting_id=meeting.pk, actor=request.user, **serializer.validated_data
            )
        return Response(MeetingEventSerializer(event).data)

    @extend_schema(
        request=AttendanceWriteSerializer,
        responses=AttendanceResultSerializer,
        summary="A meeting's roll call: the enrolments listed are present, every other one absent (TVTO)",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def attendance(self, request, pk=None):
        session = self._tvto_session()
        serializer = AttendanceWriteSerializer(data=request.data, session=session)
        serializer.is_valid(raise_exception=True)
        meeting = serializer.validated_data["meeting"]
        present = serializer.validated_data["present"]
        recorded = run_service(
            records.attendance_record,
            meeting_id=meeting.pk,
            actor=request.user,
            present_enrolment_ids=present,
        )
        body = {"meeting": meeting.pk, "recorded": recorded, "present": sorted(set(present))}
        return Response(AttendanceResultSerializer(body).data)

    @extend_schema(
        request=ResultsWriteSerializer,
        responses=EnrolmentSerializer(many=True),
        summary="Record exam results in bulk; the pass rule decides, certificates follow (TVTO)",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def results(self, request, pk=None):
        session = self._tvto_session()
        serializer = ResultsWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["results"]
        scores = {row["enrolment"]: (row["theory"], row["practical"]) for row in rows}
        updated = run_service(
            records.results_record, session_id=session.pk, actor=request.user, scores=scores
        )
        recorded = _enrolments_for(request.user).filter(pk__in=[row.pk for row in updated]).order_by("pk")
        return Response(EnrolmentSerializer(recorded, many=True, context=self.get_serializer_context()).data)


# --- enrolments ---


@extend_schema_view(
    list=extend_schema(summary="The caller's own enrolments; every enrolment for TVTO and the committee"),
    retrieve=extend_schema(summary="One enrolment"),
)
class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments with their place on the wait list, result and certificate."""

    serializer_class = EnrolmentSerializer
    filterset_class = filters.EnrolmentFilter
    ordering_fields = ["requested_at"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return _enrolments_for(self.request.user)

    @extend_schema(
        request=None,
        responses={
            200: EnrolmentSerializer,
            403: OpenApiResponse(description="The caller sees the enrolment but may not cancel it"),
            409: OpenApiResponse(description="A result is recorded"),
        },
        summary="Cancel an enrolment (its person or TVTO); a freed seat goes to the first on the wait list",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def cancel(self, request, pk=None):
        row = self.get_object()
        if row.person_id != request.user.pk and not permissions.can_manage_training(request.user):
            raise _forbidden()
        run_service(enrolment.cancel, enrolment_id=row.pk, actor=request.user)
        row = self.get_queryset().get(pk=row.pk)
        return Response(EnrolmentSerializer(row, context=self.get_serializer_context()).data)


# --- certificates ---


@extend_schema_view(
    list=extend_schema(summary="The caller's own certificates; every certificate for TVTO and the committee"),
    retrieve=extend_schema(summary="One certificate"),
)
class CertificateViewSet(ListFiltersOnly, viewsets.ReadOnlyModelViewSet):
    """Certificates of passed enrolments: their holder's, and all of them for TVTO and the committee."""

    serializer_class = CertificateSerializer
    filterset_class = filters.CertificateFilter
    ordering_fields = ["issued_on", "serial"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors_certificates.certificates_for(self.request.user)

    @extend_schema(
        request=RevokeSerializer,
        responses={200: CertificateSerializer, 409: OpenApiResponse(description="Already revoked")},
        summary="Revoke a certificate, saying why; the verification page shows the reason (TVTO)",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def revoke(self, request, pk=None):
        # Asked before the lookup, as on the page: nobody but TVTO learns whether a certificate exists.
        if not permissions.can_manage_training(request.user):
            raise _forbidden()
        certificate = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_service(
            certificates.revoke,
            error_field="reason",
            certificate_id=certificate.pk,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(CertificateSerializer(self.get_object(), context=self.get_serializer_context()).data)


class CertificateVerificationViewSet(viewsets.GenericViewSet):
    """The public check of a printed code; it counts against the same per-address allowance as the page."""

    serializer_class = CertificateVerificationSerializer
    permission_classes = [AllowAny]
    queryset = Certificate.objects.none()  # for the schema only; the selector makes the lookup
    lookup_field = "verification_code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[^/]+"

    @extend_schema(
        responses={
            200: CertificateVerificationSerializer,
            404: OpenApiResponse(description="No certificate has this code"),
            429: OpenApiResponse(description="Too many checks from this address; try again later"),
        },
        summary="Check a certificate by the code printed on it (public; the holder's name is masked)",
    )
    def retrieve(self, request, code=None):
        if _over_limit(request):
            raise Throttled(wait=_verify_limit()[1])
        certificate = selectors_certificates.certificate_by_code(code)
        if certificate is None:
            raise NotFound
        return Response(self.get_serializer(certificate).data)


# --- awareness activities ---


@extend_schema_view(
    list=extend_schema(
        summary="Awareness activities (G5) of all agencies, for agency staff and the committee"
    ),
    retrieve=extend_schema(summary="One awareness activity"),
)
class AwarenessActivityViewSet(
    ListFiltersOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Every agency reads the whole list; DOE, MCLS and TVTO staff record and correct their own agency's."""

    serializer_class = AwarenessActivitySerializer
    permission_classes = [IsAuthenticated, HasRole.for_roles("agency_staff", "programme_manager")]
    filterset_class = filters.AwarenessActivityFilter
    ordering_fields = ["held_on"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors_activities.activity_list()

    def _detail(self, activity_id, *, status_code=status.HTTP_200_OK):
        activity = self.get_queryset().get(pk=activity_id)
        return Response(self.get_serializer(activity).data, status=status_code)

    @extend_schema(
        request=AwarenessActivityWriteSerializer,
        responses={201: AwarenessActivitySerializer},
        summary="Record an activity of the caller's own agency (DOE, MCLS and TVTO staff)",
    )
    def create(self, request):
        serializer = AwarenessActivityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = run_service(activities.activity_create, actor=request.user, data=serializer.validated_data)
        return self._detail(activity.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=AwarenessActivityWriteSerializer,
        responses=AwarenessActivitySerializer,
        summary="Correct an activity of the caller's own agency",
    )
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        serializer = AwarenessActivityWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        run_service(
            activities.activity_update,
            activity_id=activity.pk,
            actor=request.user,
            data=serializer.validated_data,
        )
        return self._detail(activity.pk)
