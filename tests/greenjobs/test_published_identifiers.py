"""Check digits against identifiers published outside this project, worked by hand below.

The factories and the demo compute check digits with the same formula as the validators, so a mistake in
that formula would pass every other test; these examples do not depend on it.

National ID (کد ملی): s = Σ digit[i]·(10−i) over the first nine digits, r = s mod 11, check = r if r < 2
else 11 − r.
  0076229645: 0·10 + 0·9 + 7·8 + 6·7 + 2·6 + 2·5 + 9·4 + 6·3 + 4·2 = 56+42+12+10+36+18+8 = 182;
              182 mod 11 = 6; 11 − 6 = 5 ✓
  1583250689: 10 + 45 + 64 + 21 + 12 + 25 + 0 + 18 + 16 = 211; 211 mod 11 = 2; 11 − 2 = 9 ✓
  0011537027 (printed on older cards as 11537027): 0 + 0 + 8 + 7 + 30 + 15 + 28 + 0 + 4 = 92;
              92 mod 11 = 4; 11 − 4 = 7 ✓

Legal-entity national ID (شناسه ملی): t = digit[9] + 2, s = Σ (t + digit[i])·w[i] over the first ten
digits with w = 29 27 23 19 17 29 27 23 19 17, r = s mod 11 (10 counts as 0), check = r.
  10380284790: t = 11; 12·29 + 11·27 + 14·23 + 19·19 + 11·17 + 13·29 + 19·27 + 15·23 + 18·19 + 20·17
              = 348+297+322+361+187+377+513+345+342+340 = 3432 = 11·312; r = 0 ✓
  10380285692 (published as invalid): t = 11; … + 19·27 + 16·23 + 17·19 + 20·17 = 3436; r = 4 ≠ 2
  09748208301 (published as invalid): t = 2; 58+297+207+114+170+116+54+230+95+34 = 1375 = 11·125;
              r = 0 ≠ 1
"""

import pytest
from django.core.exceptions import ValidationError

from greenjobs.validators import normalize_business_id, normalize_national_id
from tests.factories import valid_business_id, valid_national_id


def error_code(func, value):
    with pytest.raises(ValidationError) as excinfo:
        func(value)
    return excinfo.value.code


@pytest.mark.parametrize("code", ["0076229645", "1583250689", "0011537027"])
def test_published_national_ids_are_accepted(code):
    assert normalize_national_id(code) == code


def test_a_published_national_id_printed_without_its_leading_zeros_is_accepted():
    assert normalize_national_id("11537027") == "0011537027"


@pytest.mark.parametrize(
    "code",
    [
        "0076229646",  # the published 0076229645 with the check digit one higher
        "1583250680",  # 1583250689 with a zero check digit
        "0011537072",  # 0011537027 with its last two digits swapped
        "1234567890",  # 10+18+24+28+30+30+28+24+18 = 210, r = 1, so the check digit must be 1
    ],
)
def test_national_ids_with_a_wrong_check_digit_are_refused(code):
    assert error_code(normalize_national_id, code) == "national_id_checksum"


def test_a_published_legal_entity_id_is_accepted():
    assert normalize_business_id("10380284790") == "10380284790"


@pytest.mark.parametrize(
    "code",
    [
        "10380284792",  # published as invalid: the valid 10380284790 with another check digit
        "10380285692",
        "09748208301",
    ],
)
def test_published_invalid_legal_entity_ids_are_refused(code):
    assert error_code(normalize_business_id, code) == "business_id_checksum"


def test_a_legal_entity_id_of_one_repeated_digit_is_refused():
    assert error_code(normalize_business_id, "11111111111") == "business_id_repeated"


def test_the_factories_check_digits_agree_with_the_published_examples():
    assert valid_national_id("007622964") == "0076229645"
    assert valid_national_id("158325068") == "1583250689"
    assert valid_national_id("001153702") == "0011537027"
    assert valid_business_id("1038028479") == "10380284790"
