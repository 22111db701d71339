"""Which documents exist and how they relate, from their front matter alone (no list of ids).

- `KINDS`: the kinds of party document the format and the ingest know, with the code their
  numbers carry ("124-QĐ/TW"), the slug their ids start with and whether their body is laid
  out in articles (Quy định) or in numbered sections (Hướng dẫn, Kết luận, Chỉ thị);
- `document_id`: a document's id from its kind, number and year, with the issuer's level and
  place for a document that is not central (`qd-31-2023-tu-dong-nai`);
- `resolve_reference`: which loaded document a sentence such as `replaces:` names;
- `link`: the validity graph made whole: a document that another loaded document replaces is
  marked replaced by it (its info block says so), whichever side's front matter states it;
- `ordered`: the order documents are shown and searched in: the shipped ones first, each
  generation of the succession after the one it replaces, by signing date.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.types import SECTION_KINDS, Document, DocumentTree, ReplacedBy, Status


@dataclass(frozen=True)
class Kind:
    """A kind of party document."""

    name: str  # "Quy định", as the front matter's `kind`
    code: str  # "QĐ", as in the number "124-QĐ/TW"
    slug: str  # "qd", as in the id "qd-124-2023"
    title: str  # "QUY ĐỊNH", the title word of the official layout

    @property
    def sections(self) -> bool:
        """Body in numbered sections ("1.", "1.1.") rather than in articles."""
        return self.name in SECTION_KINDS


KINDS = (
    Kind("Quy định", "QĐ", "qd", "QUY ĐỊNH"),
    Kind("Hướng dẫn", "HD", "hd", "HƯỚNG DẪN"),
    Kind("Kết luận", "KL", "kl", "KẾT LUẬN"),
    Kind("Chỉ thị", "CT", "ct", "CHỈ THỊ"),
)
KIND_NAMES = tuple(k.name for k in KINDS)
BY_NAME = {k.name: k for k in KINDS}
BY_CODE = {k.code: k for k in KINDS} | {"QD": BY_NAME["Quy định"]}
BY_SLUG = {k.slug: k for k in KINDS}

# "qd-124-2023", "kl-198-2025", "qd-31-2023-tu-dong-nai", "hd-5-2024-btctu-dong-nai".
DOC_ID = re.compile(r"^(" + "|".join(k.slug for k in KINDS) + r")-\d+-\d{4}(?:-[a-z0-9]+)*$")
# "124-QĐ/TW", "05-HD/BTCTU" (with the year when a sentence gives the date).
NUMBER = re.compile(
    r"(\d{1,5})\s*-\s*(" + "|".join(sorted(BY_CODE, key=len, reverse=True)) + r")\s*/\s*"
    r"([A-ZĐƯ]+(?:-[A-ZĐƯ]+)?)"
)
# The year of the date that follows a number: "… ngày 04/10/2023", "… năm 2023".
YEAR_AFTER = re.compile(
    r"^\D{0,12}?\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d\d)|^\D{0,20}năm ((?:19|20)\d\d)"
)


def kind_of(name: str) -> Kind | None:
    return BY_NAME.get(name)


def kind_name_of_id(doc_id: str) -> str:
    """ "Quy định" for qd-…, "Kết luận" for kl-…: the kind an id names."""
    kind = BY_SLUG.get(doc_id.split("-", 1)[0])
    return kind.name if kind else "Văn bản"


def uses_sections(kind_name: str) -> bool:
    """Whether a kind's body is in numbered sections (Hướng dẫn, Kết luận) not articles."""
    kind = BY_NAME.get(kind_name)
    return bool(kind and kind.sections)


