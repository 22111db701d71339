"""A `CitedDocument` as a Word file (python-docx): the same reading order as the Markdown, text
as plain runs (nothing becomes a field, a picture or a link), and links only to the sources'
public pages, named by their site."""

from __future__ import annotations

import io
from pathlib import Path

from assistant import prompts
from assistant.cited import CitedDocument, Section, Source, Statement
from assistant.export.files import EmptyExport, atomic_output
from assistant.export.markdown import MAX_LINKS, by_site, markers
from assistant.export.text import printable

FONT = "Times New Roman"  # has every Vietnamese letter on Windows, macOS and LibreOffice
GREY = (0x55, 0x55, 0x55)


def to_docx(doc: CitedDocument, path: Path | str) -> Path:
    """Write the document as .docx through a temporary file; no partial file on error.

    Raises:
        EmptyExport: the document has no section.
        ExportError: the file cannot be written.
    """
    word = build(doc)
    with atomic_output(path) as tmp:
        word.save(str(tmp))
    return Path(path)


def docx_bytes(doc: CitedDocument) -> bytes:
    """The .docx file's bytes (for a download button)."""
    buffer = io.BytesIO()
    build(doc).save(buffer)
    return buffer.getvalue()


def build(doc: CitedDocument):
    """The python-docx Document.

    Raises:
        EmptyExport: the document has no section.
    """
    import docx
    from docx.shared import Pt

    if not doc.sections:
        raise EmptyExport()
    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(_qn("w:eastAsia"), FONT)
    word.core_properties.title = printable(doc.title)
    numbers = {s.id: n for n, s in enumerate(doc.sources, start=1)}
    word.add_heading(printable(doc.title), level=0)
    if doc.subtitle:
        _run(word.add_paragraph(), doc.subtitle, italic=True)
    for notice in doc.notices:
        paragraph = word.add_paragraph()
        _run(paragraph, f"{prompts.EXPORT_NOTICES}: ", bold=True)
        _run(paragraph, notice)
    for section in doc.sections:
        _section(word, section, 1, numbers, {s.id: s for s in doc.sources})
    if doc.sources:
        word.add_heading(prompts.EXPORT_SOURCES, level=1)
        for n, source in enumerate(doc.sources, start=1):
            _source(word, n, source)
    return word


def _section(word, section: Section, level: int, numbers, sources: dict[str, Source]) -> None:
    word.add_heading(printable(section.title), level=min(level, 9))
    for statement in section.statements:
        _statement(word, statement, numbers, sources)
    for sub in section.subsections:
        _section(word, sub, level + 1, numbers, sources)


def _statement(word, statement: Statement, numbers, sources: dict[str, Source]) -> None:
    from docx.shared import Pt

    if statement.kind == "quote":
        head = word.add_paragraph()
        for c in statement.citations:
            if c in numbers:
                _run(head, f"[{numbers[c]}] {sources[c].label} ", bold=True)
        kind = prompts.EXPORT_TEXT_KINDS.get(statement.text_kind)
        if kind:
            _run(head, f"({kind})", italic=True)
        for line in statement.text.splitlines():
            if line.strip():
                paragraph = word.add_paragraph()
                paragraph.paragraph_format.left_indent = Pt(18)
                _run(paragraph, line.strip())
        if statement.caveat:
            paragraph = word.add_paragraph()
            paragraph.paragraph_format.left_indent = Pt(18)
            _run(paragraph, statement.caveat, italic=True, grey=True)
        return
    style = "List Bullet" if statement.kind == "item" else None
    paragraph = word.add_paragraph(style=style)
    prefix = "→ " if statement.kind == "answer" else ""
    _run(
        paragraph,
        prefix + statement.text + markers(statement, numbers),
        bold=statement.kind == "question",
        italic=statement.kind == "note",
        grey=statement.kind == "note",
    )
    if statement.caveat:
        _run(paragraph, f" ({statement.caveat})", italic=True, grey=True)


def _source(word, n: int, source: Source) -> None:
    paragraph = word.add_paragraph(style="List Bullet")
    _run(paragraph, f"[{n}] {source.label} ", bold=True)
    meta = prompts.source_details(source)
    _run(paragraph, f"({source.id})" + (f": {'; '.join(meta)}" if meta else ""))
    sites = by_site(source.public_sources)
    if not sites:
        return
    _run(paragraph, ". " + prompts.EXPORT_SOURCE_LINKS.format(links=""))
    for i, (site, url) in enumerate(sites[:MAX_LINKS]):
        if i:
            _run(paragraph, ", ")
        _hyperlink(paragraph, url, site)
    if len(sites) > MAX_LINKS:
        _run(paragraph, " " + prompts.EXPORT_MORE_LINKS.format(n=len(sites) - MAX_LINKS))


def _run(paragraph, text: str, *, bold=False, italic=False, grey=False):
    from docx.shared import RGBColor

    run = paragraph.add_run(printable(text))
    run.bold = bold or None
    run.italic = italic or None
    if grey:
        run.font.color.rgb = RGBColor(*GREY)
    return run


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A link to a public source (python-docx has no API for one: the w:hyperlink element)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(_qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(_qn("w:val"), "single")
    props.append(style)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = printable(text)
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
