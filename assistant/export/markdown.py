"""A `CitedDocument` as Markdown: headings, statements with their [n] markers, quotes with the
label of their text kind, and the sources as a short list (each public source named by its
site). Every text is escaped as text (`markdown_text`); the only links are the sources'."""

from __future__ import annotations

from pathlib import Path

from assistant import prompts
from assistant.cited import CitedDocument, Section, Source, Statement
from assistant.export.files import EmptyExport, atomic_output
from assistant.export.text import code_span, markdown_block, markdown_text, safe_url, site_name

MAX_LINKS = 3  # public sources named per cited provision; the rest are counted


def to_markdown(doc: CitedDocument) -> str:
    """The document as Markdown text.

    Raises:
        EmptyExport: the document has no section (an empty conversation).
    """
    if not doc.sections:
        raise EmptyExport()
    numbers = {s.id: n for n, s in enumerate(doc.sources, start=1)}
    lines = [f"# {markdown_text(doc.title)}", ""]
    if doc.subtitle:
        lines += [markdown_text(doc.subtitle), ""]
    for notice in doc.notices:
        lines += [f"> **{prompts.EXPORT_NOTICES}:** {markdown_text(notice)}", ""]
    for section in doc.sections:
        lines += _section(section, 2, numbers, doc.sources)
    if doc.sources:
        lines += [f"## {prompts.EXPORT_SOURCES}", ""]
        lines += [_source(n, s) for n, s in enumerate(doc.sources, start=1)]
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(doc: CitedDocument, path: Path | str) -> Path:
    """Write the Markdown through a temporary file; no partial file on error."""
    text = to_markdown(doc)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def markers(statement: Statement, numbers: dict[str, int]) -> str:
    """The [n] markers of a statement's citations that its text does not already hold."""
    missing = [
        f"[{numbers[c]}]"
        for c in statement.citations
        if c in numbers and f"[{numbers[c]}]" not in statement.text
    ]
    return " " + "".join(missing) if missing else ""


def _section(
    section: Section, level: int, numbers: dict[str, int], sources: list[Source]
) -> list[str]:
    lines = [f"{'#' * min(level, 6)} {markdown_text(section.title)}", ""]
    for statement in section.statements:
        lines += [_statement(statement, numbers, sources), ""]
    for sub in section.subsections:
        lines += _section(sub, level + 1, numbers, sources)
    return lines


def _statement(statement: Statement, numbers: dict[str, int], sources: list[Source]) -> str:
    caveat = f" *({markdown_text(statement.caveat)})*" if statement.caveat else ""
    if statement.kind == "quote":
        by_id = {s.id: s for s in sources}
        heads = [f"**[{numbers[c]}] {markdown_text(by_id[c].label)}**" for c in statement.citations]
        kind = prompts.EXPORT_TEXT_KINDS.get(statement.text_kind)
        head = " ".join(heads) + (f" ({kind})" if kind else "")
        body = markdown_block(statement.text).splitlines()
        quoted = [f"> {head}", ">"] + [f"> {line}" if line else ">" for line in body]
        if caveat:
            quoted += [">", f">{caveat}"]
        return "\n".join(quoted)
    text = markdown_block(statement.text) if statement.kind == "text" else None
    text = text if text is not None else markdown_text(statement.text)
    text += markers(statement, numbers)
    if statement.kind == "item":
        return f"- {text}{caveat}"
    if statement.kind == "note":
        return f"*{text}*{caveat}"
    if statement.kind == "question":
        return f"**{text}**{caveat}"
    if statement.kind == "answer":
        return f"→ {text}{caveat}"
    return f"{text}{caveat}"


def _source(n: int, source: Source) -> str:
    meta = prompts.source_details(source)
    line = f"- [{n}] {markdown_text(source.label)} ({code_span(source.id)})"
    if meta:
        line += f": {markdown_text('; '.join(meta))}"
    links = _links(source.public_sources)
    if links:
        line += f". {prompts.EXPORT_SOURCE_LINKS.format(links=links)}"
    return line


def _links(urls: list[str]) -> str:
    """At most MAX_LINKS sources named by their site, the rest counted."""
    sites = by_site(urls)
    shown = ", ".join(f"[{markdown_text(site)}]({url})" for site, url in sites[:MAX_LINKS])
    if len(sites) > MAX_LINKS:
        shown += " " + prompts.EXPORT_MORE_LINKS.format(n=len(sites) - MAX_LINKS)
    return shown


def by_site(urls: list[str]) -> list[tuple[str, str]]:
    """The public sources fit for a link, one per site: (site, address)."""
    sites: dict[str, str] = {}
    for url in urls:
        safe = safe_url(url)
        if safe:
            sites.setdefault(site_name(safe), safe)
    return list(sites.items())
