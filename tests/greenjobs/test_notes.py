"""System notes are stored as codes and read in the reader's language (issue 9, defect 14)."""

import datetime

from django.utils import translation

from greenjobs import notes
from incentives.notes import tranche_paid
from programs.notes import imported_from


def test_a_system_note_reads_in_the_language_of_whoever_reads_it():
    with translation.override("fa"):
        stored = imported_from(name="registrations.csv")
        persian = notes.render(stored)
    with translation.override("en"):
        english = notes.render(stored)

    assert english == "Imported from registrations.csv"
    assert persian == "واردشده از فایل registrations.csv"


def test_a_tranche_note_carries_its_figures_in_the_readers_digits():
    stored = tranche_paid(amount=400_000_000, paid_on=datetime.date(2025, 5, 10))

    with translation.override("en"):
        assert notes.render(stored) == "Tranche of 400,000,000 Rials paid on 2025-05-10"
    with translation.override("fa"):
        shown = notes.render(stored)
    assert "۴۰۰٬۰۰۰٬۰۰۰" in shown and "۱۴۰۴/۰۲/۲۰" in shown


def test_text_a_person_typed_is_shown_as_typed_and_an_unknown_code_not_at_all():
    assert notes.render("پروانه را پیوست کنید.") == "پروانه را پیوست کنید."
    assert notes.render("") == ""
    assert notes.render(notes.system_note("no_such_code", x=1)) == ""
    assert notes.render("system:{broken") == ""
