from greenjobs.outbox.services import enqueue


def application_changed(event_id: int) -> None:
    """Call inside the transaction that wrote the event: the mail is recorded with it (outbox)."""
    enqueue("incentives.tasks.send_application_event_email", event_id)
