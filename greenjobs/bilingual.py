"""The one rule for texts kept in both languages (`<name>_fa` / `<name>_en`): the reader's, else the other."""

from collections.abc import Mapping

from .jalali import is_persian


def pick(fa_text, en_text, language: str | None = None) -> str:
    """The variant for `language` (the active one when not given); falls back to the other when empty."""
    persian = language.startswith("fa") if language else is_persian()
    chosen = (fa_text or en_text) if persian else (en_text or fa_text)
    return chosen or ""


def pick_field(source, field: str, language: str | None = None) -> str:
    """`pick` on the `<field>_fa` / `<field>_en` pair of a model instance or a dict (a snapshot row)."""
    if isinstance(source, Mapping):
        return pick(source.get(f"{field}_fa"), source.get(f"{field}_en"), language)
    return pick(getattr(source, f"{field}_fa", ""), getattr(source, f"{field}_en", ""), language)


class Bilingual:
    """Mixin for models with `<name>_fa` / `<name>_en` pairs: `obj.tr("title")` picks one."""

    def tr(self, field: str) -> str:
        return pick_field(self, field)
