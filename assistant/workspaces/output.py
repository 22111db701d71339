"""`write(doc, path)`: a CitedDocument as Markdown, DOCX or PDF, through a temporary file and a
rename, so an error leaves no partial file behind.

A stand-in for the export package written alongside (to_markdown, to_docx, to_pdf); when the
branches meet, `render` is the one place to swap for it. Every text is written as text: in
Markdown only the characters that would start markup are escaped, in DOCX and PDF text is
never interpreted.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from assistant.cited import CitedDocument, Section, Statement
from assistant.workspaces import phrases

SUFFIXES = (".md", ".docx", ".pdf")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
LIVE = re.compile(r"([\\`*_\[\]<>#|~$])")
LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)
ENTITY = re.compile(r"&(?=#?\w+;)")


class OutputError(Exception):
    """An output file that cannot be written (the message names the path and the fix)."""


class UnsupportedOutput(ValueError):
    """An output path whose suffix is not .md, .docx or .pdf."""


def check_path(path: Path) -> None:
    """Fail early, before any work: a wrong suffix, or a folder that does not exist or
    cannot be written.

    Raises:
        UnsupportedOutput: for a suffix other than .md, .docx, .pdf.
        OutputError: for a missing or read-only folder, or a path that is a folder.
    """
    if path.suffix.lower() not in SUFFIXES:
        raise UnsupportedOutput(phrases.OUT_SUFFIX.format(path=path))
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(phrases.OUT_FAILED.format(path=path, reason="đó là một thư mục"))
    if not parent.is_dir():
        raise OutputError(phrases.OUT_FAILED.format(path=path, reason="thư mục không tồn tại"))
    if not os.access(parent, os.W_OK):
        raise OutputError(phrases.OUT_FAILED.format(path=path, reason="không có quyền ghi"))


def write(doc: CitedDocument, path: str | Path) -> Path:
    """Write `doc` to `path` (.md, .docx or .pdf); the file appears whole or not at all.

    Raises:
        UnsupportedOutput: for another suffix.
        OutputError: when the file cannot be written.
    """
    path = Path(path)
    check_path(path)
    data = render(doc, path.suffix.lower())
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(phrases.OUT_FAILED.format(path=path, reason=exc.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(phrases.OUT_FAILED.format(path=path, reason=exc.strerror)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def render(doc: CitedDocument, suffix: str) -> bytes:
    """The document as the bytes of a .md, .docx or .pdf file."""
    if suffix == ".md":
        return to_markdown(doc).encode("utf-8")
    if suffix == ".docx":
        return to_docx(doc)
    if suffix == ".pdf":
        return to_pdf(doc)
    raise UnsupportedOutput(phrases.OUT_SUFFIX.format(path=suffix))


# --- shared layout -------------------------------------------------------------------------------


LISTED = ("item", "option")  # statements shown as list items


def numbering(doc: CitedDocument) -> dict[str, int]:
    """Each cited provision's number in the sources list."""
    return {source.id: n for n, source in enumerate(doc.sources, start=1)}


def markers(statement: Statement, numbers: dict[str, int]) -> str:
    if statement.kind == "option":
        return ""  # the question before it shows the same marks
    found = sorted({numbers[c] for c in statement.citations if c in numbers})
    return " " + "".join(f"[{n}]" for n in found) if found else ""


def walk(sections: list[Section], depth: int = 1) -> Iterator[tuple[int, Section]]:
    for section in sections:
        yield depth, section
        yield from walk(section.subsections, depth + 1)


def source_line(n: int, source) -> str:
    parts = [f"[{n}] {source.label}"]
    if source.text_kind:
        parts.append(phrases.TEXT_KIND_LABELS.get(source.text_kind, source.text_kind))
    if source.validity:
        parts.append(source.validity)
    return " — ".join(parts) + f" ({source.id})"


