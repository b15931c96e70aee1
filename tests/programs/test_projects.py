"""G6 projects: bids, the published priority ranking, the award (once, with a reason), the G6 indicators."""

import datetime
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency
from greenjobs.exceptions import ConflictError, DomainError
from measurement import indicators
from programs import demo_initiatives
from programs.models import Bid, Initiative, Milestone, Project, ProjectEvent
from programs.ranking import formula_text, normalised_weights, ranking
from programs.services import initiatives as services
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff

TEHRAN = ZoneInfo("Asia/Tehran")
TODAY = datetime.date(2025, 6, 10)
CLOSES = datetime.date(2025, 6, 1)

db = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 10, 11, 0, tzinfo=TEHRAN), tick=False)
    return TODAY


# --- the ranking: a pure function --------------------------------------------------------------------------


def unsaved_project(weights=(40, 40, 20), closes=CLOSES):
    return Project(
        title_fa="پروژه",
        weight_price=weights[0],
        weight_technical=weights[1],
        weight_knowledge_based=weights[2],
        bids_close_on=closes,
    )


def unsaved_bid(pk, bidder, amount, technical, kb_as_of=None, submitted=datetime.date(2025, 5, 20)):
    return Bid(
        pk=pk,
        bidder=bidder,
        amount=amount,
        technical_score=Decimal(technical),
        is_knowledge_based=kb_as_of is not None,
        knowledge_based_as_of=kb_as_of,
        submitted_on=submitted,
    )


KNOWN_BIDS = [
    # A knowledge-based firm, confirmed before bids closed.
    ("A", 1_000_000_000, "80", datetime.date(2025, 5, 1)),
    # The lowest bid, not knowledge-based.
    ("B", 800_000_000, "70", None),
    # Knowledge-based, but confirmed the day after bids closed: it does not count.
    ("C", 1_200_000_000, "95", datetime.date(2025, 6, 2)),
    # Confirmed on the closing day itself: it counts.
    ("D", 900_000_000, "60", datetime.date(2025, 6, 1)),
]


def test_the_ranking_gives_each_part_and_the_score_exactly():
    bids = [unsaved_bid(i, *row) for i, row in enumerate(KNOWN_BIDS, start=1)]

    rows = ranking(unsaved_project(), bids)

    def parts(price, technical, kb):
        return {"price": Decimal(price), "technical": Decimal(technical), "knowledge_based": Decimal(kb)}

    table = [(r["rank"], r["bid"].bidder, r["parts"], r["score"], r["knowledge_based_counts"]) for r in rows]
    assert table == [
        (1, "A", parts("32.00", "32.00", "20.00"), Decimal("84.00"), True),
        (2, "D", parts("35.56", "24.00", "20.00"), Decimal("79.56"), True),
        (3, "B", parts("40.00", "28.00", "0.00"), Decimal("68.00"), False),
        (4, "C", parts("26.67", "38.00", "0.00"), Decimal("64.67"), False),
    ]


def test_weights_are_scaled_to_add_up_to_100():
    project = unsaved_project(weights=(3, 1, 1))
    bids = [
        unsaved_bid(1, "X", 100, "50", datetime.date(2025, 1, 1)),
        unsaved_bid(2, "Y", 300, "100"),
    ]

    rows = ranking(project, bids)

    assert normalised_weights(project) == {
        "price": Decimal(60), "technical": Decimal(20), "knowledge_based": Decimal(20),
    }  # fmt: skip
    assert [(r["bid"].bidder, r["parts"]["price"], r["parts"]["technical"], r["parts"]["knowledge_based"],
             r["score"]) for r in rows] == [
        ("X", Decimal("60.00"), Decimal("10.00"), Decimal("20.00"), Decimal("90.00")),
        ("Y", Decimal("20.00"), Decimal("20.00"), Decimal("0.00"), Decimal("40.00")),
    ]  # fmt: skip


