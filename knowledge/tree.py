"""From the parser's mutable nodes to the immutable provisions: ids, labels, layout text,
coverage and caveats. A provision's id and label are made here, once, and never rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.caveats import field_caveat_suffix, weakest
from knowledge.errors import Problem
from knowledge.registry import kind_name_of_id
from knowledge.types import Caveat, Confidence, Coverage, Document, Provision, ProvisionKind, Status

# Shown after a title that is the digest's own descriptive label, not a confirmed title.
DESCRIPTIVE_MARK = "(tên do bản tóm lược đặt)"

KIND_LABELS = {
    ProvisionKind.CHAPTER: "Chương",
    ProvisionKind.SECTION: "Mục",
    ProvisionKind.ARTICLE: "Điều",
    ProvisionKind.ITEM: "nội dung thứ",
    ProvisionKind.SUBSECTION: "tiểu mục",
    ProvisionKind.CLAUSE: "khoản",
    ProvisionKind.POINT: "điểm",
    ProvisionKind.SUBPOINT: "tiết",
}
OUTLINE_KINDS = (
    ProvisionKind.CHAPTER,
    ProvisionKind.SECTION,
    ProvisionKind.ARTICLE,
    ProvisionKind.ITEM,
    ProvisionKind.SUBSECTION,
)
INLINE_KINDS = (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT)


@dataclass
class Node:
    """A provision while it is being parsed."""

    kind: ProvisionKind
    number: str
    title: str
    segment: str | None  # id segment; None for nodes that stay out of the id (QĐ chapters)
    line: int
    parent: Node | None
    lines: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marker: Coverage = Coverage.FULL
    marker_note: str = ""
    label: str = ""  # for ordinal items: "nhiệm vụ thứ 3"
    descriptive: bool = False  # the title is a descriptive label ("[…]" in the file)
    caveat: tuple[Confidence, str] | None = None  # "> Mức xác minh: …"


def kind_label(kind: ProvisionKind, number: str) -> str:
    """ "Điều 12", "khoản 1", "tiểu mục 1.1"… ("" for kinds without a number)."""
    word = KIND_LABELS.get(kind)
    return f"{word} {number}" if word else ""


def shown_title(title: str, descriptive: bool) -> str:
    """A title as readers see it: a descriptive label says so."""
    return f"{title} {DESCRIPTIVE_MARK}" if title and descriptive else title


def _own_label(node: Node) -> str:
    return node.label or kind_label(node.kind, node.number)


def _label(node: Node, chain: list[Node]) -> str:
    """Label from the outermost numbered ancestor down, e.g. "Điều 12, khoản 1".

    Articles are numbered through the whole document, so their chapter is left out.
    """
    under_article = node.kind is ProvisionKind.ARTICLE or any(
        n.kind is ProvisionKind.ARTICLE for n in chain
    )
    parts = [
        _own_label(n) for n in chain if not (under_article and n.kind is ProvisionKind.CHAPTER)
    ]
    label = ", ".join(p for p in [*parts, _own_label(node)] if p)
    return label[:1].upper() + label[1:]


def _layout_line(node: Node) -> str:
    """How a provision's number opens its text, as in the official layout."""
    title = shown_title(node.title, node.descriptive)
    titled = f" {title}" if title else ""
    match node.kind:
        case ProvisionKind.CLAUSE | ProvisionKind.POINT:
            return f"{node.number}." + (f"{titled}:" if title else "")
        case ProvisionKind.SUBPOINT:
            return f"{node.number})" + (f"{titled}:" if title else "")
        case ProvisionKind.ARTICLE:
            return f"Điều {node.number}.{titled}"
        case ProvisionKind.SUBSECTION:
            return f"{node.number}.{titled}"
        case ProvisionKind.SECTION:
            head = f"Mục {node.number}." if not node.number.isdigit() else f"{node.number}."
            return head + titled
        case ProvisionKind.CHAPTER:
            return f"Chương {node.number}.{titled}"
        case ProvisionKind.ITEM:
            return _own_label(node).capitalize() + "." + titled
    return ""


