"""The API's JSON parser: the standard one, bounded.

Python's JSON reader recurses once per nested array or object, so 50,000 nested brackets exhaust the
stack; and a "\\u0000" inside a string reaches PostgreSQL, which cannot store it. Both are refused as
a malformed request.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _check(value, depth: int = 0) -> None:
    # Iterative over siblings, recursive only in depth, which is bounded by MAX_DEPTH.
    if depth > MAX_DEPTH:
        raise ParseError(_("The request nests data too deeply."))
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(_("The request contains a NUL character."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The request nests data too deeply.")) from exc
        _check(data)
        return data
