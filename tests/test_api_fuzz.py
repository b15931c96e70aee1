"""Every operation of the API, fuzzed from its own OpenAPI schema, as an applicant and as staff.

Schemathesis generates requests that the schema allows and many it does not (wrong types, huge numbers,
far dates, odd strings); whatever arrives, the API answers it, never with a server error. Bounded by a
fixed number of examples per operation and derandomised, so a run costs the same time every time and a
failure is reproducible.
"""

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import DataGenerationMethod
from schemathesis.types import NotSet

from tests.factories import ApplicantFactory, make_staff, registration_in

EXAMPLES_PER_OPERATION = 6

# Positive cases follow the schema; negative ones break it on purpose (wrong types, missing fields,
# values out of range): both must be answered without a server error.
schema = schemathesis.from_dict(
    SchemaGenerator().get_schema(request=None, public=True),
    data_generation_methods=[DataGenerationMethod.positive, DataGenerationMethod.negative],
)


def send(case, token: str):
    """The generated request through Django's test client, inside the test's transaction."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    query = urlencode(case.query or {}, doseq=True)
    path = case.formatted_path + (f"?{query}" if query else "")
    body = case.body
    if isinstance(body, NotSet) or body is None:
        return client.generic(case.method, path)
    if case.media_type == "multipart/form-data" and isinstance(body, dict):
        return client.generic(case.method, path, **_multipart(client, body))
    if case.media_type == "application/x-www-form-urlencoded" and isinstance(body, dict):
        return client.generic(
            case.method, path, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    return client.generic(case.method, path, json.dumps(body), content_type="application/json")


def _multipart(client, body: dict) -> dict:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    fields = {
        key: (value if isinstance(value, str | bytes) else json.dumps(value)) for key, value in body.items()
    }
    return {"data": encode_multipart(BOUNDARY, fields), "content_type": MULTIPART_CONTENT}


@pytest.fixture(params=["applicant", "mcls_manager", "doe_reviewer", "tvto_officer"])
def token(request, agencies):
    # Some data for the lists and details to show: a registration of the applicant's in review.
    applicant = ApplicantFactory()
    registration_in("submitted", owner=applicant)
    who = {
        "applicant": lambda: applicant,
        "mcls_manager": lambda: make_staff("MCLS", "manager"),
        "doe_reviewer": lambda: make_staff("DOE", "reviewer"),
        "tvto_officer": lambda: make_staff("TVTO", "officer"),
    }[request.param]()
    return Token.objects.create(user=who).key


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_operation_answers_a_server_error(case, token, private_media):
    cache.clear()  # the token endpoint's throttle would otherwise answer 429 to the rest of the run
    response = send(case, token)

    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}\n"
        f"query={case.query!r} body={case.body!r}"
    )


def test_the_fuzz_covers_every_operation():
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    assert settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"][0] == "greenjobs.parsers.BoundedJSONParser"
