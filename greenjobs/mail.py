"""What every e-mail of the portal shares: a subject rendered as plain text."""

from django.template import Context, engines


def render_subject(template_name: str, context: dict) -> str:
    """The subject line a template gives, as plain text on one line.

    A subject is no HTML: a business called «A & B's» must read so, not «A &amp; B&#x27;s», so
    the template renders without autoescaping. A header may not hold a line break either.
    """
    template = engines["django"].engine.get_template(template_name)
    text = template.render(Context(context, autoescape=False))
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
