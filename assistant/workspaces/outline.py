"""The outline of a document by chapter and article (a Hướng dẫn's sections and subsections),
each part with its key points in the digest's own words; what the digest lacks is said."""

from __future__ import annotations

from assistant.cited import Section, Statement
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    Context,
    gap,
    join,
    lines_of,
    list_statements,
    statement,
)
from knowledge.pack import Pack
from knowledge.types import Coverage, Provision, ProvisionKind

ITEMS_SHOWN = 5  # list items kept in a key point before " …"
INLINE = (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT)


def heading(provision: Provision) -> str:
    """'Điều 12. Tiêu chí xếp loại' / 'Mục 3'."""
    return provision.label + (f". {provision.title}" if provision.title else "")


def short_label(provision: Provision, parent: Provision) -> str:
    """A part's label inside its parent: 'khoản 1' inside 'Điều 12'."""
    label = provision.label
    if label.startswith(parent.label + ", "):
        label = label[len(parent.label) + 2 :]
    return label


def first_sentence(provision: Provision, items_shown: int = ITEMS_SHOWN) -> str | None:
    """The provision's first line; a lead-in keeps its first items ('…: a; b; c …')."""
    lines = lines_of(provision)
    if not lines:
        return None
    first = lines[0]
    if not first.is_lead_in or not first.text.endswith(":"):
        return first.text
    items = []
    for line in lines[1:]:
        if not line.bullet:
            break
        items.append(line.text.rstrip("."))
    if not items:
        return first.text
    shown = "; ".join(items[:items_shown])
    more = phrases.MORE if len(items) > items_shown else ""
    return join(first.text, shown) + more


def part_points(pack: Pack, unit: Provision, *, depth: int = 2) -> list[Statement]:
    """One statement per clause, point… under a unit (its first sentence), down to `depth`."""
    out: list[Statement] = []

    def visit(node: Provision, level: int) -> None:
        for child in pack.children(node):
            if child.kind not in INLINE:
                continue
            label = short_label(child, unit)
            kind = "text" if level == 1 else "item"
            if child.coverage is Coverage.NONE:
                out.append(gap(pack, child))
            else:
                sentence = first_sentence(child)
                if sentence:
                    text = phrases.KEY_POINT.format(label=label, text=sentence)
                    out.append(statement(pack, child, text, kind=kind))
            if level < depth:
                visit(child, level + 1)

    visit(unit, 1)
    return out


def key_points(pack: Pack, unit: Provision, *, with_gaps: bool = True) -> list[Statement]:
    """A unit's own lines (lead-ins and their first items), then its parts' first sentences;
    with `with_gaps`, what the digest lacks."""
    if unit.coverage is Coverage.NONE:
        return [gap(pack, unit)]
    lines = lines_of(unit)
    out = list_statements(pack, lines, limit=ITEMS_SHOWN)
    out += part_points(pack, unit)
    if with_gaps and unit.coverage is Coverage.PARTIAL and unit.coverage_note:
        out.append(gap(pack, unit))
    return out


def unit_section(pack: Pack, unit: Provision) -> Section:
    """A unit as an outline section; a Hướng dẫn's subsections become subsections."""
    section = Section(title=heading(unit), statements=key_points(pack, unit))
    for child in pack.children(unit):
        if child.kind in (ProvisionKind.SUBSECTION, ProvisionKind.ITEM, ProvisionKind.ARTICLE):
            section.subsections.append(unit_section(pack, child))
    return section


def outline_sections(ctx: Context, doc_id: str) -> list[Section]:
    """The outline of one document: chapters with their articles, or its articles (sections)
    when the digest has no chapters."""
    pack = ctx.pack
    tree = pack.trees[doc_id]
    sections = []
    for top in tree.provisions:
        if top.parent_id is not None or top.kind is ProvisionKind.INFO:
            continue
        if top.kind is ProvisionKind.CHAPTER:
            chapter = Section(title=heading(top))
            if top.coverage is Coverage.NONE and not top.children_ids:
                chapter.statements.append(gap(pack, top))
            chapter.statements += list_statements(pack, lines_of(top), limit=ITEMS_SHOWN)
            chapter.subsections = [unit_section(pack, c) for c in pack.children(top)]
            sections.append(chapter)
        else:
            sections.append(unit_section(pack, top))
    return sections