def test_the_score_is_the_sum_of_the_rounded_parts_shown():
    # Equal weights are 33.333… each: the parts are rounded, and the score adds up what the page shows.
    rows = ranking(unsaved_project(weights=(1, 1, 1)), [unsaved_bid(1, "X", 100, "50", CLOSES)])

    assert rows[0]["parts"] == {
        "price": Decimal("33.33"), "technical": Decimal("16.67"), "knowledge_based": Decimal("33.33"),
    }  # fmt: skip
    assert rows[0]["score"] == Decimal("83.33")


def test_equal_scores_go_to_the_lower_bid_then_the_earlier_one():
    project = unsaved_project(weights=(0, 100, 0))
    bids = [
        unsaved_bid(1, "late", 500, "80", submitted=datetime.date(2025, 5, 30)),
        unsaved_bid(2, "dear", 900, "80"),
        unsaved_bid(3, "early", 500, "80", submitted=datetime.date(2025, 5, 2)),
    ]

    assert [r["bid"].bidder for r in ranking(project, bids)] == ["early", "late", "dear"]


def test_no_bids_no_ranking():
    assert ranking(unsaved_project(), []) == []


def test_the_formula_is_spelled_out_with_the_projects_weights():
    project = unsaved_project(weights=(3, 1, 1))

    with translation.override("en"):
        english = formula_text(project)
    with translation.override("fa"):
        persian = formula_text(project)

    assert english.startswith(
        "Score = 60 × (lowest bid ÷ this bid) + 20 × (technical score ÷ 100) + 20 × (1 if the bidder was "
        "knowledge-based on or before the bids' closing date, 2025-06-01, otherwise 0)."
    )
    assert "۶۰" in persian
    assert "۱۴۰۴/۰۳/۱۱" in persian  # 1 June 2025


# --- projects and bids through the services ----------------------------------------------------------------


def make_project(lead="DOE", *, actor=None, closes=CLOSES, weights=(40, 40, 20), **data):
    fields = {
        "title_fa": "نیروگاه خورشیدی تصفیه‌خانه",
        "title_en": "Solar plant",
        "lead_agency": Agency.objects.get(code=lead),
        "estimated_value": 5_000_000_000,
        "bids_close_on": closes,
        "weight_price": weights[0],
        "weight_technical": weights[1],
        "weight_knowledge_based": weights[2],
    }
    fields.update(data)
    return services.project_create(actor=actor or ProgrammeManagerFactory(), data=fields)


def add_bid(project, bidder, amount, technical="80", kb_as_of=None, *, actor=None, submitted=None):
    return services.bid_add(
        project_id=project.pk,
        actor=actor or ProgrammeManagerFactory(),
        data={
            "bidder": bidder,
            "amount": amount,
            "technical_score": Decimal(technical),
            "is_knowledge_based": kb_as_of is not None,
            "knowledge_based_as_of": kb_as_of,
            "submitted_on": submitted or (project.bids_close_on - datetime.timedelta(days=3)),
        },
    )


def project_state(project):
    fresh = Project.objects.get(pk=project.pk)
    return {
        "status": fresh.status,
        "awarded_bid": fresh.awarded_bid_id,
        "award_reason": fresh.award_reason,
        "awarded_on": fresh.awarded_on,
        "awarded_by": fresh.awarded_by_id,
        "weights": (fresh.weight_price, fresh.weight_technical, fresh.weight_knowledge_based),
        "bids": sorted(fresh.bids.values_list("bidder", "amount")),
    }


@pytest.fixture
def tender(agencies, today):
    """A DOE project whose bids closed on 1 June 2025, with the four known bids; seen on 10 June."""
    project = make_project("DOE")
    bids = {
        bidder: add_bid(project, bidder, amount, technical, kb)
        for bidder, amount, technical, kb in KNOWN_BIDS
    }
    return project, bids


