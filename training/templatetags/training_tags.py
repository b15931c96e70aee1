from django import template

from ..selectors.certificates import certified_employees as count_certified
from ..services.results import format_meeting_date

register = template.Library()


@register.inclusion_tag("training/certificates/_certified_employees.html")
def certified_employees(business):
    """How many of a business's green-job holders hold a valid green-skill certificate (one query)."""
    certified, total = count_certified(business) if business is not None else (0, 0)
    return {"business": business, "certified": certified, "total": total}


@register.filter
def meeting_date(value):
    """A meeting's date like |jdate, without failing on a year the Jalali calendar cannot show."""
    return format_meeting_date(value)
