"""Word 2007+ (.docx) through python-docx, table cells included (letterhead, signature)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import (
    SUPPORTED_HINT,
    ZIP_MAGIC,
    ReadContext,
    SourceText,
    clean_lines,
    corrupt,
    wrong_content,
)


def _read_docx(path: Path, data: bytes, context: ReadContext) -> SourceText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not data.startswith(ZIP_MAGIC):
        raise wrong_content(path, data, "tệp Word .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise corrupt(path, "Word (.docx)", exc) from None
    if "word/document.xml" not in names:
        raise IngestError(
            IngestFailure.WRONG_CONTENT,
            f"Tệp {path.name} là tệp nén nhưng không phải tài liệu Word .docx. Cách sửa: "
            f"{SUPPORTED_HINT}.",
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise corrupt(path, "Word (.docx)", exc) from None

    raw: list[str] = []
    auto_numbered = 0

    def walk(container) -> None:
        nonlocal auto_numbered
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                if _has_auto_numbering(block):
                    auto_numbered += 1
                raw.extend(block.text.splitlines())
            elif isinstance(block, Table):
                # The letterhead and the signature sit in two-column tables: read cell by cell.
                seen: set[int] = set()
                for row in block.rows:
                    for cell in row.cells:
                        if id(cell._tc) not in seen:  # a merged cell repeats in row.cells
                            seen.add(id(cell._tc))
                            walk(cell)

    try:
        walk(document)
    except Exception as exc:
        raise corrupt(path, "Word (.docx)", exc) from None
    warnings = []
    if auto_numbered:
        warnings.append(
            f"{auto_numbered} đoạn trong tệp Word dùng đánh số tự động; số thứ tự của các đoạn "
            "này không nằm trong lời văn nên có thể bị thiếu. Nếu báo cáo có chỗ cách quãng, "
            "hãy lưu văn bản thành PDF rồi nạp tệp PDF."
        )
    return SourceText(path, "docx", clean_lines(raw), wrapped=False, warnings=tuple(warnings))


def _has_auto_numbering(paragraph) -> bool:
    """Word list numbering (own or from the style) keeps the number out of the text."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    style_ppr = style.element.pPr if style is not None else None
    return style_ppr is not None and style_ppr.numPr is not None


READER = Reader("docx", "DOCX", (".docx",), (), _read_docx)
