"""Every numeric field of every form reads Persian, Arabic-Indic and Latin digits, and refuses the rest.

Generated from the forms themselves: the portal's app modules are imported, every Form and ModelForm
class defined in them is built, and each of its numeric fields (by type, whoever declared it: the form,
the model, or the form's __init__) is put through the same checks. A plain forms.IntegerField, a model
field left to Django's default form field, or a type=number widget fails here.
"""

import importlib
import inspect
import pkgutil
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseModelForm
from django.utils import translation
from rest_framework import serializers

from greenjobs.api_fields import LocalDecimalField as LocalDecimalInput
from greenjobs.api_fields import LocalIntegerField as LocalIntegerInput
from greenjobs.forms import LocalizedNumberField
from greenjobs.text import to_persian_digits
from tests.factories import ApplicantFactory
from training.models import Course

APPS = ("accounts", "agencies", "programs", "incentives", "training", "greenjobs")
# Not forms, and some (production settings) refuse to load outside their environment.
SKIPPED_MODULES = re.compile(r"\.(settings|migrations|wsgi|asgi)(\.|$)")

NUMERIC = (forms.IntegerField, forms.DecimalField, forms.FloatField)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Typed in ways nobody can read as one number: the form must say so, never raise, never store "".
GARBAGE = [
    "۱۲x", "abc", "1e400", "1E5", "\x00", "1\x002", "1" * 10_000, "۱" * 10_000, "NaN", "Infinity", "-inf",
    "0x1F", "12,5", "1,2345", "1.2.3", "۱۲٫۵٫۱", "--1", "1-", "١٢ ٣", "12 ۳۴", "²", "١٢a", "½", "(12)",
]  # fmt: skip

# Values for what a form's __init__ insists on, by the argument's name.
CONSTRUCTOR_ARGUMENTS = {
    "user": lambda: ApplicantFactory(),
    "enrolments": lambda: [
        SimpleNamespace(pk=1, theory_score=None, practical_score=None),
        SimpleNamespace(pk=2, theory_score=Decimal("80"), practical_score=Decimal("75.5")),
    ],
    "enrolment_ids": lambda: [1, 2],
    "rows": lambda: (),
    "max_bytes": lambda: 10 * 1024 * 1024,
    "max_rows": lambda: 1000,
}


def _import_app_modules() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if not SKIPPED_MODULES.search(module.name):
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def portal_forms() -> list[type]:
    _import_app_modules()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in APPS
        and not (issubclass(cls, BaseModelForm) and cls._meta.model is None)
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = portal_forms()


def _arguments(form_class) -> tuple[set[str], set[str]]:
    """The names the __init__s in the form's ancestry take, and those they require.

    Every __init__ counts, as a mixin's (*args, **kwargs) hides what its parent requires.
    """
    taken, needed = set(), set()
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass in (forms.BaseForm, BaseModelForm, object):
            continue
        for name, param in list(inspect.signature(init).parameters.items())[1:]:
            if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                taken.add(name)
                if param.default is param.empty:
                    needed.add(name)
    return taken, needed


def form_factory(form_class):
    taken, needed = _arguments(form_class)
    unknown = needed - set(CONSTRUCTOR_ARGUMENTS)
    assert not unknown, (
        f"{form_class.__qualname__} needs {sorted(unknown)}: add a value to CONSTRUCTOR_ARGUMENTS "
        "so its numeric fields are checked too."
    )
    # Optional ones too: a form may build its numeric fields from them (one score per enrolment).
    arguments = {name: make() for name, make in CONSTRUCTOR_ARGUMENTS.items() if name in taken}
    return lambda data=None: form_class(data=data, **arguments)


def numeric_fields(form) -> dict:
    return {name: field for name, field in form.fields.items() if isinstance(field, NUMERIC)}


def _takes_decimals(field) -> bool:
    # Django's DecimalField and FloatField are IntegerFields too.
    return isinstance(field, forms.DecimalField | forms.FloatField)


def _in_bounds_samples(field) -> list[str]:
    """Latin texts the field accepts: a grouped one when it can (12000), a small one, a decimal one."""
    candidates = ["12000", "1234", "120", "12", "1"]
    if _takes_decimals(field):
        candidates += ["12.5", "1.25"]
    accepted = []
    for text in candidates:
        try:
            field.clean(text)
        except ValidationError:
            continue
        accepted.append(text)
    return accepted


