import pytest

from greenjobs.text import fold_digits, normalize_persian, search_key, to_persian_digits


def test_fold_digits_turns_persian_and_arabic_indic_digits_into_latin():
    assert fold_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert fold_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_fold_digits_keeps_everything_that_is_not_a_digit():
    assert fold_digits("کد ۱۲۳-abc ٤٥") == "کد 123-abc 45"


def test_to_persian_digits_turns_latin_and_arabic_indic_digits_into_persian():
    assert to_persian_digits("1403/12/30") == "۱۴۰۳/۱۲/۳۰"
    assert to_persian_digits("٤٥٦") == "۴۵۶"


def test_to_persian_digits_accepts_numbers():
    assert to_persian_digits(1405) == "۱۴۰۵"
    assert to_persian_digits(0) == "۰"


def test_normalize_persian_replaces_arabic_yeh_and_kaf_with_the_persian_letters():
    assert normalize_persian("علي كريمي") == "علی کریمی"
    assert normalize_persian("موسى") == "موسی"


def test_normalize_persian_collapses_spaces_and_keeps_the_digits_as_typed():
    assert normalize_persian("  زهرا \t  موسوی\n ۱۲ ") == "زهرا موسوی ۱۲"
    assert normalize_persian("کوچه 12") == "کوچه 12"


def test_search_key_matches_a_text_whatever_digits_it_was_typed_in():
    assert search_key("کوچه ۱۲") == search_key("کوچه 12") == search_key("كوچه ١٢")


def test_normalize_persian_keeps_the_zero_width_non_joiner_inside_words():
    assert normalize_persian("مشوق\u200cها") == "مشوق\u200cها"


def test_normalize_persian_drops_tatweel_and_bidirectional_marks():
    assert normalize_persian("\u200fمـحـمد\u200e") == "محمد"


@pytest.mark.parametrize(
    "spelling",
    ["مشوق\u200cها", "مشوق ها", "مشوقها", "مشوق\u200c\u200cها", " مشوق  ها "],
)
def test_search_treats_zwnj_space_and_nothing_between_parts_of_a_word_alike(spelling):
    assert search_key(spelling) == search_key("مشوقها")


@pytest.mark.parametrize("spelling", ["مشوق\u200cهاي", "مشوق هاي", "مشوقهاي", "مشوق\u200cهای", "مشوق های"])
def test_search_treats_arabic_yeh_like_persian_yeh_whatever_the_joiner(spelling):
    assert search_key(spelling) == search_key("مشوقهای")


def test_search_treats_arabic_kaf_like_persian_kaf():
    assert search_key("كارآفرين") == search_key("کارآفرین")


def test_search_key_tells_different_words_apart():
    assert search_key("مشوقها") != search_key("مشاغل")


def test_search_key_of_nothing_is_empty():
    assert search_key("") == ""
    assert search_key(None) == ""
