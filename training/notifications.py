from greenjobs.outbox.services import enqueue


def promoted(enrolment_id: int) -> None:
    """Call inside the transaction that promoted: the mail is recorded with it (outbox)."""
    enqueue("training.tasks.send_promotion_email", enrolment_id)