def _spellings(latin: str) -> list[str]:
    """The same number as people type it: Persian or Arabic-Indic digits, grouped, with ٫ for decimals."""
    whole, _sep, fraction = latin.partition(".")
    persian_fraction = f"٫{to_persian_digits(fraction)}" if fraction else ""
    spellings = [to_persian_digits(latin).replace(".", "٫"), latin.translate(ARABIC_INDIC).replace(".", "٫")]
    spellings += [
        to_persian_digits(latin),
        f" {to_persian_digits(whole)}{persian_fraction} ",
        f"\u200f{latin}",
    ]
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        for separator in (",", "٬", "،", " ", "\u200c", "\u00a0"):
            grouped = f"{head}{separator}{tail}"
            spellings += [to_persian_digits(grouped) + persian_fraction, grouped.translate(ARABIC_INDIC)]
            spellings.append(f"{grouped}.{fraction}" if fraction else grouped)
    return spellings


def numeric_field_problems(make_form, name) -> list[str]:
    """What is wrong with one numeric field of a form; an empty list when nothing is."""
    form = make_form()
    field = form.fields[name]
    problems = []
    if not isinstance(field, LocalizedNumberField):
        problems.append(f"is a {type(field).__name__}, not one of greenjobs.forms' number fields")
    html = form[name].as_widget()
    if re.search(r'type="number"|\spattern=', html):
        problems.append(f"renders a widget the browser filters: {html}")

    samples = _in_bounds_samples(field)
    if not samples:
        problems.append("accepts none of the sample values 12000, 1234, 120, 12, 1")
    for latin in samples:
        expected = field.clean(latin)
        for typed in _spellings(latin):
            try:
                got = field.clean(typed)
            except ValidationError as exc:
                problems.append(f"refuses {typed!r} ({latin}): {exc.messages}")
                continue
            if got != expected:
                problems.append(f"reads {typed!r} as {got!r}, not {expected!r}")

    garbage = GARBAGE if _takes_decimals(field) else [*GARBAGE, "۱۲٫۵", "12.5", "1.000"]
    for typed in garbage:
        bound = make_form({name: typed})
        try:
            bound.is_valid()
        except Exception as exc:  # any exception here is the defect looked for
            problems.append(f"raises {type(exc).__name__} on {typed[:20]!r}")
            continue
        if name not in bound.errors:
            problems.append(f"accepts {typed[:20]!r} as {bound.cleaned_data.get(name)!r}")

    with translation.override("fa"):
        for limit, outside in ((field.min_value, -1), (field.max_value, 1)):
            if limit is None:
                continue
            try:
                field.clean(str(limit + outside))
            except ValidationError as exc:
                message = " ".join(exc.messages)
                if re.search("[0-9]", message) or not re.search("[\u0600-\u06ff]", message):
                    problems.append(f"says {message!r} in Persian, with Latin digits or untranslated")
            else:
                problems.append(f"accepts {limit + outside}, outside its limit {limit}")
    return problems


# --- the generated checks -----------------------------------------------------------------------------------

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_numeric_field_reads_any_digits_and_refuses_what_it_cannot_read(form_class):
    make_form = form_factory(form_class)

    problems = {name: numeric_field_problems(make_form, name) for name in numeric_fields(make_form())}

    assert {name: found for name, found in problems.items() if found} == {}


def test_the_walk_finds_the_forms_and_their_numeric_fields():
    found = {}
    for form_class in FORMS:
        names = sorted(numeric_fields(form_factory(form_class)()))
        if names:
            found[form_class.__qualname__] = names

    # A sample of every way a numeric field comes to be: declared, from the model, built in __init__.
    assert found["AssessmentItemForm"] == ["baseline", "current"]
    assert found["SchemeForm"] == [
        "budget", "grace_months", "interest_rate", "max_amount", "min_amount", "min_insured_days",
        "report_days", "shortfall_tolerance", "term_months", "weight_county", "weight_environment",
        "weight_jobs_per_rial", "weight_knowledge_based",
    ]  # fmt: skip
    assert found["CourseForm"] == ["hours", "min_attendance_percent", "pass_mark"]
    assert found["LocationForm"] == ["employees_total"]
    assert found["ActivityForm"] == ["employers_count", "others_count", "workers_count"]
    assert found["ResultsForm"] == ["practical_1", "practical_2", "theory_1", "theory_2"]
    assert found["SessionForm"] == ["capacity"]


