"""Bản tin (briefing): for chosen documents, and optionally topics, what each document is and
its validity, its key points, key numbers and dates, what changed from 2023 to 2025 (from the
old→new map) and quotable lines, each statement cited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import prompts
from assistant.cited import CitedDocument, Section, Statement
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    Context,
    Progress,
    WorkspaceError,
    finish,
    has_content,
    lines_of,
    no_progress,
    resolve_documents,
    statement,
    walk,
)
from assistant.workspaces.outline import first_sentence, heading, key_points
from knowledge.succession import Topic as MapTopic
from knowledge.text import fold
from knowledge.types import Coverage, Provision, ProvisionKind, SpanKind

NUMBER_KINDS = {
    SpanKind.SCORE: "score",
    SpanKind.PERCENT: "score",
    SpanKind.DEADLINE: "deadline",
    SpanKind.DURATION: "deadline",
    SpanKind.FORM: "form",
}
QUOTE_WEIGHTS = {kind: 2 for kind in NUMBER_KINDS} | {SpanKind.LEVEL: 1}
NORMATIVE = re.compile(
    r"\b(quyet dinh|phai|khong qua|toi thieu|it nhat|truoc ngay|chiu trach nhiem|co tham quyen)\b"
)
QUOTES_PER_DOCUMENT = 5
NUMBERS_PER_GROUP = 12
MIN_WORDS = 5


@dataclass(frozen=True)
class TopicChoice:
    """A topic a user chose: the map's topics it names and the provisions it covers."""

    title: str
    provision_ids: tuple[str, ...]
    map_topics: tuple[MapTopic, ...]

    def covers(self, provision_id: str) -> bool:
        return any(
            provision_id == p or provision_id.startswith(p + "/") for p in self.provision_ids
        )


def resolve_topic(ctx: Context, doc_ids: list[str], given: str) -> TopicChoice:
    """A topic from the old→new map (by id or title), else provisions whose title or text
    names it.

    Raises:
        WorkspaceError: when neither the map nor the chosen documents know the topic.
    """
    pack = ctx.pack
    wanted = fold(given).strip()
    names = ", ".join(pack.document(d).name for d in doc_ids)
    in_docs = lambda pid: pid.split("/")[0] in doc_ids  # noqa: E731
    mapped = [
        t
        for t in pack.succession.topics
        if wanted
        and (wanted == t.id or wanted in fold(t.title))
        and any(in_docs(p) for p in (*t.old.provisions, *t.new.provisions))
    ]
    if mapped:
        ids = [p for t in mapped for p in (*t.old.provisions, *t.new.provisions) if in_docs(p)]
        return TopicChoice(mapped[0].title, tuple(dict.fromkeys(ids)), tuple(mapped))
    if wanted:
        word = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        titled, texted = [], []
        for doc_id in doc_ids:
            for p in pack.trees[doc_id].provisions:
                if p.kind is ProvisionKind.INFO:
                    continue
                if p.title and word.search(fold(p.title)):
                    titled.append(p.id)
                elif has_content(p) and word.search(fold(p.text)):
                    texted.append(p.id)
        found = _outermost(titled or texted)
        if found:
            return TopicChoice(given.strip(), tuple(found), ())
    known = "; ".join(f"{t.id} ({t.title})" for t in pack.succession.topics)
    raise WorkspaceError(phrases.UNKNOWN_TOPIC.format(given=given, documents=names, known=known))


def _outermost(ids: list[str]) -> list[str]:
    return [p for p in ids if not any(p.startswith(q + "/") for q in ids if q != p)]


# --- the sections --------------------------------------------------------------------------------


def about(ctx: Context, doc_id: str) -> Section:
    """What the document is and its validity: the lines of its information block."""
    pack = ctx.pack
    document = pack.document(doc_id)
    info = pack.trees[doc_id].provisions[0]
    statements = [statement(pack, info, line.text) for line in lines_of(info)]
    return Section(title=f"{document.name} — {document.title}", statements=statements)


def first_informative(ctx: Context, unit: Provision) -> Statement | None:
    """A unit's first sentence of at least a few words (its own, else its first part's)."""
    for p in walk(ctx.pack, unit):
        if not has_content(p):
            continue
        sentence = first_sentence(p, items_shown=3)
        if sentence and len(sentence.split()) >= MIN_WORDS:
            text = phrases.KEY_POINT.format(label=heading(unit), text=sentence)
            return statement(ctx.pack, p, text, extra=(unit.id,) if p.id != unit.id else ())
    return None


