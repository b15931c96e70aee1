"""Two DOE reviewers deciding the same registration at the same moment, each on its own connection."""

import threading

import pytest
from django.db import connection, connections

from greenjobs.exceptions import DomainError
from programs.models import Business, RegistrationEvent
from programs.services import assessments, registrations
from tests.factories import make_staff, ready_to_submit

pytestmark = pytest.mark.django_db(transaction=True)

CHECKLIST = ["energy", "water", "materials", "waste", "emissions", "permits"]


def _ready_for_decision():
    business = ready_to_submit()
    registrations.business_transition(business_id=business.pk, actor=business.owner, name="submit")
    officer = make_staff("DOE", "officer")
    registrations.business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    assessment = business.assessments.get()
    for category in CHECKLIST:
        measured = category != "permits"
        assessments.assessment_item_save(
            assessment_id=assessment.pk,
            actor=officer,
            category=category,
            description=category,
            baseline=100 if measured else None,
            current=80 if measured else None,
        )
    assessments.assessment_mark_ready(assessment_id=assessment.pk, actor=officer, summary="ok")
    return business


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_decisions_leave_exactly_one_and_the_other_is_told(agencies):
    business = _ready_for_decision()
    reviewers = [make_staff("DOE", "reviewer"), make_staff("DOE", "reviewer")]
    decisions = [
        {"name": "verify", "verified_kind": "new_green"},
        {"name": "reject", "reason": "آلودگی بیش از حد مجاز"},
    ]
    start = threading.Barrier(2)
    outcomes = []

    def decide(reviewer, decision):
        try:
            start.wait()
            registrations.business_transition(
                business_id=business.pk, actor=reviewer, expected_status="under_assessment", **decision
            )
            outcomes.append(("won", decision["name"]))
        except DomainError as exc:
            outcomes.append(("told", exc.code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=pair) for pair in zip(reviewers, decisions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for result, name in outcomes if result == "won"]
    assert len(winners) == 1
    assert [code for result, code in outcomes if result == "told"] == ["stale"]
    business.refresh_from_db()
    assert business.status == {"verify": "verified", "reject": "rejected"}[winners[0]]
    decisions_recorded = RegistrationEvent.objects.filter(
        business=business, from_status="under_assessment"
    ).count()
    assert decisions_recorded == 1
    assert Business.objects.get(pk=business.pk).assessments.filter(status="decided").count() == 1
