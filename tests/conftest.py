import io
import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from agencies import seed
from measurement import seed_indicators
from programs import seed as programs_seed


# Before pytest-xdist reads the groups off the items (with --dist loadgroup).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Browser and worker tests need real services; without them they skip, unless CI requires them.

    In a parallel run the tests of a module that loads data once for the whole module (the demo) stay in
    one process, so it is loaded once, not once per process. xdist runs its groups first, biggest first,
    so a group never holds a transactional test: its flush would empty the tables under the tests that
    follow in that process (pytest-django otherwise runs transactional tests last).
    """
    chromium = shutil.which("chromium") or os.environ.get("CHROMIUM_PATH")
    for item in items:
        if _uses_module_fixture(item) and not _transactional(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        if item.get_closest_marker("browser") and not chromium:
            if settings.REQUIRE_SERVICES:
                raise pytest.UsageError(
                    "REQUIRE_SERVICES=1 but Chromium is not installed (apt-get install chromium)"
                )
            item.add_marker(pytest.mark.skip(reason="Chromium is not installed"))
        if item.get_closest_marker("celery_worker") and not settings.REDIS_AVAILABLE:
            item.add_marker(pytest.mark.skip(reason="Redis is not reachable"))


def _uses_module_fixture(item) -> bool:
    fixtureinfo = getattr(item, "_fixtureinfo", None)
    if fixtureinfo is None:
        return False
    return any(defs[-1].scope == "module" for defs in fixtureinfo.name2fixturedefs.values())


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _seeded() -> bool:
    """Whether the rows the data migrations load are all there (a transactional test flushes them)."""
    # Models import only once Django is set up, which is after pytest imports this conftest.
    from agencies.models import Agency, Goal, Memorandum, Obligation
    from measurement.models import Indicator
    from programs.models import County, GreenOccupation

    expected = [
        (Agency, len(seed.AGENCIES)),
        (Memorandum, 1),
        (Goal, len(seed.GOALS)),
        (Obligation, len(seed.OBLIGATIONS)),
        (County, len(programs_seed.COUNTIES)),
        (GreenOccupation, len(programs_seed.OCCUPATIONS)),
        (Indicator, len(seed_indicators.INDICATORS)),
    ]
    return all(model.objects.count() == count for model, count in expected)


@pytest.fixture
def agencies(db):
    """The three signatories, the memorandum, the counties and occupations, as the data migrations load them.

    A test in a transaction sees the migrations' rows and rolls back whatever it changes; only after a
    transactional test (browser, worker) flushed them are they loaded again, which costs ~100 queries.
    """
    if not _seeded():
        seed.load()
        programs_seed.load()
        seed_indicators.load()
    from agencies.models import Agency

    return {agency.code: agency for agency in Agency.objects.all()}


@pytest.fixture
def memorandum(agencies):
    from agencies.selectors import current_memorandum

    return current_memorandum()


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded documents go to this test's own folder, so what is on disk can be asserted exactly."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def empty_cache():
    """The cache starts empty (the e-mail de-duplication keys live there)."""
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo of `make run`, loaded once for the module's tests and rolled back when they are done.

    Loading it takes seconds; each test runs in its own savepoint inside this transaction.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not _seeded():
                seed.load()
                programs_seed.load()
                seed_indicators.load()
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
