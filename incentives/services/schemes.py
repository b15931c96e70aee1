import contextlib

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.formats import format_money, format_number
from greenjobs.templatetags.portal import number
from greenjobs.text import normalize_persian

from ..models import LONGEST_WINDOW_YEARS, WEIGHTS_TOTAL, LoanScheme
from ..permissions import can_manage_schemes
from ..validators import EARLIEST_DATE, LATEST_DATE, normalize_monitoring_months, normalize_scheme_code
from .schedule import add_jalali_months

FIELDS = (
    "code", "title_fa", "title_en", "description_fa", "description_en", "budget", "max_amount", "min_amount",
    "interest_rate", "term_months", "grace_months", "grace_starts", "grace_interest", "opens_on", "closes_on",
    "requires_verified_registration", "weight_knowledge_based", "weight_jobs_per_rial", "weight_environment",
    "weight_county", "monitoring_months", "min_insured_days", "shortfall_tolerance", "report_days",
    "is_published",
)  # fmt: skip


def apply_fields(scheme: LoanScheme, data: dict) -> None:
    """Writes the given fields into the scheme (unsaved), in their stored form."""
    for field in FIELDS:
        if field in data:
            value = data[field]
            if field in ("title_fa", "description_fa") and value:
                value = normalize_persian(value)
            if field == "title_en" and value:
                value = " ".join(value.split())
            if field == "code" and value:
                value = normalize_scheme_code(value)
            if field == "monitoring_months" and value:
                # Kept as typed when it cannot be read: the model's validator names the problem on its field.
                with contextlib.suppress(ValidationError):
                    value = normalize_monitoring_months(value)
            setattr(scheme, field, value)


WEIGHT_FIELDS = ("weight_knowledge_based", "weight_jobs_per_rial", "weight_environment", "weight_county")


def scheme_rule_errors(scheme: LoanScheme) -> dict[str, list[str]]:
    """Every rule between a scheme's fields that it breaks, by field; empty when the scheme is sound.

    The single fields (code format, bounds of rates, terms and dates) are checked by the model's validators.
    """
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    opens_on, closes_on = scheme.opens_on, scheme.closes_on
    # A date outside the portal's range is reported by its field's validator; its window means nothing.
    if opens_on and closes_on and all(EARLIEST_DATE <= day <= LATEST_DATE for day in (opens_on, closes_on)):
        if closes_on < opens_on:
            add("closes_on", _("The closing date cannot come before the opening date."))
        elif closes_on > add_jalali_months(opens_on, 12 * LONGEST_WINDOW_YEARS):
            add(
                "closes_on",
                _("A scheme takes applications for at most %(years)s years after it opens.")
                % {"years": number(LONGEST_WINDOW_YEARS)},
            )
    budget, high, low = scheme.budget, scheme.max_amount, scheme.min_amount
    if budget is not None and high is not None and budget > 0 and high > budget:
        add(
            "max_amount",
            _("The maximum per application cannot be above the budget of %(budget)s.")
            % {"budget": format_money(budget)},
        )
    if high is not None and low is not None and high < low:
        add("max_amount", _("The maximum cannot be below the minimum."))
    weights = [getattr(scheme, field) for field in WEIGHT_FIELDS]
    if all(weight is not None for weight in weights) and sum(weights) != WEIGHTS_TOTAL:
        add(
            NON_FIELD_ERRORS,
            _("The four weights must add up to %(total)s; now they add up to %(sum)s.")
            % {"total": number(WEIGHTS_TOTAL), "sum": number(sum(weights))},
        )
    others = LoanScheme.objects.exclude(pk=scheme.pk)
    for field in ("title_fa", "title_en"):
        title = getattr(scheme, field)
        if title and others.filter(**{f"{field}__iexact": title}).exists():
            add(field, _("Another scheme already has this title."))
    if scheme.code and others.filter(code=scheme.code).exists():
        add("code", _("Another scheme already has this code."))
    return errors


def _validate_and_save(scheme: LoanScheme) -> None:
    errors = scheme_rule_errors(scheme)
    try:
        # The constraints are the database's backstop; their rules are checked above with clear messages.
        scheme.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            scheme.save()
    except IntegrityError as exc:
        # Someone saved a scheme with the same code or title a moment ago.
        raise ValidationError(_("Another scheme already has this code or title; reload and check.")) from exc


@transaction.atomic
def scheme_create(*, actor, data: dict, priority_counties=()) -> LoanScheme:
    if not can_manage_schemes(actor):
        raise DomainError(_("Only MCLS managers manage loan schemes."), code="forbidden", status_code=403)
    scheme = LoanScheme(created_by=actor)
    apply_fields(scheme, data)
    _validate_and_save(scheme)
    scheme.priority_counties.set(priority_counties)
    return scheme


@transaction.atomic
def scheme_update(*, scheme_id: int, actor, data: dict, priority_counties=None) -> LoanScheme:
    if not can_manage_schemes(actor):
        raise DomainError(_("Only MCLS managers manage loan schemes."), code="forbidden", status_code=403)
    scheme = LoanScheme.objects.select_for_update().get(pk=scheme_id)
    apply_fields(scheme, data)
    if scheme.budget < scheme.committed:
        raise ValidationError(
            {"budget": _("The budget cannot go below what is already committed (%(committed)s Rials).")
             % {"committed": format_number(scheme.committed)}}
        )  # fmt: skip
    _validate_and_save(scheme)
    if priority_counties is not None:
        scheme.priority_counties.set(priority_counties)
    return scheme
