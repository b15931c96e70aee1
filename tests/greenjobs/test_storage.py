"""Private files through one storage: a folder on one machine, a private bucket of an S3 server on many.

A document whose row fails to be written leaves no file behind; files no row points at are found and
removed by the sweep; downloads stay behind the permission check, streamed or redirected to an address
signed for a minute.
"""

import datetime
import os
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from greenjobs import storage
from incentives.models import ApplicationDocument
from incentives.services import applications
from programs.models import BusinessDocument
from programs.services import registrations
from tests import s3
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    BusinessFactory,
    LoanSchemeFactory,
    loan_draft,
    make_staff,
    verified_business,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def stored_files() -> list[str]:
    return sorted(name for name, _modified in storage.walk())


def age(name: str, hours: float) -> None:
    """Makes a file of the folder storage look `hours` old."""
    path = storage.private_storage().path(name)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def pdf(name="quotation.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, "application/pdf")


@pytest.fixture
def draft(private_media):
    owner = ApplicantFactory()
    return loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))


# --- a failed write leaves no file -------------------------------------------------------------------------


def test_a_loan_document_whose_row_fails_leaves_no_file(draft, monkeypatch):
    before = stored_files()

    def lost_connection(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(ApplicationDocument.objects, "create", lost_connection)
    with pytest.raises(DatabaseError):
        applications.document_upload(
            application_id=draft.pk, actor=draft.applicant, kind="quotation", uploaded=pdf()
        )

    assert stored_files() == before
    assert draft.documents.count() == 1  # the draft's own, untouched


def test_a_registration_document_whose_row_fails_leaves_no_file(private_media, monkeypatch):
    business = BusinessFactory()
    before = stored_files()

    def lost_connection(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(BusinessDocument.objects, "create", lost_connection)
    with pytest.raises(DatabaseError):
        registrations.document_upload(
            business_id=business.pk, actor=business.owner, kind="permit", uploaded=pdf()
        )

    assert stored_files() == before
    assert not business.documents.exists()


def test_a_stored_document_is_kept_when_its_row_commits(draft):
    document = applications.document_upload(
        application_id=draft.pk, actor=draft.applicant, kind="quotation", uploaded=pdf()
    )
    assert document.stored_name in stored_files()


# --- the orphan sweep --------------------------------------------------------------------------------------


def test_the_sweep_removes_old_files_no_row_points_at(draft):
    kept = draft.documents.get().stored_name
    backend = storage.private_storage()
    orphan = backend.save("loan-documents/orphan.pdf", ContentFile(MINIMAL_PDF))
    young = backend.save("loan-documents/just-written.pdf", ContentFile(MINIMAL_PDF))
    age(kept, 48)
    age(orphan, 48)

    report = storage.orphans_sweep()

    assert report["orphans"] == 1 and report["removed"] == 1
    assert report["names"] == [orphan]
    assert report["bytes"] == len(MINIMAL_PDF)
    assert stored_files() == sorted([kept, young])


def test_a_dry_run_reports_and_removes_nothing(draft, capsys):
    backend = storage.private_storage()
    orphan = backend.save("imports/left-behind.csv", ContentFile(b"national_id\n"))
    age(orphan, 48)
    before = stored_files()

    call_command("sweep_orphan_files", "--dry-run")

    assert stored_files() == before
    output = capsys.readouterr().out
    assert orphan in output
    assert "1 orphans" in output and "0 removed" in output


def test_the_sweep_runs_as_a_scheduled_task(draft):
    from greenjobs.celery import app
    from greenjobs.tasks import sweep_orphan_files

    orphan = storage.private_storage().save("reports/old.pdf", ContentFile(MINIMAL_PDF))
    age(orphan, 48)

    assert sweep_orphan_files.delay().get()["removed"] == 1
    assert orphan not in stored_files()
    assert "greenjobs.tasks.sweep_orphan_files" in {
        entry["task"] for entry in app.conf.beat_schedule.values()
    }


# --- an S3 server ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3.s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def in_bucket(settings, s3_endpoint):
    bucket = s3.new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "private": s3.private_storage_settings(s3_endpoint, bucket)}
    return bucket


def bucket_keys(endpoint, bucket) -> list[str]:
    listing = s3.client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_documents_go_to_the_bucket_and_come_back_only_through_the_portal(client, in_bucket, s3_endpoint):
    owner = ApplicantFactory()
    application = loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))
    document = application.documents.get()
    assert bucket_keys(s3_endpoint, in_bucket) == [document.stored_name]

    url = reverse("incentives:document_download", args=[application.pk, document.pk])
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(ApplicantFactory())
    assert client.get(url).status_code == 404
    # The object has no public address: without a signature the server refuses it.
    anonymous = requests.get(f"{s3_endpoint}/{in_bucket}/{document.stored_name}", timeout=5)
    assert anonymous.status_code in (401, 403) or anonymous.content != MINIMAL_PDF


def test_a_redirected_download_is_signed_for_a_minute(client, settings, in_bucket):
    settings.PRIVATE_DOWNLOADS = "redirect"
    owner = ApplicantFactory()
    application = loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))
    document = application.documents.get()
    client.force_login(owner)

    response = client.get(reverse("incentives:document_download", args=[application.pk, document.pk]))

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    fetched = requests.get(response["Location"], timeout=5)
    assert fetched.status_code == 200 and fetched.content == MINIMAL_PDF
    # Another person gets no address at all.
    client.force_login(make_staff("TVTO", "officer"))
    assert (
        client.get(reverse("incentives:document_download", args=[application.pk, document.pk])).status_code
        == 404
    )


def test_a_failed_row_leaves_no_object_in_the_bucket(in_bucket, s3_endpoint, monkeypatch):
    owner = ApplicantFactory()
    application = loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))
    before = bucket_keys(s3_endpoint, in_bucket)
    monkeypatch.setattr(
        ApplicationDocument.objects, "create", lambda **kw: (_ for _ in ()).throw(DatabaseError())
    )

    with pytest.raises(DatabaseError):
        applications.document_upload(
            application_id=application.pk, actor=owner, kind="quotation", uploaded=pdf()
        )

    assert bucket_keys(s3_endpoint, in_bucket) == before


def test_the_sweep_lists_the_bucket_and_removes_its_orphans(in_bucket, s3_endpoint):
    owner = ApplicantFactory()
    application = loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))
    kept = application.documents.get().stored_name
    orphan = storage.private_storage().save("loan-documents/orphan.pdf", ContentFile(MINIMAL_PDF))

    assert storage.orphans_sweep()["orphans"] == 0  # both are younger than the grace period
    later = timezone.now() + datetime.timedelta(days=1)
    report = storage.orphans_sweep(now=later)

    assert report["scanned"] == 2 and report["names"] == [orphan] and report["removed"] == 1
    assert bucket_keys(s3_endpoint, in_bucket) == [kept]
