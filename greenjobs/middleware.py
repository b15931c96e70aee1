"""Requests no person can send, refused at the door."""

from django.core.exceptions import SuspiciousOperation


class NulCharacter(SuspiciousOperation):
    """A NUL character in a path, a query or a form field.

    Nothing a person types contains one, PostgreSQL text cannot store one, and file names cut at one.
    Refusing it here, once, answers 400 for the whole class instead of a server error in whichever view
    first hands it to the database.
    """


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise NulCharacter("NUL character in the URL")
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            raise NulCharacter("NUL character in a form field")
        return self.get_response(request)
