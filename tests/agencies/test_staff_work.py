"""Every count on a staff dashboard is work that person can do, and its link lists exactly that work.

"Work" is read from the pages themselves: an application or a registration counts for someone when its page
offers them an action (a button, the contract, disbursement or payment form, the assessment checklist).
Regression for the DOE officer's dashboard, which said loan applications awaited their action although only
DOE reviewers can act on them.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import StaffRole
from greenjobs.text import fold_digits
from incentives.models import LoanApplication
from incentives.services import applications as loan_services
from incentives.services import repayments
from programs.models import Business
from tests.factories import loan_at, loan_draft, make_staff, registration_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

ROLES = [
    ("DOE", StaffRole.OFFICER),
    ("DOE", StaffRole.REVIEWER),
    ("DOE", StaffRole.MANAGER),
    ("MCLS", StaffRole.OFFICER),
    ("MCLS", StaffRole.REVIEWER),
    ("MCLS", StaffRole.MANAGER),
    ("TVTO", StaffRole.OFFICER),
]

# What each role can act on in the world below: (registrations, loan applications).
EXPECTED = {
    # Two submitted registrations to start assessing and the checklist this officer is filling.
    ("DOE", StaffRole.OFFICER): ({"submitted_1", "submitted_2", "assessing_mine"}, set()),
    # Both registrations under assessment; the loans submitted and in environmental review.
    ("DOE", StaffRole.REVIEWER): ({"assessing_mine", "assessing_ready"}, {"submitted", "environmental"}),
    ("DOE", StaffRole.MANAGER): (set(), set()),
    # Contract, tranches and payments.
    ("MCLS", StaffRole.OFFICER): (set(), {"approved", "contracted", "part_paid", "repaying"}),
    ("MCLS", StaffRole.REVIEWER): (set(), {"credit"}),
    # The decision, and the money desk as the officers.
    ("MCLS", StaffRole.MANAGER): (set(), {"decision", "approved", "contracted", "part_paid", "repaying"}),
    ("TVTO", StaffRole.OFFICER): (set(), set()),
}


@pytest.fixture
def world():
    """Staff of every role, and registrations and loans in every stage where someone has work."""
    staff = {role: make_staff(*role) for role in ROLES}
    doe_officer = staff[("DOE", StaffRole.OFFICER)]
    businesses = {
        "submitted_1": registration_in("submitted"),
        "submitted_2": registration_in("submitted"),
        "assessing_mine": registration_in("under_assessment", officer=doe_officer),
        "assessing_ready": registration_in("under_assessment", checklist_ready=True),
        "verified": registration_in("verified"),
        "rejected": registration_in("rejected"),
    }
    today = timezone.localdate()
    loans = {
        "draft": loan_draft(),
        "submitted": loan_at("submitted"),
        "environmental": loan_at("environmental_review"),
        "credit": loan_at("credit_review"),
        "decision": loan_at("decision"),
        "approved": loan_at("approved"),
    }
    returned = loan_at("environmental_review")
    loan_services.application_transition(
        application_id=returned.pk, actor=make_staff("DOE", "reviewer"), name="environment_return",
        reason="برنامهٔ پسماند را کامل کنید",
    )  # fmt: skip
    loans["returned"] = returned
    money_desk = make_staff("MCLS", "officer")
    for name, paid in (("contracted", 0), ("part_paid", 400_000_000), ("repaying", 1_000_000_000)):
        loan = loan_at("approved", amount=1_000_000_000)
        loan_services.application_transition(
            application_id=loan.pk, actor=money_desk, name="contract", contract_number=f"QOM-{name}",
            contracted_on=today,
        )  # fmt: skip
        if paid:
            repayments.disbursement_record(
                application_id=loan.pk, actor=money_desk, amount=paid, paid_on=today,
                request_key=f"tranche-of-{name}-loan",
            )  # fmt: skip
        loans[name] = loan
    stages = dict(LoanApplication.objects.values_list("pk", "stage"))
    assert [stages[loans[name].pk] for name in ("contracted", "part_paid", "repaying")] == [
        "contracted", "disbursed", "repaying",
    ]  # fmt: skip
    return {
        "staff": staff,
        "businesses": {name: business.pk for name, business in businesses.items()},
        "loans": {name: loan.pk for name, loan in loans.items()},
    }


def offers_work(html: str) -> bool:
    return 'data-testid="action-' in html or 'data-testid="item-form"' in html


def work_on_pages(client, url_name, pks) -> set[int]:
    """The objects whose page offers the signed-in person an action."""
    found = set()
    for pk in pks:
        response = client.get(reverse(url_name, args=[pk]))
        assert response.status_code in (200, 404)
        if response.status_code == 200 and offers_work(response.content.decode()):
            found.add(pk)
    return found


def shown_count(html: str, testid: str) -> int | None:
    """The number a dashboard line shows (0 for "nothing waits"), or None when there is no such line."""
    match = re.search(rf'data-testid="{testid}">(.*?)</p>', html, re.S)
    if match is None:
        return None
    number = re.search(r"\d+", fold_digits(match[1]))
    return int(number[0]) if number else 0


def linked_queue(client, html: str, testid: str) -> str | None:
    match = re.search(rf'href="([^"]+)" data-testid="{testid}"', html)
    if match is None:
        return None
    response = client.get(match[1].replace("&amp;", "&"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: f"{role[0]}-{role[1]}")
def test_each_dashboard_count_is_the_work_its_pages_offer_and_links_to_exactly_it(client, world, role):
    user = world["staff"][role]
    client.force_login(user)
    names_of = {
        "business": {pk: name for name, pk in world["businesses"].items()},
        "loan": {pk: name for name, pk in world["loans"].items()},
    }

    # given: the work each page offers this person
    registrations = work_on_pages(
        client, "programs:business_detail", Business.objects.values_list("pk", flat=True)
    )
    loans = work_on_pages(
        client, "incentives:application_detail", LoanApplication.objects.values_list("pk", flat=True)
    )
    expected_registrations, expected_loans = EXPECTED[role]
    assert {names_of["business"].get(pk, pk) for pk in registrations} == expected_registrations
    assert {names_of["loan"].get(pk, pk) for pk in loans} == expected_loans

    # when: the dashboard
    dashboard = client.get(reverse("measurement:staff_dashboard")).content.decode()

    # then: its counts are exactly that work, and each link lists exactly it
    agency = role[0]
    if agency == "DOE":
        assert shown_count(dashboard, "registry-work") == len(registrations)
    else:
        assert shown_count(dashboard, "registry-work") is None
        # Other agencies act on no registration: their summary counts nothing.
        summary = dashboard.split('data-testid="registry-summary"')[1].split("</section>")[0]
        assert re.search(r"\d", fold_digits(re.sub(r"<[^>]+>", "", summary))) is None
    if agency in ("DOE", "MCLS"):
        assert shown_count(dashboard, "loan-work") == len(loans)
    else:
        assert shown_count(dashboard, "loan-work") is None and not loans

    # The team is named, not counted.
    team = dashboard.split('data-testid="team">')[1].split("</dl>")[0]
    assert re.search(r"\d", fold_digits(re.sub(r"<[^>]+>", "", team))) is None
    assert escape(user.get_full_name()) in team

    registry_queue = linked_queue(client, dashboard, "registry-work-link")
    if registrations:
        listed = {
            int(pk)
            for pk in re.findall(
                r'data-testid="queue-row">\s*<td><a href="/programs/businesses/(\d+)/"', registry_queue
            )
        }
        assert listed == registrations
    else:
        assert registry_queue is None
    loan_queue = linked_queue(client, dashboard, "loan-work-link")
    if loans:
        listed = {int(pk) for pk in re.findall(r'data-testid="queue-row" data-pk="(\d+)"', loan_queue)}
        assert listed == loans
    else:
        assert loan_queue is None


def test_the_doe_officer_is_not_told_that_loans_wait_for_them(client, world):
    client.force_login(world["staff"][("DOE", StaffRole.OFFICER)])

    dashboard = client.get(reverse("measurement:staff_dashboard")).content.decode()
    queue = client.get(reverse("incentives:queue"), {"ready": "1"}).content.decode()

    assert shown_count(dashboard, "loan-work") == 0
    assert "هیچ درخواست تسهیلاتی در انتظار اقدام شما نیست." in dashboard
    # The queue itself is still there to follow the loans, and its "ready" filter lists none.
    assert reverse("incentives:queue") in dashboard
    assert 'data-testid="queue-row"' not in queue
    # The queue says whose action these are instead of "waiting for you".
    following = client.get(reverse("incentives:queue")).content.decode()
    assert 'data-testid="follow-only"' in following
    assert "درخواست‌های تسهیلات در انتظار اقدام شما" not in following
    assert following.count('data-testid="queue-row"') == 2  # submitted and in environmental review
    client.force_login(world["staff"][("DOE", StaffRole.REVIEWER)])
    deciding = client.get(reverse("incentives:queue")).content.decode()
    assert 'data-testid="follow-only"' not in deciding
    assert "درخواست‌های تسهیلات در انتظار اقدام شما" in deciding


def test_the_ready_filter_keeps_the_other_filters(client, world):
    reviewer = world["staff"][("DOE", StaffRole.REVIEWER)]
    client.force_login(reviewer)

    only_environmental = client.get(
        reverse("incentives:queue"), {"ready": "on", "stage": "environmental_review"}
    ).content.decode()
    only_ready_checklist = client.get(
        reverse("programs:assessment_queue"), {"ready": "on", "status": "under_assessment"}
    ).content.decode()

    assert re.findall(r'data-testid="queue-row" data-pk="(\d+)"', only_environmental) == [
        str(world["loans"]["environmental"])
    ]
    listed = re.findall(
        r'data-testid="queue-row">\s*<td><a href="/programs/businesses/(\d+)/"', only_ready_checklist
    )
    assert sorted(map(int, listed)) == sorted(
        [world["businesses"]["assessing_mine"], world["businesses"]["assessing_ready"]]
    )
    assert 'data-testid="ready-filter"' in only_ready_checklist

    # The API offers the same filter, with the same rule.
    def api_ids(url):
        body = client.get(url, {"ready": "true"}).json()
        return sorted(row["id"] for row in (body["results"] if isinstance(body, dict) else body))

    assert api_ids("/api/v1/loan-applications/") == sorted(
        [world["loans"]["submitted"], world["loans"]["environmental"]]
    )
    assert api_ids("/api/v1/businesses/") == sorted(map(int, listed))
    # The registry other agencies read has nothing to act on, so no such filter.
    registry = client.get(reverse("programs:registry")).content.decode()
    assert 'data-testid="ready-filter"' not in registry


def test_staff_read_the_applicant_history_in_neutral_words_and_the_applicant_in_theirs(client, world):
    pk = world["loans"]["environmental"]
    application = LoanApplication.objects.get(pk=pk)

    client.force_login(world["staff"][("DOE", StaffRole.REVIEWER)])
    staff_fa = client.get(reverse("incentives:application_detail", args=[pk])).content.decode()
    staff_api = client.get(f"/api/v1/loan-applications/{pk}/events/").json()
    client.force_login(application.applicant)
    owner_fa = client.get(reverse("incentives:application_detail", args=[pk])).content.decode()
    owner_api = client.get(f"/api/v1/loan-applications/{pk}/events/").json()

    assert "متقاضی درخواست را ارسال کرد" in staff_fa
    assert "شما درخواست را ارسال کردید" not in staff_fa
    assert "شما درخواست را ارسال کردید" in owner_fa
    assert "متقاضی درخواست را ارسال کرد" not in owner_fa
    submitted = [event for event in staff_api if event["action"] == "submit"]
    assert [event["description"] for event in submitted] == ["متقاضی درخواست را ارسال کرد"]
    assert [event["description"] for event in owner_api if event["action"] == "submit"] == [
        "شما درخواست را ارسال کردید"
    ]
