"""Reads for the training pages: each list runs a fixed number of queries, whatever its length."""

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Attendance, Course, Enrolment, Session, TrainingCentre
from .services.results import attendance_percent

SESSION_RELATED = ("course__occupation", "centre__county")

# The wider views TVTO staff may ask of the session list besides the public "upcoming".
STAFF_SCOPES = ("upcoming", "all", *Session.Status.values)


def _sessions():
    return Session.objects.select_related(*SESSION_RELATED)


def _filter_sessions(queryset, filters: dict):
    if filters.get("course"):
        queryset = queryset.filter(course_id=filters["course"])
    if filters.get("centre"):
        queryset = queryset.filter(centre_id=filters["centre"])
    if filters.get("occupation"):
        queryset = queryset.filter(course__occupation__code=filters["occupation"])
    if filters.get("county"):
        queryset = queryset.filter(centre__county__code=filters["county"])
    if filters.get("audience"):
        queryset = queryset.filter(course__audience=filters["audience"])
    if filters.get("starts_from"):
        queryset = queryset.filter(starts_on__gte=filters["starts_from"])
    if filters.get("starts_to"):
        queryset = queryset.filter(starts_on__lte=filters["starts_to"])
    return queryset


def upcoming_sessions(*, filters: dict | None = None):
    """The public catalogue: sessions open for enrolment, soonest first, of active courses and centres."""
    queryset = _sessions().filter(
        status=Session.Status.PLANNED,
        starts_on__gte=timezone.localdate(),
        course__is_active=True,
        centre__is_active=True,
    )
    return _filter_sessions(queryset, filters or {}).order_by("starts_on", "pk")


def staff_sessions(*, filters: dict | None = None, scope: str = "upcoming"):
    """TVTO's view of the sessions: upcoming by default, or every session, or those in one status."""
    filters = filters or {}
    if scope == "upcoming" or scope not in STAFF_SCOPES:
        queryset = _sessions().filter(status=Session.Status.PLANNED, starts_on__gte=timezone.localdate())
        return _filter_sessions(queryset, filters).order_by("starts_on", "pk")
    queryset = _sessions()
    if scope != "all":
        queryset = queryset.filter(status=scope)
    return _filter_sessions(queryset, filters).order_by("-starts_on", "-pk")


def session_detail(*, session_id: int) -> Session | None:
    return _sessions().filter(pk=session_id).first()


def _waitlist_position():
    """1 for the first waiting person of the session, in the order they asked; None unless waiting.

    Counted in the database beside each row, so a list of enrolments costs one query.
    """
    earlier = (
        Enrolment.objects.filter(session=OuterRef("session"), status=Enrolment.Status.WAITLISTED)
        .filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Case(
        When(
            status=Enrolment.Status.WAITLISTED,
            then=Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0)) + Value(1),
        ),
        default=None,
        output_field=IntegerField(),
    )


def with_waitlist_position(queryset):
    return queryset.annotate(waitlist_position=_waitlist_position())


def my_enrolments(user):
    """A person's enrolments, newest session first, with wait-list position, result and certificate."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    queryset = Enrolment.objects.filter(person=user).select_related(
        "session__course", "session__centre__county", "certificate"
    )
    return with_waitlist_position(queryset).order_by("-session__starts_on", "-requested_at", "-pk")


def enrolment_of(user, session: Session) -> Enrolment | None:
    """The person's live enrolment in a session (enrolled or waiting), with the wait-list position."""
    if not user.is_authenticated:
        return None
    queryset = Enrolment.objects.filter(person=user, session=session).exclude(
        status=Enrolment.Status.CANCELLED
    )
    return with_waitlist_position(queryset).first()


def session_counts(session: Session) -> dict:
    counts = session.enrolments.aggregate(
        enrolled=Count("pk", filter=Q(status=Enrolment.Status.ENROLLED)),
        waitlisted=Count("pk", filter=Q(status=Enrolment.Status.WAITLISTED)),
    )
    return counts


def session_roster(session: Session):
    """The people holding seats, in the order they enrolled, with their attendance and certificate."""
    return (
        session.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("person", "certificate")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("meeting__number")))
        .order_by("requested_at", "pk")
    )


def attendance_sheet(session: Session) -> tuple[list, list[dict]]:
    """The meetings held and, per enrolled person, a mark for each (True, False or None) and the percent."""
    meetings = list(session.meetings.order_by("number"))
    rows = []
    for enrolment in session_roster(session):
        marks = {record.meeting_id: record.present for record in enrolment.attendance.all()}
        rows.append(
            {
                "enrolment": enrolment,
                "marks": [marks.get(meeting.pk) for meeting in meetings],
                "attended": sum(1 for present in marks.values() if present),
                "percent": attendance_percent(enrolment, len(meetings)),
            }
        )
    return meetings, rows


def waitlist(session: Session):
    return with_waitlist_position(
        session.enrolments.filter(status=Enrolment.Status.WAITLISTED).select_related("person")
    ).order_by("requested_at", "pk")


def courses(*, include_inactive: bool = False):
    queryset = Course.objects.select_related("occupation").annotate(
        session_count=Count("sessions", distinct=True)
    )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("standard_code")


def centres(*, include_inactive: bool = False):
    queryset = TrainingCentre.objects.select_related("county").annotate(
        session_count=Count("sessions", distinct=True)
    )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("county__order", "name_fa", "pk")
