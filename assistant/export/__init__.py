"""Exports: one renderer per format for the one model of a cited document
(`assistant.cited.CitedDocument`), the chat conversation as such a document, the article view
the pages show, and the escaping that keeps untrusted text as text.

- `conversation_document(answers, pack)`: a conversation, or one answer, as a CitedDocument;
- `to_markdown(doc)`, `to_docx(doc, path)`, `to_pdf(doc, path)` and `export_file(doc, path)`
  (by the file's extension); files are written whole or not at all;
- `markdown_text` / `escape_markdown`: untrusted text in an exported file / in Streamlit.
"""

from __future__ import annotations

from pathlib import Path

from assistant import prompts
from assistant.cited import CitedDocument
from assistant.export.article import ArticleView, Segment, article_view, heading
from assistant.export.conversation import conversation_document, source_of
from assistant.export.files import EmptyExport, ExportError, atomic_output
from assistant.export.markdown import to_markdown, write_markdown
from assistant.export.pdf import pdf_bytes, to_pdf
from assistant.export.text import (
    escape_markdown,
    markdown_block,
    markdown_text,
    safe_markdown_block,
    safe_url,
    site_name,
)
from assistant.export.word import docx_bytes, to_docx

WRITERS = {".md": write_markdown, ".docx": to_docx, ".pdf": to_pdf}


def export_file(doc: CitedDocument, path: Path | str) -> Path:
    """Write `doc` in the format its extension names (.md, .docx, .pdf).

    Raises:
        ExportError: an unknown extension, nothing to export, or a path that can't be written.
    """
    writer = WRITERS.get(Path(path).suffix.lower())
    if writer is None:
        raise ExportError(prompts.EXPORT_UNKNOWN_FORMAT.format(path=path))
    return writer(doc, path)


__all__ = [
    "ArticleView",
    "EmptyExport",
    "ExportError",
    "Segment",
    "article_view",
    "atomic_output",
    "conversation_document",
    "docx_bytes",
    "escape_markdown",
    "export_file",
    "heading",
    "markdown_block",
    "markdown_text",
    "pdf_bytes",
    "safe_markdown_block",
    "safe_url",
    "site_name",
    "source_of",
    "to_docx",
    "to_markdown",
    "to_pdf",
]
