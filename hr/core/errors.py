"""Domain errors: raised by services, turned into a flash message, a form error or a JSON
error with the right status by the web layer. Messages are in Chinese, for the officer."""
from __future__ import annotations


class DomainError(Exception):
    """A refusal by the rules. `field` names the input at fault, when there is one."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    status = 400


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The data changed under the user, or the action clashes with the state (a locked month)."""

    status = 409
