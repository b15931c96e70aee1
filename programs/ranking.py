"""The priority ranking of a G6 project's bids: a pure function, so anyone can redo the sum by hand.

score = w_price × (lowest bid ÷ this bid)
      + w_tech × (technical score ÷ 100)
      + w_kb × (1 if knowledge-based and the status date is on or before the bids' closing date, else 0)

The project's three weights are scaled so they add up to 100, so a score is out of 100. Each part is
rounded to two decimals (half up) and the score is the sum of the rounded parts: the numbers on the
page add up exactly. Ties go to the lower bid, then the earlier submission, then the earlier record.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from greenjobs import formats
from greenjobs.jalali import format_date

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def normalised_weights(project) -> dict[str, Decimal]:
    """The weights scaled to add up to 100 (unrounded); all zero if the project gave none."""
    raw = {
        "price": Decimal(project.weight_price or 0),
        "technical": Decimal(project.weight_technical or 0),
        "knowledge_based": Decimal(project.weight_knowledge_based or 0),
    }
    total = sum(raw.values())
    if not total:
        return dict.fromkeys(raw, Decimal(0))
    return {name: HUNDRED * weight / total for name, weight in raw.items()}


def knowledge_based_counts(project, bid) -> bool:
    """A knowledge-based status counts only if it was held by the day bids closed."""
    return bool(
        bid.is_knowledge_based
        and bid.knowledge_based_as_of is not None
        and bid.knowledge_based_as_of <= project.bids_close_on
    )


def ranking(project, bids) -> list[dict]:
    """Every bid with its three parts and its score, best first; the first row is the top-ranked bid."""
    bids = list(bids)
    if not bids:
        return []
    weights = normalised_weights(project)
    lowest = min(Decimal(bid.amount) for bid in bids)
    rows = []
    for bid in bids:
        counts = knowledge_based_counts(project, bid)
        parts = {
            "price": _round(weights["price"] * lowest / Decimal(bid.amount)),
            "technical": _round(weights["technical"] * Decimal(bid.technical_score) / HUNDRED),
            "knowledge_based": _round(weights["knowledge_based"]) if counts else Decimal("0.00"),
        }
        rows.append(
            {
                "bid": bid,
                "parts": parts,
                "score": sum(parts.values(), Decimal("0.00")),
                "knowledge_based_counts": counts,
            }
        )
    rows.sort(key=lambda row: (-row["score"], row["bid"].amount, row["bid"].submitted_on, row["bid"].pk or 0))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _number(value: Decimal) -> str:
    return formats.format_number(_round(value))


def formula_text(project) -> str:
    """The formula in words, with this project's weights, in the reader's language and digits."""
    weights = normalised_weights(project)
    return _(
        "Score = %(price)s × (lowest bid ÷ this bid) + %(technical)s × (technical score ÷ 100) "
        "+ %(kb)s × (1 if the bidder was knowledge-based on or before the bids' closing date, "
        "%(closes)s, otherwise 0). The weights are the project's, scaled to add up to 100; each part "
        "is rounded to two decimals and the score is their sum. Ties go to the lower bid."
    ) % {
        "price": _number(weights["price"]),
        "technical": _number(weights["technical"]),
        "kb": _number(weights["knowledge_based"]),
        "closes": format_date(project.bids_close_on),
    }
