"""The priority score: the scheme's weights applied to four factors, each between 0 and 1.

Kept as a pure function so staff can be shown exactly how a score was reached.
"""

from decimal import ROUND_HALF_UP, Decimal

# The level at which a factor counts in full.
JOBS_PER_BILLION_RIAL_FULL = Decimal(10)
SAVINGS_FULL = {
    "energy_saving_kwh": 100_000,
    "water_saving_m3": 5_000,
    "materials_saving_t": 50,
    "waste_reduction_t": 50,
}


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def factors(application) -> dict[str, Decimal]:
    business, scheme = application.business, application.scheme
    billions = Decimal(application.amount) / Decimal(1_000_000_000) if application.amount else Decimal(0)
    jobs_per_billion = Decimal(application.jobs_to_create) / billions if billions else Decimal(0)
    savings = sum(
        Decimal(getattr(application, field) or 0) / Decimal(full) for field, full in SAVINGS_FULL.items()
    )
    priority_counties = {county.pk for county in scheme.priority_counties.all()}
    return {
        "knowledge_based": Decimal(1) if business.is_knowledge_based else Decimal(0),
        "jobs_per_rial": _clamp(jobs_per_billion / JOBS_PER_BILLION_RIAL_FULL),
        "environment": _clamp(savings / 2),
        "county": Decimal(1) if business.county_id in priority_counties else Decimal(0),
    }


def score(application) -> tuple[Decimal, dict]:
    scheme = application.scheme
    weights = {
        "knowledge_based": scheme.weight_knowledge_based,
        "jobs_per_rial": scheme.weight_jobs_per_rial,
        "environment": scheme.weight_environment,
        "county": scheme.weight_county,
    }
    total_weight = sum(weights.values()) or 1
    values = factors(application)
    breakdown = {}
    total = Decimal(0)
    for name, weight in weights.items():
        points = (Decimal(100) * weight * values[name] / total_weight).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        breakdown[name] = {
            "weight": weight,
            "value": str(values[name].quantize(Decimal("0.001"))),
            "points": str(points),
        }
        total += points
    return total.quantize(Decimal("0.01")), breakdown
