"""The progress report reads like an official document: an executive summary with each goal's traffic
light and the period's headline numbers, and no page left half empty except where a part ends. Pictures
of every page are kept under var/test-artifacts/report-<language>-<n>.png."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from PIL import Image

from measurement import pdf as report_pdf
from measurement.periods import Period
from measurement.services import reports

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.mark.parametrize(
    ("percents", "light"),
    [
        ([120, 95, None], "green"),
        ([90], "green"),
        ([89.9, 100], "green"),
        ([60, 70], "amber"),
        ([10, 95], "amber"),
        ([10, 20, 30], "red"),
        ([None, None], "none"),
        ([], "none"),
        ([1000, 0], "amber"),  # one indicator far past its target cannot hide another at nothing
    ],
)
def test_a_goals_light_is_the_mean_share_of_target(percents, light):
    with translation.override("en"):
        status = report_pdf.goal_status([{"percent": value} for value in percents])
    assert status["light"] == light
    assert status["label"]  # said in words too, never by colour alone


def test_the_summary_comes_first_with_a_light_for_every_goal_and_the_headline_numbers(demo_once):
    snapshot = reports.build_snapshot(Period.parse("1405-Q2"))
    html = report_pdf.report_html(snapshot, "en")
    summary = html.split('data-section="summary"')[1].split("</section>")[0]
    assert html.index('data-section="summary"') < html.index("data-goal=")
    assert summary.count("data-light=") == len(snapshot["goals"])
    for words in ("Green businesses verified", "Loans approved", "Loans paid out", "Certificates issued"):
        assert words in summary
    persian = report_pdf.report_html(snapshot, "fa")
    assert "خلاصهٔ مدیریتی" in persian


def page_fill(picture: Path) -> float:
    """How far down the page something is printed, above the running footer, as a share of the page."""
    image = Image.open(picture).convert("L")
    width, height = image.size
    body_bottom = int(height * 0.92)  # the footer's band is not content
    pixels = image.load()
    lowest = 0
    for y in range(int(height * 0.05), body_bottom):
        if any(pixels[x, y] < 200 for x in range(int(width * 0.05), int(width * 0.95), 3)):
            lowest = y
    return lowest / body_bottom


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not settings.REQUIRE_SERVICES, reason="poppler")
@pytest.mark.parametrize("language", ["fa", "en"])
def test_no_page_is_more_than_half_empty_but_the_cover_the_summary_and_the_last(
    demo_once, tmp_path, language
):
    snapshot = reports.build_snapshot(Period.parse("1405-Q2"))
    document = tmp_path / "report.pdf"
    document.write_bytes(report_pdf.render(snapshot, language))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"report-{language}-*.png"):
        old.unlink()
    command = ["pdftoppm", "-r", "30", "-png", str(document), str(ARTIFACTS / f"report-{language}")]
    subprocess.run(command, check=True, timeout=120)  # noqa: S603 - poppler's tool on our own file
    pages = sorted(ARTIFACTS.glob(f"report-{language}-*.png"))
    assert len(pages) >= 4
    fills = {page.name: round(page_fill(page), 2) for page in pages}
    middle = pages[2:-1]  # after the cover and the summary, before the last page
    assert all(fills[page.name] >= 0.5 for page in middle), fills
