"""Progress reports: the charts, the PDF's layout, the exports, who may see and download them, the request
form, the live progress, idempotent and failing runs, the command line, and the list's query count."""

import datetime
import hashlib
import io
import re
import unicodedata
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from agencies.seed import GOALS
from greenjobs.pdf import FONT_DIR
from measurement import charts, exports, tasks
from measurement import pdf as report_pdf
from measurement.models import ReportJob
from measurement.periods import Period
from measurement.services import reports
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
# 7 Azar 1405: inside the third quarter of the fiscal year 1405.
TODAY = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)
PERIOD = "1405-Q3"

_INVISIBLE = re.compile(r"[\s\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\u0640]")


def pdf_text(data: bytes) -> str:
    """Every text run of the PDF, in both of pypdf's reading orders, NFKC-folded, without spaces or ZWNJ."""
    reader = PdfReader(io.BytesIO(data))
    runs = []
    for page in reader.pages:
        runs.append(page.extract_text())
        runs.append(page.extract_text(extraction_mode="layout"))
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", "\n".join(runs)))


def printed(text: str, needle: str) -> bool:
    """Whether `needle` is in the text read either way round (RTL runs may come out in visual order)."""
    needle = _INVISIBLE.sub("", unicodedata.normalize("NFKC", needle))
    return needle in text or needle[::-1] in text


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def manager(agencies):
    return ProgrammeManagerFactory()


def requested(actor, *, period=PERIOD, language="fa") -> ReportJob:
    return reports.report_request(actor=actor, period=period, language=language)


def finished_report(actor, private, *, language="fa") -> ReportJob:
    job = requested(actor, language=language)
    assert tasks.generate_report.delay(job.pk).get() == "done"
    job.refresh_from_db()
    return job


