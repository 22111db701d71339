"""Domain exceptions of the knowledge side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a document file: where it is and how to fix it."""

    path: Path
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}. Cách sửa: {self.fix}."


class KnowledgeError(Exception):
    """A document of the knowledge pack cannot be used as it is."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BackendUnavailable(Exception):
    """An engine (embedding model, Chroma server, LLM endpoint) cannot be used."""


class IndexNotReady(Exception):
    """The search index is missing or was built from other documents or another engine."""


class IndexBusy(IndexNotReady):
    """Another process is building the index and did not finish within the wait."""
