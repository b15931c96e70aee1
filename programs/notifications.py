"""Tells the applicant, in their own language, that their registration moved."""


def registration_changed(event_id: int) -> None:
    from .tasks import send_registration_event_email

    send_registration_event_email.delay(event_id)