def files_in(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


# --- charts -----------------------------------------------------------------------------------------------


def test_a_bar_chart_escapes_its_text_and_uses_no_style_attribute():
    svg = charts.bar_chart(['<b>"x"</b>', "y & z"], [3, None], title="</svg><script>alert(1)</script>")

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in svg
    assert "y &amp; z" in svg
    assert "<title>&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in svg
    assert "style=" not in svg
    # one bar: the missing value leaves its slot empty
    assert svg.count("<rect") == 1


def test_a_right_to_left_chart_puts_the_first_period_on_the_right():
    labels = ["1405-Q1", "1405-Q2", "1405-Q3"]

    def label_x(svg, label):
        return float(re.search(rf'<text x="([\d.]+)"[^>]*>{label}</text>', svg)[1])

    ltr = charts.bar_chart(labels, [1, 2, 3], width=300)
    rtl = charts.bar_chart(labels, [1, 2, 3], width=300, rtl=True)

    assert label_x(ltr, "1405-Q1") < label_x(ltr, "1405-Q3")
    assert label_x(rtl, "1405-Q1") > label_x(rtl, "1405-Q3")


def test_chart_numbers_follow_the_active_language():
    from django.utils import translation

    with translation.override("fa"):
        billions = translation.gettext("bn")
        assert charts.format_number(45_200_000_000, compact=True) == f"۴۵٫۲\u00a0{billions}"
        assert charts.format_number(1234.5) == "۱٬۲۳۴٫۵"
    with translation.override("en"):
        assert charts.format_number(1234.5) == "1,234.5"
        assert charts.format_number(None) == "—"


def test_ticks_are_round_and_whole_for_counts():
    assert charts.nice_ticks(0, 17) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(0, 1, integer=True) == [0, 1]
    assert charts.nice_ticks(-3, 9) == [-5, 0, 5, 10]


# --- the PDF ----------------------------------------------------------------------------------------------


def test_the_persian_pdf_is_right_to_left_a4_portrait_with_vazirmatn_and_every_goal(agencies):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    html = report_pdf.report_html(snapshot, "fa")
    data = report_pdf.render(snapshot, "fa")

    assert '<html lang="fa" dir="rtl">' in html
    assert (FONT_DIR / "Vazirmatn-Regular.ttf").as_uri() in html
    assert "size: A4 portrait" in html and "counter(pages, persian)" in html
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = pdf_text(data)
    for goal in GOALS:
        assert printed(text, goal["title_fa"]), goal["code"]
    # a run mixing words and digits comes out with only one of the two reversed, so they are read apart
    assert printed(text, "فصل سوم") and printed(text, "۱۴۰۵")
    assert printed(text, "آذر") and not printed(text, "November")  # prepared on, in the Jalali calendar
    assert printed(text, "اداره کل آموزش فنی و حرفه‌ای استان قم")
    # the check itself can fail
    assert not printed(text, "کاوه مرادی")


def test_the_running_footer_is_escaped_for_css():
    assert report_pdf._css_string('a"b\\c</style>\n') == 'a\\"b\\\\c\\3c /style> '


def test_the_english_pdf_uses_the_english_titles_and_latin_digits(agencies):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    html = report_pdf.report_html(snapshot, "en")
    text = pdf_text(report_pdf.render(snapshot, "en"))

    assert '<html lang="en" dir="ltr">' in html
    for goal in GOALS:
        assert _INVISIBLE.sub("", goal["title_en"]) in text
    assert "Quarter3of1405" in text
    assert "Nomilestoneislate." in text


# --- exports ----------------------------------------------------------------------------------------------


def test_a_persian_workbook_reads_right_to_left(agencies):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    workbook = load_workbook(io.BytesIO(exports.to_xlsx(snapshot, "fa")))

    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    assert len(workbook.worksheets) == 9


# --- who may see and download ------------------------------------------------------------------------------


@pytest.fixture
def ready(manager, private):
    return finished_report(manager, private)


def test_anonymous_people_are_sent_to_sign_in_and_cannot_download(client, ready):
    for url in (
        reverse("measurement:report_list"),
        reverse("measurement:report_detail", args=[ready.pk]),
        reverse("measurement:report_progress", args=[ready.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("measurement:report_download", args=[ready.pk])).status_code == 404
    assert client.get(reverse("measurement:report_export", args=[ready.pk, "csv"])).status_code == 404


@pytest.mark.parametrize(
    "make_user",
    [ApplicantFactory, lambda: make_staff("DOE", "officer"), lambda: make_staff("MCLS", "reviewer")],
    ids=["applicant", "agency officer", "agency reviewer"],
)
def test_others_may_not_list_see_or_download_reports(client, ready, make_user):
    client.force_login(make_user())

    assert client.get(reverse("measurement:report_list")).status_code == 403
    assert (
        client.post(reverse("measurement:report_list"), {"period": "1405", "language": "fa"}).status_code
        == 403
    )
    for name in ("report_detail", "report_progress", "report_download"):
        assert client.get(reverse(f"measurement:{name}", args=[ready.pk])).status_code == 404
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("measurement:report_export", args=[ready.pk, fmt])).status_code == 404
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize(
    "make_user",
    [ProgrammeManagerFactory, lambda: make_staff("TVTO", "manager"), lambda: make_staff("DOE", "manager")],
    ids=["programme manager", "TVTO manager", "DOE manager"],
)
def test_managers_list_and_download_reports_with_their_checksum(client, ready, private, make_user):
    client.force_login(make_user())

    listing = client.get(reverse("measurement:report_list"))
    response = client.get(reverse("measurement:report_download", args=[ready.pk]))

    assert listing.status_code == 200
    assert listing.content.decode().count('data-testid="report-row"') == 1
    assert "فصل سوم ۱۴۰۵" in listing.content.decode()  # the period as a reader says it, not its key
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    assert data == (private / ready.stored_name).read_bytes()
    assert response["X-Content-SHA256"] == ready.sha256 == hashlib.sha256(data).hexdigest()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="green-jobs-report-1405-Q3-fa.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_exports_download_as_csv_and_excel(client, ready, manager):
    client.force_login(manager)

    as_csv = client.get(reverse("measurement:report_export", args=[ready.pk, "csv"]))
    as_xlsx = client.get(reverse("measurement:report_export", args=[ready.pk, "xlsx"]))
    other = client.get(reverse("measurement:report_export", args=[ready.pk, "json"]))

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv.content == exports.to_csv(ready.snapshot, "fa")
    assert as_csv["Content-Disposition"] == 'attachment; filename="green-jobs-report-1405-Q3-fa.csv"'
    assert as_xlsx.content.startswith(b"PK")
    # The report is in Persian, so is its spreadsheet.
    with translation.override("fa"):
        assert load_workbook(io.BytesIO(as_xlsx.content)).sheetnames[0] == translation.gettext("Indicators")
    assert other.status_code == 404


def test_a_report_not_ready_has_nothing_to_download(client, manager, private):
    job = requested(manager)
    client.force_login(manager)

    assert client.get(reverse("measurement:report_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("measurement:report_export", args=[job.pk, "csv"])).status_code == 404
    assert client.get(reverse("measurement:report_detail", args=[job.pk])).status_code == 200


# --- requesting --------------------------------------------------------------------------------------------


def test_a_manager_requests_a_quarter_and_the_task_is_queued_after_commit(
    client, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("measurement:report_list"),
            {"kind": "quarter", "year": "۱۴۰۵", "number": "3", "language": "en"},
        )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:report_detail", args=[job.pk])
    assert (job.period, job.language, job.requested_by, job.status) == ("1405-Q3", "en", manager, "pending")
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"kind": "month", "year": "1405", "number": "7"}, "1405-07"),
        ({"kind": "year", "year": "1404"}, "1404"),
        ({"kind": "quarter", "year": "1405", "number": "1", "period": "۱۴۰۴-q4"}, "1404-Q4"),
    ],
)
def test_the_period_is_picked_or_typed(client, manager, data, key):
    client.force_login(make_staff("MCLS", "manager"))

    response = client.post(reverse("measurement:report_list"), {**data, "language": "fa"})

    assert response.status_code == 302
    assert ReportJob.objects.get().period == key


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "1405-Q5"}, "1405-Q3"),
        ({"kind": "quarter", "year": "1405"}, "1 to 4"),
        ({"kind": "quarter", "year": "1405", "number": "4"}, "has not begun"),
        ({"kind": "year", "year": "1380"}, "1394"),
        ({}, "Choose the kind of period"),
    ],
    ids=["no fifth quarter", "no quarter number", "future", "before the memorandum", "nothing"],
)
def test_a_bad_period_is_refused_with_a_message_and_nothing_is_queued(client, manager, data, message):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("measurement:report_list"), {**data, "language": "fa"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportJob.objects.count() == 0


# --- the live progress -------------------------------------------------------------------------------------


def test_the_progress_partial_polls_while_running_and_stops_when_finished(client, manager, private):
    job = requested(manager)
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=40)
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    url = reverse("measurement:report_progress", args=[job.pk])

    running = client.get(url, headers={"hx-request": "true"}).content.decode()

    assert running.lstrip().startswith('<section id="report-progress"')
    assert '<progress class="w-100" max="100" value="40"' in running
    assert "40% done" in running
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in running
    assert "report-download" not in running

    assert tasks.generate_report.delay(job.pk).get() == "done"
    finished = client.get(url).content.decode()
    assert 'value="100"' in finished
    assert "hx-trigger" not in finished
    assert reverse("measurement:report_download", args=[job.pk]) in finished
    assert reverse("measurement:report_export", args=[job.pk, "xlsx"]) in finished
    job.refresh_from_db()
    assert job.sha256 in finished


