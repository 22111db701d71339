"""The forms (Mẫu) a document names, with who uses them, from the typed FORM spans made when
the pack is loaded (knowledge.spans): nothing is read from the text again but the sentence
each span already holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.pack import Pack
from knowledge.spans import SpanIndex
from knowledge.types import SpanKind

# "02A-HD KĐ.ĐG 2023": the form's symbol, as the span found it.
SYMBOL = re.compile(r"^\d{1,2}[A-Ca-c]?-HD\s")
FOR_WHOM = re.compile(r"\b(?:dành cho|dùng cho|áp dụng cho)\s+([^;.]+)", re.IGNORECASE)
# "mỗi người làm bản tự kiểm điểm theo Mẫu 02A": who acts, before what is done by the form.
ACTOR = re.compile(
    r"^(?:[^:]{0,60}:\s+)?(.{3,120}?)\s+(?:trực tiếp\s+)?(?:làm|chỉ đạo|lập|xây dựng|ghi)\b",
    re.IGNORECASE,
)
SUBJECTS = {"collective": "tập thể", "individual": "cá nhân"}


@dataclass(frozen=True)
class FormUse:
    code: str  # normalised: "2a"
    name: str  # "Mẫu 02A", as the document first writes it
    symbol: str  # "02A-HD KĐ.ĐG 2023", or "" when the document gives none
    who: tuple[str, ...]  # who uses it, in the document's words
    sentences: tuple[str, ...]  # the sentences that name it
    provision_ids: tuple[str, ...]


def document_forms(pack: Pack, spans: SpanIndex, doc_id: str) -> list[FormUse]:
    """The forms a document names, in the order it first names them."""
    found: dict[str, dict] = {}
    tree = pack.trees[doc_id]
    for provision in tree.provisions:
        for span in spans.of(provision.id):
            if span.kind is not SpanKind.FORM:
                continue
            entry = found.setdefault(
                span.value,
                {"name": "", "symbol": "", "who": [], "sentences": [], "ids": []},
            )
            if SYMBOL.match(span.text):
                entry["symbol"] = entry["symbol"] or span.text
            elif not entry["name"]:
                entry["name"] = "M" + span.text[1:] if span.text[:1] in "mM" else span.text
            sentence = span.sentence.strip()
            if sentence and sentence not in entry["sentences"]:
                entry["sentences"].append(sentence)
                who = _who(sentence, span.subjects)
                if who[1] and who not in entry["who"]:
                    entry["who"].append(who)
            if provision.id not in entry["ids"]:
                entry["ids"].append(provision.id)
    return [
        FormUse(
            code=code,
            name=e["name"] or f"Mẫu {e['symbol'].split('-')[0]}",
            symbol=e["symbol"],
            # The most explicit wording only: "dành cho …" over who acts over the line's subject.
            who=tuple(w for rank, w in e["who"] if rank == min(r for r, _ in e["who"])),
            sentences=tuple(e["sentences"]),
            provision_ids=tuple(e["ids"]),
        )
        for code, e in found.items()
    ]


def _who(sentence: str, subjects: frozenset[str]) -> tuple[int, str]:
    """Who a sentence says uses the form, ranked by how explicit it is: "dành cho …" (0), who
    acts with it (1), whether the line is about collectives or individuals (2); "" when the
    sentence does not say."""
    m = FOR_WHOM.search(sentence)
    if m:
        return 0, m.group(1).strip()
    m = ACTOR.match(sentence)
    if m:
        actor = m.group(1).strip()
        return 1, actor[:1].upper() + actor[1:]
    kinds = [SUBJECTS[s] for s in ("collective", "individual") if s in subjects]
    return 2, ", ".join(kinds).capitalize()
