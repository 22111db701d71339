"""The data model of the answering side: hits, citations, answers (typed stages)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Hit(BaseModel):
    """One retrieved provision, with the evidence for it."""

    id: str
    doc_id: str
    citation: str  # "Điều 12, khoản 1 — Quy định 124-QĐ/TW"
    score: float  # fused score, higher is better
    retrievers: list[str]  # which of "reference", "keyword", "dense" found it
    dense_similarity: float | None = None
    keyword_score: float | None = None


class SearchResult(BaseModel):
    """What one search returns: ranked hits plus what the query was understood as."""

    query: str  # the query as searched (cut, abbreviations expanded)
    hits: list[Hit]
    doc_filter: list[str] = Field(default_factory=list)  # documents the question named
    references: list[str] = Field(default_factory=list)  # provision ids named explicitly
    notices: list[str] = Field(default_factory=list)  # e.g. "câu hỏi đã được cắt…"
    elapsed_ms: float = 0.0


class Citation(BaseModel):
    """A provision an answer relies on; only ever built from a retrieved hit."""

    marker: int  # the [n] in the answer text
    id: str
    label: str  # "Điều 12, khoản 1 — Quy định 124-QĐ/TW"
    quote: str  # the text quoted
    doc_number: str  # "124-QĐ/TW"
    doc_status: str  # "in_force" | "replaced" | "partly_inapplicable"
    text_kind: str = "digest"  # "digest" | "official"


class Answer(BaseModel):
    """The typed result of `assistant.answer()`; the CLI and the UI only render it."""

    question: str
    understood: str  # the question as understood (rewritten for follow-ups)
    text: str
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    warnings: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    hits: list[Hit] = Field(default_factory=list)
    engine: str = "extractive"
    settings_hash: str = ""
    elapsed_ms: float = 0.0
