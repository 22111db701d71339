"""The data model of the knowledge side: documents and their provisions.

A provision's id and label are made once, by the parser, and never rebuilt later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

DOCUMENT_IDS = ("qd-124-2023", "qd-125-2023", "hd-25-2023", "qd-366-2025", "hd-43-2025")


class Status(StrEnum):
    IN_FORCE = "in_force"
    REPLACED = "replaced"
    PARTLY_INAPPLICABLE = "partly_inapplicable"


class TextKind(StrEnum):
    DIGEST = "digest"
    OFFICIAL = "official"


class Coverage(StrEnum):
    """How much of a provision the loaded text actually holds."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class ProvisionKind(StrEnum):
    INFO = "info"  # the generated "thông tin văn bản" provision
    CHAPTER = "chapter"  # ## Chương I.
    SECTION = "section"  # ## Mục III.  or a Hướng dẫn's ## 1.
    ARTICLE = "article"  # ### Điều 5.
    ITEM = "item"  # ### Nhiệm vụ 3. / Quan hệ 1. / Nội dung 2.  (or ## Nội dung 2.)
    SUBSECTION = "subsection"  # ### 1.1. in a Hướng dẫn
    CLAUSE = "clause"  # khoản  1.
    POINT = "point"  # điểm   1.1.
    SUBPOINT = "subpoint"  # tiết   a)


# Kinds whose nodes count as "articles" for coverage (articles, items, a Hướng dẫn's sections).
UNIT_KINDS = frozenset({ProvisionKind.ARTICLE, ProvisionKind.ITEM})


@dataclass(frozen=True)
class ReplacedBy:
    id: str
    number: str
    date: dt.date


@dataclass(frozen=True)
class Document:
    """One document's metadata, from its front matter."""

    id: str
    number: str
    kind: str  # "Quy định" | "Hướng dẫn"
    title: str
    issuer: str
    signer: str | None
    signed: dt.date
    effective: dt.date | None
    status: Status
    applies_to: str
    text: TextKind
    sources: tuple[str, ...]
    path: Path
    replaced_by: ReplacedBy | None = None
    replaces: str | None = None
    status_note: str | None = None
    structure: str | None = None
    # True when only some article numbers are confirmed: gaps in article numbers are allowed.
    partial_numbering: bool = False

    @property
    def name(self) -> str:
        """Display name, e.g. "Quy định 124-QĐ/TW"."""
        return f"{self.kind} {self.number}"

    @property
    def is_digest(self) -> bool:
        return self.text is TextKind.DIGEST


@dataclass(frozen=True)
class Provision:
    """One citable unit: a document's info block, chapter, article, clause, point…"""

    id: str  # e.g. "qd-124-2023/dieu-12/khoan-1/diem-1.1"
    doc_id: str
    kind: ProvisionKind
    number: str  # "12", "1.1", "a", "III" ("" for the info block)
    title: str  # heading title ("" when none)
    label: str  # "Điều 12, khoản 1, điểm 1.1" (without the document)
    citation: str  # "Điều 12, khoản 1, điểm 1.1 — Quy định 124-QĐ/TW"
    text: str  # own text (lines and bullets), without children
    full_text: str  # own text followed by every descendant, numbered as in the layout
    parent_id: str | None
    ancestor_ids: tuple[str, ...]  # nearest first is last: (article, clause) for a point
    children_ids: tuple[str, ...]
    coverage: Coverage  # of this provision and its descendants
    coverage_note: str  # what the loaded text lacks, when coverage is not FULL
    notes: tuple[str, ...]  # "> Ghi chú:" lines: shown to readers, not the document's words
    sources: tuple[str, ...]  # own sources, or the nearest ancestor's
    line: int  # line in the source file
    heading_path: tuple[str, ...] = field(default=())  # titles of the article/section above


@dataclass(frozen=True)
class DocumentTree:
    """A parsed document: its metadata and its provisions in reading order."""

    document: Document
    provisions: tuple[Provision, ...]

    def units(self) -> list[Provision]:
        return [p for p in self.provisions if is_unit(p, self)]


def is_unit(provision: Provision, tree: DocumentTree) -> bool:
    """Articles, items and a Hướng dẫn's sections count as units; so does a section or
    chapter that holds no such unit itself (QĐ 125's Mục I, II, V)."""
    if provision.kind in UNIT_KINDS:
        return True
    if provision.kind is ProvisionKind.SECTION and tree.document.kind == "Hướng dẫn":
        return True
    if provision.kind in (ProvisionKind.SECTION, ProvisionKind.CHAPTER):
        by_id = {p.id: p for p in tree.provisions}
        return not any(by_id[c].kind in UNIT_KINDS for c in provision.children_ids)
    return False
