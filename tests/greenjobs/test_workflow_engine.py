"""The workflow engine on its own: a small table over projects, with the engine's guards and records."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from agencies.models import Agency
from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.workflow import SYSTEM, Transition, Workflow
from programs.models import Project, ProjectEvent
from tests.factories import ApplicantFactory, ProgrammeManagerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

OPEN, AWARDED, CANCELLED = Project.Status.OPEN, Project.Status.AWARDED, Project.Status.CANCELLED

TABLE = engine.table(
    Transition("award", (OPEN,), AWARDED, "committee", "Award"),
    Transition("cancel", (OPEN,), CANCELLED, "committee", "Cancel", needs_reason=True),
    Transition("close", (OPEN,), CANCELLED, SYSTEM, "Close"),
)


def committee_only(transition, project, user):
    return user is not None and user.is_authenticated and user.is_programme_manager


def record(project, transition, *, actor, from_status, to_status, reason, at):
    return ProjectEvent.objects.create(
        project=project, action=transition.name, from_status=from_status, to_status=to_status,
        actor=actor, reason=reason, at=at,
    )  # fmt: skip


notified = []

FLOW = Workflow(
    transitions=TABLE,
    model=Project,
    may=committee_only,
    record=record,
    notify=lambda event: notified.append((event.action, event.to_status)),
    stale_message="Changed meanwhile; now “%(status)s”.",
    not_possible_message="“%(action)s” is not possible while “%(status)s”.",
    not_found_message="No such project.",
)


@pytest.fixture(autouse=True)
def _clear_notified():
    notified.clear()


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def project():
    return Project.objects.create(
        title_fa="طرح", lead_agency=Agency.objects.get(code="DOE"), estimated_value=1,
        bids_close_on=datetime.date(2025, 6, 1),
    )  # fmt: skip


def state(project):
    fresh = Project.objects.get(pk=project.pk)
    return fresh.status, list(ProjectEvent.objects.filter(project=project).values_list("action", flat=True))


def test_a_move_is_recorded_with_who_when_from_to_and_why(project, time_machine):
    moment = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=ZoneInfo("Asia/Tehran"))
    time_machine.move_to(moment, tick=False)
    chair = ProgrammeManagerFactory()

    moved = engine.apply(FLOW, "cancel", obj_id=project.pk, actor=chair, reason="  No budget.  ")

    assert moved.status == CANCELLED
    assert list(
        ProjectEvent.objects.filter(project=project).values(
            "action", "from_status", "to_status", "actor", "reason", "at"
        )
    ) == [
        {"action": "cancel", "from_status": "open", "to_status": "cancelled", "actor": chair.pk,
         "reason": "No budget.", "at": moment}
    ]  # fmt: skip
    assert notified == [("cancel", "cancelled")]


def test_an_illegal_move_is_refused_and_changes_nothing(project):
    Project.objects.filter(pk=project.pk).update(status=AWARDED)

    with pytest.raises(ConflictError) as caught:
        engine.apply(FLOW, "award", obj_id=project.pk, actor=ProgrammeManagerFactory())

    assert (caught.value.code, caught.value.status_code, caught.value.message) == (
        "invalid_transition", 409, "“Award” is not possible while “Awarded”.",
    )  # fmt: skip
    assert state(project) == (AWARDED, [])
    assert notified == []


def test_the_wrong_actor_is_forbidden_and_changes_nothing(project):
    with pytest.raises(DomainError) as caught:
        engine.apply(FLOW, "award", obj_id=project.pk, actor=ApplicantFactory())

    assert (caught.value.code, caught.value.status_code) == ("forbidden", 403)
    assert state(project) == (OPEN, [])


def test_a_stale_form_is_told_the_status_it_missed(project):
    Project.objects.filter(pk=project.pk).update(status=AWARDED)

    with pytest.raises(ConflictError) as caught:
        engine.apply(
            FLOW,
            "cancel",
            obj_id=project.pk,
            actor=ProgrammeManagerFactory(),
            reason="x",
            expected_status=OPEN,
        )

    assert (caught.value.code, caught.value.status_code, caught.value.message) == (
        "stale", 409, "Changed meanwhile; now “Awarded”.",
    )  # fmt: skip
    assert state(project) == (AWARDED, [])


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_move_that_needs_a_reason_is_refused_without_one(project, reason):
    with pytest.raises(DomainError) as caught:
        engine.apply(FLOW, "cancel", obj_id=project.pk, actor=ProgrammeManagerFactory(), reason=reason)

    assert caught.value.code == "reason_required"
    assert state(project) == (OPEN, [])


def test_a_system_move_refuses_a_person_and_runs_without_one(project):
    with pytest.raises(DomainError) as caught:
        engine.apply(FLOW, "close", obj_id=project.pk, actor=ProgrammeManagerFactory())
    refused = state(project)
    engine.apply(FLOW, "close", obj_id=project.pk, actor=None)

    assert (caught.value.code, caught.value.status_code) == ("system_only", 403)
    assert refused == (OPEN, [])
    assert state(project) == (CANCELLED, ["close"])


def test_an_unknown_action_and_an_unknown_row_are_refused(project):
    with pytest.raises(DomainError) as unknown:
        engine.apply(FLOW, "launch", obj_id=project.pk, actor=ProgrammeManagerFactory())
    with pytest.raises(DomainError) as missing:
        engine.apply(FLOW, "award", obj_id=project.pk + 1000, actor=ProgrammeManagerFactory())

    assert unknown.value.code == "unknown_action"
    assert (missing.value.code, missing.value.status_code, missing.value.message) == (
        "not_found", 404, "No such project.",
    )  # fmt: skip


def test_an_effect_that_refuses_rolls_everything_back(project):
    def effects(obj, transition, now):
        obj.title_fa = "تغییر"
        raise DomainError("Not today.", code="not_today")

    with pytest.raises(DomainError) as caught:
        engine.apply(FLOW, "award", obj_id=project.pk, actor=ProgrammeManagerFactory(), effects=effects)

    assert caught.value.code == "not_today"
    assert state(project) == (OPEN, [])
    assert Project.objects.get(pk=project.pk).title_fa == "طرح"


def test_an_effect_may_choose_another_target(project):
    engine.apply(
        FLOW, "award", obj_id=project.pk, actor=ProgrammeManagerFactory(),
        effects=lambda obj, transition, now: CANCELLED,
    )  # fmt: skip

    assert ProjectEvent.objects.get(project=project).to_status == CANCELLED
    assert Project.objects.get(pk=project.pk).status == CANCELLED


def test_on_commit_callbacks_run_only_after_the_commit(project, django_capture_on_commit_callbacks):
    ran = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        engine.apply(
            FLOW,
            "award",
            obj_id=project.pk,
            actor=ProgrammeManagerFactory(),
            on_commit=[lambda: ran.append(1)],
        )
        ran_before_commit = list(ran)

    assert ran_before_commit == []
    assert len(callbacks) == 1
    assert ran == [1]


def test_a_refused_move_schedules_nothing(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        engine.apply(FLOW, "award", obj_id=project.pk, actor=ApplicantFactory(), on_commit=[lambda: None])

    assert callbacks == []


def test_available_offers_only_what_this_user_may_do_from_here(project):
    chair, applicant = ProgrammeManagerFactory(), ApplicantFactory()

    offered = [t.name for t in engine.available(TABLE, project, chair, may=committee_only)]
    project.status = AWARDED

    assert offered == ["award", "cancel"]
    assert engine.available(TABLE, project, chair, may=committee_only) == []
    assert engine.available(TABLE, Project(status=OPEN), applicant, may=committee_only) == []


def test_a_row_the_caller_locked_is_moved_in_place(project):
    locked = Project.objects.select_for_update().get(pk=project.pk)

    moved = engine.apply(FLOW, "award", obj=locked, actor=ProgrammeManagerFactory())

    assert moved is locked
    assert state(project) == (AWARDED, ["award"])


def test_the_core_engine_imports_no_app():
    source = Path(engine.__file__).read_text(encoding="utf-8")

    assert not [
        app for app in ("accounts", "agencies", "programs", "incentives", "training", "measurement")
        if f"from {app}" in source or f"import {app}" in source
    ]  # fmt: skip
