"""The one small interface every input format is read through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.source import ReadContext, SourceText


@dataclass(frozen=True)
class Reader:
    """One input format: the suffixes that choose it and the function that reads it.

    `read` gets the path (for messages), the file's bytes and the context (limits, progress),
    checks that the content is what the suffix says, and returns the same `SourceText`
    whatever the format.
    """

    format: str  # "pdf", stored in SourceText.format and the report
    name: str  # "PDF", as the report names the format
    suffixes: tuple[str, ...]
    sniff: tuple[bytes, ...]  # how the content may start, to choose a file without a suffix
    read: Callable[[Path, bytes, ReadContext], SourceText]
