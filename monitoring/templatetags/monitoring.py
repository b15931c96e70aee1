from django import template

from greenjobs.jalali import is_persian

from .. import months

register = template.Library()


@register.filter
def jmonth(value):
    """A round's or a list's month as the page shows months: ۱۴۰۵/۰۳ under fa, 1405/03 under en."""
    if not hasattr(value, "year"):
        return ""
    return months.label(value, persian=is_persian())
