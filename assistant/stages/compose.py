"""The extractive answer: the lead, then the supporting quotes, one caveat line per weak
source and the validity note said once. Every quoted line is a line of a cited provision;
the only words added are the fixed phrases of assistant/prompts.py and the lead's shapes."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant import prompts
from assistant.stages.lead import LeadBuilder
from assistant.stages.plan import Plan
from assistant.types import Asked, Citation, Frame, LeadSentence
from knowledge.caveats import render_trust, trust_summary
from knowledge.pack import Pack
from knowledge.types import Provision, Status

MAX_LINES = 14  # lines quoted from one provision when it is not an enumeration
MAX_QUOTES = 3


@dataclass
class Composed:
    """What an engine produces: the answer's parts, before the checks and the notices."""

    text: str
    citations: list[Citation]
    lead: list[LeadSentence] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    validity: str | None = None
    outcome: str = "answered"


class Citer:
    """Numbers provisions in the order the answer first uses them."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.order: list[Provision] = []

    def __call__(self, provision: Provision) -> int:
        for i, known in enumerate(self.order, start=1):
            if known.id == provision.id:
                return i
        self.order.append(provision)
        return len(self.order)


def quote_lines(provision: Provision, question: str, words, idf, enumerate_all: bool) -> list[str]:
    lines = [line for line in provision.full_text.splitlines() if line.strip()]
    if enumerate_all or len(lines) <= MAX_LINES:
        return lines
    asked = words(question)
    ranked = sorted(range(len(lines)), key=lambda i: -sum(idf(t) for t in asked & words(lines[i])))[
        :MAX_LINES
    ]
    return [lines[i] for i in sorted(ranked)]


def citation_for(pack: Pack, provision: Provision, marker: int, quote: str) -> Citation:
    document = pack.document(provision.doc_id)
    return Citation(
        marker=marker,
        id=provision.id,
        label=provision.citation,
        quote=quote,
        doc_number=document.number,
        doc_status=document.status.value,
        text_kind=document.text.value,
    )


def validity_note(pack: Pack, cited: list[Provision]) -> str | None:
    """The validity of the cited documents, said once: a replaced one names its successor."""
    notes = []
    for doc_id in dict.fromkeys(p.doc_id for p in cited):
        warning = prompts.validity_warning(pack.document(doc_id))
        if warning and warning not in notes:
            notes.append(warning)
    return " ".join(notes) or None


def caveat_lines(pack: Pack, cited: list[Provision]) -> list[str]:
    """One compact line per cited provision that rests on a weak source or lacks content."""
    out = []
    for marker, provision in enumerate(cited, start=1):
        summary = trust_summary(provision, pack.document(provision.doc_id))
        if summary.weak or summary.missing:
            out.append(f"[{marker}] {render_trust(summary)}")
    return out


def compose(plan: Plan, frame: Frame, pack: Pack, leads: LeadBuilder, words, idf) -> Composed:
    """The extractive answer for a plan (answered or not covered)."""
    cite = Citer(pack)
    lead = leads.lead(plan, frame, cite)
    if plan.primary is not None:
        cite(plan.primary.provision)
    if plan.secondary is not None:
        cite(plan.secondary.provision)
    cited = list(cite.order)[:MAX_QUOTES]
    enumerate_all = frame.asked in (Asked.LIST, Asked.COUNT, Asked.PROCEDURE, Asked.PURPOSE)
    citations, sections = [], []
    for marker, provision in enumerate(cited, start=1):
        lines = quote_lines(provision, frame.question, words, idf, enumerate_all or marker == 1)
        quote = "\n".join(lines)
        citations.append(citation_for(pack, provision, marker, quote))
        document = pack.document(provision.doc_id)
        body = "\n".join(_bullet(line) for line in lines)
        sections.append(prompts.source_heading(provision.citation, marker, document) + "\n" + body)
    text = "\n".join(s.text for s in lead)
    if sections:
        text += "\n\n" + "\n\n".join(sections)
    old_cited = [p for p in cited if pack.document(p.doc_id).status is not Status.IN_FORCE]
    outcome = plan.outcome
    if lead and all(s.role == "not_covered" for s in lead):
        outcome = "not_covered"  # e.g. a document fact the digest has not verified
    return Composed(
        text=text,
        citations=citations,
        lead=lead,
        caveats=caveat_lines(pack, cited),
        validity=validity_note(pack, old_cited),
        outcome=outcome,
    )


def _bullet(line: str) -> str:
    line = line.strip()
    return line if line.startswith("- ") else f"- {line}"
