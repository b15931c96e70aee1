import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from greenjobs.spreadsheets import Column, Schema, as_digits, as_text, check_size, header_key

SCHEMA = Schema(
    (
        Column("name", "نام", required=True, aliases=("full name", "نام و نام خانوادگی")),
        Column("count", "تعداد", required=True, aliases=("headcount",), parse=as_digits),
        Column("code", "کد", parse=as_text),
        Column("since", "از تاریخ"),
    ),
    max_rows=3,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def xlsx_file(rows: list[list]) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_csv_is_read_by_its_english_keys_with_each_row_numbered():
    rows = SCHEMA.read(csv_file("name,count,code\nمریم,12,A-1\n,,\nعلی,3,\n"), "list.csv")

    assert rows == [
        {"name": "مریم", "count": "12", "code": "A-1", "since": "", "_row": 2},
        {"name": "علی", "count": "3", "code": "", "since": "", "_row": 4},
    ]


@pytest.mark.parametrize(
    "header",
    [
        "نام,تعداد",  # the Persian headers
        "Full Name,HeadCount",  # English aliases, any case
        "نام و نام‌خانوادگی,تعداد",  # a Persian alias written with a ZWNJ
        "full_name;head-count",  # another delimiter, _ and - ignored
        "ردیف,نام,تعداد,توضیحات",  # the agencies' own row counter and remarks are read past
    ],
)
def test_headers_are_found_by_their_aliases_in_persian_and_english(header):
    delimiter = ";" if ";" in header else ","
    values = {"ردیف": "1", "توضیحات": "-"}
    cells = [values.get(title, "") for title in header.split(delimiter)]
    cells[-1 if "توضیحات" not in header else -2] = "5"
    cells[0 if "ردیف" not in header else 1] = "مریم"

    rows = SCHEMA.read(csv_file(header + "\n" + delimiter.join(cells) + "\n"), "list.csv")

    assert [(row["name"], row["count"]) for row in rows] == [("مریم", "5")]


def test_a_missing_required_column_is_named():
    with pytest.raises(ValidationError) as raised:
        SCHEMA.read(csv_file("name,code\nمریم,A\n"), "list.csv")

    assert raised.value.code == "header"
    assert raised.value.messages == ["These columns are missing from the first row: count."]


def test_an_unknown_column_is_refused_rather_than_dropped():
    with pytest.raises(ValidationError) as raised:
        SCHEMA.read(csv_file("name,count,colour\nمریم,1,red\n"), "list.csv")

    assert raised.value.messages == ["Unknown columns: colour. Use the column names of the template."]


def test_a_column_given_twice_is_refused():
    with pytest.raises(ValidationError) as raised:
        SCHEMA.read(csv_file("name,count,نام\nمریم,1,مریم\n"), "list.csv")

    assert raised.value.messages == ["The column “نام” appears twice in the first row."]


def test_persian_and_arabic_digits_are_read_as_latin_by_a_digits_column():
    rows = SCHEMA.read(csv_file("name,count,code\nمریم,۱۲,٣٤\n"), "list.csv")

    assert rows[0]["count"] == "12"
    assert rows[0]["code"] == "٣٤"  # a text column keeps what was typed


def test_an_xlsx_is_read_with_numbers_as_text_and_dates_kept():
    upload = xlsx_file(
        [
            ["نام", "تعداد", "کد", "از تاریخ"],
            ["مریم", 12, 7.0, datetime.datetime(2026, 3, 1, 9, 30)],
            [None] * 4,
        ]
    )

    rows = SCHEMA.read(upload, "list.XLSX")

    assert rows == [
        {"name": "مریم", "count": "12", "code": "7", "since": datetime.date(2026, 3, 1), "_row": 2}
    ]


def test_a_text_column_turns_an_excel_date_into_text():
    schema = Schema((Column("on", "تاریخ", parse=as_text),), max_rows=5)

    rows = schema.read(xlsx_file([["on"], [datetime.date(2026, 3, 1)]]), "dates.xlsx")

    assert rows == [{"on": "2026-03-01", "_row": 2}]


def test_more_rows_than_the_schema_allows_are_refused():
    with pytest.raises(ValidationError) as raised:
        SCHEMA.read(csv_file("name,count\n" + "مریم,1\n" * 4), "list.csv")

    assert raised.value.code == "too_many_rows"
    assert raised.value.messages == ["The file has more than 3 rows. Split it into smaller files."]
    with translation.override("fa"), pytest.raises(ValidationError) as raised:
        SCHEMA.read(csv_file("name,count\n" + "مریم,1\n" * 4), "list.csv")
    assert raised.value.messages == ["فایل بیش از ۳ ردیف دارد. آن را به چند فایل کوچک\u200cتر تقسیم کنید."]


def test_exactly_the_allowed_rows_are_read():
    assert len(SCHEMA.read(csv_file("name,count\n" + "مریم,1\n" * 3), "list.csv")) == 3


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("list.txt", b"name,count\n", "file_type"),
        ("list.csv", b"", "empty_file"),
        ("list.csv", "name,count\n".encode("utf-16"), "file_type"),
        ("list.csv", "name,count\nعلا,1\n".encode("cp1256"), "encoding"),
        ("list.csv", b"<html><body>name,count</body></html>", "file_type"),
        ("list.xlsx", b"name,count\n", "file_type"),
        ("list.xlsx", b"PK\x03\x04broken", "file_damaged"),
        ("list.csv", b",,\nx,1\n", "no_header"),
        ("list.csv", b"name,count\n,\n", "no_rows"),
    ],
)
def test_a_file_that_is_no_spreadsheet_of_the_schema_is_refused_with_its_code(name, content, code):
    with pytest.raises(ValidationError) as raised:
        SCHEMA.read(io.BytesIO(content), name)

    assert raised.value.code == code


def test_the_no_header_message_is_the_schema_s():
    schema = Schema(SCHEMA.columns, max_rows=3, no_header_message="Use the template.")

    with pytest.raises(ValidationError) as raised:
        schema.read(csv_file(",\n"), "list.csv")

    assert raised.value.messages == ["Use the template."]


def test_header_key_ignores_case_spaces_zwnj_and_dashes():
    assert header_key("Full_Name") == header_key("full name") == header_key("FULL-NAME")
    assert header_key("نام\u200cخانوادگی") == header_key("نام خانوادگی")


def test_a_file_over_the_size_limit_is_refused_in_megabytes():
    upload = SimpleUploadedFile("list.csv", b"x" * (2 * 1024 * 1024 + 1))

    check_size(SimpleUploadedFile("list.csv", b"x" * (2 * 1024 * 1024)), 2 * 1024 * 1024)
    with pytest.raises(ValidationError) as raised:
        check_size(upload, 2 * 1024 * 1024)

    assert raised.value.code == "file_too_large"
    assert raised.value.messages == ["The file is too large: at most 2 MB is accepted."]
