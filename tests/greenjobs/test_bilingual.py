"""One rule picks the fa or en variant of a text: the reader's language, else whichever exists."""

from types import SimpleNamespace

from django.utils import translation

from greenjobs.bilingual import pick, pick_field


def test_pick_follows_the_active_language_and_falls_back_to_the_other():
    with translation.override("fa"):
        assert (pick("آب", "Water"), pick("", "Water"), pick(None, None)) == ("آب", "Water", "")
    with translation.override("en"):
        assert (pick("آب", "Water"), pick("آب", ""), pick(None, "")) == ("Water", "آب", "")


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("en"):
        assert pick("آب", "Water", "fa") == "آب"
    with translation.override("fa"):
        assert pick("آب", "Water", "en") == "Water"


def test_pick_field_reads_a_dict_row_and_an_object_alike():
    row = {"name_fa": "قم", "name_en": "Qom"}
    county = SimpleNamespace(name_fa="قم", name_en="")

    assert (pick_field(row, "name", "en"), pick_field(row, "name", "fa")) == ("Qom", "قم")
    assert pick_field(county, "name", "en") == "قم"
    assert pick_field({}, "name", "en") == ""
