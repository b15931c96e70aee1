import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from greenjobs.forms import JalaliDateField
from greenjobs.jalali import JalaliDateError, format_date, format_datetime, month_length, parse_jalali
from greenjobs.text import to_persian_digits

LAST_DAY_OF_1403 = datetime.date(2025, 3, 20)
SIGNING_DAY = datetime.date(2015, 4, 19)


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load portal %}" + source).render(Context(context))


# --- parsing ---


def test_the_30th_of_esfand_exists_in_the_leap_year_1403():
    assert parse_jalali("1403/12/30") == LAST_DAY_OF_1403


def test_the_30th_of_esfand_does_not_exist_in_1404():
    with translation.override("en"):
        with pytest.raises(JalaliDateError) as excinfo:
            parse_jalali("1404/12/30")
        assert str(excinfo.value) == "There is no such day in the Jalali calendar."


def test_the_memorandum_signing_day_converts_to_the_gregorian_date():
    assert parse_jalali("1394/01/30") == SIGNING_DAY


@pytest.mark.parametrize("typed", ["۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30", "1403.12.30", " ۱۴۰۳/۱۲/۳۰ "])
def test_dates_typed_in_any_digits_and_separator_are_understood(typed):
    assert parse_jalali(typed) == LAST_DAY_OF_1403


def test_months_and_days_need_no_leading_zero():
    assert parse_jalali("1394/1/30") == SIGNING_DAY


@pytest.mark.parametrize("typed", ["", "tomorrow", "1403/12", "30/12/1403", "1403/12/30/1"])
def test_text_that_is_not_a_date_is_refused(typed):
    with translation.override("en"):
        with pytest.raises(JalaliDateError) as excinfo:
            parse_jalali(typed)
        assert str(excinfo.value) == "Enter a date as year/month/day, for example 1404/01/15."


@pytest.mark.parametrize("typed", ["1403/13/01", "1403/00/10", "1403/07/31", "1403/01/00"])
def test_impossible_months_and_days_are_refused(typed):
    with pytest.raises(JalaliDateError):
        parse_jalali(typed)


# --- formatting ---


def test_under_persian_a_date_is_shown_in_jalali_with_persian_digits():
    with translation.override("fa"):
        assert format_date(LAST_DAY_OF_1403) == "۱۴۰۳/۱۲/۳۰"
        assert format_date(LAST_DAY_OF_1403, "long") == "۳۰ اسفند ۱۴۰۳"
        assert format_date(SIGNING_DAY, "long") == "۳۰ فروردین ۱۳۹۴"


def test_under_english_a_date_is_shown_in_gregorian_with_latin_digits():
    with translation.override("en"):
        assert format_date(LAST_DAY_OF_1403) == "2025-03-20"
        assert format_date(LAST_DAY_OF_1403, "long") == "20 March 2025"


def test_an_aware_datetime_is_shown_on_the_tehran_calendar_day():
    # 21:00 UTC on 20 March 2025 is already 00:30 on Nowruz 1404 in Tehran.
    moment = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)

    with translation.override("fa"):
        assert format_date(moment) == "۱۴۰۴/۰۱/۰۱"
        assert format_datetime(moment) == "۱۴۰۴/۰۱/۰۱ ۰۰:۳۰"
    with translation.override("en"):
        assert format_date(moment) == "2025-03-21"
        assert format_datetime(moment) == "2025-03-21 00:30"


