"""Small SVG charts built on the server: the report's trends (WeasyPrint draws them) and the dashboards.

The markup uses presentation attributes only (no style attribute, no script), so it passes the portal's
content security policy when inlined in a page. Every piece of text is escaped here, so the result is
returned as a safe string a template can print as it is.

Right to left: the first label (the oldest period) stands on the right, the value axis on the right side,
as a Persian reader reads a time line.
"""

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from greenjobs import formats

FONT_FAMILY = "Vazirmatn, Tahoma, sans-serif"
COLOURS = ("#1e6b3a", "#2f7fb5", "#d08a1f", "#8a4fb0", "#b42335", "#4d7d86")
AXIS = "#6b7b71"
GRID = "#dfe6e1"
TEXT = "#1f2d24"

Number = int | float | Decimal | None


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    """A coordinate: two decimals at most, never an exponent."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_number(value: Number, *, compact: bool = False) -> str:
    """A value in the reader's digits: grouped, at most two decimals; `compact` shortens thousands up."""
    if value is None:
        return "—"
    amount = Decimal(str(value))
    suffix = ""
    if compact:
        for size, label in ((10**9, _("bn")), (10**6, _("m")), (10**3, _("k"))):
            if abs(amount) >= size:
                amount, suffix = amount / size, label
                break
    # One decimal at most once shortened, two otherwise; the digits are greenjobs.formats'.
    text = formats.format_number(amount.quantize(Decimal("0.1")) if suffix else amount)
    return f"{text}\u00a0{suffix}" if suffix else text


def _compact(value: Number) -> str:
    return format_number(value, compact=True)


def nice_ticks(low: float, high: float, count: int = 4, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high], always including zero; whole steps for counts."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, math.ceil(step))
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


class _Frame:
    """The plotting area and its scales, shared by the bar and the line chart."""

    def __init__(self, labels, all_values, *, width, height, rtl, format_value, legend_rows=0):
        self.labels = [str(label).split("\n") for label in labels]
        self.width, self.height, self.rtl = width, height, rtl
        self.format = format_value
        present = [float(v) for v in all_values if v is not None]
        self.ticks = nice_ticks(
            min(present, default=0.0), max(present, default=0.0), integer=all(v.is_integer() for v in present)
        )
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.axis_width = 10 + 4.6 * max(len(self.format(tick)) for tick in self.ticks)
        self.top = 12 + 14 * legend_rows
        self.bottom = height - 8 - 10 * max((len(lines) for lines in self.labels), default=1)
        self.start = self.axis_width if not rtl else 8
        self.end = width - 8 if not rtl else width - self.axis_width
        self.slot = (self.end - self.start) / max(len(self.labels), 1)

    def x(self, index: int) -> float:
        """The centre of the index-th slot, counted in the reading direction."""
        if self.rtl:
            return self.end - self.slot * (index + 0.5)
        return self.start + self.slot * (index + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - (float(value) - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def axes(self) -> list[str]:
        parts = []
        tick_x = self.end + 4 if self.rtl else self.start - 4
        anchor = "start" if self.rtl else "end"
        for tick in self.ticks:
            y = _num(self.y(tick))
            parts.append(
                f'<line x1="{_num(self.start)}" y1="{y}" x2="{_num(self.end)}" y2="{y}" '
                f'stroke="{GRID}" stroke-width="0.6"/>'
            )
            parts.append(
                f'<text x="{_num(tick_x)}" y="{y}" dy="0.35em" text-anchor="{anchor}" font-size="8" '
                f'fill="{AXIS}">{escape(self.format(tick))}</text>'
            )
        zero = _num(self.y(0))
        parts.append(
            f'<line x1="{_num(self.start)}" y1="{zero}" x2="{_num(self.end)}" y2="{zero}" '
            f'stroke="{AXIS}" stroke-width="0.8"/>'
        )
        for index, lines in enumerate(self.labels):
            # One <text> per line: tspans with dy are not drawn alike everywhere (WeasyPrint).
            for number, line in enumerate(lines):
                parts.append(
                    f'<text x="{_num(self.x(index))}" y="{_num(self.bottom + 10 + 10 * number)}" '
                    f'text-anchor="middle" font-size="8" fill="{AXIS}">{escape(line)}</text>'
                )
        return parts


def _svg(parts: list[str], *, width: int, height: int, title: str) -> SafeString:
    # No direction attribute: it would flip what text-anchor="start" means; the anchors here are physical.
    label = f' aria-label="{_attr(title)}"' if title else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_attr(FONT_FAMILY)}"{label}>'
    )
    caption = f"<title>{escape(title)}</title>" if title else ""
    return mark_safe(head + caption + "".join(parts) + "</svg>")  # noqa: S308 - every text above is escaped


def _empty(frame: _Frame) -> str:
    return (
        f'<text x="{_num(frame.width / 2)}" y="{_num((frame.top + frame.bottom) / 2)}" text-anchor="middle" '
        f'font-size="9" fill="{AXIS}">{escape(_("No data"))}</text>'
    )


def bar_chart(
    labels: Sequence,
    values: Sequence[Number],
    *,
    title: str = "",
    width: int = 320,
    height: int = 150,
    rtl: bool = False,
    colour: str = COLOURS[0],
    show_values: bool = True,
    format_value: Callable[[Number], str] | None = None,
) -> SafeString:
    """One bar per label; a missing value (None) leaves its slot empty.

    `title` is the accessible name (not drawn: a page puts its caption in HTML). A label may hold a line
    break ("1405\nQ3") to stack on two lines under narrow bars. `format_value` writes the ticks and the
    values; by default grouped in the reader's digits, shortened to k/m/bn.
    """
    format_value = format_value or _compact
    frame = _Frame(labels, values, width=width, height=height, rtl=rtl, format_value=format_value)
    parts = frame.axes()
    bar = frame.slot * 0.6
    for index, value in enumerate(values):
        if value is None:
            continue
        top, base = frame.y(value), frame.y(0)
        x = frame.x(index) - bar / 2
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(min(top, base))}" width="{_num(bar)}" '
            f'height="{_num(max(abs(base - top), 0.5))}" fill="{_attr(colour)}"/>'
        )
        if show_values:
            parts.append(
                f'<text x="{_num(frame.x(index))}" y="{_num(min(top, base) - 3)}" text-anchor="middle" '
                f'font-size="7.5" fill="{TEXT}">{escape(format_value(value))}</text>'
            )
    if all(value is None for value in values):
        parts.append(_empty(frame))
    return _svg(parts, width=width, height=height, title=title)
