import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from accounts.models import Kind
from agencies import seed
from agencies.models import Agency, Goal, Memorandum, Obligation, StaffMembership

User = get_user_model()

pytestmark = pytest.mark.django_db

# As the source document (shared/seed/mou-news-*.md) names them.
SIGNATORIES = {
    "DOE": (
        "اداره کل حفاظت محیط زیست استان قم",
        "Directorate General of Environmental Protection, Qom Province",
        "محمودعلی رکنی",
        "Mahmoud-Ali Rokni",
    ),
    "MCLS": (
        "اداره کل تعاون، کار و رفاه اجتماعی استان قم",
        "Directorate General of Cooperatives, Labour and Social Welfare, Qom Province",
        "نصرالله بازوند",
        "Nasrollah Bazvand",
    ),
    "TVTO": (
        "اداره کل آموزش فنی و حرفه‌ای استان قم",
        "Directorate General of Technical and Vocational Training, Qom Province",
        "احمد عطارنیا",
        "Ahmad Attarnia",
    ),
}
GOAL_TITLES_FA = {
    "G1": "شناسایی و توسعه مشاغل و کارآفرینی سبز از طریق به‌کارگیری مشوق‌های مناسب",
    "G2": "اعمال محدودیت‌های زیست‌محیطی",
    "G3": "طراحی و معرفی مشاغل و حرف سبز جدید",
    "G4": "سبزسازی مشاغل و حرف موجود با پیاده‌سازی الزامات محیط زیستی در آن‌ها",
    "G5": "فرهنگ‌سازی مشاغل سبز",
    "G6": "اولویت‌بخشی به نهادهای دانش‌بنیان کشور در اجرای طرح‌های کلان استانی در حوزه فناوری‌های محیط زیست",
}
DEMO_ACCOUNTS = {
    "applicant": (Kind.APPLICANT, None),
    "doe_officer": (Kind.AGENCY_STAFF, ("DOE", "officer")),
    "doe_reviewer": (Kind.AGENCY_STAFF, ("DOE", "reviewer")),
    "mcls_officer": (Kind.AGENCY_STAFF, ("MCLS", "officer")),
    "mcls_reviewer": (Kind.AGENCY_STAFF, ("MCLS", "reviewer")),
    "mcls_manager": (Kind.AGENCY_STAFF, ("MCLS", "manager")),
    "tvto_officer": (Kind.AGENCY_STAFF, ("TVTO", "officer")),
    "programme_manager": (Kind.PROGRAMME_MANAGER, None),
    "admin": (Kind.PROGRAMME_MANAGER, None),
}


def counts():
    return {
        "agencies": Agency.objects.count(),
        "memoranda": Memorandum.objects.count(),
        "parties": Memorandum.parties.through.objects.count(),
        "goals": Goal.objects.count(),
        "obligations": Obligation.objects.count(),
        "obligation goals": Obligation.goals.through.objects.count(),
    }


def test_the_three_signatories_are_named_as_in_the_source(agencies):
    loaded = {
        agency.code: (agency.name_fa, agency.name_en, agency.director_fa, agency.director_en)
        for agency in Agency.objects.all()
    }

    assert loaded == SIGNATORIES
    assert [agency.code for agency in Agency.objects.all()] == ["DOE", "MCLS", "TVTO"]


def test_the_memorandum_was_signed_on_30_farvardin_1394_by_all_three(memorandum):
    assert memorandum.signed_on == datetime.date(2015, 4, 19)
    assert [agency.code for agency in memorandum.parties.all()] == ["DOE", "MCLS", "TVTO"]
    assert Memorandum.objects.count() == 1


def test_the_memorandum_has_the_six_goals_with_their_persian_titles(memorandum):
    goals = {goal.code: goal.title_fa for goal in memorandum.goals.all()}

    assert goals == GOAL_TITLES_FA
    assert [goal.code for goal in memorandum.goals.all()] == ["G1", "G2", "G3", "G4", "G5", "G6"]
    assert all(
        goal.title_en and goal.description_fa and goal.description_en for goal in memorandum.goals.all()
    )


@pytest.mark.parametrize(
    ("code", "goals_served"),
    [
        ("DOE", ["G1", "G2", "G3", "G4", "G5", "G6"]),
        ("MCLS", ["G1", "G4", "G5"]),
        ("TVTO", ["G3", "G4", "G5"]),
    ],
)
def test_each_agency_has_undertakings_serving_the_goals_it_named(memorandum, code, goals_served):
    obligations = Obligation.objects.filter(memorandum=memorandum, agency__code=code)

    assert obligations.exists()
    assert all(obligation.text_fa and obligation.text_en for obligation in obligations)
    served = sorted({goal.code for obligation in obligations for goal in obligation.goals.all()})
    assert served == goals_served


def test_mcls_undertook_the_special_loan_facilities(memorandum):
    texts = list(Obligation.objects.filter(agency__code="MCLS").values_list("text_fa", flat=True))

    assert any("تسهیلات ویژه" in text for text in texts)


def test_loading_the_memorandum_twice_changes_no_counts(agencies):
    before = counts()

    seed.load()
    seed.load()

    assert counts() == before
    assert before == {
        "agencies": 3,
        "memoranda": 1,
        "parties": 3,
        "goals": 6,
        "obligations": 6,
        "obligation goals": 15,
    }


def test_loading_again_restores_the_wording_of_the_source(agencies):
    Agency.objects.filter(code="DOE").update(director_fa="نام نادرست")
    Goal.objects.filter(code="G2").update(title_en="Something else")

    seed.load()

    assert Agency.objects.get(code="DOE").director_fa == "محمودعلی رکنی"
    assert Goal.objects.get(code="G2").title_en == "Applying environmental restrictions"


def demo_snapshot():
    return sorted(
        (user.username, user.kind, user.email) for user in User.objects.filter(username__in=DEMO_ACCOUNTS)
    )


def test_seed_demo_run_twice_creates_each_demo_account_once(agencies):
    call_command("seed_demo", stdout=io.StringIO())
    first = demo_snapshot()
    users_after_first_run = User.objects.count()

    call_command("seed_demo", stdout=io.StringIO())

    assert demo_snapshot() == first
    # The nine sign-in accounts, plus the demo registrations' owners and the trainees, once each.
    assert User.objects.count() == users_after_first_run == len(DEMO_ACCOUNTS) + 5 + 12
    assert sorted(username for username, _kind, _email in first) == sorted(DEMO_ACCOUNTS)
    assert StaffMembership.objects.count() == 6
    assert counts()["obligations"] == 6


def test_every_demo_account_has_its_role_and_signs_in_with_the_demo_password(agencies):
    call_command("seed_demo", stdout=io.StringIO())
    request = RequestFactory().post("/accounts/login/")

    for username, (kind, membership) in DEMO_ACCOUNTS.items():
        user = authenticate(request, username=username, password=settings.DEMO_PASSWORD)
        assert user is not None, username
        assert user.kind == kind
        assert user.email_verified_at is not None
        if membership:
            assert (user.membership.agency.code, user.membership.role) == membership
        else:
            assert not StaffMembership.objects.filter(user=user).exists()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(is_superuser=True).count() == 1


def test_seed_demo_prints_the_accounts_and_the_password(agencies, capsys):
    call_command("seed_demo")

    output = capsys.readouterr().out
    for username in DEMO_ACCOUNTS:
        assert f"  {username} " in output
    assert settings.DEMO_PASSWORD in output
