"""What monitoring hears from the loans below it (incentives.signals): a loan whose repayment starts gets
its monitoring rounds in the same transaction."""

from incentives.signals import repayment_started

from .services.rounds import rounds_plan


def _plan(sender, application, start, **kwargs):
    rounds_plan(loan=application, start=start)


def connect() -> None:
    repayment_started.connect(_plan, dispatch_uid="monitoring-plan-rounds")
