import os
import shutil

import pytest
from django.conf import settings

from agencies import seed
from measurement import seed_indicators
from programs import seed as programs_seed


def pytest_collection_modifyitems(config, items):
    """Browser and worker tests need real services; without them they skip, unless CI requires them."""
    chromium = shutil.which("chromium") or os.environ.get("CHROMIUM_PATH")
    for item in items:
        if item.get_closest_marker("browser") and not chromium:
            if settings.REQUIRE_SERVICES:
                raise pytest.UsageError(
                    "REQUIRE_SERVICES=1 but Chromium is not installed (apt-get install chromium)"
                )
            item.add_marker(pytest.mark.skip(reason="Chromium is not installed"))
        if item.get_closest_marker("celery_worker") and not settings.REDIS_AVAILABLE:
            item.add_marker(pytest.mark.skip(reason="Redis is not reachable"))


@pytest.fixture
def agencies(db):
    """The three signatories, the memorandum, the counties and occupations, as the data migrations load them.

    Loaded again here because transactional tests (browser, worker) flush the migration's rows.
    """
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
