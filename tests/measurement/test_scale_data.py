"""The scale generator on a small scale: the spread, the children, the timelines, and the portal over them."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Sum
from django.urls import reverse

from agencies.models import StaffRole
from incentives.models import ApplicationEvent, Disbursement, Instalment, LoanApplication, Payment
from measurement.indicators import COMPUTED
from programs.models import Assessment, Business, GreenJob, RegistrationEvent
from tests.factories import ProgrammeManagerFactory, make_staff
from training.models import Certificate, Enrolment, Session, TrainingEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the scale generator writes with PostgreSQL's COPY"
)

END = datetime.date(2026, 6, 30)
DAYS = 400


def _generate(records=300, seed=7):
    call_command(
        "generate_scale_data", "--records", str(records), "--days", str(DAYS), "--seed", str(seed),
        "--end", END.isoformat(), stdout=open("/dev/null", "w"),  # noqa: SIM115 - closed with the process
    )  # fmt: skip


def _window():
    tz = datetime.timezone(datetime.timedelta(hours=3, minutes=30))  # Asia/Tehran, no summer time since 2022
    end = datetime.datetime.combine(END, datetime.time(23, 59, 59), tz)
    return end - datetime.timedelta(days=DAYS), end


@pytest.fixture
def generated(agencies):
    _generate()


def _chained(events):
    """Each object's events, in time order, start from nothing and continue where the last one ended."""
    last = {}
    for owner, from_status, to_status in events:
        assert from_status == last.get(owner, ""), (owner, from_status, last.get(owner))
        last[owner] = to_status
    return last


def test_spread_is_forty_thirty_thirty(generated):
    businesses = Business.objects.count()
    loans = LoanApplication.objects.count()
    enrolments = Enrolment.objects.count()
    total = businesses + loans + enrolments
    assert total >= 300
    assert abs(businesses / total - 0.4) <= 0.03
    assert abs(loans / total - 0.3) <= 0.03
    assert abs(enrolments / total - 0.3) <= 0.03


def test_every_record_has_its_children(generated):
    assert not Business.objects.annotate(n=Count("green_jobs")).filter(n=0).exists()
    assert not Business.objects.annotate(n=Count("events")).filter(n=0).exists()
    assert not Business.objects.exclude(status="draft").annotate(n=Count("events")).filter(n__lt=2).exists()
    assert (
        not Business.objects.filter(status="verified").annotate(n=Count("assessments")).filter(n=0).exists()
    )
    assert not LoanApplication.objects.annotate(n=Count("events")).filter(n=0).exists()
    assert not LoanApplication.objects.annotate(n=Count("planned_jobs")).filter(n=0).exists()
    repaying = LoanApplication.objects.filter(stage__in=["repaying", "in_arrears", "settled"])
    assert repaying.exists()
    assert not repaying.annotate(n=Count("instalments")).filter(n=0).exists()
    assert not Enrolment.objects.filter(passed=True, certificate__isnull=True).exists()
    assert Certificate.objects.exists()
    assert not Session.objects.filter(status="finished").annotate(n=Count("meetings")).filter(n=0).exists()
    assert (
        TrainingEvent.objects.filter(action="finish").count()
        == Session.objects.filter(status="finished").count()
    )


def test_statuses_cover_every_queue(generated):
    statuses = set(Business.objects.values_list("status", flat=True))
    assert {"draft", "verified", "rejected", "changes_requested"} <= statuses
    verified = Business.objects.filter(status="verified").count()
    assert 0.4 <= verified / Business.objects.count() <= 0.8
    stages = set(LoanApplication.objects.values_list("stage", flat=True))
    assert {"draft", "rejected", "repaying"} <= stages


