from celery import shared_task

from . import services


@shared_task(time_limit=120, soft_time_limit=110)
def relay_outbox() -> int:
    """Publishes what the portal could not send while the broker was away; runs every minute."""
    sent = services.relay()
    services.prune()
    services.sent_mail_prune()
    return sent
