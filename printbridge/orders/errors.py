"""Errors services raise; entry points map them to HTTP answers (404, 409, 422)."""


class ServiceError(Exception):
    status_code = 400

    def __init__(self, message: str, **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    """The object is not in a state that allows this action (e.g. the order is no longer waiting)."""

    status_code = 409


class InvalidInput(ServiceError):
    status_code = 422
