"""The registry import's row checks: every row against the registry, every problem reported by row and column.

The whole file is checked before anything is written: one bad row and nothing is imported. A business
already in the registry under the same national business ID is skipped, so running a file twice, or
a file that overlaps an earlier one, never duplicates a registration.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Kind
from greenjobs.formats import format_digits, format_number
from greenjobs.jalali import JalaliDateError, parse_jalali
from greenjobs.spreadsheets import header_key
from greenjobs.text import fold_digits, normalize_persian
from greenjobs.validators import normalize_business_id, normalize_mobile, normalize_national_id

from ...models import (
    Business,
    County,
    GreenOccupation,
    LegalForm,
    OccupationKind,
    RegistrationStatus,
    Sector,
)
from ...models.registration_rules import (
    employees_total_problem,
    knowledge_based_date_problems,
    validate_employees_total,
)
from .columns import CHOICE_ALIASES, COLUMNS_BY_KEY, NO_KEYS, YES_KEYS

User = get_user_model()


def _choice_lookup(key: str, choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        names = [value, *CHOICE_ALIASES.get(key, {}).get(value, ())]
        for language in ("en", "fa"):
            with translation.override(language):
                names.append(str(label))
        for name in names:
            lookup.setdefault(header_key(name), value)
    return lookup


def _try(normalise, value):
    try:
        return normalise(str(value)) if value else None
    except ValidationError:
        return None


def _normalise_email(value: str) -> str:
    email = User.objects.normalize_email(value.strip()).lower()
    validate_email(email)
    return email


@dataclass
class _Lookups:
    """Everything the rows refer to, read in a few queries for the whole file."""

    counties: dict
    occupations: dict
    choices: dict
    users_by_national_id: dict
    mobile_owners: dict
    taken_logins: set
    existing_business_ids: set

    @classmethod
    def load(cls, rows: list[dict]) -> "_Lookups":
        national_ids, mobiles, logins, business_ids = set(), set(), set(), set()
        for row in rows:
            national_ids.add(_try(normalize_national_id, row["owner_national_id"]))
            mobiles.add(_try(normalize_mobile, row["owner_mobile"]))
            logins.add(_try(_normalise_email, row["owner_email"]))
            business_ids.add(_try(normalize_business_id, row["national_business_id"]))
        national_ids.discard(None)
        mobiles.discard(None)
        logins.discard(None)
        business_ids.discard(None)
        logins |= national_ids  # an owner without e-mail signs in with the national ID as username

        counties = {}
        for county in County.objects.all():
            for name in (county.code, county.name_fa, county.name_en):
                counties[header_key(name)] = county
        taken = set()
        for email, username in (
            User.objects.annotate(email_key=Lower("email"), username_key=Lower("username"))
            .filter(Q(email_key__in=logins) | Q(username_key__in=logins))
            .values_list("email_key", "username_key")
        ):
            taken.update((email, username))
        live = ~Q(status__in=[RegistrationStatus.DRAFT, RegistrationStatus.REJECTED])
        existing = set()
        for business_id, import_key in Business.objects.filter(
            Q(import_key__in=business_ids) | (Q(national_business_id__in=business_ids) & live)
        ).values_list("national_business_id", "import_key"):
            existing.update((business_id, import_key))
        return cls(
            counties=counties,
            occupations={occupation.code.upper(): occupation for occupation in GreenOccupation.objects.all()},
            choices={
                "legal_form": _choice_lookup("legal_form", LegalForm.choices),
                "sector": _choice_lookup("sector", Sector.choices),
                "status": _choice_lookup("status", COLUMNS_BY_KEY["status"].choices),
                "verified_kind": _choice_lookup("verified_kind", OccupationKind.choices),
            },
            users_by_national_id={
                user["national_id"]: user
                for user in User.objects.filter(national_id__in=national_ids).values(
                    "id", "national_id", "kind"
                )
            },
            mobile_owners=dict(User.objects.filter(mobile__in=mobiles).values_list("mobile", "national_id")),
            taken_logins=taken,
            existing_business_ids=existing - {""},
        )


@dataclass
class _RowChecker:
    """Checks one row, collecting every problem in it rather than stopping at the first."""

    raw: dict
    errors: list
    problems: int = 0

    @property
    def row(self) -> int:
        return self.raw["_row"]

    def error(self, column: str, message) -> None:
        self.problems += 1
        self.errors.append({"row": self.row, "column": column, "message": str(message)})

    def filled(self, key: str) -> bool:
        return self.raw.get(key) not in ("", None)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw.get(key, "")
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.error(key, _("This column is required; it is empty."))
        elif max_length and len(value) > max_length:
            self.error(key, _("At most %(limit)s characters.") % {"limit": format_number(max_length)})
            return ""
        return value

    def normalised(self, key: str, normalise, *, required: bool = False):
        value = self.text(key, required=required)
        if not value:
            return ""
        try:
            return normalise(value)
        except ValidationError as exc:
            self.error(key, exc.messages[0])
            return ""

    def choice(self, key: str, lookup: dict, *, required: bool = False) -> str:
        value = self.text(key, required=required)
        if not value:
            return ""
        if header_key(value) not in lookup:
            self.error(key, _("“%(value)s” is not one of the accepted values.") % {"value": value})
            return ""
        return lookup[header_key(value)]

    def date(self, key: str, *, required: bool = False, not_after: datetime.date | None = None):
        value = self.raw.get(key, "")
        if isinstance(value, datetime.date):  # an Excel date cell: already a Gregorian date
            parsed = value
        else:
            text = self.text(key, required=required)
            if not text:
                return None
            try:
                parsed = parse_jalali(text)
            except JalaliDateError as exc:
                self.error(key, exc)
                return None
        if not_after and parsed > not_after:
            self.error(key, _("This date is in the future."))
            return None
        return parsed


def validate_rows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Checks every row against the registry; returns the rows ready to write and the problems found.

    A problem is {"row": spreadsheet row number, "column": column key, "message": translated text}.
    """
    lookups = _Lookups.load(rows)
    errors: list[dict] = []
    clean_rows = []
    business_rows: dict[str, int] = {}  # national business ID → first row using it in this file
    new_owners: dict[str, dict] = {}  # national ID → the account this file creates
    new_mobiles: dict[str, str] = {}
    new_logins: dict[str, str] = {}
    today = timezone.localdate()

    for raw in rows:
        check = _RowChecker(raw, errors)
        row = {"row": check.row}
        legal_name = normalize_persian(check.text("legal_name", required=True, max_length=200))
        business_id = check.normalised("national_business_id", normalize_business_id, required=True)
        if business_id in business_rows:
            check.error(
                "national_business_id",
                _("This national business ID is already in row %(row)s of this file.")
                % {"row": format_digits(business_rows[business_id])},
            )
        elif business_id:
            business_rows[business_id] = check.row
        legal_form = check.choice("legal_form", lookups.choices["legal_form"], required=True)
        sector = check.choice("sector", lookups.choices["sector"], required=True)
        county = None
        county_text = check.text("county", required=True)
        if county_text:
            county = lookups.counties.get(header_key(county_text))
            if county is None:
                check.error(
                    "county", _("“%(value)s” is not a county of Qom province.") % {"value": county_text}
                )
        address = normalize_persian(check.text("address", required=True))
        postal_code = fold_digits(check.text("postal_code")).replace(" ", "").replace("-", "")
        if postal_code and not re.fullmatch(r"\d{10}", postal_code):
            check.error("postal_code", _("A postal code has exactly 10 digits."))
        employees_text = re.sub(r"[\s,٬]", "", fold_digits(check.text("employees_total", required=True)))
        employees = None
        if employees_text:
            if re.fullmatch(r"\d{1,7}", employees_text):
                employees = int(employees_text)
                try:
                    validate_employees_total(employees)
                except ValidationError as exc:
                    check.error("employees_total", exc.messages[0])
                    employees = None
            else:
                check.error("employees_total", _("Write a whole number of people."))

        knowledge_text = check.text("is_knowledge_based")
        is_knowledge_based = header_key(knowledge_text) in YES_KEYS
        if not is_knowledge_based and header_key(knowledge_text) not in NO_KEYS:
            check.error("is_knowledge_based", _("Write yes or no."))
        knowledge_number = check.text("knowledge_based_number", max_length=40)
        knowledge_as_of = check.date("knowledge_based_as_of")
        knowledge_expires = check.date("knowledge_based_expires_on")
        for key, problem in knowledge_based_date_problems(
            knowledge_as_of, knowledge_expires, today=today
        ).items():
            check.error(key, problem)
        if is_knowledge_based:
            if not knowledge_number:
                check.error(
                    "knowledge_based_number", _("A knowledge-based company needs its certificate number.")
                )
            if not check.filled("knowledge_based_as_of"):
                check.error(
                    "knowledge_based_as_of", _("A knowledge-based company needs the date of its status.")
                )
        else:
            for key, value in (
                ("knowledge_based_number", knowledge_number),
                ("knowledge_based_as_of", knowledge_as_of),
                ("knowledge_based_expires_on", knowledge_expires),
            ):
                if value:
                    check.error(key, _("Fill this only for a knowledge-based company."))

        status = check.choice("status", lookups.choices["status"], required=True)
        verified_kind = check.choice("verified_kind", lookups.choices["verified_kind"])
        verified_on = check.date("verified_on", not_after=today)
        if status == RegistrationStatus.VERIFIED:
            if not check.filled("verified_kind"):
                check.error("verified_kind", _("A verified business needs the kind of its verification."))
            if not check.filled("verified_on"):
                check.error("verified_on", _("A verified business needs the date of its verification."))
        elif status:
            if check.filled("verified_kind"):
                check.error("verified_kind", _("Only a verified business has a kind of verification."))
            if check.filled("verified_on"):
                check.error("verified_on", _("Only a verified business has a date of verification."))

        green_jobs = _check_green_jobs(check, lookups)
        head_count = None if employees is None else employees_total_problem(employees, len(green_jobs))
        if head_count:
            check.error("employees_total", head_count)

        owner = _check_owner(check, lookups, new_owners, new_mobiles, new_logins)

        if check.problems:
            continue
        expires_on = None
        if status == RegistrationStatus.VERIFIED:
            expires_on = verified_on + datetime.timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
            if expires_on < today:
                status = RegistrationStatus.EXPIRED
        row.update(
            skip=business_id in lookups.existing_business_ids,
            owner=owner,
            green_jobs=green_jobs,
            business={
                "legal_name": legal_name, "national_business_id": business_id, "import_key": business_id,
                "legal_form": legal_form, "sector": sector, "county_id": county.pk, "address": address,
                "postal_code": postal_code, "employees_total": employees,
                "is_knowledge_based": is_knowledge_based, "knowledge_based_number": knowledge_number,
                "knowledge_based_as_of": knowledge_as_of, "knowledge_based_expires_on": knowledge_expires,
                "status": status, "verified_kind": verified_kind,
                "verified_on": verified_on, "expires_on": expires_on,
            },
        )  # fmt: skip
        clean_rows.append(row)
    return clean_rows, errors


