"""So sánh (comparison): an old document against its successor (QĐ 124 ↔ QĐ 366, HD 25 ↔
HD 43), topic by topic from the old→new map, both sides cited, "chưa xác minh" where the map
says a side is not confirmed, and each side's own words quoted."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.cited import CitedDocument, Section, Statement
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    Context,
    Progress,
    WorkspaceError,
    finish,
    has_content,
    join,
    lines_of,
    no_progress,
    resolve_document,
    statement,
    walk,
)
from knowledge.caveats import describe
from knowledge.succession import Side, Topic, side_caveats
from knowledge.text import fold, syllables
from knowledge.types import Provision

LIST_QUOTED = 5  # a list this short is quoted whole, with its lead-in

# Words too common in these documents to say two lines are about the same thing.
COMMON = set(
    "va cua cho cac la duoc theo voi trong tu nam ky danh gia xep loai kiem diem nhiem vu "
    "hoan thanh quy dinh huong dan".split()
)


class ComparisonRow(BaseModel):
    """One topic, side by side. `--json` prints topic, old, new, citations and change."""

    topic: str
    old: str
    new: str
    citations: list[str]
    change: str
    topic_id: str = Field("", exclude=True)
    old_confirmed: bool = Field(True, exclude=True)
    new_confirmed: bool = Field(True, exclude=True)
    old_caveat: str = Field("", exclude=True)
    new_caveat: str = Field("", exclude=True)


class Comparison(BaseModel):
    rows: list[ComparisonRow]


def resolve_pair(ctx: Context, old: str, new: str) -> tuple[str, str, list[str]]:
    """The (old, new) document ids, in the map's order, and a notice when they were swapped.

    Raises:
        WorkspaceError: for an unknown document or a pair the map does not compare.
    """
    pack = ctx.pack
    old_id, new_id = resolve_document(pack, old), resolve_document(pack, new)
    pairs = list(pack.succession.pairs)
    if (old_id, new_id) in pairs:
        return old_id, new_id, []
    if (new_id, old_id) in pairs:
        notice = phrases.COMPARE_SWAPPED.format(
            given=pack.document(old_id).name,
            old=pack.document(new_id).name,
            new=pack.document(old_id).name,
        )
        return new_id, old_id, [notice]
    known = (
        "; ".join(f"{o} ↔ {n}" for o, n in pairs if o in pack.trees and n in pack.trees)
        or "(không có)"
    )
    raise WorkspaceError(
        phrases.NOT_A_PAIR.format(
            old=pack.document(old_id).name, new=pack.document(new_id).name, pairs=known
        )
    )


def _caveat(ctx: Context, side: Side) -> str:
    return "; ".join(dict.fromkeys(describe(c) for c in side_caveats(side, ctx.pack.provisions)))


def row(ctx: Context, topic: Topic) -> ComparisonRow:
    pack = ctx.pack
    cited = [p for p in (*topic.old.provisions, *topic.new.provisions) if p in pack]
    if topic.note_id in pack:
        cited.append(topic.note_id)
    return ComparisonRow(
        topic=topic.title,
        old=topic.old.text(),
        new=topic.new.text(),
        citations=list(dict.fromkeys(cited)),
        change=topic.change,
        topic_id=topic.id,
        old_confirmed=topic.old.confirmed,
        new_confirmed=topic.new.confirmed,
        old_caveat=_caveat(ctx, topic.old),
        new_caveat=_caveat(ctx, topic.new),
    )


def _side_statements(ctx: Context, topic: Topic, side: Side, template: str) -> list[Statement]:
    """The map's words for one side (cited to the side's provisions and the note), then the
    first words of each provision on that side, quoted."""
    pack = ctx.pack
    provisions = [pack[p] for p in side.provisions if p in pack]
    note = pack[topic.note_id]
    extra = tuple(p.id for p in provisions)
    head = statement(pack, note, template.format(text=side.text()), extra=extra)
    head = head.model_copy(
        update={"caveat": _caveat(ctx, side), "kind": "text" if side.confirmed else "note"}
    )
    out = [head]
    for p in provisions:
        found = best_line(pack, p, side.summary)
        if found is not None:
            out.append(statement(pack, found[0], found[1], kind="quote"))
    return out


def best_line(pack, provision, reference: str) -> tuple[Provision, str] | None:
    """The words of a provision (or its parts) sharing most words with `reference`: a line,
    or a short list with its lead-in. The provision's own words for what the map sums up."""
    wanted = set(syllables(fold(reference))) - COMMON
    best, best_score = None, 1
    for p in walk(pack, provision):
        if not has_content(p):
            continue
        for text in _candidates(p):
            score = len(wanted & set(syllables(fold(text))))
            if score > best_score:
                best, best_score = (p, text), score
    return best


def _candidates(provision: Provision) -> list[str]:
    """A provision's lines as quotable pieces: a lead-in with up to five items as one piece,
    the items of a longer list one by one."""
    lines = lines_of(provision)
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.bullet:
            continue
        items = []
        for following in lines[i + 1 :]:
            if not following.bullet:
                break
            items.append(following)
        if items and line.text.endswith(":") and len(items) <= LIST_QUOTED:
            out.append(join(line.text, "; ".join(x.text.rstrip(".") for x in items)))
        elif items and line.text.endswith(":"):
            out += [x.sentence for x in items]
        else:
            out.append(line.text)
            out += [x.sentence for x in items]
    out += [line.text for line in lines if line.bullet and line.lead is None]
    return out


def build_comparison(
    ctx: Context,
    old: str,
    new: str,
    *,
    progress: Progress = no_progress,
) -> tuple[Comparison, CitedDocument]:
    """The old document against its successor, topic by topic.

    Raises:
        WorkspaceError: for an unknown document or a pair the map does not compare.
    """
    pack = ctx.pack
    old_id, new_id, notices = resolve_pair(ctx, old, new)
    topics = [t for t in pack.succession.for_pair(old_id, new_id) if t.note_id in pack]
    rows, sections = [], []
    for done, topic in enumerate(topics, start=1):
        progress(topic.title, done, len(topics))
        rows.append(row(ctx, topic))
        note = pack[topic.note_id]
        statements = _side_statements(ctx, topic, topic.old, phrases.OLD_SIDE)
        statements += _side_statements(ctx, topic, topic.new, phrases.NEW_SIDE)
        change = phrases.CHANGE.format(topic=phrases.CHANGE_LABEL, change=topic.change)
        statements.append(statement(pack, note, change).model_copy(update={"caveat": ""}))
        sections.append(Section(title=topic.title, statements=statements))
    old_name, new_name = pack.document(old_id).name, pack.document(new_id).name
    doc = CitedDocument(
        title=phrases.COMPARE_TITLE.format(old=old_name, new=new_name),
        subtitle=phrases.COMPARE_SUBTITLE.format(n=len(topics)),
        sections=sections,
        notices=notices,
    )
    return Comparison(rows=rows), finish(pack, doc)
