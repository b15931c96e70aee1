from django import template

from ..selectors_certificates import certified_employees as count_certified

register = template.Library()


@register.inclusion_tag("training/certificates/_certified_employees.html")
def certified_employees(business):
    """How many of a business's green-job holders hold a valid green-skill certificate (one query)."""
    certified, total = count_certified(business) if business is not None else (0, 0)
    return {"business": business, "certified": certified, "total": total}
