"""The one place templates format dates, digits and money (Jalali and Persian digits under fa)."""

from django import template
from django.utils.html import format_html

from greenjobs import bilingual, formats

register = template.Library()


@register.filter
def jdate(value, style="short"):
    return formats.format_date(value, style)


@register.filter
def jdatetime(value):
    return formats.format_datetime(value)


@register.filter
def digits(value):
    """An ungrouped numeral (a year, a count in a label) in the reader's digits."""
    return formats.format_digits(value)


@register.filter
def identifier(value):
    """A tracking number, national ID, serial or code: as stored, Latin digits, left to right, in every
    language, so what is read is exactly what can be typed into a search box (see greenjobs.formats)."""
    if value in (None, ""):
        return ""
    return format_html('<bdi class="identifier" dir="ltr">{}</bdi>', value)


@register.filter
def isolate(value):
    """A name someone typed (a person, a business, a centre) set inside a sentence: in a <bdi>, so a name
    in Latin letters or starting with digits does not reorder the Persian words around it (WCAG 1.3.2)."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def number(value):
    """A grouped whole number in the reader's digits."""
    return formats.format_number(value, 0)


@register.filter
def percent(value):
    """A percentage with its sign in the reader's script: ۴۵٪ under fa, 45% under en."""
    return formats.format_percent(value)


@register.filter
def rial(value):
    return formats.format_money(value, "rial")


@register.filter
def toman(value):
    return formats.format_money(value, "toman")


@register.simple_tag
def pick(fa_text, en_text):
    """The fa or en variant of a bilingual field, falling back to whichever exists."""
    return bilingual.pick(fa_text, en_text)


@register.filter
def quantity(value):
    """A measured quantity: grouped, at most two decimals, no trailing zeros, in the reader's digits."""
    return formats.format_number(value)


@register.filter
def fields_with_errors(form):
    """The visible fields a form sent back with errors, for the summary that leads to each of them."""
    if not form or not getattr(form, "errors", None):
        return []
    return [field for field in form.visible_fields() if field.errors]
