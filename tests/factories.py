import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Kind
from agencies.models import Agency, StaffMembership, StaffRole

PASSWORD = "Correct-Horse-1405"


def valid_national_id(nine_digits: str) -> str:
    total = sum(int(nine_digits[i]) * (10 - i) for i in range(9)) % 11
    return nine_digits + str(total if total < 2 else 11 - total)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.ir")
    email = factory.LazyAttribute(lambda o: o.username if "@" in o.username else f"{o.username}@example.ir")
    first_name = "نرگس"
    last_name = "صالحی"
    kind = Kind.APPLICANT
    national_id = factory.Sequence(lambda n: valid_national_id(f"{100000000 + n:09d}"))
    mobile = factory.Sequence(lambda n: f"0912{n:07d}")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApplicantFactory(UserFactory):
    pass


class ProgrammeManagerFactory(UserFactory):
    kind = Kind.PROGRAMME_MANAGER
    national_id = None
    mobile = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    class Params:
        agency_code = "DOE"

    agency = factory.LazyAttribute(lambda o: Agency.objects.get(code=o.agency_code))
    role = StaffRole.OFFICER


class StaffFactory(UserFactory):
    """Agency staff; `StaffFactory(membership__agency_code="MCLS", membership__role="reviewer")`."""

    kind = Kind.AGENCY_STAFF
    national_id = None
    mobile = None
    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="user")


def make_staff(agency_code: str = "DOE", role: str = StaffRole.OFFICER, **kwargs):
    return StaffFactory(membership__agency_code=agency_code, membership__role=role, **kwargs)


# --- programs ---------------------------------------------------------------------------------------------


def valid_business_id(ten_digits: str) -> str:
    weights = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
    tens = int(ten_digits[9]) + 2
    total = sum((tens + int(ten_digits[i])) * w for i, w in enumerate(weights)) % 11
    return ten_digits + str(0 if total == 10 else total)


def occupation(code: str = "GJ-EN-01"):
    from programs.models import GreenOccupation

    return GreenOccupation.objects.get(code=code)


def county(code: str = "qom"):
    from programs.models import County

    return County.objects.get(code=code)


class BusinessFactory(factory.django.DjangoModelFactory):
    """A complete registration in the given status (draft by default), ready to submit."""

    class Meta:
        model = "programs.Business"
        skip_postgeneration_save = True

    owner = factory.SubFactory(ApplicantFactory)
    legal_name = factory.Sequence(lambda n: f"شرکت سبز پارس {n}")
    national_business_id = factory.Sequence(lambda n: valid_business_id(f"{1010000000 + n:010d}"))
    legal_form = "private_jsc"
    sector = "energy"
    county = factory.LazyFunction(county)
    address = "قم، بلوار امین، کوچه ۱۲"
    employees_total = 5
    status = "draft"

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        obj.refresh_search_text()
        if create:
            obj.save(update_fields=["search_text"])


class GreenJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.GreenJob"

    business = factory.SubFactory(BusinessFactory)
    occupation = factory.LazyFunction(occupation)
    holder_name = "کاوه مرادی"
    holder_national_id = factory.Sequence(lambda n: valid_national_id(f"{200000000 + n:09d}"))


class BusinessDocumentFactory(factory.django.DjangoModelFactory):
    """A document row with a real PDF stored in the private storage."""

    class Meta:
        model = "programs.BusinessDocument"

    business = factory.SubFactory(BusinessFactory)
    kind = "licence"
    original_name = "licence.pdf"
    content_type = "application/pdf"
    uploaded_by = factory.LazyAttribute(lambda o: o.business.owner)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from greenjobs import uploads

        stored = uploads.store_document(SimpleUploadedFile("licence.pdf", MINIMAL_PDF), "business-documents")
        kwargs.update(stored_name=stored.stored_name, size=stored.size, sha256=stored.sha256)
        return super()._create(model_class, *args, **kwargs)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ready_to_submit(**kwargs):
    """A draft registration with one green job and a licence: submission succeeds."""
    business = BusinessFactory(**kwargs)
    GreenJobFactory(business=business)
    BusinessDocumentFactory(business=business)
    return business


