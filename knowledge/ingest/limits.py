"""Limits on what one official text may be, stated in every message that enforces them.

A party document runs to tens of pages, some tens of thousands of characters and a few hundred
provisions; the limits are an order of magnitude above that, so that they only stop a wrong
file (a whole archive, a book, a data dump) before it costs minutes of OCR or parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure

# Scans and photos are pictures: far more bytes for the same text.
SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass(frozen=True)
class Limits:
    """What one official text may be; the defaults suit every party document we know of."""

    max_pages: int = 200
    max_mb: int = 20  # DOCX, DOC, ODT, HTML, TXT
    max_scan_mb: int = 200  # PDF and images
    max_chars: int = 1_000_000
    max_provisions: int = 5_000
    # Tesseract's mean word confidence (0–100) under which a page is flagged.
    min_confidence: float = 60.0

    def summary(self) -> str:
        """The limits in one Vietnamese phrase, for messages."""
        return (
            f"tối đa {self.max_pages} trang, {_number(self.max_chars)} ký tự, "
            f"{_number(self.max_provisions)} quy định; tệp tối đa {self.max_mb} MB "
            f"(PDF và ảnh quét: {self.max_scan_mb} MB)"
        )

    def check_file_size(self, path: Path) -> None:
        """Refuse a file too big to be one document, before reading it.

        Raises:
            IngestError: the file is over the byte limit for its format.
        """
        size = path.stat().st_size
        scan = path.suffix.lower() in SCAN_SUFFIXES
        limit = self.max_scan_mb if scan else self.max_mb
        if size > limit * 1024 * 1024:
            raise IngestError(
                IngestFailure.TOO_LARGE,
                f"Tệp {path.name} nặng {_megabytes(size)} MB, vượt giới hạn {limit} MB cho một "
                f"văn bản {'quét ' if scan else ''}({self.summary()}); chưa đọc nội dung tệp. "
                "Cách sửa: kiểm tra có đúng tệp văn bản không; nếu tệp gộp nhiều văn bản, tách "
                "từng văn bản ra tệp riêng rồi nạp.",
            )

    def check_pages(self, path: Path, pages: int) -> None:
        """Raises: IngestError: more pages than one document may have."""
        if pages > self.max_pages:
            raise IngestError(
                IngestFailure.TOO_LARGE,
                f"Tệp {path.name} có {pages} trang, vượt giới hạn {self.max_pages} trang cho một "
                f"văn bản ({self.summary()}). Cách sửa: nạp riêng văn bản cần dùng; nếu tệp gộp "
                "nhiều văn bản, tách từng văn bản ra tệp riêng.",
            )

    def check_chars(self, path: Path, chars: int) -> None:
        """Raises: IngestError: more characters than one document may have."""
        if chars > self.max_chars:
            raise IngestError(
                IngestFailure.TOO_LARGE,
                f"Tệp {path.name} có {_number(chars)} ký tự, vượt giới hạn "
                f"{_number(self.max_chars)} ký tự cho một văn bản ({self.summary()}). Cách sửa: "
                "kiểm tra có đúng tệp văn bản không; nếu tệp gộp nhiều văn bản, tách từng văn "
                "bản ra tệp riêng.",
            )

    def check_provisions(self, path: Path, provisions: int) -> None:
        """Raises: IngestError: more provisions than one document may have."""
        if provisions > self.max_provisions:
            raise IngestError(
                IngestFailure.TOO_LARGE,
                f"Tệp {path.name} có {_number(provisions)} quy định (điều, khoản, điểm, tiết), "
                f"vượt giới hạn {_number(self.max_provisions)} quy định cho một văn bản "
                f"({self.summary()}). Cách sửa: kiểm tra có đúng tệp văn bản không; nếu tệp "
                "gộp nhiều văn bản, tách từng văn bản ra tệp riêng.",
            )


def _number(n: int) -> str:
    """Vietnamese thousands separator: 1.000.000."""
    return f"{n:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")
