"""The one model of a cited document: what an export (Markdown, DOCX, PDF, print) renders and
what every workspace (briefing, lesson kit, comparison, my case) and a chat conversation produce.

Every statement carries the ids of the provisions it comes from; the sources list gives each
cited provision once, with its document, validity and whether the text is the digest or an
official text. Exporters render all text as text: nothing in a statement becomes a live link,
image or HTML; links appear only where the exporter builds them from `Source`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Statement(BaseModel):
    """One generated or quoted line, with the provisions it rests on."""

    text: str
    citations: list[str] = Field(default_factory=list)  # provision ids, in the pack
    # "option": an option of the question before it, citing what the question cites; its
    # marks are shown once, on the question.
    kind: Literal["text", "quote", "item", "option", "question", "answer", "note"] = "text"
    caveat: str = ""  # e.g. "một nguồn: …" for a single-source fact; "" when none
    text_kind: Literal["digest", "official", "note", ""] = ""  # for quotes: where the words are


class Section(BaseModel):
    title: str
    statements: list[Statement] = Field(default_factory=list)
    subsections: list[Section] = Field(default_factory=list)


class Source(BaseModel):
    """A cited provision, listed once."""

    id: str
    label: str  # "Điều 12, khoản 1 — Quy định 124-QĐ/TW"
    doc_number: str = ""
    validity: str = ""  # "đã được thay thế bởi Quy định 366-QĐ/TW …", "" when in force
    text_kind: Literal["digest", "official", "note", ""] = ""
    signed: str = ""  # the document's signing date, "04/10/2023"
    public_sources: list[str] = Field(default_factory=list)  # addresses the text rests on


class CitedDocument(BaseModel):
    title: str
    subtitle: str = ""
    sections: list[Section] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)  # the digest label, validity, gaps

    def statements(self) -> list[Statement]:
        """Every statement, in reading order."""
        out: list[Statement] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            out += section.statements
            stack += list(reversed(section.subsections))
        return out

    def cited_ids(self) -> list[str]:
        return list(dict.fromkeys(c for s in self.statements() for c in s.citations))
