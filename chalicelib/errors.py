"""What can go wrong, in the user's words; app.py maps each to one HTTP status."""

from __future__ import annotations


class SonagramError(Exception):
    """Base of every error Sonagram raises on purpose; its message is shown to the user."""

    status_code = 500

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class BadRequestError(SonagramError):
    status_code = 400


class UnauthorizedError(SonagramError):
    status_code = 401


class ForbiddenError(SonagramError):
    """Signed in and a member, but the member's role does not allow this."""

    status_code = 403


class NotFoundError(SonagramError):
    status_code = 404


class ConflictError(SonagramError):
    status_code = 409


class TooLargeError(SonagramError):
    status_code = 413


class UnsupportedMediaTypeError(SonagramError):
    status_code = 415


class ChangedError(ConflictError):
    """An object is no longer the version that was read (a new upload replaced it)."""


class NotConfiguredError(SonagramError):
    """The API was started without something it needs: the deployment's fault, not the caller's."""

    status_code = 503


class StorageError(SonagramError):
    """S3 or DynamoDB failed; ``retryable`` says whether trying again may help."""

    status_code = 503

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