@db
def test_the_project_page_shows_the_ranking_and_the_formula(tender, client):
    project, _bids = tender
    client.cookies["django_language"] = "en"
    client.force_login(make_staff("TVTO", "officer"))

    response = client.get(reverse("programs:project_detail", args=[project.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert [row["bid"].bidder for row in response.context["rows"]] == ["A", "D", "B", "C"]
    assert "Score = 40 × (lowest bid ÷ this bid) + 40 × (technical score ÷ 100) + 20 × (1 if" in html
    assert [html.count(f'data-testid="{name}"') for name in ("part-price", "part-technical", "part-kb")] == [
        4
    ] * 3
    assert '<td class="text-end fw-bold" data-testid="score">84</td>' in html
    assert '<td class="text-end fw-bold" data-testid="score">79.56</td>' in html
    assert "Knowledge-based, too late to count" in html  # C
    # A TVTO officer reads; only DOE's managers and the steering committee act.
    assert 'data-testid="award-project"' not in html
    assert 'data-testid="add-bid"' not in html


@db
def test_a_knowledge_based_bid_needs_the_date_of_its_status(agencies, today):
    project = make_project()

    with pytest.raises(ValidationError) as caught:
        services.bid_add(
            project_id=project.pk,
            actor=ProgrammeManagerFactory(),
            data={"bidder": "X", "amount": 10, "technical_score": Decimal(50), "is_knowledge_based": True,
                  "submitted_on": CLOSES},
        )  # fmt: skip

    assert list(caught.value.message_dict) == ["knowledge_based_as_of"]
    assert project.bids.count() == 0


@db
def test_a_bid_submitted_after_the_closing_date_is_refused(agencies, today):
    project = make_project()

    with pytest.raises(ValidationError) as caught:
        add_bid(project, "دیرکرد", 100, submitted=CLOSES + datetime.timedelta(days=1))

    assert list(caught.value.message_dict) == ["submitted_on"]
    assert project.bids.count() == 0


@db
def test_an_awarded_project_refuses_bids(tender):
    project, bids = tender
    services.project_award(
        project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bids["A"].pk, reason="x"
    )
    before = project_state(project)

    with pytest.raises(ConflictError) as caught:
        add_bid(project, "دیر", 100, submitted=CLOSES)

    assert caught.value.code == "already_awarded"
    assert project_state(project) == before


@db
def test_a_cancelled_project_refuses_bids_and_awards(tender):
    project, bids = tender
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CANCELLED)
    before = project_state(project)

    with pytest.raises(ConflictError) as bid:
        add_bid(project, "دیر", 100, submitted=CLOSES)
    with pytest.raises(ConflictError) as award:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bids["A"].pk, reason="x"
        )

    assert (bid.value.code, award.value.code) == ("closed", "closed")
    assert project_state(project) == before


@db
def test_a_project_needs_a_weight_above_zero(agencies):
    with pytest.raises(ValidationError) as caught:
        make_project(weights=(0, 0, 0))
    assert list(caught.value.message_dict) == ["weight_price"]
    assert Project.objects.count() == 0


# --- the award ---------------------------------------------------------------------------------------------


@db
def test_the_award_is_recorded_with_its_reason(tender):
    project, bids = tender
    manager = make_staff("DOE", "manager")

    services.project_award(
        project_id=project.pk, actor=manager, bid_id=bids["A"].pk, reason="  بالاترین امتیاز  "
    )

    assert project_state(project) | {"bids": None} == {
        "status": "awarded", "awarded_bid": bids["A"].pk, "award_reason": "بالاترین امتیاز",
        "awarded_on": TODAY, "awarded_by": manager.pk, "weights": (40, 40, 20), "bids": None,
    }  # fmt: skip


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
@db
def test_the_award_needs_a_reason(tender, reason):
    project, bids = tender
    before = project_state(project)

    with pytest.raises(ValidationError) as caught:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bids["B"].pk, reason=reason
        )

    assert list(caught.value.message_dict) == ["reason"]
    assert project_state(project) == before


@db
def test_the_award_goes_to_one_of_the_projects_own_bids(tender):
    project, _bids = tender
    other = make_project(title_fa="دیگری")
    stranger = add_bid(other, "غریبه", 100)
    before = project_state(project)

    with pytest.raises(ValidationError) as caught:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=stranger.pk, reason="x"
        )

    assert list(caught.value.message_dict) == ["bid"]
    assert project_state(project) == before


