"""What an operator sees of the portal: Prometheus metrics, request ids in the logs, health checks.

Nothing here decides anything for a person; it only measures and reports. It is wired in by the
composition root: the middleware in settings, the views in greenjobs/urls.py, the Celery signals in
greenjobs/celery.py.
"""
