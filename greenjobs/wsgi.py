import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

from .pdf import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings.local")
application = get_wsgi_application()


def _warm_up_pdf() -> None:
    try:
        logging.getLogger(__name__).info("WeasyPrint warmed up in %.1f s", warm_up())
    except Exception:  # a failed warm-up only means the first PDF is slow
        logging.getLogger(__name__).exception("Warming WeasyPrint up failed")


# Certificates are rendered in the web process when downloaded: the server warms WeasyPrint up
# beside its first requests, so the first person to download one does not wait for the cold start.
threading.Thread(target=_warm_up_pdf, name="warm-up-pdf", daemon=True).start()
