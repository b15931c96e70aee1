"""Text folding for Persian input: digits in any script, Arabic letter forms, zero-width characters."""

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
# Arabic forms that Persian keyboards and older systems still produce for the same letters.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا"})
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
_SPACES = re.compile(r"\s+")


def fold_digits(value: str) -> str:
    """Persian and Arabic-Indic digits become Latin ones; everything else is kept."""
    return value.translate(_TO_LATIN)


def to_persian_digits(value) -> str:
    return str(value).translate(_TO_PERSIAN)


def normalize_persian(value: str) -> str:
    """The canonical stored form of a Persian text: Persian letter forms, single spaces.

    Digits are kept as the person typed them ("کوچه ۱۲" stays so): free text is shown back as
    written, and digits are folded only where the value is a number or an identifier (its own
    normaliser does that) and in search_key, for matching. The zero-width non-joiner is kept inside
    words, where it is correct Persian, but stray bidirectional marks and tatweel are dropped.
    """
    value = value.translate(_LETTERS)
    value = re.sub("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]", "", value)
    value = _DIACRITICS.sub("", value)
    return _SPACES.sub(" ", value).strip()


def search_key(value: str) -> str:
    """A form for matching, not for display: two spellings of one word give the same key.

    Persian writes the same compound with a ZWNJ, a space or nothing at all (مشوق‌ها, مشوق ها,
    مشوقها), so the key drops all three between letters.
    """
    value = fold_digits(normalize_persian(value or ""))
    value = _ZERO_WIDTH.sub("", value.replace("\u200c", ""))
    return value.replace(" ", "").casefold()
