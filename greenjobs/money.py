"""Money is stored as whole Rials (integers); a Toman is ten Rials."""

from .formats import format_money


def format_amount(rials: int | None, unit: str = "rial") -> str:
    """Kept for the callers that name it so; the formatting itself is `formats.format_money`."""
    return format_money(rials, unit)
