import pytest

from notifications import sms


@pytest.fixture(autouse=True)
def sms_outbox():
    """The text messages the locmem backend (the test settings') sent in this test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