def slug(text: str) -> str:
    """ "Đồng Nai" → "dong-nai"; "BTCTU" → "btctu"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def is_central(number: str) -> bool:
    """A number whose issuer sits at the centre: "…/TW", "…/BTCTW", "…/VPTW"."""
    suffix = number.rsplit("/", 1)[-1].strip().upper()
    return suffix.endswith(("TW", "TƯ"))


def document_id(kind: str, number: str, year: int, place: str | None = None) -> str:
    """The id of a document from its kind, number and year.

    A central document is `<kind>-<n>-<year>` ("kl-198-2025"); any other also names its
    issuer's level (the number's suffix) and place, so that the many provincial "Quy định 31"
    do not share an id: "31-QĐ/TU" of Đồng Nai is "qd-31-2023-tu-dong-nai".

    Raises:
        ValueError: the kind is unknown or the number has no digits.
    """
    if kind not in BY_NAME:
        raise ValueError(f"loại văn bản '{kind}' không có trong: {', '.join(KIND_NAMES)}")
    m = re.match(r"\s*0*(\d+)", number)
    if not m:
        raise ValueError(f"số hiệu '{number}' không có số")
    base = f"{BY_NAME[kind].slug}-{int(m.group(1))}-{year}"
    if is_central(number) or "/" not in number:
        return base
    level = slug(number.rsplit("/", 1)[-1])
    return "-".join(part for part in (base, level, slug(place or "")) if part)


def same_number(a: str, b: str) -> bool:
    """ "05-HD/BTCTU" and "5 - HD/BTCTU" name the same number."""

    def norm(text: str) -> str:
        text = text.upper().replace(" ", "").replace("–", "-").replace("-QD/", "-QĐ/")
        return re.sub(r"^0+(?=\d)", "", text)

    return norm(a) == norm(b)


def resolve_reference(text: str, documents: Iterable[Document]) -> str | None:
    """The id of the loaded document a sentence names by number (and year, when the sentence
    dates it): "Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị" → "qd-124-2023"."""
    documents = list(documents)
    for m in NUMBER.finditer(text or ""):
        number = f"{m.group(1)}-{m.group(2)}/{m.group(3)}"
        year_m = YEAR_AFTER.search(text[m.end() :])
        year = int(next(g for g in year_m.groups() if g)) if year_m else None
        found = [
            d
            for d in documents
            if same_number(d.number, number) and (year is None or d.signed.year == year)
        ]
        if len(found) == 1:
            return found[0].id
    return None


def reference_sentence(document: Document) -> str:
    """How a front matter's `replaces:` names a document, and `resolve_reference` reads it
    back: "Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị"."""
    return f"{document.name} ngày {document.signed:%d/%m/%Y} của {document.issuer}"


def replaced_ids(document: Document, documents: Iterable[Document]) -> list[str]:
    """The loaded documents `document` replaces, from its `replaces:` sentence."""
    found = resolve_reference(document.replaces or "", documents)
    return [found] if found and found != document.id else []


def related_by_guidance(a: Document, b: Document) -> bool:
    """Whether one of two documents guides the other (front matter `guides:`)."""
    return any(g.id == b.id for g in a.guides) or any(g.id == a.id for g in b.guides)


def link(trees: list[DocumentTree]) -> list[DocumentTree]:
    """The trees with the validity graph made whole.

    A document is replaced when a loaded document's front matter says it replaces it, even
    when its own front matter does not say so yet (a shipped digest, an official text loaded
    before its successor): it gets `replaced_by` and the status `replaced`, and its info block
    is made again from the changed front matter. Documents whose front matter already states
    it are returned unchanged.
    """
    from knowledge.tree import info_provision

    documents = [t.document for t in trees]
    successor: dict[str, Document] = {}
    for document in documents:
        for old in replaced_ids(document, documents):
            successor.setdefault(old, document)
    out = []
    for tree in trees:
        document = tree.document
        new = successor.get(document.id)
        if new is None or document.replaced_by is not None:
            out.append(tree)
            continue
        changed = dataclasses.replace(
            document,
            status=Status.REPLACED,
            replaced_by=ReplacedBy(new.id, new.number, new.signed),
        )
        info = info_provision(changed)
        provisions = tuple(info if p.id == info.id else p for p in tree.provisions)
        out.append(DocumentTree(document=changed, provisions=provisions))
    return out


def generations(documents: Iterable[Document]) -> dict[str, int]:
    """How many replacements lie behind each document: 0 for QĐ 124, 1 for QĐ 366."""
    documents = list(documents)
    ids = {d.id for d in documents}
    previous: dict[str, str] = {}
    for d in documents:
        if d.replaced_by and d.replaced_by.id in ids:
            previous.setdefault(d.replaced_by.id, d.id)
    out: dict[str, int] = {}
    for d in documents:
        depth, seen, current = 0, {d.id}, d.id
        while current in previous and previous[current] not in seen:
            current = previous[current]
            seen.add(current)
            depth += 1
        out[d.id] = depth
    return out


def ordered(documents: Iterable[Document], primary: Iterable[str] | None = None) -> list[Document]:
    """Documents in reading order: the `primary` ones (the shipped digests' ids) first, then
    the others; within each, the texts in force before their successors (by generation), then
    by signing date. For the shipped digests: QĐ 124, QĐ 125, HD 25, QĐ 366, HD 43."""
    documents = list(documents)
    first = set(primary) if primary is not None else {d.id for d in documents}
    generation = generations(documents)
    return sorted(documents, key=lambda d: (d.id not in first, generation[d.id], d.signed, d.id))
