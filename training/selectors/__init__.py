"""Reads for the training pages: each list runs a fixed number of queries, whatever its length."""

from collections import Counter

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Attendance, Course, Enrolment, MeetingEvent, Session, TrainingCentre
from ..services.results import attendance_percent, counted_meeting_ids

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


def attendance_sheet(session: Session, roster=None) -> tuple[list, list[dict]]:
    """The meetings held and, per enrolled person, a mark for each (True, False or None) and the percent.

    Each meeting carries `counted` (within the session's dates, so the pass rule counts it) and
    `same_day` (another meeting shares its date: only rows older than the rule can). `roster` is a
    page of session_roster(session); by default, the whole roster.
    """
    meetings = list(session.meetings.order_by("number"))
    counted = counted_meeting_ids(session)
    days = Counter(meeting.held_on for meeting in meetings)
    for meeting in meetings:
        meeting.counted = meeting.pk in counted
        meeting.same_day = days[meeting.held_on] > 1
    rows = []
    for enrolment in session_roster(session) if roster is None else roster:
        marks = {record.meeting_id: record.present for record in enrolment.attendance.all()}
        rows.append(
            {
                "enrolment": enrolment,
                "marks": [marks.get(meeting.pk) for meeting in meetings],
                "attended": sum(1 for pk, present in marks.items() if present and pk in counted),
                "percent": attendance_percent(enrolment, counted),
            }
        )
    return meetings, rows


def meeting_events(session: Session) -> list[MeetingEvent]:
    """The session's meeting corrections, newest first, each with `people`: the results it moved, named."""
    events = list(session.meeting_events.select_related("actor"))
    ids = {row["enrolment"] for event in events for row in event.results}
    people = {
        enrolment.pk: enrolment.person
        for enrolment in Enrolment.objects.filter(pk__in=ids).select_related("person")
    }
    for event in events:
        event.people = [
            {
                "person": people.get(row["enrolment"]),
                "percent": row["percent"],
                "passed": row["passed"],
            }
            for row in event.results
            if row["enrolment"] in people
        ]
    return events


def waitlist(session: Session):
    """The people waiting, in the order they asked: a row's place in this order is its position.

    Not annotated with `waitlist_position`: that counts the earlier rows for every row, including those
    a page skips, so a late page of a long wait list would cost the square of its offset.
    """
    return (
        session.enrolments.filter(status=Enrolment.Status.WAITLISTED)
        .select_related("person")
        .order_by("requested_at", "pk")
    )


def _sessions_of(field: str):
    # A count per row shown (one index range each), not a join of every session grouped by row: the pager
    # then counts the catalogue alone, and the cost follows the page, not the sessions' history.
    counted = (
        Session.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def courses(*, include_inactive: bool = False):
    queryset = Course.objects.select_related("occupation").annotate(session_count=_sessions_of("course"))
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("standard_code")


def centres(*, include_inactive: bool = False):
    queryset = TrainingCentre.objects.select_related("county").annotate(session_count=_sessions_of("centre"))
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("county__order", "name_fa", "pk")
