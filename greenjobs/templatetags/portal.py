"""The one place templates format dates, digits and money (Jalali and Persian digits under fa)."""

from decimal import Decimal

from django import template

from greenjobs import jalali, money
from greenjobs.text import to_persian_digits

register = template.Library()


@register.filter
def jdate(value, style="short"):
    return jalali.format_date(value, style)


@register.filter
def jdatetime(value):
    return jalali.format_datetime(value)


@register.filter
def digits(value):
    """Numbers in the reader's digits: Persian under fa, unchanged under en."""
    if value is None:
        return ""
    return to_persian_digits(value) if jalali.is_persian() else str(value)


@register.filter
def number(value):
    """A grouped integer in the reader's digits."""
    if value in (None, ""):
        return ""
    grouped = f"{int(value):,}"
    return to_persian_digits(grouped.replace(",", "٬")) if jalali.is_persian() else grouped


@register.filter
def rial(value):
    return money.format_amount(value, "rial")


@register.filter
def toman(value):
    return money.format_amount(value, "toman")


@register.simple_tag(takes_context=True)
def pick(context, fa_text, en_text):
    """The fa or en variant of a bilingual field, falling back to whichever exists."""
    if jalali.is_persian():
        return fa_text or en_text
    return en_text or fa_text


@register.filter
def quantity(value):
    """A measured quantity: grouped, at most two decimals, no trailing zeros, in the reader's digits."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    if jalali.is_persian():
        return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))
    return text