# --- programs: a registration driven to a given status through the services ---------------------------------

# One checklist line per requirement category: (category, baseline, current); permits are not measured.
FULL_CHECKLIST = (
    ("energy", "1200", "900"),
    ("water", "500", "450"),
    ("materials", "10", "9"),
    ("waste", "5", "2"),
    ("emissions", "100", "90"),
    ("permits", None, None),
)


def fill_checklist(
    business, officer, *, items=FULL_CHECKLIST, ready=True, summary="همه الزامات رعایت شده است"
):
    """The assigned officer records every line of the open checklist and, by default, hands it over."""
    from decimal import Decimal

    from programs.services import assessments

    assessment = business.assessments.get(status="in_progress")
    for category, baseline, current in items:
        assessments.assessment_item_save(
            assessment_id=assessment.pk,
            actor=officer,
            category=category,
            description=f"بررسی {category}",
            baseline=None if baseline is None else Decimal(baseline),
            current=None if current is None else Decimal(current),
        )
    if ready:
        assessments.assessment_mark_ready(assessment_id=assessment.pk, actor=officer, summary=summary)
    assessment.refresh_from_db()
    return assessment


def registration_in(
    status: str,
    *,
    owner=None,
    officer=None,
    reviewer=None,
    verified_kind: str = "new_green",
    checklist_ready: bool = False,
    **kwargs,
):
    """A registration brought to `status` the way people would: every move through business_transition.

    `checklist_ready=True` with "under_assessment" also completes the checklist, so verify can succeed.
    """
    from programs.models import Business
    from programs.services.registrations import business_transition

    if owner is not None:
        kwargs["owner"] = owner
    business = ready_to_submit(**kwargs)
    owner = business.owner
    officer = officer or make_staff("DOE", StaffRole.OFFICER)
    reviewer = reviewer or make_staff("DOE", StaffRole.REVIEWER)

    def move(name, actor, **extra):
        business_transition(business_id=business.pk, actor=actor, name=name, **extra)

    if status == "draft":
        return Business.objects.get(pk=business.pk)
    move("submit", owner)
    if status == "submitted":
        return Business.objects.get(pk=business.pk)
    move("start_assessment", officer)
    if status == "under_assessment":
        if checklist_ready:
            fill_checklist(business, officer)
        return Business.objects.get(pk=business.pk)
    if status == "changes_requested":
        move("request_changes", reviewer, reason="پروانه محیط زیست را بارگذاری کنید")
    elif status == "rejected":
        move("reject", reviewer, reason="الزامات رعایت نشده است")
    elif status in ("verified", "expired"):
        fill_checklist(business, officer)
        move("verify", reviewer, verified_kind=verified_kind)
        if status == "expired":
            move("expire", None)
    else:
        raise ValueError(f"unknown status {status!r}")
    return Business.objects.get(pk=business.pk)


def registration_state(business) -> dict:
    """Everything a refused action must leave as it was, read fresh from the database and the disk."""
    from pathlib import Path

    from django.conf import settings

    from programs.models import AssessmentItem, Business

    fresh = Business.objects.get(pk=business.pk)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {
        "status": fresh.status,
        "status_changed_at": fresh.status_changed_at,
        "verified_kind": fresh.verified_kind,
        "expires_on": fresh.expires_on,
        "submitted_at": fresh.submitted_at,
        "assigned_officer": fresh.assigned_officer_id,
        "events": fresh.events.count(),
        "assessments": sorted(fresh.assessments.values_list("pk", "status", "decision")),
        "items": AssessmentItem.objects.filter(assessment__business=fresh).count(),
        "green_jobs": fresh.green_jobs.count(),
        "documents": sorted(fresh.documents.values_list("stored_name", flat=True)),
        "files": sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else [],
    }


