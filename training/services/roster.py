"""Bulk enrolment by TVTO from a roster file (CSV or Excel), one person per row.

The whole file is checked first; one bad row and nothing is written, not even the accounts. People
without an account get an applicant account that cannot sign in until they are given access.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Kind
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_digits, format_number
from greenjobs.spreadsheets import Column, Schema, as_text
from greenjobs.text import normalize_persian
from greenjobs.validators import normalize_mobile, normalize_national_id

from ..models import Enrolment, Session
from ..permissions import can_manage_training
from . import enrolment as enrolment_services

User = get_user_model()

MAX_ROWS = 1000

COLUMNS = (
    Column(
        "national_id", "کد ملی", gettext_lazy("10 digits, Persian or Latin."), required=True,
        aliases=("کدملی", "شماره ملی", "national id"), parse=as_text,
    ),
    Column(
        "first_name", "نام", gettext_lazy("Required when the person has no account yet."), required=True,
        aliases=("first name",), parse=as_text,
    ),
    Column(
        "last_name", "نام خانوادگی", gettext_lazy("Required when the person has no account yet."),
        required=True, aliases=("نام‌خانوادگی", "فامیلی", "فامیل", "last name", "surname"), parse=as_text,
    ),
    Column(
        "mobile", "موبایل", gettext_lazy("For example 0912 345 6789; may be left empty."),
        aliases=("تلفن همراه", "شماره همراه", "شماره موبایل", "همراه"), parse=as_text,
    ),
    Column(
        "email", "رایانامه", gettext_lazy("May be left empty."),
        aliases=("ایمیل", "پست الکترونیک", "پست الکترونیکی", "e-mail"), parse=as_text,
    ),
)  # fmt: skip
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
# The row checks read every cell as text, an Excel date cell included.
SCHEMA = Schema(COLUMNS, max_rows=MAX_ROWS)


@dataclass
class RosterReport:
    """What a roster did, or would do on a dry run; `errors` lists {row, column, message}."""

    dry_run: bool
    total_rows: int = 0
    errors: list[dict] = field(default_factory=list)
    existing_accounts: int = 0
    new_accounts: int = 0
    seated: int = 0
    waitlisted: int = 0
    enrolments: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors)


# --- reading ------------------------------------------------------------------------------------------------


def parse_roster(fileobj, name: str) -> list[dict]:
    """The data rows as dicts keyed by column, each with `_row`, its spreadsheet row (the header is row 1)."""
    return SCHEMA.read(fileobj, name)


# --- checking -----------------------------------------------------------------------------------------------


def _normalise_email(value: str) -> str:
    email = User.objects.normalize_email(value.strip()).lower()
    validate_email(email)
    return email


def _try(normalise, value):
    try:
        return normalise(value) if value else None
    except ValidationError:
        return None


def validate_rows(rows: list[dict], session: Session) -> tuple[list[dict], list[dict]]:
    """Checks each row against the accounts and the session; returns the people in order and the problems."""
    national_ids = {_try(normalize_national_id, row["national_id"]) for row in rows} - {None}
    mobiles = {_try(normalize_mobile, row["mobile"]) for row in rows} - {None}
    emails = {_try(_normalise_email, row["email"]) for row in rows} - {None}
    accounts = {
        user.national_id: user for user in User.objects.filter(national_id__in=national_ids).order_by("pk")
    }
    enrolled = set(
        session.enrolments.exclude(status=Enrolment.Status.CANCELLED)
        .filter(person__national_id__in=national_ids)
        .values_list("person__national_id", flat=True)
    )
    taken_mobiles = set(User.objects.filter(mobile__in=mobiles).values_list("mobile", flat=True))
    logins = emails | national_ids  # a person without e-mail signs in with the national ID as username
    taken_logins = set()
    for email, username in (
        User.objects.annotate(email_key=Lower("email"), username_key=Lower("username"))
        .filter(Q(email_key__in=logins) | Q(username_key__in=logins))
        .values_list("email_key", "username_key")
    ):
        taken_logins.update((email, username))

    errors: list[dict] = []
    people: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_mobiles: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for raw in rows:
        row = raw["_row"]
        problems_before = len(errors)

        def error(column, message, row=row):
            errors.append({"row": row, "column": column, "message": str(message)})

        national_id = ""
        if not raw["national_id"]:
            error("national_id", _("This column is required; it is empty."))
        else:
            try:
                national_id = normalize_national_id(raw["national_id"])
            except ValidationError as exc:
                error("national_id", exc.messages[0])
        if national_id in seen_ids:
            error(
                "national_id",
                _("This national ID is already in row %(row)s of this file.")
                % {"row": format_digits(seen_ids[national_id])},
            )
            national_id = ""
        elif national_id:
            seen_ids[national_id] = row
        if national_id in enrolled:
            error("national_id", _("This person is already enrolled in this session or on its wait list."))

        account = accounts.get(national_id)
        if account is not None and account.kind != Kind.APPLICANT:
            error("national_id", _("This national ID belongs to an account that is not an applicant's."))
        person = {"row": row, "national_id": national_id, "user": account}
        if national_id and account is None:
            person.update(
                _check_new_account(
                    raw, national_id, error, taken_mobiles, taken_logins, seen_mobiles, seen_emails
                )
            )
        if len(errors) == problems_before:
            people.append(person)
    return people, errors


def _check_new_account(
    raw, national_id, error, taken_mobiles, taken_logins, seen_mobiles, seen_emails
) -> dict:
    row = raw["_row"]
    names = {}
    for key in ("first_name", "last_name"):
        value = normalize_persian(raw[key])
        if not value:
            error(key, _("The person has no account yet, so the name is required."))
        elif len(value) > 150:
            error(key, _("At most %(limit)s characters.") % {"limit": format_number(150)})
        names[key] = value
    mobile = None
    if raw["mobile"]:
        try:
            mobile = normalize_mobile(raw["mobile"])
        except ValidationError as exc:
            error("mobile", exc.messages[0])
    if mobile and (mobile in taken_mobiles or mobile in seen_mobiles):
        error("mobile", _("An account with this mobile number already exists."))
    elif mobile:
        seen_mobiles[mobile] = row
    email = ""
    if raw["email"]:
        try:
            email = _normalise_email(raw["email"])
        except ValidationError as exc:
            error("email", exc.messages[0])
    if email and (email in taken_logins or email in seen_emails):
        error("email", _("An account with this e-mail address already exists."))
    elif email:
        seen_emails[email] = row
    elif national_id in taken_logins:
        error("email", _("Another account uses this national ID as its username; give an e-mail address."))
    return {**names, "mobile": mobile, "email": email, "username": email or national_id}


# --- writing ------------------------------------------------------------------------------------------------


def _create_account(person: dict):
    user = User(
        username=person["username"], email=person["email"], national_id=person["national_id"],
        mobile=person["mobile"], first_name=person["first_name"], last_name=person["last_name"],
        kind=Kind.APPLICANT, email_verified_at=None,
    )  # fmt: skip
    user.set_unusable_password()
    user.save()
    return user


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_BYTES


def roster_import(*, session_id: int, actor, fileobj, name: str, dry_run: bool = False) -> RosterReport:
    """Checks a roster and, unless it is a dry run and if every row is valid, enrols everyone on it.

    People go onto the session in the file's order: seats while they last, then the wait list.
    Raises ValidationError when the file itself cannot be read.
    """
    if not can_manage_training(actor):
        raise DomainError(_("Only TVTO staff enrol people from a roster."), code="forbidden", status_code=403)
    rows = parse_roster(fileobj, name)
    report = RosterReport(dry_run=dry_run, total_rows=len(rows))
    with transaction.atomic():
        # Locked while checked and written, so "already enrolled" and the seats stay true until the end.
        session = Session.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise DomainError(_("No such session."), code="not_found", status_code=404)
        if session.status != Session.Status.PLANNED:
            raise ConflictError(_("This session no longer takes enrolments."), code="closed")
        people, report.errors = validate_rows(rows, session)
        report.existing_accounts = sum(1 for person in people if person["user"] is not None)
        report.new_accounts = len(people) - report.existing_accounts
        seats = max(session.capacity - session.enrolled_count, 0)
        report.seated = min(seats, len(people))
        report.waitlisted = len(people) - report.seated
        if not report.ok or dry_run:
            return report
        try:
            with transaction.atomic():
                users = [person["user"] or _create_account(person) for person in people]
        except IntegrityError as exc:  # an account with the same identifiers appeared since the check
            raise ConflictError(
                _("Someone created one of these accounts meanwhile. Check the file again."), code="conflict"
            ) from exc
        report.enrolments = enrolment_services.enrol_roster(session_id=session.pk, actor=actor, people=users)
    report.seated = sum(1 for e in report.enrolments if e.status == Enrolment.Status.ENROLLED)
    report.waitlisted = len(report.enrolments) - report.seated
    return report


def describe_errors(errors: list[dict]) -> list[dict]:
    """The problems with each column's Persian header beside its key, for the error table."""
    return [
        {
            **error,
            "header_fa": COLUMNS_BY_KEY[error["column"]].header_fa
            if error["column"] in COLUMNS_BY_KEY
            else "",
        }
        for error in errors
    ]