@db
def test_a_second_award_is_refused_and_the_first_stands(tender):
    project, bids = tender
    first = ProgrammeManagerFactory()
    services.project_award(project_id=project.pk, actor=first, bid_id=bids["A"].pk, reason="بالاترین امتیاز")
    before = project_state(project)

    with pytest.raises(ConflictError) as caught:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bids["B"].pk, reason="ارزان‌ترین"
        )

    assert caught.value.code == "already_awarded"
    assert caught.value.status_code == 409
    assert project_state(project) == before


@db
def test_no_award_while_bids_are_still_taken(agencies, today):
    project = make_project(closes=TODAY)
    bid = add_bid(project, "زودهنگام", 100)
    before = project_state(project)

    with pytest.raises(ValidationError) as caught:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bid.pk, reason="x"
        )

    assert list(caught.value.message_dict) == ["awarded_on"]
    assert project_state(project) == before


@db
def test_the_tvto_manager_cannot_bid_or_award_on_a_doe_project(tender, client):
    project, bids = tender
    before = project_state(project)
    tvto_manager = make_staff("TVTO", "manager")

    with pytest.raises(DomainError) as award:
        services.project_award(project_id=project.pk, actor=tvto_manager, bid_id=bids["A"].pk, reason="x")
    with pytest.raises(DomainError) as bid:
        add_bid(project, "x", 100, actor=tvto_manager)
    client.force_login(tvto_manager)
    pages = [
        client.post(reverse("programs:project_award", args=[project.pk]), {"bid": bids["A"].pk, "reason": "x",
                                                                           "awarded_on": "1404/03/20"}),
        client.get(reverse("programs:bid_add", args=[project.pk])),
    ]  # fmt: skip

    assert (award.value.code, bid.value.code) == ("forbidden", "forbidden")
    assert [p.status_code for p in pages] == [403, 403]
    assert project_state(project) == before


@db
def test_the_lead_agencys_manager_cancels_an_open_project_with_a_reason(tender):
    project, _bids = tender
    manager = make_staff("DOE", "manager")

    services.project_cancel(project_id=project.pk, actor=manager, reason="  بودجه حذف شد.  ")

    assert project_state(project)["status"] == "cancelled"
    assert list(ProjectEvent.objects.filter(project=project).values_list(
        "action", "from_status", "to_status", "actor", "reason")) == [
        ("cancel", "open", "cancelled", manager.pk, "بودجه حذف شد.")
    ]  # fmt: skip
    with pytest.raises(ConflictError) as award:
        services.project_award(
            project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=_bids["A"].pk, reason="x"
        )
    assert award.value.code == "closed"


@db
@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [
        ("doe_manager", "", "reason_required"),
        ("tvto_manager", "x", "forbidden"),
        ("doe_officer", "x", "forbidden"),
    ],
)
def test_a_cancellation_without_a_reason_or_by_someone_else_is_refused(tender, who, reason, code):
    project, _bids = tender
    agency, role = who.split("_")
    before = project_state(project)

    with pytest.raises(DomainError) as refused:
        services.project_cancel(project_id=project.pk, actor=make_staff(agency.upper(), role), reason=reason)

    assert refused.value.code == code
    assert project_state(project) == before
    assert not ProjectEvent.objects.filter(project=project).exists()


@db
def test_an_awarded_project_cannot_be_cancelled(tender):
    project, bids = tender
    services.project_award(
        project_id=project.pk, actor=ProgrammeManagerFactory(), bid_id=bids["A"].pk, reason="x"
    )
    before = project_state(project)

    with pytest.raises(ConflictError) as caught:
        services.project_cancel(project_id=project.pk, actor=make_staff("DOE", "manager"), reason="دیر")

    assert caught.value.code == "already_awarded"
    assert project_state(project) == before


