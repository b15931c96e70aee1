"""Tells the applicant, in their own language, that their registration moved."""

from greenjobs.outbox.services import enqueue


def registration_changed(event_id: int) -> None:
    """Call inside the transaction that wrote the event: the mail is recorded with it (outbox)."""
    enqueue("programs.tasks.send_registration_event_email", event_id)
