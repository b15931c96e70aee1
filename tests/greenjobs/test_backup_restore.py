"""Backup and restore on the real PostgreSQL: pg_dump/pg_restore against this process's test database and
the private storage through its API. The round trip wipes the database and the storage in between.

The tests that restore are transactional: pg_restore runs in its own connection, which must see the rows
the test made (and a test's open transaction would hold locks it waits for).
"""

import hashlib
import io
import json
import shutil
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from agencies import seed as agencies_seed
from greenjobs import uploads
from measurement.models import ReportJob
from programs import seed as programs_seed
from programs.models import BusinessDocument, ImportJob
from tests import s3
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    BusinessDocumentFactory,
    ProgrammeManagerFactory,
    loan_draft,
    make_staff,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backup is for PostgreSQL deployments"),
    pytest.mark.skipif(
        not shutil.which("pg_dump") and not settings.REQUIRE_SERVICES,
        reason="the PostgreSQL client (pg_dump, pg_restore) is not installed",
    ),
]

REPORT_PDF = MINIMAL_PDF + b"% the report of 1404\n"


@pytest.fixture
def reference_data():
    """The agencies, counties and occupations the factories need, which a transactional test's flush
    removed; the indicators (whose loading recomputes the dashboards, seconds) are not needed here."""
    agencies_seed.load()
    programs_seed.load()


@pytest.fixture
def storage(private_media):
    return uploads.private_storage()


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3.s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["folder", "bucket"])
def any_storage(request, settings, private_media):
    """The private storage of one machine (a folder) or of many (a private bucket of an S3 server)."""
    if request.param == "bucket":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.STORAGES = {
            **settings.STORAGES,
            "private": s3.private_storage_settings(endpoint, s3.new_bucket(endpoint)),
        }
    return uploads.private_storage()


@pytest.fixture
def schema_back():
    """A test that fails between the wipe and the restore leaves no tables; the next tests need them."""
    yield
    if "accounts_user" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts


def stored_files(storage, folder="") -> dict[str, str]:
    """Every file of the storage, by name, with its SHA-256, read through the storage API."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return {}
    found = {}
    for name in names:
        path = f"{folder}/{name}" if folder else name
        with storage.open(path, "rb") as fileobj:
            found[path] = hashlib.sha256(fileobj.read()).hexdigest()
    for name in folders:
        found.update(stored_files(storage, f"{folder}/{name}" if folder else name))
    return found


def wipe(storage):
    """A new machine: no table in the database, no file in the storage."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    for name in stored_files(storage):
        storage.delete(name)


def a_portal_with_files(storage):
    """Rows of every app that keeps files, each file different, and a file no row names."""
    licence = BusinessDocumentFactory()
    # Bytes of its own, so files mixed up by a restore cannot pass for each other.
    permit = uploads.store_document(
        SimpleUploadedFile("permit.pdf", MINIMAL_PDF + b"% permit\n"), "business-documents"
    )
    BusinessDocument.objects.create(
        business=licence.business, kind="permit", stored_name=permit.stored_name, original_name="permit.pdf",
        content_type=permit.content_type, size=permit.size, sha256=permit.sha256,
        uploaded_by=licence.business.owner,
    )  # fmt: skip
    loan_draft()
    report_name = storage.save("reports/1404-fa-key.pdf", ContentFile(REPORT_PDF))
    ReportJob.objects.create(
        period="1404", requested_by=ProgrammeManagerFactory(), request_key="key", status="succeeded",
        progress=100, stored_name=report_name, sha256=hashlib.sha256(REPORT_PDF).hexdigest(),
        size=len(REPORT_PDF),
    )  # fmt: skip
    spreadsheet = b"national_id,name\n0460000020,Sun Works\n"
    import_name = storage.save("imports/batch.csv", ContentFile(spreadsheet))
    ImportJob.objects.create(
        requested_by=make_staff("DOE", "officer"), original_name="batch.csv", stored_name=import_name,
        sha256=hashlib.sha256(spreadsheet).hexdigest(), status="succeeded",
    )  # fmt: skip
    storage.save("business-documents/left-behind.pdf", ContentFile(MINIMAL_PDF + b"% orphan\n"))