def _subtree_text(node: Node, digest: bool) -> str:
    own = "\n".join(node.lines)
    parts = [own] if own else []
    if node.marker is Coverage.NONE:
        parts.append("(Chưa có nội dung trong bản tóm lược.)" if digest else "(Chưa có nội dung.)")
    for child in node.children:
        head = _layout_line(child)
        child_text = _subtree_text(child, digest)
        if child.kind in INLINE_KINDS and not child.title:
            first, _, rest = child_text.partition("\n")
            parts.append(f"{head} {first}".rstrip() + (f"\n{rest}" if rest else ""))
        else:
            parts.append(head + ("\n" + child_text if child_text else ""))
    return "\n".join(parts)


def _coverage(node: Node) -> tuple[Coverage, str]:
    """A node's coverage, from its own marker and its descendants'."""
    states = [node.marker]
    notes = [node.marker_note] if node.marker is not Coverage.FULL and node.marker_note else []
    for child in node.children:
        state, _ = _coverage(child)
        states.append(state)
    has_content = bool(node.lines) or any(s is not Coverage.NONE for s in states[1:])
    if node.marker is Coverage.NONE and not has_content:
        return Coverage.NONE, notes[0] if notes else ""
    if all(s is Coverage.NONE for s in states) and not node.lines:
        return Coverage.NONE, notes[0] if notes else ""
    if all(s is Coverage.FULL for s in states):
        return Coverage.FULL, ""
    return Coverage.PARTIAL, notes[0] if notes else ""


def _declared_caveat(
    node: Node, node_id: str, label: str, digest: bool, inherited: Caveat | None
) -> Caveat | None:
    """The caveat a node declares: its '> Mức xác minh:' line, or, for a digest node that
    names its own sources, what their number says (one source is a caveat in itself). An
    inherited caveat of the same kind is kept instead: it says what the weakness is about."""
    if not digest:
        return None
    if node.caveat is not None:
        kind, note = node.caveat
        return Caveat(kind, note, node_id, label)
    if node.sources:
        kind = Confidence.MULTI if len(node.sources) >= 2 else Confidence.SINGLE
        if inherited is not None and inherited.kind is kind:
            return None
        return Caveat(kind, "", node_id, label)
    return None


def info_provision(document: Document) -> Provision:
    """The generated "Thông tin văn bản" provision: the front matter in words, each weakly
    attested fact followed by its caveat ("Người ký: … (một nguồn).")."""
    d = document

    def fact(field_name: str, text: str) -> str:
        return f"{text}{field_caveat_suffix(d, field_name)}."

    unknown = "chưa xác minh trong bản tóm lược" if d.is_digest else "văn bản đã nạp không ghi"

    lines = [
        f"Số hiệu: {d.number}. Loại văn bản: {d.kind}.",
        f"Tên: {d.title}.",
        fact("issuer", f"Cơ quan ban hành: {d.issuer}"),
        fact("signer", f"Người ký: {d.signer}") if d.signer else f"Người ký: {unknown}.",
        fact("signed", f"Ngày ký: {d.signed:%d/%m/%Y}"),
        fact("effective", f"Ngày có hiệu lực: {d.effective:%d/%m/%Y}")
        if d.effective
        else f"Ngày có hiệu lực: {unknown}.",
    ]
    if d.structure:
        lines.append(fact("structure", f"Bố cục: {d.structure}"))
    if d.replaces:
        lines.append(fact("replaces", f"Thay thế: {d.replaces}"))
    if d.guides:
        guided = ", ".join(f"{kind_name_of_id(g.id)} {g.number}" for g in d.guides)
        lines.append(f"Hướng dẫn thực hiện: {guided}.")
    if d.replaced_by:
        rb = d.replaced_by
        status = f"Tình trạng: đã được thay thế bởi {rb.number} ngày {rb.date:%d/%m/%Y}"
        lines.append(fact("replaced_by", status))
    elif d.status is Status.PARTLY_INAPPLICABLE:
        lines.append(f"Tình trạng: một phần không còn áp dụng. {d.status_note}")
    else:
        lines.append("Tình trạng: còn hiệu lực.")
    lines.append(f"Phạm vi áp dụng theo thời gian: {d.applies_to}")
    text = "\n".join(lines)
    label = "Thông tin văn bản"
    caveats = tuple(c for _, c in d.caveats)
    default = Confidence.MULTI if d.is_digest else Confidence.OFFICIAL
    confidence = weakest([c.kind for c in caveats if c.weak], default) if d.is_digest else default
    return Provision(
        id=f"{d.id}/thong-tin",
        doc_id=d.id,
        kind=ProvisionKind.INFO,
        number="",
        title=label,
        label=label,
        citation=f"{label} — {d.name}",
        text=text,
        full_text=text,
        parent_id=None,
        ancestor_ids=(),
        children_ids=(),
        coverage=Coverage.FULL,
        coverage_note="",
        notes=(),
        sources=d.sources,
        line=1,
        confidence=confidence,
        caveats=caveats,
    )