def _check_green_jobs(check: _RowChecker, lookups: _Lookups) -> list[dict]:
    text = check.text("green_jobs", required=True)
    problems_before = check.problems
    jobs, holders = [], set()
    for piece in re.split(r"[;؛\n]", text):
        if not piece.strip():
            continue
        parts = [part.strip() for part in piece.split(":", 2)]
        if len(parts) != 3 or not all(parts):
            check.error(
                "green_jobs",
                _("“%(value)s”: write each person as occupation code:national ID:name.")
                % {"value": piece.strip()},
            )
            continue
        code, national_id, name = parts
        occupation = lookups.occupations.get(fold_digits(code).upper())
        if occupation is None:
            check.error("green_jobs", _("“%(code)s” is not an occupation of the catalogue.") % {"code": code})
        elif not occupation.is_active:
            check.error("green_jobs", _("“%(code)s” is no longer in the catalogue.") % {"code": code})
        try:
            national_id = normalize_national_id(national_id)
        except ValidationError as exc:
            check.error("green_jobs", f"{national_id}: {exc.messages[0]}")
            continue
        if national_id in holders:
            check.error(
                "green_jobs",
                _("%(national_id)s is listed twice in this business.") % {"national_id": national_id},
            )
        holders.add(national_id)
        name = normalize_persian(name)
        if len(name) > 200:
            check.error("green_jobs", _("A name has at most 200 characters."))
        if occupation is not None:
            jobs.append(
                {"occupation_id": occupation.pk, "holder_national_id": national_id, "holder_name": name}
            )
    if text and not jobs and check.problems == problems_before:
        check.error("green_jobs", _("List at least one person in a green job."))
    return jobs