def backup(target, *args):
    call_command("backup", "--to", str(target), *args, stdout=_quiet(), stderr=_quiet())
    return json.loads((target / "manifest.json").read_text())


def restore(source, *args):
    out = _quiet()
    call_command("restore", "--from", str(source), *args, stdout=out, stderr=_quiet())
    return out.getvalue()


def _quiet():
    return io.StringIO()


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_the_same_rows_and_byte_identical_files(
    reference_data, any_storage, tmp_path, schema_back
):
    storage = any_storage
    # given
    a_portal_with_files(storage)
    rows_before = row_counts()
    files_before = stored_files(storage)
    assert len(files_before) == 6
    assert rows_before["programs_businessdocument"] == 2
    assert rows_before["incentives_applicationdocument"] == 1

    # when
    manifest = backup(tmp_path / "backup")
    wipe(storage)
    assert row_counts() == {}
    assert stored_files(storage) == {}
    # A file left in the storage is enough for the system not to be empty.
    storage.save("reports/stray.pdf", ContentFile(REPORT_PDF))
    with pytest.raises(CommandError, match=r"private storage has files \(such as reports/stray\.pdf\)"):
        restore(tmp_path / "backup")
    assert row_counts() == {}
    storage.delete("reports/stray.pdf")
    summary = restore(tmp_path / "backup")

    # then
    assert row_counts() == rows_before
    assert stored_files(storage) == files_before
    assert "all matching the manifest" in summary
    assert manifest["format"] == "greenjobs-backup"
    assert manifest["format_version"] == 1
    assert manifest["database"]["engine"] == "postgresql"
    assert manifest["database"]["tables"] == rows_before
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == files_before
    assert {entry["name"] for entry in manifest["files"] if not entry["referenced"]} == {
        "business-documents/left-behind.pdf"
    }
    dump = (tmp_path / "backup" / "database.dump").read_bytes()
    assert manifest["database"]["dump"] == {
        "name": "database.dump",
        "size": len(dump),
        "sha256": hashlib.sha256(dump).hexdigest(),
    }
    # The restored portal reads its documents as before.
    document = BusinessDocument.objects.get(original_name="permit.pdf")
    with uploads.open_document(document.stored_name) as fileobj:
        assert hashlib.sha256(fileobj.read()).hexdigest() == document.sha256
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != "private") == ["backup"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_system_with_data_unless_forced(reference_data, storage, tmp_path):
    BusinessDocumentFactory()
    rows_at_backup, files_at_backup = row_counts(), stored_files(storage)
    backup(tmp_path / "backup")
    ApplicantFactory()
    storage.save("business-documents/later.pdf", ContentFile(MINIMAL_PDF + b"% later\n"))
    rows_before, files_before = row_counts(), stored_files(storage)

    with pytest.raises(
        CommandError,
        match=r"this one is not: the database \S+ has 2 user accounts; the private storage has files",
    ):
        restore(tmp_path / "backup")

    assert row_counts() == rows_before
    assert stored_files(storage) == files_before

    restore(tmp_path / "backup", "--force")

    assert row_counts() == rows_at_backup
    assert stored_files(storage) == files_at_backup


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_changes(reference_data, storage, tmp_path):
    document = BusinessDocumentFactory()
    backup(tmp_path / "backup")
    ApplicantFactory()
    rows_before, files_before = row_counts(), stored_files(storage)

    for damaged in ("database.dump", f"files/{document.stored_name}"):
        path = tmp_path / "backup" / damaged
        original = path.read_bytes()
        flipped = bytearray(original)
        flipped[len(flipped) // 2] ^= 1
        path.write_bytes(bytes(flipped))

        with pytest.raises(CommandError, match="is damaged; nothing was changed") as error:
            restore(tmp_path / "backup", "--force")

        assert f"{damaged} does not match its checksum" in str(error.value)
        assert row_counts() == rows_before
        assert stored_files(storage) == files_before
        path.write_bytes(original)


@pytest.mark.django_db(transaction=True)
def test_a_file_missing_or_changed_in_the_storage_fails_the_backup(reference_data, storage, tmp_path):
    missing, changed = BusinessDocumentFactory(), BusinessDocumentFactory()
    storage.delete(missing.stored_name)
    storage.delete(changed.stored_name)
    storage.save(changed.stored_name, ContentFile(MINIMAL_PDF + b"% changed\n"))

    with pytest.raises(
        CommandError, match="the storage does not match the database; no backup was made"
    ) as error:
        backup(tmp_path / "backup")

    assert f"{missing.stored_name} is named by the database but missing from the storage" in str(error.value)
    assert f"{changed.stored_name} does not match the SHA-256 the database holds" in str(error.value)
    assert list(tmp_path.iterdir()) == [tmp_path / "private"]


@contextmanager
def table_held(table):
    """Another connection holds the table as a migration would. Both timeouts keep a mistaken test from
    hanging: the lock is not waited for, and the server ends the holder after 10 s idle."""
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = '10s'")
            cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            yield
    finally:
        holder.close()


@pytest.mark.django_db
def test_a_failing_pg_dump_leaves_no_backup_behind(storage, tmp_path):
    storage.save("business-documents/a.pdf", ContentFile(MINIMAL_PDF))

    with table_held("accounts_user"), pytest.raises(CommandError, match="pg_dump failed"):
        backup(tmp_path / "backup", "--lock-wait-timeout", "0.2")

    assert list(tmp_path.iterdir()) == [tmp_path / "private"]


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_cannot_empty_the_database_changes_nothing(storage, tmp_path):
    backup(tmp_path / "backup")
    ApplicantFactory()
    storage.save("business-documents/a.pdf", ContentFile(MINIMAL_PDF))
    rows_before, files_before = row_counts(), stored_files(storage)

    with (
        table_held("programs_business"),
        pytest.raises(CommandError, match=r"could not be emptied, nothing was changed: .*lock timeout"),
    ):
        restore(tmp_path / "backup", "--force", "--lock-wait-timeout", "0.2")

    assert row_counts() == rows_before
    assert stored_files(storage) == files_before


@pytest.mark.django_db
def test_a_database_that_does_not_answer_leaves_no_backup_behind(storage, tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")

    with pytest.raises(CommandError, match="the database could not be read"):
        backup(tmp_path / "backup")

    assert list(tmp_path.iterdir()) == []


def test_a_backup_never_goes_into_an_existing_directory(tmp_path):
    (tmp_path / "backup").mkdir()

    with pytest.raises(CommandError, match="already exists; a backup goes into a new directory"):
        backup(tmp_path / "backup")


def test_sqlite_is_refused_with_what_to_copy_instead(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="for PostgreSQL deployments; this database is sqlite"):
        backup(tmp_path / "backup")
    with pytest.raises(CommandError, match=r"db\.sqlite3 and var/private/"):
        restore(tmp_path / "backup")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "is not a complete backup: it has no manifest.json"),
        ({"format": "other"}, "is not a Green Jobs backup manifest"),
        ({"format": "greenjobs-backup", "format_version": 2}, "has format version 2"),
    ],
)
def test_a_directory_that_is_no_backup_is_refused(tmp_path, manifest, message):
    (tmp_path / "backup").mkdir()
    if manifest is not None:
        (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=message):
        restore(tmp_path / "backup")


@pytest.mark.django_db
def test_a_forged_name_in_the_manifest_never_reaches_outside_the_backup(storage, tmp_path):
    backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"].append(
        {"name": "../../outside.pdf", "size": 1, "sha256": "0" * 64, "referenced": False}
    )
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"unsafe file name in the backup: '\.\./\.\./outside\.pdf'"):
        restore(tmp_path / "backup")
