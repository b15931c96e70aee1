def promoted(enrolment_id: int) -> None:
    from .tasks import send_promotion_email

    send_promotion_email.delay(enrolment_id)
