"""The article around a cited provision, laid out in reading order with the cited part marked,
as Streamlit Markdown (its text escaped: a provision's words are never markup)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant import prompts
from assistant.export.text import escape_markdown, safe_markdown_block
from knowledge.pack import Pack
from knowledge.types import Coverage, Provision, ProvisionKind

# Kinds whose number opens their first line ("1. …", "a) …") inside an article.
INLINE_KINDS = frozenset({ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT})


@dataclass(frozen=True)
class Segment:
    """A run of an article's text (Markdown) that is or is not the cited provision."""

    text: str
    cited: bool


@dataclass(frozen=True)
class ArticleView:
    """An article (item, section) laid out in reading order, the cited part marked."""

    article: Provision
    heading: str  # "Điều 12. Tiêu chí xếp loại" / "Mục 3"
    segments: tuple[Segment, ...]
    notes: tuple[str, ...]  # the digest author's notes, in reading order


def heading(provision: Provision) -> str:
    """A provision's heading: its label and, when it has one, its title."""
    return provision.label + (f". {provision.title}" if provision.title else "")


def article_view(pack: Pack, provision_id: str) -> ArticleView:
    """The article a provision belongs to, its cited part marked.

    Args:
        pack: the knowledge pack.
        provision_id: the cited provision (an article itself, or a clause, point… in one).

    Raises:
        KeyError: for an id the pack does not hold.
    """
    cited = pack[provision_id]
    article = pack.article_of(cited)
    blocks: list[Segment] = []
    notes: list[str] = []

    def walk(node: Provision, depth: int) -> None:
        inside = node.id == cited.id or cited.id in node.ancestor_ids
        own = safe_markdown_block(node.text)
        if node.coverage is Coverage.NONE and not own:
            own = f"({prompts.UI.NOT_COVERED}.)"
        if depth > 0:
            # A clause's number opens its first line; a titled part's heading stands alone.
            separator = " " if node.kind in INLINE_KINDS else "\n\n"
            own = f"**{_layout_head(node)}**{separator}{own}".strip()
        if own:
            blocks.append(Segment(own, inside))
        notes.extend(node.notes)
        for child in pack.children(node):
            walk(child, depth + 1)

    walk(article, 0)
    merged: list[Segment] = []
    for block in blocks:
        if merged and merged[-1].cited == block.cited:
            merged[-1] = Segment(merged[-1].text + "\n\n" + block.text, block.cited)
        else:
            merged.append(block)
    return ArticleView(article, heading(article), tuple(merged), tuple(notes))


def _layout_head(node: Provision) -> str:
    """How a provision's number opens its text inside its article: "1.", "1.1.", "a)"."""
    # Numbers and labels are the parser's; a title is the document's words, so escaped.
    title = escape_markdown(node.title)
    if node.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT):
        return f"{node.number}."
    if node.kind is ProvisionKind.SUBPOINT:
        return f"{node.number})"
    if node.kind is ProvisionKind.SUBSECTION:
        return f"{node.number}." + (f" {title}" if title else "")
    own = node.label.rsplit(", ", 1)[-1]
    return own[:1].upper() + own[1:] + (f". {title}" if title else "")
