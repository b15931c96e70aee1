def application_changed(event_id: int) -> None:
    from .tasks import send_application_event_email

    send_application_event_email.delay(event_id)
