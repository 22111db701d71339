"""Answers and provisions as Markdown: the conversation export, the article around a cited
provision (with the cited part marked), and escaping of what a user typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant import prompts
from assistant.types import Answer, Citation
from knowledge.pack import Pack
from knowledge.types import Coverage, Provision, ProvisionKind

# CommonMark lets any ASCII punctuation be escaped with a backslash. These are the ones that
# start markup in Streamlit's Markdown (links, emphasis, code, HTML, tables, LaTeX, colours).
MARKUP = re.compile(r"([\\`*_{}\[\]()<>#|~$&!:])")
# Kinds whose number opens their first line ("1. …", "a) …") inside an article.
INLINE_KINDS = frozenset({ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT})
LIST_MARK = re.compile(r"^(\s*)([-+=]|\d+\.)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Text shown literally when rendered as Markdown: no links, HTML, emphasis or lists."""
    text = MARKUP.sub(r"\\\1", text)
    # A line opening with "-", "+", "=" or "1." would start a list or a heading underline.
    return LIST_MARK.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", text)


# --- the article around a provision ---------------------------------------------------------


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
        own = node.text.strip()
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
    if node.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT):
        return f"{node.number}."
    if node.kind is ProvisionKind.SUBPOINT:
        return f"{node.number})"
    if node.kind is ProvisionKind.SUBSECTION:
        return f"{node.number}." + (f" {node.title}" if node.title else "")
    own = node.label.rsplit(", ", 1)[-1]
    return own[:1].upper() + own[1:] + (f". {node.title}" if node.title else "")


# --- the conversation export ---------------------------------------------------------------


def conversation_markdown(
    answers: Iterable[Answer], pack: Pack, *, now: dt.datetime | None = None
) -> str:
    """A conversation as a Markdown document: each question (shown literally), the question
    as understood, the answer, its warnings and notices, and its citations with the document's
    number, signing date, validity, text kind and public sources.

    Args:
        answers: the conversation's answers, oldest first (each holds its question).
        pack: the knowledge pack the answers were made from.
        now: the export time to print (default: now, local time).
    """
    answers = list(answers)
    stamp = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M")
    hashes = ", ".join(dict.fromkeys(a.settings_hash for a in answers if a.settings_hash))
    lines = [
        prompts.EXPORT_TITLE,
        "",
        prompts.EXPORT_STAMP.format(time=stamp, settings_hash=hashes or "—"),
        "",
    ]
    if not answers:
        lines += [prompts.EXPORT_EMPTY, ""]
    for n, answer in enumerate(answers, start=1):
        lines += [
            prompts.EXPORT_QUESTION.format(n=n, question=escape_markdown(answer.question)),
            "",
        ]
        followup = prompts.FOLLOWUP_NOTICE.format(understood=answer.understood)
        if answer.understood != answer.question:
            understood = escape_markdown(answer.understood)
            lines += [prompts.EXPORT_UNDERSTOOD.format(understood=understood), ""]
        for notice in answer.notices:
            if notice != followup:
                lines += [f"> ℹ️ {escape_markdown(notice)}", ""]
        lines += [answer.text.strip(), ""]
        for warning in answer.warnings:
            lines += [f"> ⚠️ {escape_markdown(warning)}", ""]
        if answer.citations:
            lines += [prompts.EXPORT_SOURCES, ""]
            for citation in answer.citations:
                lines += _citation_lines(citation, answer, pack)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _citation_lines(citation: Citation, answer: Answer, pack: Pack) -> list[str]:
    head = f"- [{citation.marker}] {citation.label} (`{citation.id}`)"
    if citation.id not in pack:
        return [head]
    document = pack.document(pack[citation.id].doc_id)
    meta = prompts.EXPORT_SOURCE_META.format(
        number=document.number,
        signed=f"{document.signed:%d/%m/%Y}",
        status=prompts.status_text(document),
        text_label=prompts.text_label(document),
    )
    lines = [f"{head} — {meta}."]
    if document.sources:
        sources = pack[citation.id].sources or document.sources
        links = ", ".join(
            f"<{url}>" if url.startswith(("http://", "https://")) else escape_markdown(url)
            for url in sources
        )
        lines.append(f"  {prompts.EXPORT_SOURCE_LINKS.format(links=links)}")
    quote = citation.quote.strip()
    if quote and quote not in answer.text:
        lines += [f"  > {line}" for line in quote.splitlines()]
    return lines