def test_a_datetime_in_another_zone_is_converted_before_formatting():
    moment = datetime.datetime(2025, 3, 21, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tehran"))

    with translation.override("fa"):
        assert format_datetime(moment) == "۱۴۰۴/۰۱/۰۱ ۰۰:۳۰"


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_missing_date_is_shown_as_nothing(language):
    with translation.override(language):
        assert format_date(None) == ""
        assert format_date("") == ""
        assert format_datetime(None) == ""


# --- template filters ---


def test_jdate_filter_under_persian_and_english():
    source = "{{ day|jdate }} | {{ day|jdate:'long' }}"

    assert render(source, "fa", day=LAST_DAY_OF_1403) == "۱۴۰۳/۱۲/۳۰ | ۳۰ اسفند ۱۴۰۳"
    assert render(source, "en", day=LAST_DAY_OF_1403) == "2025-03-20 | 20 March 2025"


def test_jdatetime_filter_under_persian_and_english():
    moment = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)

    assert render("{{ moment|jdatetime }}", "fa", moment=moment) == "۱۴۰۴/۰۱/۰۱ ۰۰:۳۰"
    assert render("{{ moment|jdatetime }}", "en", moment=moment) == "2025-03-21 00:30"


def test_digits_filter_shows_persian_digits_only_under_persian():
    assert render("{{ code|digits }}", "fa", code="G3") == "G۳"
    assert render("{{ count|digits }}", "fa", count=1405) == "۱۴۰۵"
    assert render("{{ code|digits }}", "en", code="G3") == "G3"
    assert render("[{{ nothing|digits }}]", "fa", nothing=None) == "[]"


def test_number_filter_groups_thousands_in_the_readers_digits():
    assert render("{{ n|number }}", "fa", n=1234567) == "۱٬۲۳۴٬۵۶۷"
    assert render("{{ n|number }}", "en", n=1234567) == "1,234,567"
    assert render("{{ n|number }}", "fa", n=0) == "۰"
    assert render("[{{ n|number }}]", "en", n=None) == "[]"


def test_rial_filter_shows_the_whole_amount_with_its_unit():
    assert render("{{ amount|rial }}", "fa", amount=12345670) == "۱۲٬۳۴۵٬۶۷۰ ریال"
    assert render("{{ amount|rial }}", "en", amount=12345670) == "12,345,670 Rial"


def test_toman_filter_shows_a_tenth_of_the_rials():
    assert render("{{ amount|toman }}", "fa", amount=12345670) == "۱٬۲۳۴٬۵۶۷ تومان"
    assert render("{{ amount|toman }}", "en", amount=12345670) == "1,234,567 Toman"


def test_money_filters_show_nothing_for_a_missing_amount():
    assert render("[{{ amount|rial }}{{ amount|toman }}]", "fa", amount=None) == "[]"


def test_pick_tag_chooses_the_readers_language_and_falls_back_to_the_other():
    source = "{% pick fa_text en_text %}"

    assert render(source, "fa", fa_text="محیط زیست", en_text="Environment") == "محیط زیست"
    assert render(source, "en", fa_text="محیط زیست", en_text="Environment") == "Environment"
    assert render(source, "en", fa_text="محیط زیست", en_text="") == "محیط زیست"


# --- the form field ---


class DateForm(forms.Form):
    day = JalaliDateField(required=False)


class RequiredDateForm(forms.Form):
    day = JalaliDateField()


