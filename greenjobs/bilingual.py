from django.utils import translation


def pick(fa_text: str, en_text: str) -> str:
    """The variant for the active language; falls back to the other when one is empty."""
    if (translation.get_language() or "fa").startswith("fa"):
        return fa_text or en_text
    return en_text or fa_text


class Bilingual:
    """Mixin for models with `<name>_fa` / `<name>_en` pairs: `obj.tr("title")` picks one."""

    def tr(self, field: str) -> str:
        return pick(getattr(self, f"{field}_fa", ""), getattr(self, f"{field}_en", ""))
