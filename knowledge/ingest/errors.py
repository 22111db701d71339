"""Domain errors of ingest: one failure reason per kind of bad input."""

from __future__ import annotations

from enum import StrEnum


class IngestFailure(StrEnum):
    """Why an official text could not be loaded (tests and callers branch on this)."""

    NOT_FOUND = "not_found"
    UNSUPPORTED_FORMAT = "unsupported_format"
    WRONG_CONTENT = "wrong_content"
    ENCODING = "encoding"
    SCANNED_PDF = "scanned_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    CORRUPT = "corrupt"
    NO_NUMBER = "no_number"
    NUMBER_MISMATCH = "number_mismatch"
    UNKNOWN_DOCUMENT = "unknown_document"
    NO_LAYOUT = "no_layout"
    INVALID_RESULT = "invalid_result"


class IngestError(Exception):
    """An official text cannot be loaded; the message names the file and the fix."""

    def __init__(self, failure: IngestFailure, message: str):
        self.failure = failure
        super().__init__(message)
