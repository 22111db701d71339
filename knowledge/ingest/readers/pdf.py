"""Text-layer PDF: the text pypdf extracts, page by page, as visual lines."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import SourceText, clean_lines, corrupt, wrong_content

# Fewer letters than this in a whole PDF means there is no text layer (a scan).
MIN_PDF_LETTERS = 20
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs recoverable damage as warnings; the user gets one message from us instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(path: Path, data: bytes) -> SourceText:
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise wrong_content(path, data, "PDF")
    encrypted = IngestError(
        IngestFailure.ENCRYPTED_PDF,
        f"Tệp PDF {path.name} được mã hóa bằng mật khẩu nên không đọc được chữ. Cách sửa: mở "
        "tệp bằng mật khẩu và lưu lại bản không mật khẩu (ví dụ: qpdf --decrypt "
        "--password=<mật khẩu> vào.pdf ra.pdf), rồi nạp lại.",
    )
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")  # only an owner password: readable as is
                except Exception:  # e.g. AES without the optional crypto library
                    opened = 0
                if not opened:
                    raise encrypted
            pages = [page.extract_text() or "" for page in reader.pages]
        except IngestError:
            raise
        except Exception as exc:
            raise corrupt(path, "PDF", exc) from None
    letters = sum(ch.isalpha() for page in pages for ch in page)
    if letters < MIN_PDF_LETTERS:
        raise IngestError(
            IngestFailure.SCANNED_PDF,
            f"Tệp PDF {path.name} không có lớp chữ (có thể là bản quét/ảnh chụp), nên không "
            "lấy được lời văn. Cách sửa: nhận dạng chữ (OCR) trước, ví dụ: ocrmypdf -l vie "
            f"{path.name} {path.stem}-ocr.pdf, hoặc dùng bản DOCX/HTML của văn bản.",
        )
    warnings = []
    blank = [str(i) for i, page in enumerate(pages, start=1) if not page.strip()]
    if blank:
        warnings.append(
            f"Trang {', '.join(blank)} của tệp PDF không có lớp chữ (có thể là trang quét); "
            "nội dung các trang này không được nạp."
        )
    lines = [
        line
        for page in pages
        for line in clean_lines(page.splitlines())
        if not _PAGE_NUMBER.match(line)
    ]
    return SourceText(path, "pdf", tuple(lines), wrapped=True, warnings=tuple(warnings))


READER = Reader("pdf", "PDF", (".pdf",), _read_pdf)