@db
def test_cancelling_from_the_project_page(tender, client):
    project, _bids = tender
    client.force_login(make_staff("DOE", "manager"))
    detail = reverse("programs:project_detail", args=[project.pk])
    url = reverse("programs:project_cancel", args=[project.pk])

    button = 'data-testid="cancel-project"' in client.get(detail).content.decode()
    missing_reason = client.post(url, {"reason": "", "expected_status": "open"})
    done = client.post(url, {"reason": "اعتبار طرح حذف شد.", "expected_status": "open"})
    page = client.get(detail).content.decode()

    assert button
    assert list(missing_reason.context["form"].errors) == ["reason"]
    assert done.status_code == 302
    assert project_state(project)["status"] == "cancelled"
    assert "اعتبار طرح حذف شد." in page
    assert 'data-testid="cancel-project"' not in page


@db
def test_the_cancel_page_of_a_project_no_longer_open_offers_no_form(tender, client):
    project, _bids = tender
    manager = make_staff("DOE", "manager")
    services.project_cancel(project_id=project.pk, actor=manager, reason="بودجه حذف شد.")
    client.force_login(manager)
    url = reverse("programs:project_cancel", args=[project.pk])

    page = client.get(url).content.decode()
    again = client.post(url, {"reason": "دوباره", "expected_status": "open"})

    assert 'data-testid="project-closed"' in page
    assert 'data-testid="cancel-form"' not in page
    assert again.status_code == 200
    assert 'data-testid="project-closed"' in again.content.decode()
    assert ProjectEvent.objects.filter(project=project, action="cancel").count() == 1


@db
def test_other_agencies_see_no_cancel_button_and_get_403(tender, client):
    project, _bids = tender
    client.force_login(make_staff("TVTO", "manager"))

    page = client.get(reverse("programs:project_detail", args=[project.pk])).content.decode()
    response = client.post(reverse("programs:project_cancel", args=[project.pk]), {"reason": "x"})

    assert 'data-testid="cancel-project"' not in page
    assert response.status_code == 403
    assert project_state(project)["status"] == "open"