# --- incentives -------------------------------------------------------------------------------------------


class LoanSchemeFactory(factory.django.DjangoModelFactory):
    """An open scheme: 10 billion Rials, up to 2 billion each, 4% over 36 months after 6 months' grace."""

    class Meta:
        model = "incentives.LoanScheme"

    code = factory.Sequence(lambda n: f"GL{n:03d}")
    title_fa = factory.Sequence(lambda n: f"تسهیلات مشاغل سبز {n}")
    title_en = factory.Sequence(lambda n: f"Green jobs loans {n}")
    budget = 10_000_000_000
    # Never above the budget (a database constraint), even when a test gives a small budget.
    max_amount = factory.LazyAttribute(lambda o: min(2_000_000_000, o.budget))
    min_amount = 0
    interest_rate = "4.00"
    term_months = 36
    grace_months = 6
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=60))


def verified_business(**kwargs):
    """A registration DOE has verified (status set directly: the registry's workflow is tested elsewhere)."""
    business = BusinessFactory(**kwargs)
    business.status = "verified"
    business.verified_kind = "new_green"
    business.verified_at = timezone.now()
    business.expires_on = timezone.localdate() + timezone.timedelta(days=700)
    business.save()
    return business


def loan_draft(*, scheme=None, business=None, amount=1_000_000_000, jobs=3):
    """A draft application that meets every rule: submitting it succeeds."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incentives.services import applications

    scheme = scheme or LoanSchemeFactory()
    business = business or verified_business()
    application = applications.application_create(
        applicant=business.owner,
        business=business,
        scheme=scheme,
        data={"amount": amount, "purpose": "خرید پنل خورشیدی", "energy_saving_kwh": 40000},
    )
    applications.planned_job_set(
        application_id=application.pk, actor=business.owner, occupation=occupation(), count=jobs
    )
    applications.document_upload(
        application_id=application.pk,
        actor=business.owner,
        kind="business_plan",
        uploaded=SimpleUploadedFile("plan.pdf", MINIMAL_PDF),
    )
    application.refresh_from_db()
    return application


LOAN_PATH = [
    ("submit", "owner"),
    ("start_environmental_review", ("DOE", "reviewer")),
    ("environment_accept", ("DOE", "reviewer")),
    ("credit_accept", ("MCLS", "reviewer")),
    ("approve", ("MCLS", "manager")),
]


def loan_at(stage: str, **kwargs):
    """An application moved through the real services up to `stage` (draft … approved)."""
    from incentives.services import applications

    application = loan_draft(**kwargs)
    targets = ["draft", "submitted", "environmental_review", "credit_review", "decision", "approved"]
    for (name, who), target in zip(LOAN_PATH, targets[1:], strict=True):
        if application.stage == stage:
            break
        actor = application.applicant if who == "owner" else make_staff(*who)
        applications.application_transition(application_id=application.pk, actor=actor, name=name)
        application.refresh_from_db()
        assert application.stage == target
    return application


# --- training ---------------------------------------------------------------------------------------------


class TrainingCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.TrainingCentre"

    name_fa = factory.Sequence(lambda n: f"مرکز آموزش فنی و حرفه‌ای شماره {n}")
    name_en = factory.Sequence(lambda n: f"TVTO centre no. {n}")
    kind = "tvto"
    county = factory.LazyFunction(county)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Course"

    standard_code = factory.Sequence(lambda n: f"TS-{7000 + n}-GR")
    title_fa = "نصب سامانه‌های خورشیدی"
    title_en = "Solar installation"
    occupation = factory.LazyFunction(occupation)
    hours = 40
    audience = "workers"


class SessionFactory(factory.django.DjangoModelFactory):
    """An upcoming session with 10 seats."""

    class Meta:
        model = "training.Session"

    course = factory.SubFactory(CourseFactory)
    centre = factory.SubFactory(TrainingCentreFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=14))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))
    capacity = 10
    instructor = "مهندس کامران یزدی"
