"""PDF: the text layer pypdf extracts, page by page, as visual lines; pages without one are
rendered by PDFium and recognised like a scan (readers/ocr.py)."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from knowledge.ingest import tesseract
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.readers.ocr import (
    OcrPage,
    check_readable,
    low_confidence_warning,
    recognise_pages,
)
from knowledge.ingest.source import (
    PageInfo,
    ReadContext,
    SourceText,
    clean_lines,
    corrupt,
    wrong_content,
)

# Fewer letters than this in a whole PDF means there is no text layer (a scan): every page is
# recognised. In a PDF with text, only pages without a single letter are (scanned pages put
# in); a page with a little text (a signature block) keeps its exact text layer.
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


def _read_pdf(path: Path, data: bytes, context: ReadContext) -> SourceText:
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
            # Counted before any text is extracted: a wrong file is refused at once.
            context.limits.check_pages(path, len(reader.pages))
            texts = [page.extract_text() or "" for page in reader.pages]
        except IngestError:
            raise
        except Exception as exc:
            raise corrupt(path, "PDF", exc) from None
    letters = [sum(ch.isalpha() for ch in text) for text in texts]
    scanned = [n for n, count in enumerate(letters, start=1) if count == 0]
    recognised: dict[int, OcrPage] = {}
    warnings: list[str] = []
    if sum(letters) < MIN_PDF_LETTERS:  # no text layer at all: a scan
        what = f"Tệp PDF {path.name} không có lớp chữ (bản quét hoặc ảnh chụp)"
        tesseract.check_installed(what)
        everything = list(range(1, len(texts) + 1))
        recognised = _recognise(path, data, everything, len(texts), context)
    elif scanned:  # some pages are pictures in a PDF with text
        if tesseract.installed():
            recognised = _recognise(path, data, scanned, len(texts), context)
        else:
            warnings.append(
                f"Trang {', '.join(map(str, scanned))} của tệp PDF không có lớp chữ (có thể là "
                f"trang quét); nội dung các trang này không được nạp. Để nạp cả các trang này, "
                f"{tesseract.INSTALL_HINT} rồi nạp lại."
            )
    pages = [
        recognised[n].info if n in recognised else PageInfo(n, ocr=False)
        for n in range(1, len(texts) + 1)
    ]
    if recognised:
        check_readable(
            pages,
            context,
            f"Tệp PDF {path.name} không có lớp chữ (bản quét), và bản quét"
            if len(recognised) == len(texts)
            else f"Tệp PDF {path.name} có {len(recognised)}/{len(texts)} trang không có lớp chữ "
            "(trang quét), và các trang này",
        )
        warnings += low_confidence_warning(pages, context)
    lines: list[str] = []
    for n, text in enumerate(texts, start=1):
        if n in recognised:
            lines += recognised[n].lines
        else:
            lines += [
                line for line in clean_lines(text.splitlines()) if not _PAGE_NUMBER.match(line)
            ]
    return SourceText(
        path, "pdf", tuple(lines), wrapped=True, warnings=tuple(warnings), pages=tuple(pages)
    )


def _recognise(
    path: Path, data: bytes, numbers: list[int], total: int, context: ReadContext
) -> dict[int, OcrPage]:
    """OCR of the given pages, rendered by PDFium at the resolution they were scanned at."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise corrupt(path, "PDF", exc) from None
    try:
        pages = ((n, _render(document[n - 1])) for n in numbers)
        done = recognise_pages(pages, len(numbers), context, total_pages=total)
    finally:
        document.close()
    return {page.info.number: page for page in done}


def _render(page) -> Image.Image:
    """The page as a picture, at the resolution of its largest embedded image, kept between
    150 and 300 dpi: finer costs OCR time for nothing, coarser loses the diacritics."""
    import pypdfium2.raw as pdfium_c

    dpi = 300.0
    widths = [
        obj.get_px_size()[0] / max(1.0, obj.get_bounds()[2] - obj.get_bounds()[0])
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
    ]
    if widths:
        dpi = min(300.0, max(150.0, max(widths) * 72))
    return page.render(scale=dpi / 72).to_pil()


READER = Reader("pdf", "PDF", (".pdf",), (b"%PDF-",), _read_pdf)
