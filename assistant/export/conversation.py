"""A chat conversation (or one answer) as a `CitedDocument`, in the shape the chat page shows:
the question, the question as understood, the lead, the trust line, the validity note once,
then the quotes; every cited provision listed once in the sources, numbered across the whole
document."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from assistant import prompts
from assistant.answer_view import answer_view
from assistant.cited import CitedDocument, Section, Source, Statement
from assistant.types import Answer
from knowledge.caveats import render_trust, trust_summary
from knowledge.pack import Pack
from knowledge.types import NOTES_DOC_ID, Status

MARKER = re.compile(r"\[(\d+)\]")


class SourceList:
    """The document's sources: each cited provision once, numbered in order of first use."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.sources: list[Source] = []

    def number(self, provision_id: str) -> int:
        for n, source in enumerate(self.sources, start=1):
            if source.id == provision_id:
                return n
        self.sources.append(source_of(self.pack, provision_id))
        return len(self.sources)


def source_of(pack: Pack, provision_id: str) -> Source:
    """A cited provision as a source: its label, document, validity and text kind."""
    provision = pack[provision_id]
    document = pack.document(provision.doc_id)
    if document.is_notes:
        text_kind = "note"
    else:
        text_kind = "digest" if document.is_digest else "official"
    return Source(
        id=provision.id,
        label=provision.citation,
        doc_number="" if document.is_notes else document.number,
        validity="" if document.status is Status.IN_FORCE else prompts.status_text(document),
        text_kind=text_kind,
        signed="" if document.is_notes else f"{document.signed:%d/%m/%Y}",
        public_sources=list(provision.sources or document.sources),
    )


def conversation_document(
    answers: Iterable[Answer],
    pack: Pack,
    *,
    title: str = prompts.EXPORT_TITLE,
    now: dt.datetime | None = None,
) -> CitedDocument:
    """The conversation's answers (oldest first; each holds its question) as one document.

    Args:
        answers: the answers to export; one answer exports that answer alone.
        pack: the knowledge pack the answers were made from.
        title: the document's title.
        now: the export time to print (default: now, local time).
    """
    answers = list(answers)
    stamp = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M")
    hashes = ", ".join(dict.fromkeys(a.settings_hash for a in answers if a.settings_hash))
    sources = SourceList(pack)
    sections = [answer_section(n, a, pack, sources) for n, a in enumerate(answers, start=1)]
    notices = []
    if any(s.text_kind == "digest" for s in sources.sources):
        notices.append(prompts.EXPORT_DIGEST_NOTICE)
    return CitedDocument(
        title=title,
        subtitle=prompts.EXPORT_STAMP.format(time=stamp, settings_hash=hashes or "—"),
        sections=sections,
        sources=sources.sources,
        notices=notices,
    )


def answer_section(n: int, answer: Answer, pack: Pack, sources: SourceList) -> Section:
    """One question and its answer."""
    view = answer_view(answer, pack)
    known = {c.marker: c.id for c in answer.citations if c.id in pack}

    def renumbered(text: str) -> tuple[str, list[str]]:
        cited: list[str] = []

        def swap(match: re.Match) -> str:
            pid = known.get(int(match.group(1)))
            if pid is None:
                return match.group(0)
            cited.append(pid)
            return f"[{sources.number(pid)}]"

        return MARKER.sub(swap, text), list(dict.fromkeys(cited))

    statements: list[Statement] = []

    def note(text: str) -> None:
        statements.append(Statement(text=text, kind="note"))

    if view.understood:
        note(prompts.EXPORT_UNDERSTOOD.format(understood=view.understood))
    if view.frame:
        note(prompts.EXPORT_FRAME.format(frame=view.frame))
    for notice in view.notices:
        note(notice)
    for paragraph in view.lead:
        text, cited = renumbered(paragraph)
        statements.append(Statement(text=text, citations=cited))
    if view.refused:
        for hit in answer.hits[:3]:
            if hit.id in pack and pack[hit.id].doc_id != NOTES_DOC_ID:
                statements.append(
                    Statement(text=prompts.EXPORT_NEAREST.format(label=hit.citation), kind="item")
                )
    if view.trust is not None:
        line, _ = renumbered(view.trust.line)
        note(prompts.EXPORT_TRUST.format(line=line))
    if view.validity is not None:
        note(prompts.EXPORT_VALIDITY.format(text=view.validity.text))
        for successor in view.validity.successors:
            pid = successor.provision_id or successor.doc_id
            note(prompts.EXPORT_SUCCESSOR.format(label=successor.label, pid=pid))
    for citation in answer.citations:
        if citation.id not in pack or not citation.quote.strip():
            continue
        provision = pack[citation.id]
        summary = trust_summary(provision, pack.document(provision.doc_id))
        source = sources.sources[sources.number(citation.id) - 1]
        statements.append(
            Statement(
                text=citation.quote.strip(),
                citations=[citation.id],
                kind="quote",
                text_kind=source.text_kind,
                caveat=render_trust(summary) if summary.weak or summary.missing else "",
            )
        )
    title = prompts.EXPORT_QUESTION.format(n=n, question=answer.question.strip())
    return Section(title=title, statements=statements)
