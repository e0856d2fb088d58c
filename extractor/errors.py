"""Errors that name the file and the cause: one line each, never a traceback for the user."""

from __future__ import annotations


class PlanxError(Exception):
    """A document could not be processed. `stage` says where, `cause` says why."""

    def __init__(self, path: str | None, cause: str, stage: str = "read") -> None:
        self.path = path
        self.cause = cause
        self.stage = stage
        super().__init__(f"{path or '<text>'}: {cause}")


class ReadError(PlanxError):
    """The file is missing, empty, binary, too large or cannot be decoded."""


class LimitError(PlanxError):
    """The document exceeds a configured limit (size, characters, time)."""
