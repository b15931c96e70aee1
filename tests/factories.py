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
