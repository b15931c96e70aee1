"""What this app tells the apps above it, without knowing them (STYLE.md, "Layers")."""

from django.dispatch import Signal

# Sent inside the transaction that builds a loan's repayment schedule, with `application` (the locked
# row) and `start` (the day the schedule counts from). Monitoring plans the loan's rounds from it.
repayment_started = Signal()
