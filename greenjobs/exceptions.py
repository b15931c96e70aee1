"""One exception type for broken business rules, with a stable code and a translated message."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, *, code: str = "invalid", status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status_code is not None:
            self.status_code = status_code


class ConflictError(DomainError):
    """Someone else changed the object first: the caller should reload and try again."""

    status_code = 409