def test_the_date_field_cleans_a_jalali_date_to_the_gregorian_date():
    form = DateForm({"day": "۱۴۰۳/۱۲/۳۰"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == LAST_DAY_OF_1403


def test_the_date_field_explains_that_the_day_does_not_exist():
    with translation.override("en"):
        form = DateForm({"day": "1404/12/30"})
        assert not form.is_valid()
        assert form.errors["day"] == ["There is no such day in the Jalali calendar."]
        assert form.errors.as_data()["day"][0].code == "invalid_date"


def test_the_date_field_explains_the_expected_format():
    with translation.override("en"):
        form = DateForm({"day": "20 March"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Enter a date as year/month/day, for example 2025-04-04."]


def test_the_date_field_gives_the_persian_message_under_persian():
    english = "There is no such day in the Jalali calendar."
    with translation.override("fa"):
        persian = translation.gettext(english)
        form = DateForm({"day": "1404/12/30"})
        assert not form.is_valid()
        assert form.errors["day"] == [persian]
    assert persian != english


def test_an_empty_optional_date_field_is_none():
    form = DateForm({"day": ""})

    assert form.is_valid()
    assert form.cleaned_data["day"] is None


def test_an_empty_required_date_field_is_refused():
    with translation.override("en"):
        form = RequiredDateForm({"day": "  "})
        assert not form.is_valid()
        assert form.errors["day"] == ["This field is required."]


def test_a_stored_date_is_shown_back_in_jalali():
    with translation.override("fa"):
        html = str(DateForm(initial={"day": LAST_DAY_OF_1403})["day"])

    assert 'value="۱۴۰۳/۱۲/۳۰"' in html
    assert 'placeholder="۱۴۰۴/۰۱/۱۵"' in html
    assert 'dir="ltr"' in html


@pytest.mark.parametrize(("language", "shown"), [("fa", "۱۴۰۳/۱۲/۳۰"), ("en", "2025-03-20")])
def test_the_date_field_shows_a_stored_date_as_the_page_shows_dates_and_reads_it_back_unchanged(
    language, shown
):
    stored = datetime.date(2025, 3, 20)
    with translation.override(language):
        field = JalaliDateField()
        assert field.prepare_value(stored) == shown
        assert field.clean(field.prepare_value(stored)) == stored


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("fa", "54000.00", "۵۴٬۰۰۰"),
        ("en", "54000.00", "54,000"),
        ("fa", "9.40", "۹٫۴"),
        ("en", "1300.25", "1,300.25"),
    ],
)
def test_quantities_are_grouped_without_trailing_zeros_in_the_readers_digits(language, value, shown):
    with translation.override(language):
        assert Template("{% load portal %}{{ value|quantity }}").render(Context({"value": value})) == shown


# --- the date input reads what the page shows (issue 9, defect 14) ---


def test_an_english_date_input_reads_the_gregorian_date_the_english_tables_show():
    with translation.override("en"):
        form = DateForm({"day": "2026-12-20"})
        shown = format_date(datetime.date(2026, 12, 20))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 20)
        assert DateForm({"day": shown}).is_valid()
        assert 'placeholder="2025-04-04"' in str(DateForm()["day"])


@pytest.mark.parametrize(
    ("language", "typed", "meant"),
    [
        ("en", "1403/12/30", LAST_DAY_OF_1403),
        ("fa", "2025-03-20", LAST_DAY_OF_1403),
        ("fa", "۲۰۲۵/۰۳/۲۰", LAST_DAY_OF_1403),
        ("fa", "۱۴۰۳/۱۲/۳۰", LAST_DAY_OF_1403),
    ],
)
def test_a_date_copied_from_the_other_language_is_read_by_its_year(language, typed, meant):
    with translation.override(language):
        form = DateForm({"day": typed})

        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == meant


@pytest.mark.parametrize("typed", ["2647/01/01", "0999-01-01", "1800-01-01"])
def test_a_year_of_neither_calendar_is_refused_rather_than_read_as_a_far_off_day(typed):
    with translation.override("en"):
        form = DateForm({"day": typed})

        assert not form.is_valid()
        year = typed[:4]
        assert form.errors["day"] == [
            f"{year} is not a year this portal can read; enter a date such as 2025-04-04."
        ]


def test_an_impossible_gregorian_day_is_refused():
    with translation.override("en"):
        form = DateForm({"day": "2025-02-30"})

        assert not form.is_valid()
        assert form.errors["day"] == ["There is no such day in the calendar."]


@pytest.mark.parametrize("value", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_a_stored_date_beyond_the_jalali_calendar_is_shown_not_raised(value):
    with translation.override("fa"):
        shown = format_date(value), format_date(value, "long")

    assert shown == (to_persian_digits(value.isoformat()),) * 2


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(1404, 1, 31), (1404, 6, 31), (1404, 7, 30), (1404, 11, 30), (1404, 12, 29), (1403, 12, 30)],
)
def test_month_length_follows_the_jalali_calendar_and_its_leap_esfand(year, month, days):
    assert month_length(year, month) == days
