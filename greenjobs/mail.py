"""What every e-mail of the portal shares: a subject rendered as plain text."""

import secrets

from django.template import Context, engines


def render_subject(template_name: str, context: dict) -> str:
    """The subject line a template gives, as plain text on one line.

    A subject is no HTML: a business called «A & B's» must read so, not «A &amp; B&#x27;s», so
    the template renders without autoescaping. A header may not hold a line break either.
    """
    template = engines["django"].engine.get_template(template_name)
    text = template.render(Context(context, autoescape=False))
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


# A mail server that is down is retried after 1, 2, 4, 8 and 16 minutes (each stretched by up to a
# fifth at random, so the mails queued behind one outage do not all knock again in the same second).
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def retry_countdown(retries: int) -> int:
    """Seconds to wait before the next try of a mail that failed `retries` times already."""
    delay = min(RETRY_BASE_SECONDS * 2**retries, RETRY_MAX_SECONDS)
    return delay + secrets.randbelow(delay // 5 + 1)
