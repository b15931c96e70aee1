"""One person of each kind the permission rules tell apart, by a short name, for the rules' tables."""

from django.contrib.auth.models import AnonymousUser

from agencies.models import StaffMembership
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, StaffFactory, make_staff

AGENCY_ROLES = {
    f"{agency.lower()}_{role}": (agency, role)
    for agency in ("DOE", "MCLS", "TVTO")
    for role in ("officer", "reviewer", "manager")
}
PEOPLE = ("anonymous", "applicant", "programme_manager", "staff_without_membership", *AGENCY_ROLES)


def person(who: str):
    """A fresh person; the membership cache of a staff member starts empty."""
    if who == "anonymous":
        return AnonymousUser()
    if who == "applicant":
        return ApplicantFactory()
    if who == "programme_manager":
        return ProgrammeManagerFactory()
    if who == "staff_without_membership":
        user = StaffFactory()
        StaffMembership.objects.filter(user=user).update(is_active=False)
        return user
    return make_staff(*AGENCY_ROLES[who])


def who_may(rule, *args) -> set[str]:
    """The names of the people for whom `rule(user, *args)` holds."""
    return {who for who in PEOPLE if rule(person(who), *args)}
