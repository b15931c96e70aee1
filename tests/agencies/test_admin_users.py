"""The user admin: accounts' own, with the agency and role that agencies add for staff accounts."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Kind
from agencies.models import StaffMembership, StaffRole
from tests.factories import ProgrammeManagerFactory

User = get_user_model()


def new_account(client, **fields):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_person",
            "first_name": "Nika",
            "last_name": "Amini",
            "email": "New.Person@example.ir",
            "usable_password": "false",
            **fields,
        },
    )


def administrator(client):
    admin = ProgrammeManagerFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def test_an_administrator_creates_a_staff_account_with_its_agency_and_role(client, agencies):
    admin = administrator(client)

    response = new_account(
        client, kind=Kind.AGENCY_STAFF, agency=agencies["MCLS"].pk, role=StaffRole.REVIEWER
    )

    assert response.status_code == 302
    user = User.objects.get(username="new_person")
    assert (user.kind, user.email, user.has_usable_password()) == (
        Kind.AGENCY_STAFF,
        "new.person@example.ir",
        False,
    )
    membership = StaffMembership.objects.get(user=user)
    assert (membership.agency.code, membership.role, membership.is_active, membership.assigned_by) == (
        "MCLS",
        StaffRole.REVIEWER,
        True,
        admin,
    )


def test_a_staff_account_without_an_agency_is_refused_and_nothing_is_created(client, agencies):
    administrator(client)

    response = new_account(client, kind=Kind.AGENCY_STAFF, agency="", role="")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["__all__"] and len(form.non_field_errors()) == 1
    assert not User.objects.filter(username="new_person").exists()
    assert not StaffMembership.objects.exists()


def test_an_administrator_creates_a_programme_manager_without_a_membership(client, agencies):
    administrator(client)

    response = new_account(client, kind=Kind.PROGRAMME_MANAGER)

    assert response.status_code == 302
    user = User.objects.get(username="new_person")
    assert user.kind == Kind.PROGRAMME_MANAGER
    assert not StaffMembership.objects.filter(user=user).exists()


def test_the_user_list_shows_each_staff_members_agency(client, agencies):
    administrator(client)
    new_account(client, kind=Kind.AGENCY_STAFF, agency=agencies["DOE"].pk, role=StaffRole.OFFICER)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert "DOE · " in response.content.decode()
