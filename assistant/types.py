"""The data model of the answering side: hits, citations, answers (typed stages)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Asked(StrEnum):
    """What a question asks for."""

    BODY = "body"  # who / which body reviews, rates, decides
    DEADLINE = "deadline"
    COUNT = "count"  # how many items
    NUMBER = "number"  # a number, percentage, threshold, score, duration
    LEVEL = "level"  # which rating level applies
    FORM = "form"  # which Mẫu
    YESNO = "yesno"
    LIST = "list"
    COMPARISON = "comparison"  # 2023 rule against 2025 rule
    PURPOSE = "purpose"
    PROCEDURE = "procedure"
    DOC_FACT = "doc_fact"  # issuer, signer, date, replaces, replaced by, in force, structure
    CONTENT = "content"


class DocFact(StrEnum):
    ISSUER = "issuer"
    SIGNER = "signer"
    SIGNED = "signed"
    EFFECTIVE = "effective"
    REPLACES = "replaces"
    REPLACED_BY = "replaced_by"
    IN_FORCE = "in_force"
    STRUCTURE = "structure"
    APPLIES = "applies"  # which documents a review cycle uses


class Period(StrEnum):
    """The review cycle a question means; unspecified means now."""

    NOW = "now"
    OLD = "2023-2024"
    NEW = "2025+"


class Subject(BaseModel):
    """Who a question is about: a collective or an individual, and which kind."""

    kind: Literal["collective", "individual"] | None = None
    both: bool = False  # the question names collectives and individuals as a pair
    roles: list[str] = Field(default_factory=list)  # leader, no_post, probationary, …


class Premise(BaseModel):
    """Something the question asserts, so it can be checked against the pack."""

    kind: Literal["form", "duration", "number", "percent", "score", "relation", "level"]
    value: str  # normalised: "2c", "1 ngay", "90", "qd-124-2023>qd-366-2025", "httnv"
    text: str  # as the question words it
    doc_id: str | None = None  # the document the question says holds it


class Frame(BaseModel):
    """The question understood: built before search, shown to the user, carried by
    follow-ups slot by slot."""

    question: str  # as asked (normalised)
    documents: list[str] = Field(default_factory=list)  # documents named
    time: Period = Period.NOW
    time_explicit: bool = False
    subject: Subject = Field(default_factory=Subject)
    asked: Asked = Asked.CONTENT
    focus: Asked = Asked.CONTENT  # what a yes/no question is about ("có phải 02 ngày không")
    polar: bool = False  # yes/no form
    doc_fact: DocFact | None = None
    doc_facts: list[DocFact] = Field(default_factory=list)  # every document fact asked
    level: str | None = None  # a rating level the question names
    premise: Premise | None = None
    request: str | None = None  # a task the chat cannot do (quiz, outline, draft, translate…)
    english: bool = False
    shown: str = ""  # the frame in words, for the UI and the CLI


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
    unresolved: list[str] = Field(default_factory=list)  # named parts the pack lacks, in words
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


class LeadSentence(BaseModel):
    """One sentence of an answer's lead, with the markers of the citations it rests on."""

    text: str  # includes its markers: "… [1]."
    role: Literal[
        "answer", "previous", "next", "gap", "premise", "not_covered", "refusal", "uncovered"
    ]
    markers: list[int] = Field(default_factory=list)


Outcome = Literal["answered", "not_covered", "refused"]


class Answer(BaseModel):
    """The typed result of `assistant.answer()`; the CLI and the UI only render it."""

    question: str
    understood: str  # the question as understood (rewritten for follow-ups)
    text: str  # the lead, then the supporting quotes, as plain text
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    warnings: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    hits: list[Hit] = Field(default_factory=list)
    engine: str = "extractive"
    settings_hash: str = ""
    elapsed_ms: float = 0.0
    outcome: Outcome = "answered"
    frame: Frame | None = None
    lead: list[LeadSentence] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)  # one compact trust line per weak source
    validity: str | None = None  # said once: the replaced document and its successor

    @property
    def lead_text(self) -> str:
        return " ".join(s.text for s in self.lead)
