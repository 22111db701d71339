"""What every workspace builds on: the pack with its spans, the lines of a provision with who
they are about, statements cited to the provision they come from, and the sources and
notices of a finished `CitedDocument`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant import prompts
from assistant.cited import CitedDocument, Source, Statement
from assistant.references import find_documents
from assistant.workspaces import phrases
from knowledge.caveats import describe
from knowledge.pack import Pack
from knowledge.spans import LABEL, LEAD_IN, SpanIndex, build_spans
from knowledge.text import fold
from knowledge.types import (
    CONFIDENCE_LABELS,
    NOTES_DOC_ID,
    Confidence,
    Coverage,
    Document,
    Provision,
    ProvisionKind,
    Status,
)
from knowledge.vocabulary import vocabulary

WEAK = (Confidence.SINGLE, Confidence.SINGLE_TRANSLATED)
ROLE_TAGS = frozenset(
    {"leader", "no_post", "outside_system", "central_cadre", "probationary", "new_member"}
)
# Words that say a line of the digest is incomplete: no question is built on such a line.
INCOMPLETE = ("chưa được xác minh", "chưa xác minh", "…", "...")

Progress = Callable[[str, int, int], None]


class WorkspaceError(ValueError):
    """Input a workspace cannot use (unknown document, topic, role, bad count)."""


def no_progress(label: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True)
class Context:
    """The pack and its typed spans, and the day that "now" means."""

    pack: Pack
    spans: SpanIndex
    today: dt.date

    def document(self, doc_id: str) -> Document:
        return self.pack.document(doc_id)


@functools.lru_cache(maxsize=8)
def _spans(pack: Pack) -> SpanIndex:
    return build_spans(list(pack.provisions.values()))


def context(pack: Pack, today: dt.date | None = None) -> Context:
    """The workspace context of a pack (spans built once per pack)."""
    return Context(pack, _spans(pack), today or dt.date.today())


# --- documents ---------------------------------------------------------------------------------


def known_documents(pack: Pack) -> str:
    return ", ".join(f"{d.id} ({d.name})" for d in pack.documents)


def resolve_document(pack: Pack, given: str) -> str:
    """A document id from what a user typed: the id itself or its number ("QĐ 366", "124").

    Raises:
        WorkspaceError: when no loaded document (or more than one) matches.
    """
    given = (given or "").strip()
    if given in pack.trees and given != NOTES_DOC_ID:
        return given
    found = find_documents(given, pack)
    if not found:
        number = fold(given).replace(" ", "")
        found = [d.id for d in pack.documents if fold(d.number).split("-")[0] == number]
    if len(found) != 1:
        raise WorkspaceError(
            phrases.UNKNOWN_DOCUMENT.format(given=given, known=known_documents(pack))
        )
    return found[0]


def resolve_documents(pack: Pack, given: list[str]) -> list[str]:
    if not [g for g in given if g.strip()]:
        raise WorkspaceError(phrases.NO_DOCUMENT.format(known=known_documents(pack)))
    return list(dict.fromkeys(resolve_document(pack, g) for g in given if g.strip()))


def validity(document: Document) -> str:
    """'' for a document in force, else its status ("Đã bị thay thế bởi 366-QĐ/TW …")."""
    if document.is_notes or document.status is Status.IN_FORCE:
        return ""
    return prompts.status_text(document)


# --- lines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a provision's own text, with its lead-in and who it is about."""

    provision: Provision
    index: int
    text: str  # without the bullet
    bullet: bool
    lead: str | None  # the line introducing this list item, if any
    tags: frozenset[str]  # "collective", "individual" and role tags
    labelled: bool = False  # the tags come from the line's own label ("Tập thể: …")

    @property
    def sentence(self) -> str:
        """The line as a sentence: a list item joined to its lead-in."""
        if self.lead:
            return join(self.lead, self.text)
        return self.text

    @property
    def is_lead_in(self) -> bool:
        return not self.bullet and bool(LEAD_IN.search(self.text))

    @property
    def complete(self) -> bool:
        return not any(word in self.text for word in INCOMPLETE)

    @property
    def roles(self) -> frozenset[str]:
        return self.tags & ROLE_TAGS


def lower_first(text: str) -> str:
    """A list item continuing a sentence: 'Tập thể lãnh đạo' -> 'tập thể lãnh đạo', but a
    name keeps its capital ('Bộ Chính trị', 'Mẫu 01', 'Phụ lục 1')."""
    words = text.split()[1:3]
    if any(w[:1].isupper() or w[:1].isdigit() for w in words):
        return text
    return text[:1].lower() + text[1:]


def join(lead: str, item: str) -> str:
    """A lead-in and an item as one sentence ('…: a')."""
    if lead.rstrip().endswith(":"):
        return f"{lead} {lower_first(item)}"
    return f"{lead} {item}"


def tags_of(text: str) -> frozenset[str]:
    """Subjects and roles a piece of text names ("Với cá nhân" -> individual)."""
    vocab = vocabulary()
    folded = fold(text)
    tags = set(vocab.roles_of(folded)) | set(vocab.subjects_of(folded))
    if tags & ROLE_TAGS:
        tags.add("individual")
    return frozenset(tags)


def _label(text: str) -> str | None:
    m = LABEL.match(text + " ")
    return m.group(1) if m else None


