"""The data model of the knowledge side: documents and their provisions.

A provision's id and label are made once, by the parser, and never rebuilt later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


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


class Confidence(StrEnum):
    """How well a provision's content is attested, from strongest to weakest."""

    OFFICIAL = "official"  # an ingested official text
    MULTI = "multi"  # two or more independent public sources
    SINGLE = "single"  # one public source
    SINGLE_TRANSLATED = "single_translated"  # one source, and that a translation


# The words a digest writes after "> Mức xác minh:", and how each kind is shown to users.
CONFIDENCE_WORDS = {
    "nhiều nguồn": Confidence.MULTI,
    "một nguồn": Confidence.SINGLE,
    "một nguồn, bản dịch": Confidence.SINGLE_TRANSLATED,
}
CONFIDENCE_LABELS = {
    Confidence.OFFICIAL: "văn bản chính thức",
    Confidence.MULTI: "nhiều nguồn",
    Confidence.SINGLE: "một nguồn",
    Confidence.SINGLE_TRANSLATED: "một nguồn, bản dịch",
}
CONFIDENCE_RANK = {
    Confidence.OFFICIAL: 0,
    Confidence.MULTI: 1,
    Confidence.SINGLE: 2,
    Confidence.SINGLE_TRANSLATED: 3,
}


@dataclass(frozen=True)
class Caveat:
    """A limit on how far a fact can be trusted: its source kind and what it is about.

    `scope` is the id of the provision (or `<doc>/thong-tin#field` for a front-matter fact)
    where the caveat was declared; `scope_label` is how a reader sees that place ("khoản 2").
    """

    kind: Confidence
    note: str
    scope: str
    scope_label: str

    @property
    def weak(self) -> bool:
        return self.kind in (Confidence.SINGLE, Confidence.SINGLE_TRANSLATED)


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
    NOTE = "note"  # a project note (commentary): never a provision of a document


# Document kinds laid out in numbered sections, not articles (knowledge.registry.KINDS).
SECTION_KINDS = frozenset({"Hướng dẫn", "Kết luận", "Chỉ thị"})
# Kinds whose nodes count as "articles" for coverage (articles, items, a Hướng dẫn's sections).
UNIT_KINDS = frozenset({ProvisionKind.ARTICLE, ProvisionKind.ITEM, ProvisionKind.NOTE})


@dataclass(frozen=True)
class ReplacedBy:
    id: str
    number: str
    date: dt.date


@dataclass(frozen=True)
class Guided:
    """A document another one guides the implementation of (front matter `guides:`)."""

    id: str
    number: str


@dataclass(frozen=True)
class Declared:
    """The real document's structure, as far as the sources confirm it (front matter
    `declared:`), so coverage is counted against the document, not against the digest."""

    chapters: int | None = None
    articles: int | None = None
    sections: int | None = None
    sections_min: int | None = None  # "at least n sections" when the total is unknown


NOTES_DOC_ID = "ghi-chu"


@dataclass(frozen=True)
class Document:
    """One document's metadata, from its front matter."""

    id: str
    number: str
    kind: str  # "Quy định", "Hướng dẫn", "Kết luận", "Chỉ thị" (knowledge.registry.KINDS)
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
    declared: Declared | None = None
    # Front-matter facts resting on weak sources: field name ("signer") -> its caveat.
    caveats: tuple[tuple[str, Caveat], ...] = ()
    guides: tuple[Guided, ...] = ()  # the documents whose implementation it guides

    @property
    def name(self) -> str:
        """Display name, e.g. "Quy định 124-QĐ/TW" (the notes: "Ghi chú của bản tóm lược")."""
        return self.title if self.is_notes else f"{self.kind} {self.number}"

    @property
    def is_digest(self) -> bool:
        return self.text is TextKind.DIGEST

    @property
    def is_notes(self) -> bool:
        """The project's notes (commentary) are held as a document of their own."""
        return self.id == NOTES_DOC_ID

    def caveat(self, field_name: str) -> Caveat | None:
        return dict(self.caveats).get(field_name)


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
    # True when the title is the digest's descriptive label, not a confirmed official title.
    title_descriptive: bool = False
    confidence: Confidence = Confidence.MULTI  # the weakest attestation of its own content
    # Caveats that bear on this provision: its own, its ancestors' and its descendants'.
    caveats: tuple[Caveat, ...] = ()
    about: tuple[str, ...] = ()  # for notes: the documents a note is about


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
    if provision.kind is ProvisionKind.SECTION and tree.document.kind in SECTION_KINDS:
        return True
    if provision.kind in (ProvisionKind.SECTION, ProvisionKind.CHAPTER):
        by_id = {p.id: p for p in tree.provisions}
        return not any(by_id[c].kind in UNIT_KINDS for c in provision.children_ids)
    return False


class SpanKind(StrEnum):
    """What a typed span of a provision's text is."""

    BODY = "body"  # a body that reviews, rates or decides
    DATE = "date"  # 31/12, 04/10/2023
    ISSUED = "issued"  # a document's own date: "10072-CV/BTCTW ngày 06/11/2025"
    DEADLINE = "deadline"  # "trước ngày 15/02 năm sau", "dịp cuối năm"
    PERCENT = "percent"  # 20%
    SCORE = "score"  # "từ 90 điểm trở lên", "từ 70 đến dưới 90 điểm"
    DURATION = "duration"  # "tối thiểu 02 ngày", "chưa đủ 6 tháng"
    COUNT = "count"  # "4 mức", "3 bước", "ba mặt"
    FORM = "form"  # Mẫu 02A, 2C-HD KĐ.ĐG 2025
    LEVEL = "level"  # a rating level
    GRADE = "grade"  # a criterion grade of QĐ 124 ("Xuất sắc", "Tốt"…)
    ENUMERATION = "enumeration"  # a lead-in and its items


@dataclass(frozen=True)
class Span:
    """A typed piece of a provision's own text, made once when the pack is loaded.

    `clause` is the sentence part that holds the span, with the lead-in that introduces it
    ("Cấp ủy cấp trên trực tiếp có trách nhiệm, thẩm quyền: quyết định, …"), so a lead built
    from it reads as the document's own words. `subjects` are the collective/individual and
    role tags of the line (or of the provision, when the line names none).
    """

    kind: SpanKind
    text: str
    value: str  # normalised: "2c", "20", "31/12", "htxsnv", "4"
    provision_id: str
    line: int  # index among the provision's own text lines
    clause: str
    subjects: frozenset[str] = frozenset()
    items: tuple[str, ...] = ()  # for enumerations: the listed items
    sentence: str = ""  # the whole line (with its lead-in), for inline lists "…: a; b; c"
