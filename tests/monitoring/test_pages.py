"""The pages: the applicant's report, MCLS's queue, the decision form, the import page; who may open what."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import Decision, InsuranceImport, Round
from monitoring.services import rounds
from tests.factories import MINIMAL_PDF, make_staff, verified_business

from .factories import AFTER_MEHR, csv_file, first_round, import_list, noon, person, repaying_loan, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

WORKSHOP = "1234567890"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_the_applicant_writes_and_sends_the_report_from_the_round_s_page(client):
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),))
    round_ = first_round(loan)
    client.force_login(loan.applicant)
    url = reverse("monitoring:round_detail", args=[round_.pk])

    with time_machine.travel(AFTER_MEHR):
        # the dashboard shows the round due
        dashboard = client.get(reverse("measurement:applicant_dashboard"))
        assert [r.pk for r in dashboard.context["rounds_due"]] == [round_.pk]
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["editable"] is True
        assert "send-report" not in page.content.decode()

        client.post(
            reverse("monitoring:workshop_add", args=[round_.pk]), {"code": WORKSHOP.translate(PERSIAN)}
        )
        for n in (1, 2):
            response = client.post(
                reverse("monitoring:employee_add", args=[round_.pk]),
                {
                    "national_id": person(n).translate(PERSIAN),
                    "name": f"کارگر {n}",
                    "occupation": loan.planned_jobs.get().occupation_id,
                    "started_on": "۱۴۰۴/۰۳/۱۱",
                },
            )
            assert response.status_code == 302
        client.post(
            reverse("monitoring:document_upload", args=[round_.pk]),
            {"kind": "contract", "file": SimpleUploadedFile("contract.pdf", MINIMAL_PDF)},
        )
        page = client.get(url)
        assert page.context["problems"] == []
        response = client.post(reverse("monitoring:report", args=[round_.pk]), {"expected_status": "pending"})

    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == "reported"
    assert sorted(round_.employees.values_list("national_id", "started_on")) == [
        (person(1), datetime.date(2025, 6, 1)),
        (person(2), datetime.date(2025, 6, 1)),
    ]


def test_a_bad_person_comes_back_with_the_error_beside_its_field(client):
    loan = repaying_loan()
    round_ = first_round(loan)
    client.force_login(loan.applicant)
    response = client.post(
        reverse("monitoring:employee_add", args=[round_.pk]),
        {"national_id": "0012345678", "name": "x", "occupation": loan.planned_jobs.get().occupation_id,
         "started_on": "1404/03/11"},
    )  # fmt: skip
    assert response.status_code == 200
    assert list(response.context["employee_form"].errors) == ["national_id"]
    assert round_.employees.count() == 0


HOSTILE = [
    "x" * 10_000,
    "-999999999999999999999",
    "9999/12/31",
    "<script>alert(1)</script>",
    "\u200c\u200f",
    "1e400",
]


def test_hostile_values_never_answer_a_server_error(client):
    loan = repaying_loan()
    round_ = first_round(loan)
    manager = make_staff("MCLS", "manager")
    for value in HOSTILE:
        client.force_login(loan.applicant)
        for name, data in (
            ("employee_add", {"national_id": value, "name": value, "occupation": value, "started_on": value}),
            ("workshop_add", {"code": value}),
            ("report", {"expected_status": value}),
        ):
            assert client.post(reverse(f"monitoring:{name}", args=[round_.pk]), data).status_code in (
                200,
                302,
            )
        client.force_login(manager)
        data = {
            "kind": value,
            "new_deadline": value,
            "new_rate": value,
            "recall_due_on": value,
            "reason": value,
        }
        assert client.post(reverse("monitoring:decide", args=[round_.pk]), data).status_code == 200
        query = {"status": value, "flag": value, "late": value}
        assert client.get(reverse("monitoring:queue"), query).status_code == 200
    assert Round.objects.get(pk=round_.pk).status == "pending"
    assert round_.employees.count() == 0


def test_someone_else_s_round_looks_like_a_missing_one(client):
    loan = repaying_loan()
    round_ = first_round(loan)
    other = verified_business().owner
    client.force_login(other)
    assert client.get(reverse("monitoring:round_detail", args=[round_.pk])).status_code == 404
    response = client.post(reverse("monitoring:workshop_add", args=[round_.pk]), {"code": WORKSHOP})
    assert response.status_code == 404
    client.force_login(make_staff("TVTO", "manager"))
    assert client.get(reverse("monitoring:round_detail", args=[round_.pk])).status_code == 404
    assert client.get(reverse("monitoring:queue")).status_code == 403
    assert client.get(reverse("monitoring:import_list")).status_code == 403


def test_mcls_sees_the_shortfall_in_its_queue_and_records_a_warning_the_applicant_then_sees(client):
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),))
    round_ = report(first_round(loan), [person(1), person(2)], workshop=WORKSHOP)
    import_list([(person(1), WORKSHOP, "1404/07", 30)])
    manager = make_staff("MCLS", "manager")
    client.force_login(manager)

    with time_machine.travel(noon(datetime.date(2025, 11, 1))):
        queue = client.get(reverse("monitoring:queue"), {"flag": "shortfall"})
        assert [(r.pk, r.status, r.promised, r.verified) for r in queue.context["page"].object_list] == [
            (round_.pk, "shortfall", 2, 1)
        ]
        page = client.get(reverse("monitoring:round_detail", args=[round_.pk]))
        assert page.context["decision_form"] is not None
        response = client.post(
            reverse("monitoring:decide", args=[round_.pk]),
            {
                "kind": "warning",
                "new_deadline": "1404/10/20",
                "reason": "یک شغل خالی است",
                "expected_status": "shortfall",
            },
        )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.kind, decision.new_deadline) == ("warning", datetime.date(2026, 1, 10))

    client.force_login(loan.applicant)
    with time_machine.travel(noon(datetime.date(2025, 11, 2))):
        dashboard = client.get(reverse("measurement:applicant_dashboard"))
        assert [d.pk for d in dashboard.context["decisions"]] == [decision.pk]
        page = client.get(reverse("monitoring:round_detail", args=[round_.pk]))
    assert "decision-deadline" in page.content.decode()


def test_an_officer_cannot_decide_and_nothing_changes(client):
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),))
    round_ = report(first_round(loan), [person(1), person(2)], workshop=WORKSHOP)
    import_list([(person(1), WORKSHOP, "1404/07", 30)])
    client.force_login(make_staff("MCLS", "officer"))
    page = client.get(reverse("monitoring:round_detail", args=[round_.pk]))
    assert page.context["decision_form"] is None
    response = client.post(
        reverse("monitoring:decide", args=[round_.pk]),
        {"kind": "recall", "recall_due_on": "1404/09/01", "reason": "x"},
    )
    assert response.status_code == 403
    assert (Round.objects.get(pk=round_.pk).status, Decision.objects.count()) == ("shortfall", 0)


QUEUE_QUERIES = 11  # with the header bell's unread count


@pytest.mark.parametrize("months", ["1,2", "1,2,3,4,5,6"])
def test_the_queue_runs_a_fixed_number_of_queries(client, django_assert_num_queries, months):
    loans = [repaying_loan(monitoring_months=months), repaying_loan(monitoring_months=months)]
    with time_machine.travel(noon(datetime.date(2026, 1, 1))):
        rounds.rounds_mark_missed()
    client.force_login(make_staff("MCLS", "reviewer"))
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("monitoring:queue"))
    assert len(response.context["page"].object_list) == 2 * len(months.split(","))
    assert {row.loan_id for row in response.context["page"].object_list} == {loan.pk for loan in loans}


def test_the_import_page_checks_a_file_and_names_the_bad_row(client):
    client.force_login(make_staff("MCLS", "officer", language="en"))
    rows = [(person(1), WORKSHOP, "1404/07", 30), ("12", WORKSHOP, "1404/07", 30)]
    with time_machine.travel(AFTER_MEHR):
        response = client.post(
            reverse("monitoring:import_list"),
            {"action": "dry_run", "file": csv_file(rows)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert response.context["report"].errors[0]["row"] == 3
    assert 'data-row="3"' in response.content.decode()
    assert InsuranceImport.objects.count() == 0


def test_the_import_page_queues_the_job_and_shows_it(client, django_capture_on_commit_callbacks):
    client.force_login(make_staff("MCLS", "officer"))
    with time_machine.travel(AFTER_MEHR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:import_list"),
            {"action": "import", "file": csv_file([(person(1), WORKSHOP, "1404/07", 30)])},
        )
    job = InsuranceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:import_detail", args=[job.pk])
    assert (job.status, job.lists_count) == ("succeeded", 1)
    assert client.get(response["Location"]).status_code == 200


def test_the_round_page_reads_in_english_with_latin_digits(client):
    loan = repaying_loan()
    round_ = first_round(loan)
    applicant = loan.applicant
    applicant.language = "en"
    applicant.save()
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("monitoring:round_detail", args=[round_.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'lang="en"' in text
    assert "Monitoring round 1: the month 1404/07" in text
