"""Writes to the green occupation catalogue, which DOE and TVTO staff maintain.

Occupations are never deleted: green jobs refer to them, so one that leaves the catalogue is deactivated.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.text import fold_digits, normalize_persian

from ..models import GreenOccupation
from ..permissions import can_manage_occupations

FIELDS = (
    "code", "name_fa", "name_en", "sector", "kind", "requirements_fa", "requirements_en",
    "training_standard_code", "introduced_on", "is_active",
)  # fmt: skip
NAME_FIELDS = ("name_fa", "name_en")
TEXT_FIELDS = ("requirements_fa", "requirements_en")

# The code is part of the occupation's address (/programs/occupations/<code>/), so no slashes or spaces.
CODE_PATTERN = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _require_manager(actor) -> None:
    if not can_manage_occupations(actor):
        raise DomainError(
            _("Only DOE and TVTO staff maintain the green occupation catalogue."),
            code="forbidden",
            status_code=403,
        )


def normalize_code(value: str) -> str:
    return fold_digits(value or "").strip().upper()


def _clean_text(value: str) -> str:
    """Requirements keep their line breaks; only surrounding blanks and Windows line ends go."""
    return "\n".join(line.rstrip() for line in (value or "").replace("\r\n", "\n").split("\n")).strip()


def _apply_fields(occupation: GreenOccupation, data: dict) -> None:
    for field in FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "code":
            value = normalize_code(value)
        elif field in NAME_FIELDS:
            value = normalize_persian(value or "")
        elif field in TEXT_FIELDS:
            value = _clean_text(value)
        elif field == "training_standard_code":
            value = fold_digits(value or "").strip()
        elif field == "is_active":
            value = bool(value)
        setattr(occupation, field, value)
    occupation.refresh_search_text()


def _validate(occupation: GreenOccupation) -> None:
    if occupation.code and not CODE_PATTERN.fullmatch(occupation.code):
        raise ValidationError(
            {"code": _("Use Latin letters, digits and single hyphens only, for example GJ-EN-06.")}
        )
    duplicate = GreenOccupation.objects.filter(code__iexact=occupation.code).exclude(pk=occupation.pk)
    if occupation.code and duplicate.exists():
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used by another occupation.")
                % {"code": occupation.code}
            }
        )
    # Uniqueness was checked above with a clearer message; the database constraint still guards races.
    occupation.full_clean(validate_unique=False)


def _save(occupation: GreenOccupation, actor) -> GreenOccupation:
    occupation.updated_by = actor
    try:
        with transaction.atomic():
            occupation.save()
    except IntegrityError as exc:
        # Someone saved the same code between our check and our insert.
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used by another occupation.")
                % {"code": occupation.code}
            }
        ) from exc
    return occupation


@transaction.atomic
def occupation_create(*, actor, data: dict) -> GreenOccupation:
    _require_manager(actor)
    occupation = GreenOccupation()
    _apply_fields(occupation, data)
    _validate(occupation)
    return _save(occupation, actor)


@transaction.atomic
def occupation_update(*, occupation_id: int, actor, data: dict) -> GreenOccupation:
    """Changes an occupation; `is_active=False` takes it out of the public catalogue without deleting it."""
    _require_manager(actor)
    occupation = GreenOccupation.objects.select_for_update().filter(pk=occupation_id).first()
    if occupation is None:
        raise DomainError(_("No such occupation in the catalogue."), code="not_found", status_code=404)
    _apply_fields(occupation, data)
    _validate(occupation)
    return _save(occupation, actor)