# --- the checks catch what they are meant to catch ----------------------------------------------------------


class PlainNumbers(forms.Form):
    count = forms.IntegerField(min_value=0, max_value=100)
    weight = forms.DecimalField(max_digits=6, decimal_places=2)
    rate = forms.FloatField(required=False)


class PlainModelNumbers(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["hours"]


@pytest.mark.parametrize(
    ("form_class", "name"),
    [(PlainNumbers, "count"), (PlainNumbers, "weight"), (PlainNumbers, "rate"), (PlainModelNumbers, "hours")],
)
def test_a_plain_django_number_field_is_caught(form_class, name):
    problems = numeric_field_problems(form_factory(form_class), name)

    assert problems[0].startswith("is a ")
    assert any('type="number"' in problem for problem in problems)


# --- the API: the same reading for every numeric input of every serializer ----------------------------------

# Response shapes: never read from a request, so they keep DRF's plain fields.
OUTPUT_ONLY = {"AttendanceResultSerializer", "ScheduleSerializer", "ScheduleTotalsSerializer"}


def portal_serializers() -> list[type]:
    _import_app_modules()
    found = {
        cls
        for cls in _subclasses(serializers.BaseSerializer)
        if cls.__module__.split(".")[0] in APPS
        and not issubclass(cls, serializers.ListSerializer)
        and cls.__name__ not in OUTPUT_ONLY
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def numeric_inputs(serializer) -> dict:
    found = {}
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListField):
            name, field = f"{name}[]", field.child
        if isinstance(field, API_NUMERIC) and not field.read_only:
            found[name] = field
    return found


API_NUMERIC = (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)


def api_field_problems(field) -> list[str]:
    problems = []
    if not isinstance(field, LocalIntegerInput | LocalDecimalInput):
        problems.append(f"is a {type(field).__name__}, not one of greenjobs.api_fields' number fields")
    for latin in ("12000", "1234", "12", "1", "12.5"):
        try:
            expected = field.run_validation(latin)
        except serializers.ValidationError:
            continue
        for typed in _spellings(latin):
            try:
                got = field.run_validation(typed)
            except serializers.ValidationError as exc:
                problems.append(f"refuses {typed!r}: {exc.detail}")
                continue
            if got != expected:
                problems.append(f"reads {typed!r} as {got!r}, not {expected!r}")
    garbage = GARBAGE if isinstance(field, serializers.DecimalField) else [*GARBAGE, "۱۲٫۵", "12.5", "1.000"]
    for typed in [*garbage, 10**30, -(10**30), float("inf"), float("nan"), True, [1], {"a": 1}]:
        try:
            field.run_validation(typed)
        except serializers.ValidationError:
            continue
        except Exception as exc:  # any exception but a validation error is a server error
            problems.append(f"raises {type(exc).__name__} on {str(typed)[:20]!r}")
        else:
            problems.append(f"accepts {str(typed)[:20]!r}")
    return problems


SERIALIZERS = portal_serializers()


@pytest.mark.parametrize(
    "serializer_class", SERIALIZERS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}"
)
def test_every_numeric_api_input_reads_any_digits_and_refuses_what_it_cannot_read(serializer_class):
    inputs = numeric_inputs(serializer_class())

    problems = {name: api_field_problems(field) for name, field in inputs.items()}

    assert {name: found for name, found in problems.items() if found} == {}


def test_the_api_walk_finds_the_numeric_inputs():
    found = {cls.__qualname__: sorted(numeric_inputs(cls())) for cls in SERIALIZERS if numeric_inputs(cls())}

    assert found["AssessmentItemWriteSerializer"] == ["baseline", "current", "item_id"]
    assert found["ScoreSerializer"] == ["enrolment", "practical", "theory"]
    assert found["PlannedJobWriteSerializer"] == ["count"]
    assert found["AttendanceWriteSerializer"] == ["present[]"]
    assert found["LoanSchemeWriteSerializer"] == [
        "budget", "grace_months", "interest_rate", "max_amount", "min_amount", "term_months",
        "weight_county", "weight_environment", "weight_jobs_per_rial", "weight_knowledge_based",
    ]  # fmt: skip