def test_the_detail_page_embeds_the_partial_and_summarises_the_indicators(client, ready, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("measurement:report_detail", args=[ready.pk])).content.decode()

    assert 'id="report-progress"' in page
    assert page.count('data-testid="report-indicator"') == 33
    assert GOALS[0]["title_en"] in page


# --- running the task ---------------------------------------------------------------------------------------


def test_running_the_task_twice_stores_one_file(manager, private):
    job = requested(manager)

    first = tasks.generate_report.delay(job.pk).get()
    stored = files_in(private)
    second = tasks.generate_report.delay(job.pk).get()

    job.refresh_from_db()
    assert (first, second) == ("done", "already done")
    assert files_in(private) == stored == [job.stored_name]
    assert job.stored_name == f"reports/1405-Q3-fa-{job.request_key}.pdf"
    data = (private / job.stored_name).read_bytes()
    assert (job.status, job.progress, job.size, job.sha256) == (
        "succeeded",
        100,
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert job.snapshot["period"] == PERIOD
    assert len(job.snapshot["goals"]) == 6


def test_a_failing_render_marks_the_job_failed_with_its_reason_and_stores_nothing(
    manager, private, monkeypatch, client
):
    def broken(snapshot, language):
        raise RuntimeError("the font file is missing")

    monkeypatch.setattr(report_pdf, "render", broken)
    job = requested(manager)

    with pytest.raises(RuntimeError):
        tasks.generate_report.delay(job.pk)

    job.refresh_from_db()
    assert (job.status, job.message, job.stored_name) == (
        "failed",
        "RuntimeError: the font file is missing",
        "",
    )
    assert files_in(private) == []
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    partial = client.get(reverse("measurement:report_progress", args=[job.pk])).content.decode()
    assert "RuntimeError: the font file is missing" in partial
    assert "The report could not be prepared." in partial
    assert "hx-trigger" not in partial


# --- the command line --------------------------------------------------------------------------------------


def test_the_command_writes_a_pdf(agencies, tmp_path):
    output = tmp_path / "report.pdf"
    out = io.StringIO()

    call_command(
        "generate_report", "--period", "1405-Q3", "--lang", "en", "--output", str(output), stdout=out
    )

    data = output.read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() in out.getvalue()
    assert "Quarter3of1405" in pdf_text(data)


def test_the_command_refuses_a_bad_period(agencies, tmp_path):
    output = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match=r"'1405-Q7'.*1405-Q3"):
        call_command("generate_report", "--period", "1405-Q7", "--output", str(output))

    assert not output.exists()


# --- the list's cost ---------------------------------------------------------------------------------------


def test_the_report_list_runs_a_constant_number_of_queries(client, manager, django_assert_num_queries):
    def add_reports(count):
        for index in range(count):
            ReportJob.objects.create(
                period=f"1404-{index % 12 + 1:02d}", requested_by=ProgrammeManagerFactory(),
                request_key=f"key-{ReportJob.objects.count()}-{index}", status="succeeded", progress=100,
                snapshot={"goals": [{"code": "G1", "indicators": [{"code": "G1.1"}] * 50}]},
            )  # fmt: skip

    client.force_login(manager)
    url = reverse("measurement:report_list")
    add_reports(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).content.decode().count('data-testid="report-row"') == 2

    add_reports(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="report-row"') == 12
