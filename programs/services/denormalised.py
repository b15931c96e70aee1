"""The registry's columns kept for the programme's figures, rebuilt from the recorded history.

The workflow keeps `Business.first_verified_at` and `GreenJob.counted` up to date as it moves each
registration. Data that reached the tables another way (the demo's back-dated history, a bulk load, a
migration) is brought in line here, with set-based updates whose cost is one pass over each table.
"""

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery

from ..models import Business, GreenJob, RegistrationEvent, RegistrationStatus

COUNTED_STATUSES = (RegistrationStatus.VERIFIED, RegistrationStatus.EXPIRED)


@transaction.atomic
def rebuild_denormalised(*, business_ids=None) -> None:
    """First verification from the events, counted green jobs from today's status; all or some businesses."""
    businesses = Business.objects.all()
    jobs = GreenJob.objects.all()
    if business_ids is not None:
        ids = list(business_ids)
        businesses = businesses.filter(pk__in=ids)
        jobs = jobs.filter(business__in=ids)
    first = (
        RegistrationEvent.objects.filter(business=OuterRef("pk"), to_status=RegistrationStatus.VERIFIED)
        .order_by()
        .values("business")
        .annotate(first=Min("at"))
        .values("first")
    )
    businesses.update(first_verified_at=Subquery(first))
    jobs.filter(business__status__in=COUNTED_STATUSES, counted=False).update(counted=True)
    jobs.exclude(business__status__in=COUNTED_STATUSES).filter(counted=True).update(counted=False)
