"""A file read to lines (`SourceText`), and the helpers every reader shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure

SUPPORTED_HINT = "dùng tệp .pdf, .docx, .html/.htm hoặc .txt"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files
ZIP_MAGIC = b"PK\x03\x04"

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
class SourceText:
    """A file read to lines of text, before any layout is recognised."""

    path: Path
    format: str  # "pdf" | "docx" | "html" | "txt"
    lines: tuple[str, ...]
    # True for PDF: its lines are visual lines, so one paragraph may run over several.
    wrapped: bool
    warnings: tuple[str, ...] = ()


def clean_line(text: str) -> str:
    """NFC, look-alike letters fixed, invisible characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


def clean_lines(raw: Sequence[str]) -> tuple[str, ...]:
    return tuple(c for c in (clean_line(r) for r in raw) if c)


def wrong_content(path: Path, data: bytes, expected: str) -> IngestError:
    """Name what the content looks like, so the user can rename or convert the file."""
    if data.lstrip()[:5] == b"%PDF-":
        actual = "PDF"
    elif data.startswith(ZIP_MAGIC):
        actual = "tệp nén ZIP (có thể là .docx)"
    elif data.startswith(OLE_MAGIC):
        actual = "tệp Word cũ (.doc)"
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
