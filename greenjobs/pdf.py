"""What the portal's PDFs (certificates, progress reports) share: the fonts, the writer, and WeasyPrint
ready before anyone asks."""

import base64
import time
from pathlib import Path

from django.conf import settings

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "fonts"

_PAGE = """<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Vazirmatn"; src: url("{regular}") format("truetype"); font-weight: 400; }}
@font-face {{ font-family: "Vazirmatn"; src: url("{bold}") format("truetype"); font-weight: 700; }}
@page {{ size: A4; @bottom-center {{ content: "۱"; font-family: "Vazirmatn"; }} }}
html {{ font-family: "Vazirmatn", sans-serif; }}
</style></head><body><p>گواهی‌نامهٔ آموزش ۱۴۰۵ — Training certificate 2026</p>
<p><b>گزارش پیشرفت — Progress report</b></p><table><tr><td>۱۲٬۰۰۰</td><td>12,000</td></tr></table>
<img src="data:image/svg+xml;base64,{svg}"></body></html>"""
# A QR code is an SVG picture: its drawing code is loaded too.
_SVG = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><path d="M0,0H4V4H0z"/></svg>'
)


def fonts() -> dict:
    """The template context a PDF page needs for its @font-face rules (Vazirmatn regular and bold)."""
    return {
        "font_regular": (FONT_DIR / "Vazirmatn-Regular.ttf").as_uri(),
        "font_bold": (FONT_DIR / "Vazirmatn-Bold.ttf").as_uri(),
    }


def write_pdf(html: str) -> bytes:
    """The PDF of a page laid out with the portal's fonts."""
    # Imported here: loading WeasyPrint pulls in Pango and fontconfig, which only PDF writers need.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def warm_up() -> float:
    """Lay out and write one small page in the fonts the certificates and reports use.

    The first PDF a process writes pays for loading Pango, fontconfig and the fonts (5–7 s); the
    next ones take well under a second. A worker does this once as it starts, so no person waits
    for the cold start. Returns the seconds it took.
    """
    started = time.monotonic()
    context = fonts()
    html = _PAGE.format(regular=context["font_regular"], bold=context["font_bold"], svg=_SVG.decode("ascii"))
    write_pdf(html)
    return time.monotonic() - started
