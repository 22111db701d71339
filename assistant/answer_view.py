"""How an answer is shown, the same in the chat page and in every export.

One shape: the lead first; one trust line under it (digest or official text, how many sources
of which kind, what is missing) that opens to its details; the validity note said once, naming
the successor and the provision to follow; the engine, settings hash and timing apart, as
technical details. The view holds plain text: each renderer escapes it for its format.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant import prompts
from assistant.types import Answer
from knowledge.caveats import render_trust, trust_summary
from knowledge.pack import Pack
from knowledge.types import Status

ENGINES = {"extractive": "bộ trích xuất", "llm": "mô hình ngôn ngữ"}


@dataclass(frozen=True)
class Successor:
    """Where a replaced rule now lives: a provision of the successor, or the successor itself."""

    doc_id: str
    provision_id: str | None
    label: str  # "Chương I, nội dung thứ 1 — Quy định 366-QĐ/TW" / "Quy định 366-QĐ/TW"


@dataclass(frozen=True)
class Validity:
    text: str  # the answer's validity note, said once
    successors: tuple[Successor, ...]


@dataclass(frozen=True)
class Trust:
    line: str  # "Bản tóm lược, không phải nguyên văn · 2 trích dẫn: … · chưa đầy đủ ở [1]"
    details: tuple[str, ...]  # one line per source, then what a digest is


@dataclass(frozen=True)
class AnswerView:
    lead: tuple[str, ...]  # paragraphs, plain text with their [n] markers
    refused: bool
    trust: Trust | None  # None when nothing is cited
    validity: Validity | None
    understood: str | None  # the question as rewritten (a follow-up), when it was
    frame: str  # the question as understood: what is asked, about whom, which cycle
    notices: tuple[str, ...]  # about the input or the engine (a cut question, a fallback)
    technical: tuple[str, ...]


def answer_view(answer: Answer, pack: Pack) -> AnswerView:
    """The parts of an answer in the order a reader meets them."""
    followup = prompts.FOLLOWUP_NOTICE.format(understood=answer.understood)
    return AnswerView(
        lead=lead_paragraphs(answer),
        refused=answer.refused,
        trust=trust(answer, pack),
        validity=validity(answer, pack),
        understood=answer.understood if answer.understood != answer.question else None,
        frame=answer.frame.shown if answer.frame is not None else "",
        notices=tuple(n for n in answer.notices if n != followup),
        technical=technical(answer),
    )


def lead_paragraphs(answer: Answer) -> tuple[str, ...]:
    """The lead: its sentences; an LLM's answer is its own text (the planned lead is what the
    model had to keep, and the model's markers are the ones its citations carry)."""
    if answer.engine == "llm" or not answer.lead:
        return tuple(p.strip() for p in answer.text.split("\n\n") if p.strip()) or ("",)
    return tuple(s.text for s in answer.lead)


def trust(answer: Answer, pack: Pack) -> Trust | None:
    cited = [(c, pack[c.id]) for c in answer.citations if c.id in pack]
    if not cited:
        return None
    documents = list(dict.fromkeys(pack.document(p.doc_id) for _, p in cited))
    texts = [d for d in documents if not d.is_notes]
    if texts and all(not d.is_digest for d in texts):
        parts = [prompts.TRUST_OFFICIAL]
    elif any(not d.is_digest for d in texts):
        parts = [prompts.TRUST_MIXED]
    else:
        parts = [prompts.TRUST_DIGEST]
    names = ", ".join(d.name if not d.is_notes else prompts.TRUST_NOTES for d in documents)
    parts.append(prompts.TRUST_SOURCES.format(n=len(cited), names=names))
    summaries = [(c, trust_summary(p, pack.document(p.doc_id))) for c, p in cited]
    weak = [c for c, s in summaries if s.weak]
    if weak:
        parts.append(prompts.TRUST_WEAK.format(n=len(weak)))
    missing = [c for c, s in summaries if s.missing and not s.not_covered]
    empty = [c for c, s in summaries if s.not_covered]
    if missing:
        parts.append(prompts.TRUST_PARTIAL.format(markers=_markers(missing)))
    if empty:
        parts.append(prompts.TRUST_EMPTY.format(markers=_markers(empty)))
    details = [f"[{c.marker}] {c.label}: {render_trust(s)}" for c, s in summaries]
    if any(d.is_digest for d in texts):
        details.append(prompts.TRUST_DIGEST_HELP)
    return Trust(" · ".join(parts), tuple(details))


def validity(answer: Answer, pack: Pack) -> Validity | None:
    """The answer's validity note, and for each replaced document it cites, where its rule now
    lives: the successor's provision from the old→new map when the map confirms one."""
    if not answer.validity:
        return None
    successors: list[Successor] = []
    for citation in answer.citations:
        if citation.id not in pack:
            continue
        provision = pack[citation.id]
        document = pack.document(provision.doc_id)
        if document.status is not Status.REPLACED or document.replaced_by is None:
            continue
        successor = _successor(pack, provision.id, document.replaced_by.id)
        if successor is not None and successor not in successors:
            successors.append(successor)
    return Validity(answer.validity, tuple(successors))


def _successor(pack: Pack, provision_id: str, new_doc: str) -> Successor | None:
    for topic in pack.succession.topics_for(provision_id, "old"):
        if topic.new.confirmed:
            for pid in topic.new.provisions:
                if pid in pack and pack[pid].doc_id == new_doc:
                    return Successor(new_doc, pid, pack[pid].citation)
    if new_doc in pack.trees:
        return Successor(new_doc, None, pack.document(new_doc).name)
    return None


def technical(answer: Answer) -> tuple[str, ...]:
    """The engine, the settings hash, the time taken and what the search found."""
    lines = [
        prompts.UI.ELAPSED.format(
            seconds=answer.elapsed_ms / 1000,
            engine=ENGINES.get(answer.engine, answer.engine),
            settings_hash=answer.settings_hash or "—",
        )
    ]
    for n, hit in enumerate(answer.hits[:5], start=1):
        lines.append(
            prompts.UI.TECH_HIT.format(n=n, citation=hit.citation, by=", ".join(hit.retrievers))
        )
    return tuple(lines)


def _markers(citations) -> str:
    return ", ".join(f"[{c.marker}]" for c in citations)
