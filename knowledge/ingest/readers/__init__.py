"""Readers of the input formats behind one interface (`Reader`), chosen by suffix or content.

Each reader module defines `READER`. `read_source` picks it by the file's suffix (a file
without one, by the magic bytes it starts with) and the reader checks that the content
matches, so a renamed file gets a message naming what it really is.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers import doc, docx, html, ocr, odt, pdf, txt
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import SUPPORTED_HINT, ReadContext, SourceText

READERS: tuple[Reader, ...] = (
    pdf.READER,
    ocr.READER,
    docx.READER,
    doc.READER,
    odt.READER,
    html.READER,
    txt.READER,
)
BY_SUFFIX: dict[str, Reader] = {s: r for r in READERS for s in r.suffixes}
FORMAT_NAMES: dict[str, str] = {r.format: r.name for r in READERS}


def reader_for(path: Path, head: bytes) -> Reader:
    """The reader for a file, from its suffix, or from its first bytes when it has none.

    Raises:
        IngestError: an unsupported suffix, or no suffix and no content we recognise.
    """
    suffix = path.suffix.lower()
    if suffix in BY_SUFFIX:
        return BY_SUFFIX[suffix]
    if not suffix:
        sniffed = next((r for r in READERS if head.startswith(r.sniff)), None)
        if sniffed is not None:
            return sniffed
    shown = f"'{suffix}'" if suffix else "không có đuôi"
    raise IngestError(
        IngestFailure.UNSUPPORTED_FORMAT,
        f"Định dạng tệp {path.name} ({shown}) không được hỗ trợ. Cách sửa: {SUPPORTED_HINT}.",
    )


def read_source(path: Path, context: ReadContext | None = None) -> SourceText:
    """Read a supported file to lines, checking that its content matches its extension.

    Args:
        path: the file.
        context: limits and a progress callback (defaults: `Limits()`, no progress).

    Raises:
        IngestError: for a missing file, an unsupported format, content that does not match
            the extension, a file over the limits, an encrypted or corrupt file, a scan that
            cannot be read, or a missing OCR or .doc program.
    """
    context = context or ReadContext()
    if not path.is_file():
        raise IngestError(IngestFailure.NOT_FOUND, f"Không tìm thấy tệp: {path}.")
    with path.open("rb") as handle:
        head = handle.read(16)
    reader = reader_for(path, head)
    context.limits.check_file_size(path)  # before the bytes are read
    source = reader.read(path, path.read_bytes(), context)
    context.limits.check_chars(path, sum(len(line) for line in source.lines))
    return source