def finish(
    document: Document,
    root: Node,
    problem: Callable[[int, str, str], None],
    problems: list[Problem],
) -> list[Provision]:
    """Every provision of a parsed body, in reading order, after the info provision."""
    digest = document.is_digest
    out: list[Provision | None] = [info_provision(document)]
    seen: dict[str, int] = {}

    def walk(
        node: Node,
        chain: list[Node],
        chain_ids: list[str],
        id_prefix: str,
        inherited_sources: tuple[str, ...],
        inherited: Caveat | None,
    ) -> tuple[str, list[Caveat]]:
        node_id = f"{id_prefix}/{node.segment}"
        sources = tuple(node.sources) or inherited_sources
        label = _label(node, chain)
        if node_id in seen and not any(p.line == node.line for p in problems):
            problem(
                node.line,
                f"mã quy định '{node_id}' bị trùng (đã có ở dòng {seen[node_id]})",
                "sửa số thứ tự hoặc bỏ quy định lặp lại",
            )
        seen[node_id] = node.line
        if not (node.lines or node.children or node.marker is Coverage.NONE):
            problem(
                node.line,
                f"{label} không có nội dung",
                "viết nội dung, thêm quy định con, hoặc ghi '> Chưa có nội dung: <lý do>'",
            )
        if digest and node.kind in (ProvisionKind.ARTICLE, ProvisionKind.ITEM) and not sources:
            problem(
                node.line,
                f"{label} không có nguồn",
                "thêm dòng '> Nguồn: https://…' ngay dưới tiêu đề",
            )
        declared = _declared_caveat(node, node_id, label, digest, inherited)
        nearest = declared or inherited
        index = len(out)
        out.append(None)  # keeps reading order: a parent before its children
        children_ids, subtree = [], []
        for child in node.children:
            # Articles are numbered through the whole document, so a chapter stays out of
            # their ids; everything else is scoped by its parent.
            if node.kind is ProvisionKind.CHAPTER and child.kind is ProvisionKind.ARTICLE:
                prefix = id_prefix
            else:
                prefix = node_id
            child_id, child_caveats = walk(
                child, [*chain, node], [*chain_ids, node_id], prefix, sources, nearest
            )
            children_ids.append(child_id)
            subtree += child_caveats
        coverage, coverage_note = _coverage(node)
        shown = ([nearest] if nearest and nearest.weak else []) + [
            c for c in subtree if c.weak and c != nearest
        ]
        if digest:
            confidence = nearest.kind if nearest else Confidence.MULTI
        else:
            confidence = Confidence.OFFICIAL
        out[index] = Provision(
            id=node_id,
            doc_id=document.id,
            kind=node.kind,
            number=node.number,
            title=node.title,
            label=label,
            citation=f"{label} — {document.name}",
            text="\n".join(node.lines),
            full_text=_subtree_text(node, digest),
            parent_id=chain_ids[-1] if chain_ids else None,
            ancestor_ids=tuple(chain_ids),
            children_ids=tuple(children_ids),
            coverage=coverage,
            coverage_note=coverage_note,
            notes=tuple(node.notes),
            sources=sources,
            line=node.line,
            heading_path=tuple(
                f"{_own_label(a)}. {shown_title(a.title, a.descriptive)}"
                if a.title
                else _own_label(a)
                for a in chain
                if a.kind in OUTLINE_KINDS
            ),
            title_descriptive=node.descriptive,
            confidence=confidence,
            caveats=tuple(dict.fromkeys(shown)),
        )
        return node_id, ([declared] if declared else []) + subtree

    for child in root.children:
        walk(child, [], [], document.id, (), None)
    return [p for p in out if p is not None]