def test_timestamps_lie_in_the_window_and_in_order(generated):
    start, end = _window()
    for model, fields in (
        (RegistrationEvent, ["at"]),
        (ApplicationEvent, ["at"]),
        (TrainingEvent, ["at"]),
        (Business, ["created_at", "status_changed_at"]),
        (Enrolment, ["requested_at"]),
    ):
        for name in fields:
            assert not model.objects.filter(**{f"{name}__lt": start}).exists(), (model, name)
            assert not model.objects.filter(**{f"{name}__gt": end}).exists(), (model, name)
    last = _chained(
        RegistrationEvent.objects.order_by("business", "at", "id").values_list(
            "business", "from_status", "to_status"
        )
    )
    for business in Business.objects.all():
        assert last[business.pk] == business.status
        assert business.created_at <= business.status_changed_at
        if business.submitted_at:
            assert business.created_at <= business.submitted_at <= business.status_changed_at
        if business.status == "verified":
            assert business.first_verified_at <= business.verified_at <= business.status_changed_at
            assert business.expires_on >= END
    last = _chained(
        ApplicationEvent.objects.order_by("application", "at", "id").values_list(
            "application", "from_stage", "to_stage"
        )
    )
    for loan in LoanApplication.objects.all():
        assert last[loan.pk] == loan.stage
        first = loan.events.order_by("at", "id").first()
        assert first.at == loan.created_at
        if loan.submitted_at:
            assert loan.business.events.filter(to_status="verified", at__lte=loan.submitted_at).exists()
    for assessment in Assessment.objects.exclude(decided_at=None):
        assert assessment.started_at <= assessment.ready_at <= assessment.decided_at
    for enrolment in Enrolment.objects.exclude(result_recorded_at=None).select_related("session"):
        assert enrolment.requested_at < enrolment.result_recorded_at
        assert enrolment.session.ends_on <= enrolment.result_recorded_at.date()


def test_money_adds_up(generated):
    for loan in LoanApplication.objects.exclude(approved_amount=0):
        tranches = Disbursement.objects.filter(application=loan).aggregate(s=Sum("amount"))["s"] or 0
        assert tranches == loan.disbursed_amount
        if loan.contracted_on:
            assert not loan.disbursements.filter(paid_on__lt=loan.contracted_on).exists()
        paid = Payment.objects.filter(application=loan).aggregate(s=Sum("amount"))["s"] or 0
        assert paid == (Instalment.objects.filter(application=loan).aggregate(s=Sum("paid"))["s"] or 0)
        if loan.stage in ("repaying", "in_arrears"):
            overdue = (
                loan.instalments.filter(due_on__lt=END).aggregate(s=Sum(F("amount") - F("paid")))["s"] or 0
            )
            assert loan.overdue_amount == overdue
            assert (loan.stage == "in_arrears") == (overdue > 0)
    assert LoanApplication.objects.filter(overdue_amount__gt=0).exists()


def test_green_jobs_repeat_people_and_are_counted(generated):
    jobs = GreenJob.objects.count()
    people = GreenJob.objects.values("holder_national_id").distinct().count()
    assert people < jobs
    assert (
        GreenJob.objects.filter(counted=True).count()
        == GreenJob.objects.filter(business__status__in=["verified", "expired"]).count()
    )


def test_the_portal_shows_the_generated_data(generated, client):
    doe = make_staff("DOE", StaffRole.OFFICER)
    mcls = make_staff("MCLS", StaffRole.REVIEWER)
    manager = ProgrammeManagerFactory()
    business = Business.objects.filter(status="verified").first()
    loan = LoanApplication.objects.filter(stage="repaying").first()
    for user, urls in (
        (doe, [reverse("programs:registry"), reverse("programs:assessment_queue"),
               reverse("programs:business_detail", args=[business.pk])]),
        (mcls, [reverse("incentives:queue"), reverse("incentives:application_detail", args=[loan.pk])]),
        (manager, [reverse("programs:registry"), "/progress/",
                   "/dashboard/programme/"]),
    ):  # fmt: skip
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
    client.force_login(business.owner)
    assert client.get(reverse("programs:my_businesses")).status_code == 200
    client.force_login(loan.applicant)
    assert client.get(reverse("incentives:my_applications")).status_code == 200


def test_every_indicator_computes_over_the_generated_data(generated):
    start = END - datetime.timedelta(days=DAYS)
    for code, compute in COMPUTED.items():
        assert compute(start, END) is not None, code
    assert COMPUTED["G1.1"](start, END) > 0


def test_running_twice_adds(generated):
    before = Business.objects.count()
    _generate(records=100, seed=7)  # the same seed again: identifiers come from new ids, nothing collides
    assert Business.objects.count() == before + 40


@pytest.mark.parametrize(
    "args",
    [
        ["--records", "-5"],
        ["--records", "0"],
        ["--records", "many"],
        ["--records", "10", "--days", "0"],
        ["--records", "10", "--end", "2026-13-01"],
        ["--records", "10", "--seed", "x"],
    ],
)
def test_bad_arguments_are_refused(agencies, args):
    with pytest.raises(CommandError):
        call_command("generate_scale_data", *args)
    assert not Business.objects.exists()


def test_refuses_other_databases_than_postgresql(agencies, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_scale_data", "--records", "10")