@db
def test_awarding_from_the_page_preselects_the_top_bid_and_records_a_different_choice(tender, client):
    project, bids = tender
    manager = make_staff("DOE", "manager")
    client.force_login(manager)
    url = reverse("programs:project_award", args=[project.pk])

    form = client.get(url).context["form"]
    missing_reason = client.post(url, {"bid": bids["B"].pk, "reason": "", "awarded_on": "1404/03/20"})
    done = client.post(
        url,
        {
            "bid": bids["B"].pk,
            "reason": "نفر اول انصراف داد؛ دومی ضمانت‌نامه نداشت.",
            "awarded_on": "۱۴۰۴/۰۳/۱۵",
        },
    )

    assert form.initial["bid"] == bids["A"].pk
    assert missing_reason.status_code == 200
    assert list(missing_reason.context["form"].errors) == ["reason"]
    assert done.status_code == 302
    assert project_state(project)["awarded_bid"] == bids["B"].pk
    assert project_state(project)["awarded_on"] == datetime.date(2025, 6, 5)
    page = client.get(reverse("programs:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="not-top"' in page
    assert (
        client.post(url, {"bid": bids["A"].pk, "reason": "x", "awarded_on": "1404/03/20"}).status_code == 200
    )
    assert project_state(project)["awarded_bid"] == bids["B"].pk


@db
def test_recording_a_bid_from_the_page(agencies, today, client):
    project = make_project(closes=TODAY)
    client.force_login(make_staff("DOE", "manager"))

    response = client.post(
        reverse("programs:bid_add", args=[project.pk]),
        {"bidder": "فناوران سبز", "national_business_id": "۱۰۸۶۱۰۰۰۰۱۱", "amount": "۱۲٬۰۰۰٬۰۰۰",
         "technical_score": "۸۷٫۵", "is_knowledge_based": "on", "knowledge_based_as_of": "1404/02/01",
         "submitted_on": "1404/03/19"},
    )  # fmt: skip

    assert response.status_code == 302
    bid = project.bids.get()
    assert (bid.bidder, bid.national_business_id, bid.amount, bid.technical_score, bid.is_knowledge_based,
            bid.knowledge_based_as_of, bid.submitted_on) == (
        "فناوران سبز", "10861000011", 12_000_000, Decimal("87.50"), True, datetime.date(2025, 4, 21),
        datetime.date(2025, 6, 9),
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_awards_leave_exactly_one_and_the_other_is_told(agencies):
    closed = timezone.localdate() - datetime.timedelta(days=10)
    project = make_project(closes=closed)
    bids = [add_bid(project, "الف", 100), add_bid(project, "ب", 200)]
    managers = [make_staff("DOE", "manager"), ProgrammeManagerFactory()]
    start = threading.Barrier(2)
    outcomes = []

    def award(manager, bid):
        try:
            start.wait()
            services.project_award(project_id=project.pk, actor=manager, bid_id=bid.pk, reason="رتبه اول")
            outcomes.append(("won", bid.pk))
        except DomainError as exc:
            outcomes.append(("told", exc.code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=pair) for pair in zip(managers, bids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [bid_id for result, bid_id in outcomes if result == "won"]
    assert len(winners) == 1
    assert [code for result, code in outcomes if result == "told"] == ["already_awarded"]
    project.refresh_from_db()
    assert (project.status, project.awarded_bid_id) == ("awarded", winners[0])


# --- the G6 indicators -------------------------------------------------------------------------------------


@db
def test_the_knowledge_based_shares_after_three_awards(agencies, today):
    manager = ProgrammeManagerFactory()
    awards = [
        # (winner knowledge-based?, amount, awarded on)
        (True, 1_000_000_000, datetime.date(2025, 6, 5)),
        (False, 3_000_000_000, datetime.date(2025, 6, 6)),
        (True, 2_000_000_000, datetime.date(2025, 6, 7)),
    ]
    for index, (kb, amount, day) in enumerate(awards):
        project = make_project(title_fa=f"پروژه {index}")
        winner = add_bid(project, "برنده", amount, kb_as_of=datetime.date(2025, 1, 1) if kb else None)
        add_bid(project, "بازنده", amount * 2)
        services.project_award(
            project_id=project.pk, actor=manager, bid_id=winner.pk, reason="x", awarded_on=day
        )
    make_project(title_fa="هنوز باز")  # open projects do not count

    june = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
    first_two = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 6))
    assert indicators.projects_awarded(*june) == Decimal(3)
    assert indicators.kb_share_count(*june) == Decimal("66.67")
    assert indicators.kb_share_value(*june) == Decimal("50.00")
    assert indicators.kb_share_count(*first_two) == Decimal("50.00")
    assert indicators.kb_share_value(*first_two) == Decimal("25.00")
    assert indicators.kb_share_count(datetime.date(2025, 7, 1), datetime.date(2025, 7, 31)) == Decimal(0)


# --- reading: who may, and at what cost --------------------------------------------------------------------


@db
def test_applicants_get_403_and_visitors_sign_in_on_project_pages(tender, client):
    project, _bids = tender
    urls = [
        reverse("programs:project_list"),
        reverse("programs:project_detail", args=[project.pk]),
        reverse("programs:project_create"),
        reverse("programs:bid_add", args=[project.pk]),
        reverse("programs:project_award", args=[project.pk]),
    ]

    anonymous = [client.get(url) for url in urls]
    client.force_login(ApplicantFactory())
    applicant = [client.get(url).status_code for url in urls]

    assert all(
        r.status_code == 302 and r["Location"].startswith(reverse("accounts:login")) for r in anonymous
    )
    assert applicant == [403] * 5


@pytest.mark.parametrize("who", [("DOE", "officer"), ("MCLS", "reviewer"), ("TVTO", "manager"), "pm"])
@db
def test_every_agencys_staff_and_the_committee_read_projects(tender, client, who):
    project, _bids = tender
    client.force_login(ProgrammeManagerFactory() if who == "pm" else make_staff(*who))

    listing = client.get(reverse("programs:project_list"))
    detail = client.get(reverse("programs:project_detail", args=[project.pk]))

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert [p.pk for p in listing.context["page"].object_list] == [project.pk]
    assert bool(detail.context["can_award"]) is (who == "pm")


@db
def test_creating_a_project_from_the_page(agencies, client):
    client.force_login(make_staff("DOE", "manager"))

    response = client.post(
        reverse("programs:project_create"),
        {"title_fa": "بازچرخانی پساب", "estimated_value": "۱۸۰٬۰۰۰٬۰۰۰٬۰۰۰", "bids_close_on": "1405/02/20",
         "weight_price": "۵۰", "weight_technical": "30", "weight_knowledge_based": "20"},
    )  # fmt: skip

    project = Project.objects.get()
    assert response.status_code == 302
    assert (project.lead_agency.code, project.estimated_value, project.bids_close_on, project.status) == (
        "DOE", 180_000_000_000, datetime.date(2026, 5, 10), "open",
    )  # fmt: skip
    assert (project.weight_price, project.weight_technical, project.weight_knowledge_based) == (50, 30, 20)


def _projects_with_bids(count, manager):
    for index in range(count):
        project = make_project(["DOE", "MCLS", "TVTO"][index % 3], title_fa=f"پروژه {index}", actor=manager)
        winner = add_bid(project, "الف", 100, kb_as_of=datetime.date(2025, 1, 1), actor=manager)
        add_bid(project, "ب", 200, actor=manager)
        if index % 2:
            services.project_award(project_id=project.pk, actor=manager, bid_id=winner.pk, reason="x")


@db
def test_the_project_list_runs_a_constant_number_of_queries(
    agencies, today, client, django_assert_num_queries
):
    manager = ProgrammeManagerFactory()
    client.force_login(manager)
    url = reverse("programs:project_list")
    _projects_with_bids(2, manager)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).content.decode().count('data-testid="project-row"') == 2

    _projects_with_bids(9, manager)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="project-row"') == 11


@db
def test_the_project_page_runs_a_constant_number_of_queries(
    agencies, today, client, django_assert_num_queries
):
    manager = ProgrammeManagerFactory()
    client.force_login(manager)
    small_project = make_project(title_fa="کوچک")
    for index in range(2):
        add_bid(small_project, f"شرکت {index}", 100 + index)
    big_project = make_project(title_fa="بزرگ")
    for index in range(8):
        add_bid(big_project, f"شرکت {index}", 100 + index, kb_as_of=datetime.date(2025, 1, 1))

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("programs:project_detail", args=[small_project.pk]))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("programs:project_detail", args=[big_project.pk]))
    assert len(response.context["rows"]) == 8


# --- the demo ----------------------------------------------------------------------------------------------


@db
def test_the_demo_loads_once_with_late_milestones_and_both_kinds_of_award(agencies):
    assert demo_initiatives.load() == 6
    assert demo_initiatives.load() == 0

    assert Initiative.objects.count() == 3
    assert sorted(Initiative.objects.values_list("lead_agency__code", flat=True)) == ["DOE", "MCLS", "TVTO"]
    late = [m for m in Milestone.objects.all() if m.is_late()]
    assert any(m.completed_on for m in late) and any(not m.completed_on for m in late)
    assert any(m.completed_on and not m.is_late() for m in Milestone.objects.all())
    awarded = Project.objects.filter(status="awarded").select_related("awarded_bid").order_by("awarded_on")
    assert [p.awarded_bid.is_knowledge_based for p in awarded] == [True, False]
    assert all(p.bids.count() == 3 for p in awarded)
    assert Project.objects.filter(status="open").get().bids.count() == 2
    # The first was awarded to the top-ranked bid; the second, with its reason, to the runner-up.
    tops = [ranking(p, p.bids.all())[0]["bid"].pk for p in awarded]
    assert [top == p.awarded_bid_id for top, p in zip(tops, awarded, strict=True)] == [True, False]
