"""Domain errors of ingest: one failure reason per kind of bad input."""

from __future__ import annotations

from enum import StrEnum


class IngestFailure(StrEnum):
    """Why an official text could not be loaded (tests and callers branch on this)."""

    NOT_FOUND = "not_found"
    UNSUPPORTED_FORMAT = "unsupported_format"
    WRONG_CONTENT = "wrong_content"
    ENCODING = "encoding"
    ENCRYPTED_PDF = "encrypted_pdf"
    ENCRYPTED_DOCUMENT = "encrypted_document"  # Word 97 .doc or .odt with a password
    CORRUPT = "corrupt"
    MISSING_TOOL = "missing_tool"  # Tesseract or antiword is not installed
    TOO_LARGE = "too_large"  # bytes, characters, pages or provisions over the limits
    POOR_SCAN = "poor_scan"  # most pages recognised below the confidence threshold
    NOT_PARTY_DOCUMENT = "not_party_document"
    NO_NUMBER = "no_number"
    NUMBER_MISMATCH = "number_mismatch"
    TITLE_MISMATCH = "title_mismatch"  # the number names one document, the title another
    UNKNOWN_DOCUMENT = "unknown_document"
    NO_LAYOUT = "no_layout"
    INVALID_RESULT = "invalid_result"
    INDEX_BUSY = "index_busy"  # a rebuild of the search index is running
    NOT_INGESTED = "not_ingested"  # --remove of a document with no official text


class IngestError(Exception):
    """An official text cannot be loaded; the message names the file and the fix."""

    def __init__(self, failure: IngestFailure, message: str):
        self.failure = failure
        super().__init__(message)