def lines_of(provision: Provision) -> list[Line]:
    """The provision's own lines. A line's tags come from its label ("Tập thể: …"), else from
    its lead-in, else from its own words."""
    raw = [line for line in provision.text.splitlines() if line.strip()]
    out: list[Line] = []
    lead: str | None = None
    lead_tags: frozenset[str] = frozenset()
    for index, line in enumerate(raw):
        bullet = line.startswith("- ")
        text = line[2:].strip() if bullet else line.strip()
        if not bullet:
            lead = text if LEAD_IN.search(text) else None
            label = _label(text)
            lead_tags = tags_of(label) if label else (tags_of(text) if lead else frozenset())
        label = _label(text)
        tags = tags_of(label) if label else frozenset()
        if not tags and bullet and lead:
            tags = lead_tags
        if not tags:
            tags = tags_of(text)
        out.append(
            Line(provision, index, text, bullet, lead if bullet else None, tags, bool(label))
        )
    return out


def walk(pack: Pack, provision: Provision) -> Iterator[Provision]:
    """A provision and its descendants, in reading order."""
    yield provision
    for child in pack.children(provision):
        yield from walk(pack, child)


def has_content(provision: Provision) -> bool:
    return provision.coverage is not Coverage.NONE and bool(provision.text.strip())


# --- statements --------------------------------------------------------------------------------


def text_kind(pack: Pack, provision: Provision) -> str:
    document = pack.document(provision.doc_id)
    return "note" if document.is_notes else document.text.value


def caveat_of(pack: Pack, provision: Provision, *, whole: bool = False) -> str:
    """The weak attestation behind a provision's own text ('' when it has two sources or is
    official). `whole` also counts the caveats of its descendants."""
    if provision.kind is ProvisionKind.INFO:
        return ""  # front-matter facts carry "(một nguồn)" in the text itself
    scope = {provision.id, *provision.ancestor_ids}
    caveats = [
        c
        for c in provision.caveats
        if c.weak and (whole or c.scope in scope or c.scope.startswith(provision.id + "#"))
    ]
    if caveats:
        return "; ".join(dict.fromkeys(describe(c) for c in caveats))
    if provision.confidence in WEAK and not pack.document(provision.doc_id).is_notes:
        return CONFIDENCE_LABELS[provision.confidence]
    return ""


def weak_label(pack: Pack, provision: Provision) -> str | None:
    """'một nguồn' or 'một nguồn, bản dịch' when a provision's own text rests on one source."""
    scope = {provision.id, *provision.ancestor_ids}
    kinds = [c.kind for c in provision.caveats if c.weak and c.scope in scope]
    if provision.confidence in WEAK:
        kinds.append(provision.confidence)
    if not kinds:
        return None
    weakest = max(kinds, key=lambda k: WEAK.index(k))
    return CONFIDENCE_LABELS[weakest]


def statement(
    pack: Pack,
    provision: Provision,
    text: str,
    *,
    kind: str = "text",
    extra: tuple[str, ...] = (),
    whole: bool = False,
) -> Statement:
    """A statement cited to `provision` (and `extra` ids), with its caveat and text kind."""
    return Statement(
        text=text,
        citations=list(dict.fromkeys((provision.id, *extra))),
        kind=kind,
        caveat=caveat_of(pack, provision, whole=whole),
        text_kind=text_kind(pack, provision),
    )


def gap(pack: Pack, provision: Provision) -> Statement:
    """What the digest lacks for a provision, in the digest's own words."""
    template = phrases.GAP if provision.coverage is Coverage.NONE else phrases.PARTIAL
    note = provision.coverage_note.strip().rstrip(".") + "."
    return Statement(
        text=template.format(citation=provision.citation, note=note),
        citations=[provision.id],
        kind="note",
        text_kind=text_kind(pack, provision),
    )


def list_statements(pack: Pack, lines: list[Line], *, limit: int = 99) -> list[Statement]:
    """Lines as statements: a lead-in as text, its items as items (at most `limit` items)."""
    out: list[Statement] = []
    items = 0
    for line in lines:
        if line.bullet:
            items += 1
            if items > limit:
                if items == limit + 1 and out:
                    out[-1] = out[-1].model_copy(update={"text": out[-1].text + phrases.MORE})
                continue
            out.append(statement(pack, line.provision, line.text, kind="item"))
        else:
            items = 0
            out.append(statement(pack, line.provision, line.text))
    return out


# --- finishing a document ----------------------------------------------------------------------


def finish(pack: Pack, doc: CitedDocument) -> CitedDocument:
    """The document with its sources (each cited provision once) and notices: the digest
    label, and the validity of every replaced or partly inapplicable document it cites."""
    sources: list[Source] = []
    documents: list[Document] = []
    for pid in doc.cited_ids():
        if pid not in pack:
            continue
        provision = pack[pid]
        document = pack.document(provision.doc_id)
        if document not in documents:
            documents.append(document)
        sources.append(
            Source(
                id=pid,
                label=provision.citation,
                doc_number="" if document.is_notes else document.number,
                validity=validity(document),
                text_kind=text_kind(pack, provision),
            )
        )
    notices = list(doc.notices)
    if any(d.is_digest and not d.is_notes for d in documents):
        notices.append(phrases.DIGEST_NOTICE)
    for document in documents:
        if document.is_notes:
            continue
        warning = prompts.validity_warning(document)
        if warning:
            notices.append(warning)
    if any(d.is_notes for d in documents):
        notices.append(prompts.MAP_DISCLAIMER)
    return doc.model_copy(update={"sources": sources, "notices": list(dict.fromkeys(notices))})
