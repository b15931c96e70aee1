"""Money is stored as whole Rials (integers); a Toman is ten Rials."""

from django.utils.translation import gettext as _

from .jalali import is_persian
from .text import to_persian_digits


def format_amount(rials: int | None, unit: str = "rial") -> str:
    if rials is None:
        return ""
    amount = int(rials) // 10 if unit == "toman" else int(rials)
    grouped = f"{amount:,}"
    if is_persian():
        grouped = to_persian_digits(grouped.replace(",", "٬"))
    label = _("Toman") if unit == "toman" else _("Rial")
    return f"{grouped} {label}"