def points(ctx: Context, doc_id: str, topic: TopicChoice | None) -> Section:
    pack = ctx.pack
    section = Section(title=pack.document(doc_id).name)
    if topic is not None:
        for pid in topic.provision_ids:
            if pid.split("/")[0] == doc_id and pid in pack:
                section.statements += key_points(pack, pack[pid])
        return section
    for unit in pack.trees[doc_id].units():
        if unit.coverage is Coverage.NONE:
            continue
        point = first_informative(ctx, unit)
        if point is not None:
            section.statements.append(point)
    return section


def _in_scope(ctx: Context, doc_ids: list[str], topic: TopicChoice | None) -> list[Provision]:
    out = []
    for doc_id in doc_ids:
        for p in ctx.pack.trees[doc_id].provisions:
            if has_content(p) and p.kind is not ProvisionKind.INFO:
                if topic is None or topic.covers(p.id):
                    out.append(p)
    return out


def numbers(ctx: Context, doc_ids: list[str], topic: TopicChoice | None) -> Section:
    """Scores and percentages, deadlines and durations, forms: each line that holds one, a
    list item under its lead-in."""
    pack = ctx.pack
    groups: dict[str, list[Statement]] = {g: [] for g in phrases.NUMBER_GROUPS}
    # A line is said once per group: a lead-in that holds a number itself is not repeated
    # when one of its items also does.
    said: dict[str, set[tuple[str, str]]] = {g: set() for g in phrases.NUMBER_GROUPS}
    for p in _in_scope(ctx, doc_ids, topic):
        by_line = {line.index: line for line in lines_of(p)}
        for span in ctx.spans.of(p.id):
            group = NUMBER_KINDS.get(span.kind)
            line = by_line.get(span.line)
            if group is None or line is None:
                continue
            for text, kind in ((line.lead, "text"), (line.text, "item" if line.lead else "text")):
                if text and (p.id, text) not in said[group]:
                    said[group].add((p.id, text))
                    groups[group].append(statement(pack, p, text, kind=kind))
    limit = NUMBERS_PER_GROUP if topic is None else 99
    return Section(
        title=phrases.BRIEF_NUMBERS,
        subsections=[
            Section(title=phrases.NUMBER_GROUPS[g], statements=items[:limit])
            for g, items in groups.items()
            if items
        ],
    )


def changes(ctx: Context, doc_ids: list[str], topic: TopicChoice | None) -> tuple[Section, int]:
    """The map's changes for the chosen documents (headline changes when no topic is chosen);
    and how many topics the map has for them."""
    pack = ctx.pack
    succession = pack.succession
    section = Section(title=phrases.BRIEF_CHANGES)
    topics: list[MapTopic] = []
    for doc_id in doc_ids:
        pairs = [(o, n) for o, n in succession.pairs if doc_id in (o, n)]
        if not pairs:
            info = pack.trees[doc_id].provisions[0]
            text = phrases.NOT_MAPPED.format(document=pack.document(doc_id).name)
            section.statements.append(statement(pack, info, text, kind="note"))
        for old, new in pairs:
            topics += [t for t in succession.for_pair(old, new) if t not in topics]
    total = len(topics)
    if topic is not None:
        topics = [t for t in topics if t in topic.map_topics] or [
            t
            for t in topics
            if any(topic.covers(p) for p in (*t.old.provisions, *t.new.provisions))
        ]
    else:
        topics = [t for t in topics if t.headline]
    for t in topics:
        if t.note_id not in pack:
            continue
        note = pack[t.note_id]
        sides = tuple(p for p in (*t.old.provisions, *t.new.provisions) if p in pack)
        text = phrases.CHANGE.format(topic=t.title, change=t.change)
        s = statement(pack, note, text, extra=sides, whole=True)
        section.statements.append(s)
        for template, side in ((phrases.OLD_SIDE, t.old), (phrases.NEW_SIDE, t.new)):
            if not side.confirmed:
                unconfirmed = template.format(text=side.text())
                section.statements.append(statement(pack, note, unconfirmed, kind="note"))
    return section, total


