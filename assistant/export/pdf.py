"""A `CitedDocument` as PDF (fpdf2) with a TrueType font that has every Vietnamese letter
(DejaVu Sans from Debian's fonts-dejavu-core, or Noto Sans), embedded so that the text is
copied and extracted with its diacritics. Text is drawn as text: nothing becomes a link
except the sources' public pages, named by their site."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from assistant import prompts
from assistant.cited import CitedDocument, Section, Source, Statement
from assistant.export.files import EmptyExport, ExportError, atomic_output
from assistant.export.markdown import MAX_LINKS, by_site, markers
from assistant.export.text import printable

# (regular, bold) pairs, the first found is used: `make ingest-tools` installs DejaVu.
FONTS = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ),
)
FAMILY = "VietSans"
LINE = 5.6  # mm
INDENT = 6.0  # mm, for quotes
GREY = (85, 85, 85)
BLACK = (0, 0, 0)
LINK = (20, 70, 160)


def font_files() -> tuple[Path, Path]:
    """The regular and bold font files to embed.

    Raises:
        ExportError: no font with Vietnamese letters is installed (with the fix).
    """
    for regular, bold in FONTS:
        if regular.is_file() and bold.is_file():
            return regular, bold
    paths = ", ".join(str(p) for pair in FONTS for p in pair)
    raise ExportError(prompts.EXPORT_NO_FONT.format(paths=paths))


def to_pdf(doc: CitedDocument, path: Path | str) -> Path:
    """Write the document as PDF through a temporary file; no partial file on error.

    Raises:
        EmptyExport: the document has no section.
        ExportError: no Vietnamese font, or the file cannot be written.
    """
    data = pdf_bytes(doc)
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def pdf_bytes(doc: CitedDocument) -> bytes:
    """The PDF file's bytes (for a download button)."""
    return bytes(build(doc).output())


def build(doc: CitedDocument):
    """The fpdf2 document.

    Raises:
        EmptyExport: the document has no section.
        ExportError: no Vietnamese font is installed.
    """
    from fpdf import FPDF

    if not doc.sections:
        raise EmptyExport()
    regular, bold = font_files()

    class Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            self.set_text_color(*GREY)
            page = prompts.EXPORT_PAGE.format(page=self.page_no(), pages="{nb}")
            self.cell(0, 8, page, align="C")

    pdf = Pdf(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    pdf.set_title(_text(doc.title))
    pdf.set_creator(prompts.UI.APP_TITLE)
    pdf.add_page()
    writer = _Writer(pdf, {s.id: n for n, s in enumerate(doc.sources, start=1)})
    writer.heading(doc.title, 16)
    if doc.subtitle:
        writer.paragraph(doc.subtitle, grey=True)
    for notice in doc.notices:
        writer.paragraph(f"{prompts.EXPORT_NOTICES}: {notice}", grey=True)
    by_id = {s.id: s for s in doc.sources}
    for section in doc.sections:
        writer.section(section, 1, by_id)
    if doc.sources:
        writer.heading(prompts.EXPORT_SOURCES, 13)
        for n, source in enumerate(doc.sources, start=1):
            writer.source(n, source)
    return pdf


def _text(text: str) -> str:
    # NFC: one code point per Vietnamese letter, as the font and text extraction expect.
    return unicodedata.normalize("NFC", printable(text))


class _Writer:
    def __init__(self, pdf, numbers: dict[str, int]):
        self.pdf = pdf
        self.numbers = numbers

    def heading(self, text: str, size: float) -> None:
        pdf = self.pdf
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", size)
        pdf.set_text_color(*BLACK)
        pdf.multi_cell(0, size * 0.5, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(self, text: str, *, bold=False, grey=False, indent=0.0) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", 10.5)
        pdf.set_text_color(*(GREY if grey else BLACK))
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, LINE, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)

    def section(self, section: Section, level: int, sources: dict[str, Source]) -> None:
        self.heading(section.title, max(14 - level, 11))
        for statement in section.statements:
            self.statement(statement, sources)
        for sub in section.subsections:
            self.section(sub, level + 1, sources)

    def statement(self, statement: Statement, sources: dict[str, Source]) -> None:
        if statement.kind == "quote":
            heads = [
                f"[{self.numbers[c]}] {sources[c].label}"
                for c in statement.citations
                if c in self.numbers
            ]
            kind = prompts.EXPORT_TEXT_KINDS.get(statement.text_kind)
            self.paragraph(" ".join(heads) + (f" ({kind})" if kind else ""), bold=True)
            for line in statement.text.splitlines():
                if line.strip():
                    self.paragraph(line.strip(), indent=INDENT)
            if statement.caveat:
                self.paragraph(statement.caveat, grey=True, indent=INDENT)
            return
        text = statement.text + markers(statement, self.numbers)
        if statement.caveat:
            text += f" ({statement.caveat})"
        if statement.kind == "item":
            self.paragraph(f"• {text}", indent=INDENT / 2)
        elif statement.kind == "answer":
            self.paragraph(f"→ {text}")
        else:
            self.paragraph(text, bold=statement.kind == "question", grey=statement.kind == "note")

    def source(self, n: int, source: Source) -> None:
        pdf = self.pdf
        meta = prompts.source_details(source)
        text = f"[{n}] {source.label} ({source.id})" + (f": {'; '.join(meta)}" if meta else "")
        pdf.set_font(FAMILY, "", 9.5)
        pdf.set_text_color(*BLACK)
        pdf.write(LINE, _text(text))
        sites = by_site(source.public_sources)
        if sites:
            pdf.write(LINE, _text(". " + prompts.EXPORT_SOURCE_LINKS.format(links="")))
            for i, (site, url) in enumerate(sites[:MAX_LINKS]):
                if i:
                    pdf.write(LINE, ", ")
                pdf.set_text_color(*LINK)
                pdf.write(LINE, _text(site), link=url)
                pdf.set_text_color(*BLACK)
            if len(sites) > MAX_LINKS:
                more = prompts.EXPORT_MORE_LINKS.format(n=len(sites) - MAX_LINKS)
                pdf.write(LINE, _text(" " + more))
        pdf.ln(LINE + 1.5)