# --- Markdown ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text shown literally in Markdown: the characters that start markup are escaped."""
    text = LIVE.sub(r"\\\1", text)
    text = ENTITY.sub("&amp;", text)
    return LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def to_markdown(doc: CitedDocument) -> str:
    numbers = numbering(doc)
    lines = [f"# {escape(doc.title)}", ""]
    if doc.subtitle:
        lines += [escape(doc.subtitle), ""]
    for notice in doc.notices:
        lines += [f"> {escape(notice)}", ""]
    for depth, section in walk(doc.sections):
        lines += [f"{'#' * min(depth + 1, 6)} {escape(section.title)}", ""]
        for s in section.statements:
            text = escape(s.text) + markers(s, numbers)
            if s.kind not in LISTED and lines and lines[-1].startswith("- "):
                lines.append("")  # a paragraph right after a list item would continue it
            if s.kind in LISTED:
                lines.append(f"- {text}")
            elif s.kind == "quote":
                lines += [f"> {text}", ""]
            elif s.kind == "note":
                lines += [f"*{text}*", ""]
            else:
                lines += [text, ""]
            if s.caveat:
                lines += ["", f"  *{escape(phrases.CAVEAT.format(caveat=s.caveat))}*", ""]
        lines.append("")
    if doc.sources:
        lines += [f"## {phrases.SOURCES}", ""]
        lines += [f"- {escape(source_line(n, s))}" for n, s in enumerate(doc.sources, start=1)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- DOCX ----------------------------------------------------------------------------------------


def to_docx(doc: CitedDocument) -> bytes:
    from docx import Document
    from docx.shared import Pt

    numbers = numbering(doc)
    out = Document()
    out.add_heading(doc.title, level=0)
    if doc.subtitle:
        out.add_paragraph(doc.subtitle)
    for notice in doc.notices:
        out.add_paragraph().add_run(notice).italic = True
    for depth, section in walk(doc.sections):
        out.add_heading(section.title, level=min(depth, 9))
        for s in section.statements:
            style = {"item": "List Bullet", "option": "List Bullet", "quote": "Quote"}.get(s.kind)
            paragraph = out.add_paragraph(style=style)
            run = paragraph.add_run(s.text)
            run.italic = s.kind == "note"
            run.bold = s.kind == "question"
            paragraph.add_run(markers(s, numbers))
            if s.caveat:
                caveat = out.add_paragraph().add_run(phrases.CAVEAT.format(caveat=s.caveat))
                caveat.italic = True
                caveat.font.size = Pt(9)
    if doc.sources:
        out.add_heading(phrases.SOURCES, level=1)
        for n, source in enumerate(doc.sources, start=1):
            out.add_paragraph(source_line(n, source))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def to_pdf(doc: CitedDocument) -> bytes:
    from fpdf import FPDF

    for font in FONTS.values():
        if not font.exists():
            raise OutputError(phrases.OUT_FONT.format(path=font))
    numbers = numbering(doc)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(doc.title)
    for style, font in FONTS.items():
        pdf.add_font("DejaVu", style, str(font))
    pdf.add_page()

    def para(text: str, size: float = 10.5, style: str = "", indent: float = 0) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    para(doc.title, 16, "B")
    if doc.subtitle:
        para(doc.subtitle, 11)
    for notice in doc.notices:
        para(notice, 9)
    for depth, section in walk(doc.sections):
        pdf.ln(2)
        para(section.title, max(14 - 1.5 * depth, 10.5), "B")
        for s in section.statements:
            text = s.text + markers(s, numbers)
            if s.kind in LISTED:
                para("• " + text, indent=5)
            elif s.kind == "quote":
                para(f"“{text}”", indent=8)
            else:
                para(text, style="B" if s.kind == "question" else "")
            if s.caveat:
                para(phrases.CAVEAT.format(caveat=s.caveat), 8.5, indent=8)
    if doc.sources:
        pdf.ln(2)
        para(phrases.SOURCES, 12, "B")
        for n, source in enumerate(doc.sources, start=1):
            para(source_line(n, source), 8.5)
    return bytes(pdf.output())