def _quote_score(ctx: Context, provision: Provision, line_index: int, text: str) -> int:
    kinds = {s.kind for s in ctx.spans.of(provision.id) if s.line == line_index}
    score = sum(QUOTE_WEIGHTS.get(k, 0) for k in kinds)
    return score + (1 if NORMATIVE.search(fold(text)) else 0)


def quotes(ctx: Context, doc_ids: list[str], topic: TopicChoice | None) -> Section:
    """Quotable lines: the line of each unit that states most (numbers, forms, levels, an
    obligation), marked as the digest's or the official text's words, with caveats."""
    pack = ctx.pack
    section = Section(title=phrases.BRIEF_QUOTES)
    for doc_id in doc_ids:
        best: dict[str, tuple[int, int, Statement]] = {}
        for order, p in enumerate(_in_scope(ctx, doc_ids=[doc_id], topic=topic)):
            unit = pack.article_of(p)
            for line in lines_of(p):
                if not line.complete or line.is_lead_in:
                    continue
                score = _quote_score(ctx, p, line.index, line.text)
                if score >= 2 and (unit.id not in best or score > best[unit.id][0]):
                    best[unit.id] = (score, order, statement(pack, p, line.sentence, kind="quote"))
        chosen = sorted(best.values(), key=lambda b: (-b[0], b[1]))[:QUOTES_PER_DOCUMENT]
        section.statements += [s for _, _, s in sorted(chosen, key=lambda b: b[1])]
    return section


def build_brief(
    ctx: Context,
    documents: list[str],
    topics: list[str] | None = None,
    *,
    progress: Progress = no_progress,
) -> CitedDocument:
    """A briefing on the chosen documents (ids or numbers), optionally on some topics.

    Raises:
        WorkspaceError: for an unknown document or topic, or no document at all.
    """
    pack = ctx.pack
    doc_ids = resolve_documents(pack, documents)
    chosen = [resolve_topic(ctx, doc_ids, t) for t in (topics or []) if t.strip()]
    topic = _merge(chosen)
    steps = 5
    progress(phrases.BRIEF_ABOUT, 1, steps)
    sections = [Section(title=phrases.BRIEF_ABOUT, subsections=[about(ctx, d) for d in doc_ids])]
    progress(phrases.BRIEF_POINTS, 2, steps)
    sections.append(
        Section(title=phrases.BRIEF_POINTS, subsections=[points(ctx, d, topic) for d in doc_ids])
    )
    progress(phrases.BRIEF_NUMBERS, 3, steps)
    sections.append(numbers(ctx, doc_ids, topic))
    progress(phrases.BRIEF_CHANGES, 4, steps)
    changed, total = changes(ctx, doc_ids, topic)
    sections.append(changed)
    progress(phrases.BRIEF_QUOTES, 5, steps)
    sections.append(quotes(ctx, doc_ids, topic))
    notices = [
        phrases.COVERAGE_NOTICE.format(
            document=pack.document(d).name, coverage=prompts.coverage_line(pack.coverage(d))
        )
        for d in doc_ids
    ]
    if topic is None and total > len([s for s in changed.statements if s.kind == "text"]):
        notices.append(phrases.BRIEF_MORE_TOPICS.format(n=total))
    names = ", ".join(pack.document(d).name for d in doc_ids)
    doc = CitedDocument(
        title=phrases.BRIEF_TITLE.format(documents=names),
        subtitle=phrases.BRIEF_TOPICS.format(topics=", ".join(t.title for t in chosen))
        if chosen
        else "",
        sections=[_prune(s) for s in sections if _prune(s).statements or _prune(s).subsections],
        notices=notices,
    )
    return finish(pack, doc)


def _prune(section: Section) -> Section:
    """The section without empty subsections."""
    kept = [_prune(s) for s in section.subsections]
    kept = [s for s in kept if s.statements or s.subsections]
    return section.model_copy(update={"subsections": kept})


def _merge(chosen: list[TopicChoice]) -> TopicChoice | None:
    if not chosen:
        return None
    return TopicChoice(
        ", ".join(t.title for t in chosen),
        tuple(dict.fromkeys(p for t in chosen for p in t.provision_ids)),
        tuple(dict.fromkeys(m for t in chosen for m in t.map_topics)),
    )
