"""A file read to lines (`SourceText`), and the helpers every reader shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.limits import Limits

SUPPORTED_HINT = (
    "dùng tệp .pdf, .docx, .doc, .odt, .html/.htm, .txt hoặc ảnh chụp/bản quét .png, .jpg, .tif"
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files
ZIP_MAGIC = b"PK\x03\x04"
IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}

# Look-alike and invisible characters that break pattern matching in copied texts.
_TRANSLATE = str.maketrans(
    {
        "\u00d0": "Đ",  # Icelandic Eth, often typed for Đ ("QÐ")
        "\u00f0": "đ",
        "\u00a0": " ",
        "\t": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageInfo:
    """One page of a paged source (PDF, image): how it was read."""

    number: int  # from 1
    ocr: bool  # recognised from the picture, not taken from a text layer
    confidence: float | None = None  # Tesseract's mean word confidence, 0–100
    low_confidence: bool = False  # below Limits.min_confidence
    rotation: int = 0  # degrees the page was turned before recognition (0, 90, 180, 270)
    skew: float = 0.0  # degrees of slight tilt straightened before recognition
    words: int = 0  # words recognised (OCR) or 0
    blank: bool = False  # a scanned page with no ink (the back of a sheet)


@dataclass(frozen=True)
class SourceText:
    """A file read to lines of text, before any layout is recognised."""

    path: Path
    format: str  # a Reader's format: "pdf", "image", "docx", "doc", "odt", "html", "txt"
    lines: tuple[str, ...]
    # True for PDF and OCR: lines are visual lines, so one paragraph may run over several.
    wrapped: bool
    warnings: tuple[str, ...] = ()
    pages: tuple[PageInfo, ...] = ()  # empty for formats without pages (DOCX, HTML, TXT…)

    @property
    def ocr(self) -> bool:
        return any(page.ocr for page in self.pages)

    @property
    def low_confidence_pages(self) -> tuple[int, ...]:
        return tuple(page.number for page in self.pages if page.low_confidence)


@dataclass(frozen=True)
class Progress:
    """One step of long work (a page recognised), for the CLI and the upload page."""

    done: int
    total: int
    message: str  # Vietnamese, ready to show


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class ReadContext:
    """What every reader gets besides the file: the limits and where to report progress."""

    limits: Limits = field(default_factory=Limits)
    progress: ProgressCallback | None = None

    def report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(Progress(done, total, message))


def clean_line(text: str) -> str:
    """NFC, look-alike letters fixed, invisible characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


def clean_lines(raw: Sequence[str]) -> tuple[str, ...]:
    return tuple(c for c in (clean_line(r) for r in raw) if c)


def image_kind(data: bytes) -> str | None:
    """'PNG', 'JPEG' or 'TIFF' from the first bytes, or None."""
    return next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), None)


def wrong_content(path: Path, data: bytes, expected: str) -> IngestError:
    """Name what the content looks like, so the user can rename or convert the file."""
    if data.lstrip()[:5] == b"%PDF-":
        actual = "PDF"
    elif data.startswith(ZIP_MAGIC):
        actual = "tệp nén ZIP (có thể là .docx)"
    elif data.startswith(OLE_MAGIC):
        actual = "tệp Word cũ (.doc)"
    elif kind := image_kind(data):
        actual = f"ảnh {kind}"
    elif b"\x00" in data[:4096]:
        actual = "dữ liệu nhị phân"
    else:
        actual = "văn bản thuần"
    return IngestError(
        IngestFailure.WRONG_CONTENT,
        f"Tệp {path.name} có đuôi {path.suffix} nhưng nội dung không phải {expected} "
        f"(trông như {actual}). Cách sửa: đổi đuôi tệp cho đúng nội dung, hoặc {SUPPORTED_HINT}.",
    )


def corrupt(path: Path, what: str, exc: Exception) -> IngestError:
    return IngestError(
        IngestFailure.CORRUPT,
        f"Không đọc được tệp {path.name}: tệp {what} bị hỏng hoặc không hoàn chỉnh "
        f"(chi tiết kỹ thuật: {type(exc).__name__}). Cách sửa: tải hoặc xuất lại tệp từ nguồn.",
    )
