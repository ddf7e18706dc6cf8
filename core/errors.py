"""The exception tree of Rapport. Every error carries the HTTP status it maps to.

RapportError (500)
├── NotSignedIn (401)
├── Forbidden (403)
├── NotFound (404)
│   └── WorkspaceNotFound (404)
├── InvalidInput (422)
│   ├── ImportFileError (422)
│   └── WorkspaceFileError (422)
│   └── UnsafeWebhookTarget (422)
├── Conflict (409)
│   └── StaleVersion (409)
├── PlatformError (502)
└── ModelLoadError (500)

A class docstring is the error's default message.
"""

from __future__ import annotations


class RapportError(Exception):
    """Something went wrong inside Rapport."""

    status_code = 500

    def __init__(self, message: str | None = None) -> None:
        self.message = message or (self.__doc__ or "").strip()
        super().__init__(self.message)


class NotSignedIn(RapportError):
    """Sign in first (or send an API token as `Authorization: Bearer …`)."""

    status_code = 401


class Forbidden(RapportError):
    """Your role in this workspace does not allow that."""

    status_code = 403


class NotFound(RapportError):
    """The requested item does not exist."""

    status_code = 404


class WorkspaceNotFound(NotFound):
    """No workspace has that name. `rapport demo` creates the sample one."""


class InvalidInput(RapportError):
    """The input is not valid."""

    status_code = 422


class ImportFileError(InvalidInput):
    """The import file cannot be read. Use JSON Lines (.jsonl) or CSV (.csv)."""


class WorkspaceFileError(InvalidInput):
    """The workspace file is not valid."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
        super().__init__(f"The workspace file has {count}: " + "; ".join(errors))


class UnsafeWebhookTarget(InvalidInput):
    """That webhook URL points at a private, loopback or link-local address, which Rapport
    refuses unless RAPPORT_WEBHOOK_ALLOW_PRIVATE_TARGETS is set."""


class Conflict(RapportError):
    """The request conflicts with the current state."""

    status_code = 409


class StaleVersion(Conflict):
    """It was changed by someone else since you opened it, so nothing was saved. Reload to see
    their version, then make your change again."""


class PlatformError(RapportError):
    """The platform refused the request or did not answer."""

    status_code = 502


class ModelLoadError(RapportError):
    """A model could not be loaded from its local path."""
