"""Notes the portal itself writes into a history (a loan's, a registration's).

A person's reason is stored as they typed it. A note the system writes is stored as a code with its
figures, never as a sentence, because the sentence must be read in each reader's language and digits:
an English page must not show the Persian that happened to be active when the event was recorded.
Each app registers how its codes read; `render` turns a stored reason into text when it is shown.
"""

import json
from collections.abc import Callable

PREFIX = "system:"

_RENDERERS: dict[str, Callable[[dict], str]] = {}


def register(code: str, renderer: Callable[[dict], str]) -> None:
    _RENDERERS[code] = renderer


def system_note(code: str, **params) -> str:
    """What a `reason` field holds for a note of the system: a code and its figures, as JSON."""
    return PREFIX + json.dumps({"code": code, **params}, sort_keys=True, ensure_ascii=False)


def render(stored: str) -> str:
    """The note in the active language: a person's text unchanged, a system note translated now."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        params = json.loads(stored.removeprefix(PREFIX))
        return _RENDERERS[params.pop("code")](params)
    except (ValueError, KeyError, TypeError, AttributeError):
        # A code this version cannot read is left out rather than shown as raw JSON to an applicant.
        return ""