def _check_owner(check: _RowChecker, lookups: _Lookups, new_owners, new_mobiles, new_logins) -> dict | None:
    problems_before = check.problems
    national_id = check.normalised("owner_national_id", normalize_national_id, required=True)
    if not national_id:
        return None
    existing = lookups.users_by_national_id.get(national_id)
    if existing is not None:
        if existing["kind"] != Kind.APPLICANT:
            check.error(
                "owner_national_id", _("This national ID belongs to an account that is not an applicant's.")
            )
            return None
        return {"national_id": national_id, "user_id": existing["id"]}
    if national_id in new_owners:  # a second business of an owner this file introduces
        return new_owners[national_id]
    first_name = normalize_persian(check.text("owner_first_name", required=True, max_length=150))
    last_name = normalize_persian(check.text("owner_last_name", required=True, max_length=150))
    mobile = check.normalised("owner_mobile", normalize_mobile)
    if mobile and (
        lookups.mobile_owners.get(mobile, national_id) != national_id
        or new_mobiles.get(mobile, national_id) != national_id
    ):
        check.error("owner_mobile", _("An account with this mobile number already exists."))
    email = check.normalised("owner_email", _normalise_email)
    username = email or national_id
    if email and (email in lookups.taken_logins or new_logins.get(email, national_id) != national_id):
        check.error("owner_email", _("An account with this e-mail address already exists."))
    elif not email and national_id in lookups.taken_logins:
        check.error(
            "owner_email", _("Another account uses this national ID as its username; give an e-mail address.")
        )
    owner = {
        "national_id": national_id, "user_id": None, "first_name": first_name, "last_name": last_name,
        "mobile": mobile or None, "email": email, "username": username,
    }  # fmt: skip
    if check.problems == problems_before:  # later rows of this owner may leave the owner's details empty
        new_owners[national_id] = owner
        if mobile:
            new_mobiles[mobile] = national_id
        new_logins[username] = national_id
    return owner
