"""One search box for staff: tracking numbers, national IDs, mobile numbers, names of people and businesses.

What is typed is read once (`read_query`): digits in any script, Arabic letter forms and stray spaces or
dashes are folded, and the kind of identifier it can be is decided from its shape. Each group of results
is then one query over what the person may open anyway (the apps' own `visible_*` rules), limited to
LIMIT rows: the page costs the same few queries whatever the tables hold. Identifiers are matched
through unique or foreign-key indexes; names through trigram indexes (search/migrations).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Kind, User
from greenjobs.text import fold_digits, search_key
from incentives.permissions import visible_applications
from programs.models import REFERENCE_PREFIX, Business
from programs.permissions import visible_businesses
from training.models import Certificate
from training.permissions import visible_enrolments

LIMIT = 10
# Trigram indexes answer "contains" for three characters or more; fewer would match half the table.
MIN_NAME_LENGTH = 3
MAX_QUERY_LENGTH = 100
_SEPARATORS = re.compile(r"[\s\-_/.+()]+")
# A tracking number as shown: a code, a dash, a number (GL-SUN-00042, GR-00042); the code may hold dashes.
_REFERENCE = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9-]*)-(?P<number>\d{1,9})$")


@dataclass(frozen=True)
class Query:
    text: str  # as typed, trimmed
    compact: str  # digits folded, separators dropped, upper case: how numbers are compared
    code: str  # digits folded, spaces dropped, upper case: how codes with dashes are compared
    key: str  # greenjobs.text.search_key: how names are compared

    @property
    def digits(self) -> str | None:
        return self.compact if self.compact.isdigit() else None

    @property
    def national_id(self) -> str | None:
        return self.digits if self.digits and len(self.digits) == 10 else None

    @property
    def mobile(self) -> str | None:
        digits = self.digits
        if digits and len(digits) == 12 and digits.startswith("989"):
            digits = "0" + digits[2:]
        return digits if digits and len(digits) == 11 and digits.startswith("09") else None

    @property
    def business_id(self) -> str | None:
        return self.digits if self.digits and len(self.digits) == 11 and not self.mobile else None

    @property
    def reference(self) -> tuple[str, int] | None:
        """(prefix, number) of a tracking number such as GL-SUN-00042 or GR-00042."""
        match = _REFERENCE.match(self.code)
        if match is None:
            return None
        return match["prefix"], int(match["number"])

    @property
    def name(self) -> str | None:
        return self.key if len(self.key) >= MIN_NAME_LENGTH and not self.digits else None


def read_query(text: str | None) -> Query | None:
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return None
    folded = fold_digits(text).upper()
    return Query(
        text=text, compact=_SEPARATORS.sub("", folded), code=re.sub(r"\s+", "", folded), key=search_key(text)
    )


@dataclass
class Group:
    kind: str
    label: str
    items: list = field(default_factory=list)
    more: bool = False

    @property
    def count(self) -> int:
        return len(self.items)


def _limited(queryset) -> tuple[list, bool]:
    rows = list(queryset[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def _people_matching(query: Query) -> Q | None:
    """The people the query names, as a condition on User, or None when it names nobody."""
    if query.national_id:
        return Q(national_id=query.national_id)
    if query.mobile:
        return Q(mobile=query.mobile)
    if query.name:
        return Q(search_text__contains=query.name)
    return None


def _people_ids(query: Query):
    condition = _people_matching(query)
    return None if condition is None else User.objects.filter(condition).values("pk")


def loans(user, query: Query) -> Group:
    group = Group("loans", _("Loan applications"))
    conditions = Q()
    if query.reference:
        prefix, number = query.reference
        conditions |= Q(pk=number, scheme__code__iexact=prefix)
    elif query.digits and len(query.digits) <= 9:
        conditions |= Q(pk=int(query.digits))
    people = _people_ids(query)
    if people is not None:
        conditions |= Q(applicant__in=people)
    if query.business_id:
        conditions |= Q(business__national_business_id=query.business_id)
    if query.name:
        conditions |= Q(business__in=_businesses_named(query))
    if not conditions:
        return group
    queryset = (
        visible_applications(user)
        .filter(conditions)
        .select_related("scheme", "business", "applicant")
        .order_by("-stage_changed_at", "-pk")
    )
    group.items, group.more = _limited(queryset)
    return group


def _businesses_named(query: Query):
    return Business.objects.filter(search_text__contains=query.key).values("pk")


def registrations(user, query: Query) -> Group:
    group = Group("registrations", _("Registrations"))
    conditions = Q()
    if query.reference and query.reference[0] == REFERENCE_PREFIX:
        conditions |= Q(pk=query.reference[1])
    elif query.digits and len(query.digits) <= 9:
        conditions |= Q(pk=int(query.digits))
    people = _people_ids(query)
    if people is not None:
        conditions |= Q(owner__in=people)
    if query.business_id:
        conditions |= Q(national_business_id=query.business_id)
    if query.name:
        conditions |= Q(pk__in=_businesses_named(query))
    if not conditions:
        return group
    queryset = (
        visible_businesses(user)
        .filter(conditions)
        .select_related("county", "owner")
        .order_by("-status_changed_at", "-pk")
    )
    group.items, group.more = _limited(queryset)
    return group


def certificates(user, query: Query) -> Group:
    group = Group("certificates", _("Certificates"))
    conditions = Q()
    if query.code:
        conditions |= Q(serial=query.code)
    if query.text and " " not in query.text:
        conditions |= Q(verification_code=query.text)
    people = _people_ids(query)
    if people is not None:
        conditions |= Q(enrolment__person__in=people)
    if not conditions:
        return group
    queryset = (
        Certificate.objects.filter(enrolment__in=visible_enrolments(user).values("pk"))
        .filter(conditions)
        .select_related("enrolment__person", "enrolment__session__course")
        .order_by("-issued_on", "-pk")
    )
    group.items, group.more = _limited(queryset)
    return group


def people(user, query: Query) -> Group:
    """People this member of staff already deals with: owners, applicants, trainees of what they may open."""
    group = Group("people", _("People"))
    condition = _people_matching(query)
    if condition is None:
        return group
    known = (
        Exists(visible_businesses(user).filter(owner=OuterRef("pk")))
        | Exists(visible_applications(user).filter(applicant=OuterRef("pk")))
        | Exists(visible_enrolments(user).filter(person=OuterRef("pk")))
    )
    queryset = (
        User.objects.filter(condition, kind=Kind.APPLICANT)
        .filter(known)
        .order_by("last_name", "first_name", "pk")
    )
    group.items, group.more = _limited(queryset)
    return group


def staff_search(*, user, query: Query) -> list[Group]:
    """Every group, in the order the page shows them; a group the query cannot match costs no query."""
    return [loans(user, query), registrations(user, query), certificates(user, query), people(user, query)]
