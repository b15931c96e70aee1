import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from greenjobs.text import to_persian_digits
from greenjobs.validators import normalize_mobile, normalize_national_id, validate_national_id
from tests.factories import valid_national_id


def error_code(func, value):
    with pytest.raises(ValidationError) as excinfo:
        func(value)
    return excinfo.value.code


# --- national ID (کد ملی) ---


@pytest.mark.parametrize("nine_digits", ["037123456", "123456789", "498765432", "371000001", "999999998"])
def test_a_national_id_with_the_right_check_digit_is_accepted_unchanged(nine_digits):
    code = valid_national_id(nine_digits)

    assert normalize_national_id(code) == code
    assert validate_national_id(code) is None


def test_the_demo_applicants_national_id_is_valid():
    assert valid_national_id("037123456") == "0371234565"
    assert normalize_national_id("0371234565") == "0371234565"


@pytest.mark.parametrize("nine_digits", ["037123456", "123456789", "498765432"])
def test_every_wrong_check_digit_is_refused(nine_digits):
    code = valid_national_id(nine_digits)
    wrong_digits = [digit for digit in "0123456789" if digit != code[-1]]

    for digit in wrong_digits:
        assert error_code(normalize_national_id, nine_digits + digit) == "national_id_checksum"


def test_the_checksum_error_tells_the_person_what_is_wrong():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            normalize_national_id("0371234566")
        assert excinfo.value.messages == ["This national ID is not valid: its check digit does not match."]


@pytest.mark.parametrize("digit", "0123456789")
def test_a_code_of_one_repeated_digit_is_never_issued_and_is_refused(digit):
    assert error_code(normalize_national_id, digit * 10) == "national_id_repeated"


def test_persian_digits_are_accepted_and_stored_as_ascii():
    assert normalize_national_id("۰۳۷۱۲۳۴۵۶۵") == "0371234565"


def test_arabic_indic_digits_are_accepted_and_stored_as_ascii():
    assert normalize_national_id("٠٣٧١٢٣٤٥٦٥") == "0371234565"


def test_mixed_digit_scripts_and_separators_are_folded():
    assert normalize_national_id("۰۳۷-١٢٣٤٥6-5") == "0371234565"
    assert normalize_national_id(" 037 123 4565 ") == "0371234565"


def test_an_older_card_without_its_leading_zeros_is_padded_back():
    nine = valid_national_id("012345678")  # one leading zero
    eight = valid_national_id("001234567")  # two leading zeros

    assert normalize_national_id(nine[1:]) == nine
    assert normalize_national_id(eight[2:]) == eight
    assert normalize_national_id(to_persian_digits(eight[2:])) == eight


def test_padding_does_not_rescue_a_bad_check_digit():
    code = valid_national_id("001234567")
    wrong = code[2:-1] + str((int(code[-1]) + 1) % 10)

    assert error_code(normalize_national_id, wrong) == "national_id_checksum"


@pytest.mark.parametrize(
    "value",
    ["", "1234567", "12345678901", "03712345a5", "037123456X", "abcdefghij", "۰۳۷۱۲۳۴", "037/123/4565"],
)
def test_letters_and_wrong_lengths_are_refused_as_a_format_error(value):
    assert error_code(normalize_national_id, value) == "national_id_format"


def test_none_is_refused_as_a_format_error():
    assert error_code(normalize_national_id, None) == "national_id_format"


# --- mobile numbers ---


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "9121234567",
        "0912 123 4567",
        "0912-123-4567",
        "+98 912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "+۹۸۹۱۲۱۲۳۴۵۶۷",
    ],
)
def test_every_way_of_typing_a_mobile_number_gives_one_stored_form(typed):
    assert normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize(
    "value",
    [
        "02537712345",  # a Qom landline
        "+982537712345",  # the same landline in international form
        "2537712345",
        "0912123456",  # one digit short
        "091212345678",  # one digit too many
        "912123456",
        "09121234a67",
        "",
    ],
)
def test_landlines_and_malformed_numbers_are_refused(value):
    assert error_code(normalize_mobile, value) == "mobile_format"


def test_the_mobile_error_shows_an_example():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            normalize_mobile("02537712345")
        assert excinfo.value.messages == ["Enter an Iranian mobile number such as 0912 345 6789."]
