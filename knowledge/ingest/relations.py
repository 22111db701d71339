"""The validity relations of a document that has no digest: which loaded documents it
replaces, is replaced by and guides.

They are read from the text where it states them (a Hướng dẫn's title "hướng dẫn thực hiện
Quy định số 124-QĐ/TW", a clause "Quy định này thay thế Quy định số 132-QĐ/TW"), may be set
by the user on the upload page (or with `quydinh ingest --replaces/--replaced-by/--guides`),
and are written into the official file's front matter, where the registry reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.registry import NUMBER, reference_sentence, resolve_reference
from knowledge.types import Document

REPLACES_WORDS = re.compile(r"\bthay thế\b", re.I)


@dataclass(frozen=True)
class Relations:
    """Ids of loaded documents this one replaces, is replaced by, and guides."""

    replaces: str | None = None
    replaced_by: str | None = None
    guides: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.replaces or self.replaced_by or self.guides)


def _named(text: str, documents: Sequence[Document]) -> list[str]:
    """Loaded documents a piece of text names by number, in order."""
    found: list[str] = []
    for m in NUMBER.finditer(text):
        doc_id = resolve_reference(text[m.start() :], documents)
        if doc_id and doc_id not in found:
            found.append(doc_id)
    return found


def detect_relations(
    kind: str,
    subject: str | None,
    preamble: Sequence[str],
    body: Sequence[str],
    documents: Sequence[Document],
) -> Relations:
    """What the text itself says: a Hướng dẫn guides the documents its title (or a preamble
    line "Thực hiện …") names; a sentence with "thay thế" names the document replaced."""
    guides: list[str] = []
    if kind == "Hướng dẫn":
        lines = [subject or "", *(p for p in preamble if p.lstrip("-–+ ").startswith("Thực hiện"))]
        for line in lines:
            guides += [d for d in _named(line, documents) if d not in guides]
    replaces = None
    for sentence in re.split(r"(?<=[.;])\s+", " ".join(body)):
        if REPLACES_WORDS.search(sentence) and (named := _named(sentence, documents)):
            replaces = named[0]
            break
    return Relations(replaces=replaces, guides=tuple(guides))


def check_relations(relations: Relations, own_id: str, documents: Iterable[Document]) -> None:
    """Refuse relations to documents that are not loaded, or to the document itself.

    Raises:
        IngestError: an id is unknown, or the document would relate to itself.
    """
    known = {d.id for d in documents}
    named = [relations.replaces, relations.replaced_by, *relations.guides]
    for doc_id in (d for d in named if d):
        if doc_id == own_id:
            raise IngestError(
                IngestFailure.UNKNOWN_DOCUMENT,
                f"Văn bản {own_id} không thể thay thế, bị thay thế bởi hay hướng dẫn chính nó. "
                "Cách sửa: chọn văn bản khác.",
            )
        if doc_id not in known:
            raise IngestError(
                IngestFailure.UNKNOWN_DOCUMENT,
                f"Văn bản '{doc_id}' không có trong bộ văn bản nên không ghi được quan hệ hiệu "
                f"lực với nó. Các mã hợp lệ: {', '.join(sorted(known))}.",
            )
    if relations.replaces and relations.replaces == relations.replaced_by:
        raise IngestError(
            IngestFailure.UNKNOWN_DOCUMENT,
            f"Một văn bản ({relations.replaces}) không thể vừa bị văn bản này thay thế vừa "
            "thay thế nó. Cách sửa: bỏ một trong hai quan hệ.",
        )


def relation_fields(relations: Relations, documents: Iterable[Document]) -> dict:
    """The front-matter fields of the relations (`status`, `replaced_by`, `replaces`,
    `guides`), in the format's shapes."""
    by_id = {d.id: d for d in documents}
    fields: dict = {"status": "in_force"}
    if relations.replaced_by:
        new = by_id[relations.replaced_by]
        fields["status"] = "replaced"
        fields["replaced_by"] = {"id": new.id, "number": new.number, "date": new.signed}
    if relations.replaces:
        fields["replaces"] = reference_sentence(by_id[relations.replaces])
    if relations.guides:
        fields["guides"] = [{"id": g, "number": by_id[g].number} for g in relations.guides]
    return fields
