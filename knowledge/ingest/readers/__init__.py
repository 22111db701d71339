"""Readers of the input formats, chosen by the file's suffix, behind one interface (`Reader`).

Each reader module defines `READER`; `read_source` picks it by suffix and the reader checks
that the content matches, so a renamed file gets a message naming what it really is.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers import docx, html, pdf, txt
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import SUPPORTED_HINT, SourceText

READERS: tuple[Reader, ...] = (pdf.READER, docx.READER, html.READER, txt.READER)
BY_SUFFIX: dict[str, Reader] = {s: r for r in READERS for s in r.suffixes}
FORMAT_NAMES: dict[str, str] = {r.format: r.name for r in READERS}


def read_source(path: Path) -> SourceText:
    """Read a supported file to lines, checking that its content matches its extension.

    Raises:
        IngestError: for a missing file, an unsupported format, content that does not match
            the extension, a scanned or encrypted PDF, or a corrupt file.
    """
    if not path.is_file():
        raise IngestError(IngestFailure.NOT_FOUND, f"Không tìm thấy tệp: {path}.")
    suffix = path.suffix.lower()
    reader = BY_SUFFIX.get(suffix)
    if reader is None:
        if suffix == ".doc":
            raise IngestError(
                IngestFailure.UNSUPPORTED_FORMAT,
                f"Tệp {path.name} là tệp Word cũ (.doc), chưa được hỗ trợ. Cách sửa: mở bằng "
                "Word hoặc LibreOffice, lưu thành .docx hoặc PDF rồi nạp lại.",
            )
        shown = f"'{suffix}'" if suffix else "không có đuôi"
        raise IngestError(
            IngestFailure.UNSUPPORTED_FORMAT,
            f"Định dạng tệp {path.name} ({shown}) không được hỗ trợ. Cách sửa: {SUPPORTED_HINT}.",
        )
    return reader.read(path, path.read_bytes())
