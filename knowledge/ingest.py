"""Load an official text (PDF, DOCX, HTML or plain text) into the canonical document format.

The stages hand a typed result to each other: the file is read to lines (`SourceText`); the
official layout of a party document is split into header, preamble, body and closing
(`Header`, `Closing`); the body becomes an outline built with the same attachment rules as
knowledge/parser.py, so that `Điều 12, khoản 4, điểm 4.3, tiết d` gets the id the digest
already uses; the outline is rendered as canonical Markdown, checked with the parser, written
atomically to the user's official folder, and compared with the shipped digest
(`IngestReport`). The shipped digest and the search index are never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from knowledge.errors import KnowledgeError
from knowledge.pack import SHIPPED_DOCUMENTS, document_files, parse_files
from knowledge.parser import (
    CLAUSE,
    POINT,
    ROMAN,
    SUBPOINT,
    TIET_LETTERS,
    kind_label,
    parse_text,
    roman_to_int,
)
from knowledge.types import Document, DocumentTree, ProvisionKind, TextKind

# --- errors -------------------------------------------------------------------------------


class IngestFailure(StrEnum):
    """Why an official text could not be loaded (tests and callers branch on this)."""

    NOT_FOUND = "not_found"
    UNSUPPORTED_FORMAT = "unsupported_format"
    WRONG_CONTENT = "wrong_content"
    ENCODING = "encoding"
    SCANNED_PDF = "scanned_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    CORRUPT = "corrupt"
    NO_NUMBER = "no_number"
    NUMBER_MISMATCH = "number_mismatch"
    UNKNOWN_DOCUMENT = "unknown_document"
    NO_LAYOUT = "no_layout"
    INVALID_RESULT = "invalid_result"


class IngestError(Exception):
    """An official text cannot be loaded; the message names the file and the fix."""

    def __init__(self, failure: IngestFailure, message: str):
        self.failure = failure
        super().__init__(message)


# --- reading the four formats to lines ----------------------------------------------------

FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "txt"}
FORMAT_NAMES = {"pdf": "PDF", "docx": "DOCX", "html": "HTML", "txt": "TXT"}
SUPPORTED_HINT = "dùng tệp .pdf, .docx, .html/.htm hoặc .txt"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files
ZIP_MAGIC = b"PK\x03\x04"
# Fewer letters than this in a whole PDF means there is no text layer (a scan).
MIN_PDF_LETTERS = 20

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
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")
_HTML_BLOCKS = (
    "p div br li tr td th h1 h2 h3 h4 h5 h6 table section article header footer "
    "blockquote pre ul ol dd dt"
).split()


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


def _clean_lines(raw: Sequence[str]) -> tuple[str, ...]:
    return tuple(c for c in (clean_line(r) for r in raw) if c)


def read_source(path: Path) -> SourceText:
    """Read a supported file to lines, checking that its content matches its extension.

    Raises:
        IngestError: for a missing file, an unsupported format, content that does not match
            the extension, a scanned or encrypted PDF, or a corrupt file.
    """
    if not path.is_file():
        raise IngestError(IngestFailure.NOT_FOUND, f"Không tìm thấy tệp: {path}.")
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
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
    data = path.read_bytes()
    reader = {"pdf": _read_pdf, "docx": _read_docx, "html": _read_html, "txt": _read_txt}[fmt]
    return reader(path, data)


def _wrong_content(path: Path, data: bytes, expected: str) -> IngestError:
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


def _corrupt(path: Path, what: str, exc: Exception) -> IngestError:
    return IngestError(
        IngestFailure.CORRUPT,
        f"Không đọc được tệp {path.name}: tệp {what} bị hỏng hoặc không hoàn chỉnh "
        f"(chi tiết kỹ thuật: {type(exc).__name__}). Cách sửa: tải hoặc xuất lại tệp từ nguồn.",
    )


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
        raise _wrong_content(path, data, "PDF")
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
            raise _corrupt(path, "PDF", exc) from None
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
        for line in _clean_lines(page.splitlines())
        if not _PAGE_NUMBER.match(line)
    ]
    return SourceText(path, "pdf", tuple(lines), wrapped=True, warnings=tuple(warnings))


def _read_docx(path: Path, data: bytes) -> SourceText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not data.startswith(ZIP_MAGIC):
        raise _wrong_content(path, data, "tệp Word .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _corrupt(path, "Word (.docx)", exc) from None
    if "word/document.xml" not in names:
        raise IngestError(
            IngestFailure.WRONG_CONTENT,
            f"Tệp {path.name} là tệp nén nhưng không phải tài liệu Word .docx. Cách sửa: "
            f"{SUPPORTED_HINT}.",
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise _corrupt(path, "Word (.docx)", exc) from None

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
        raise _corrupt(path, "Word (.docx)", exc) from None
    warnings = []
    if auto_numbered:
        warnings.append(
            f"{auto_numbered} đoạn trong tệp Word dùng đánh số tự động; số thứ tự của các đoạn "
            "này không nằm trong lời văn nên có thể bị thiếu. Nếu báo cáo có chỗ cách quãng, "
            "hãy lưu văn bản thành PDF rồi nạp tệp PDF."
        )
    return SourceText(path, "docx", _clean_lines(raw), wrapped=False, warnings=tuple(warnings))


def _has_auto_numbering(paragraph) -> bool:
    """Word list numbering (own or from the style) keeps the number out of the text."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    style_ppr = style.element.pPr if style is not None else None
    return style_ppr is not None and style_ppr.numPr is not None


def _read_html(path: Path, data: bytes) -> SourceText:
    from bs4 import BeautifulSoup

    if b"\x00" in data[:4096] or data.lstrip()[:5] == b"%PDF-" or data.startswith(ZIP_MAGIC):
        raise _wrong_content(path, data, "HTML")
    try:
        markup: str | bytes = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data  # let BeautifulSoup use the declared charset
    soup = BeautifulSoup(markup, "html.parser")
    if soup.find() is None:
        raise _wrong_content(path, data, "HTML")
    for tag in soup(["script", "style", "noscript", "template", "head", "title"]):
        tag.decompose()
    # Inline tags (<b>Điều 5.</b> Đối tượng) stay on one line; block tags end a line.
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.append("\n")
    return SourceText(path, "html", _clean_lines(soup.get_text().splitlines()), wrapped=False)


def _read_txt(path: Path, data: bytes) -> SourceText:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:4096] or data.lstrip()[:5] == b"%PDF-" or data.startswith(ZIP_MAGIC):
            raise _wrong_content(path, data, "văn bản thuần")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise IngestError(
                IngestFailure.ENCODING,
                f"Tệp {path.name} không phải UTF-8 (dòng {line} có byte không giải mã được). "
                "Cách sửa: lưu lại tệp với mã hóa UTF-8 (ví dụ: iconv -f cp1258 -t utf-8).",
            ) from None
    return SourceText(path, "txt", _clean_lines(text.splitlines()), wrapped=False)


# --- the official layout: header, title, preamble, body, closing ------------------------

NUMBER_RE = re.compile(
    r"(?:^|\s)Số\s*:?\s*(\d+)\s*[-–]\s*(QĐ|QD|HD)\s*/\s*([A-ZĐ]+(?:\s*-\s*[A-ZĐ]+)?)"
)
DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
TITLE_WORDS = {"QUYĐỊNH": "Quy định", "HƯỚNGDẪN": "Hướng dẫn"}
SEPARATOR = re.compile(r"^[\s\-–—_*=.·~]+$")
PREAMBLE_START = re.compile(r"^[-–+]?\s*(Căn cứ|Xét|Thực hiện|Theo đề nghị)\b")
CLOSING_START = re.compile(r"^(Nơi nhận\s*:|(T/M|K/T|T/L|TM\.|KT\.|TL\.)\s*[A-ZĐ])")
SIGNER_CAPACITY = re.compile(r"(?:^|\s)(T/M|K/T|T/L|TM\.|KT\.|TL\.)\s*[A-ZĐ]")
# Only the document's own clause on its force counts ("Quy định này có hiệu lực …"), not a
# sentence about a disciplinary decision taking effect.
_IN_FORCE = r"(?:Quy định|Hướng dẫn) này có hiệu lực(?: thi hành)?(?: kể)? từ ngày"
EFFECTIVE_ON_SIGNING = re.compile(_IN_FORCE + r" ký", re.I)
EFFECTIVE_ON_DATE = re.compile(
    _IN_FORCE + r" (?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{1,2}) tháng (\d{1,2}) năm (\d{4}))",
    re.I,
)

SRC_CHAPTER = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+)\b\s*[.:\-–]?\s*(.*)$")
SRC_ROMAN_PART = re.compile(r"^([IVX]{1,4})\s*[.\-–]\s*(\S.*)$")
SRC_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+)\s*(?:[.:]\s*(.*))?$")
SRC_POINT = re.compile(r"^(\d+)\.(\d+)\.?(?:\s+(.*))?$")
SRC_CLAUSE = re.compile(r"^(\d+)\.(?:\s+(.*))?$")
SRC_SUBPOINT = re.compile(r"^([a-zđ])\)\s*(.*)$")
SRC_BULLET = re.compile(r"^[-–—•∙*]\s*(\S.*)$")
TERMINAL = tuple(".;:!?…")


@dataclass(frozen=True)
class Header:
    """What the header block of an official text says about the document."""

    number: str | None  # "124-QĐ/TW", normalised
    signed: dt.date | None
    kind: str | None  # "Quy định" | "Hướng dẫn", from the title line
    subject: str | None  # "về kiểm điểm và …", the line(s) under the title
    title_index: int | None  # line of the title word


@dataclass(frozen=True)
class Closing:
    """The "Nơi nhận" and signature blocks: metadata, not content."""

    signer: str | None
    capacity: tuple[str, ...]  # "T/M BỘ CHÍNH TRỊ", "THƯỜNG TRỰC BAN BÍ THƯ"
    ignored_after_signer: int  # lines after the signer's name (annexes, forms)


def normalise_number(number: str) -> str:
    """'124 - QD/TW' and '124-QĐ/TW' compare equal."""
    text = clean_line(number).upper().replace(" ", "").replace("–", "-")
    return re.sub(r"-QD/", "-QĐ/", text)


def _squash(line: str) -> str:
    return line.replace(" ", "")


def _is_title_word(line: str) -> bool:
    return line == line.upper() and _squash(line).rstrip(":") in TITLE_WORDS


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _sentence_case(text: str) -> str:
    """An all-capitals title in the format's sentence case ("QUY ĐỊNH CHUNG" → "Quy định chung")."""
    if not _mostly_upper(text):
        return text
    lowered = text.lower()
    lowered = re.sub(r"\bđiều (\d+)", r"Điều \1", lowered)
    lowered = re.sub(r"\bđảng\b", "Đảng", lowered)
    return lowered[:1].upper() + lowered[1:]


# The number and date sit in the few lines above the title word.
HEADER_LINES = 12


def read_header(lines: Sequence[str]) -> Header:
    """Number, date and title word of the document.

    The title is the first "QUY ĐỊNH"/"HƯỚNG DẪN" line with a number ("Số …") in the lines
    just above it, so that a web page's menus before the document are passed over; without
    such a line, the first title word, or none and the first lines as the header.
    """
    titles = [i for i, line in enumerate(lines) if _is_title_word(line)]
    numbered = [
        i
        for i in titles
        if any(NUMBER_RE.search(line) for line in lines[max(0, i - HEADER_LINES) : i])
    ]
    title_index = (numbered or titles or [None])[0]
    if title_index is None:
        head = lines[:HEADER_LINES]
    else:
        head = lines[max(0, title_index - HEADER_LINES) : title_index]
    number: str | None = None
    signed: dt.date | None = None
    for line in head:
        if number is None and (m := NUMBER_RE.search(line)):
            kind = "QĐ" if m.group(2) in ("QĐ", "QD") else "HD"
            number = f"{m.group(1)}-{kind}/{m.group(3).replace(' ', '')}"
        if signed is None and (m := DATE_RE.search(line)):
            with contextlib.suppress(ValueError):
                signed = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    kind = subject = None
    if title_index is not None:
        kind = TITLE_WORDS[_squash(lines[title_index]).rstrip(":")]
        subject = _subject(lines, title_index + 1, kind)[0] or None
    return Header(number, signed, kind, subject, title_index)


def _subject(lines: Sequence[str], start: int, kind: str) -> tuple[str, int]:
    """The subject line(s) under the title word, and the index after them."""
    parts: list[str] = []
    i = start
    while i < len(lines) and len(parts) < 4:
        line = lines[i]
        if SEPARATOR.match(line):
            i += 1
            if parts:
                break
            continue
        if PREAMBLE_START.match(line) or _is_body_start(line, kind) or CLOSING_START.match(line):
            break
        if line.startswith(("-", "–")):
            break
        parts.append(line)
        i += 1
    subject = " ".join(parts)
    return _sentence_case(subject), i


def _is_body_start(line: str, kind: str) -> bool:
    if kind == "Hướng dẫn":
        return bool(re.match(r"^1\.(\s|$)", line))
    return bool(
        SRC_CHAPTER.match(line)
        or SRC_ARTICLE.match(line)
        or ((m := SRC_ROMAN_PART.match(line)) and m.group(1) == "I" and _mostly_upper(m.group(2)))
    )


def split_layout(
    lines: Sequence[str], header: Header, kind: str
) -> tuple[list[str], list[str], list[str]]:
    """Preamble, body and closing lines, after the header, title and subject.

    Raises:
        IngestError: when no article (Quy định) or section "1." (Hướng dẫn) is found.
    """
    start = 0
    if header.title_index is not None:
        start = _subject(lines, header.title_index + 1, kind)[1]
    body_start = next((i for i in range(start, len(lines)) if _is_body_start(lines[i], kind)), None)
    if body_start is None:
        expected = "mục '1.'" if kind == "Hướng dẫn" else "'Chương I' hoặc 'Điều 1.'"
        raise IngestError(
            IngestFailure.NO_LAYOUT,
            f"Không nhận ra bố cục {kind.lower()} trong tệp: không thấy {expected}. Cách sửa: "
            "kiểm tra tệp có đúng là văn bản chính thức (có phần đầu, tên văn bản và các điều "
            "hoặc mục đánh số) không.",
        )
    closing_start = next(
        (i for i in range(body_start, len(lines)) if CLOSING_START.match(lines[i])), len(lines)
    )
    # Without a title line, the lines above the body are the header: no preamble to keep.
    head = lines[start:body_start] if header.title_index is not None else []
    preamble = [line for line in head if not SEPARATOR.match(line)]
    body = [line for line in lines[body_start:closing_start] if not SEPARATOR.match(line)]
    return preamble, body, list(lines[closing_start:])


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def _segments(line: str) -> list[str]:
    """The line and its tail after the last punctuation: a PDF puts the recipients column and
    the signature column on one line ("- Lưu Văn phòng Trung ương. Nguyễn Văn A")."""
    tail = re.split(r"[.,;:]\s+", line)[-1].strip()
    return [line, tail] if tail and tail != line else [line]


def read_closing(lines: Sequence[str]) -> Closing:
    """The signer is the last name-like line (the signature block ends with the name); the
    capacity lines ("T/M BỘ CHÍNH TRỊ", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC") say for whom."""
    capacity: list[str] = []
    signer, signer_line = None, -1
    for i, line in enumerate(lines):
        if m := SIGNER_CAPACITY.search(line):
            capacity.append(line[m.start(1) :])
            continue
        for segment in _segments(line):
            if _mostly_upper(segment) and not segment.startswith(("-", "Nơi nhận")):
                capacity.append(segment)
                break
            if _looks_like_name(segment):
                signer, signer_line = segment, i
                break
    ignored = len(lines) - signer_line - 1 if signer else 0
    return Closing(signer, tuple(capacity), ignored)


def unwrap(lines: Sequence[str]) -> list[str]:
    """Join the visual lines of a PDF back into paragraphs.

    A line continues the previous one when it starts in lower case, or when the previous line
    filled the width of the page (it is as long as the longest lines) without ending a
    sentence. Structural lines (Điều, khoản, tiết, bullets, the closing blocks) and
    all-capitals lines always stand alone; a heading only takes a lower-case continuation.
    """
    longest = sorted((len(line) for line in lines), reverse=True)[: max(3, len(lines) // 10)]
    full = longest[len(longest) // 2] if longest else 0
    out: list[str] = []
    last_visual = ""
    for line in lines:
        if out and _continues(last_visual, line, full):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        last_visual = line
    return out


def _starts_structure(line: str) -> bool:
    return bool(
        SRC_CHAPTER.match(line)
        or SRC_ARTICLE.match(line)
        or SRC_POINT.match(line)
        or SRC_CLAUSE.match(line)
        or SRC_SUBPOINT.match(line)
        or SRC_BULLET.match(line)
        or line.startswith("+")
        or CLOSING_START.match(line)
        or SEPARATOR.match(line)
        or _is_title_word(line)
    )


def _continues(previous: str, line: str, full: int) -> bool:
    if _starts_structure(line) or _mostly_upper(previous) or _mostly_upper(line):
        return False
    if previous.endswith(TERMINAL):
        return False
    if line[0].islower():
        return True
    heading = SRC_ARTICLE.match(previous) or SRC_CHAPTER.match(previous)
    return not heading and len(previous) >= 0.8 * full


# --- the outline: same attachment rules as knowledge/parser.py ---------------------------

# A number may skip at most this many siblings; a bigger jump is read as a number in the text.
MAX_GAP = 5
MAX_ARTICLE_GAP = 10
MAX_TIET_GAP = 3
MISSING_NOTE = (
    "văn bản chính thức đã nạp không có {label} (số thứ tự bị cách quãng); xin đối chiếu bản gốc."
)
EMPTY_NOTE = "văn bản chính thức đã nạp không có lời văn của {label}; xin đối chiếu bản gốc."


@dataclass
class _Part:
    """A provision while the official text is being read."""

    kind: ProvisionKind
    number: str
    parent: _Part | None
    title: str = ""
    lines: list[str] = field(default_factory=list)
    children: list[_Part] = field(default_factory=list)
    missing: bool = False  # a placeholder for a number the official text skips

    def count(self, kind: ProvisionKind) -> int:
        return sum(c.kind is kind for c in self.children)


def _own_label(part: _Part) -> str:
    return kind_label(part.kind, part.number) or "văn bản"


def _label(part: _Part) -> str:
    """Like the parser's label: articles are numbered through the document, so their chapter
    is left out."""
    chain = []
    node: _Part | None = part
    while node is not None and node.kind is not ProvisionKind.INFO:
        chain.append(node)
        node = node.parent
    chain.reverse()
    if any(n.kind is ProvisionKind.ARTICLE for n in chain):
        chain = [n for n in chain if n.kind is not ProvisionKind.CHAPTER]
    label = ", ".join(_own_label(n) for n in chain) or "Văn bản"
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class NumberingGap:
    """Numbers the official text skips among the children of one provision."""

    where: str  # "Điều 12" or "Văn bản"
    missing: tuple[str, ...]  # ("khoản 2",)
    found: str  # the number met instead, "khoản 3"

    def __str__(self) -> str:
        return f"{self.where}: thiếu {', '.join(self.missing)} (gặp {self.found})"


class _Outline:
    """Reads body lines into parts, deciding which numbered lines are provisions."""

    def __init__(self, kind: str, wrapped: bool):
        self.guide = kind == "Hướng dẫn"
        self.wrapped = wrapped
        self.root = _Part(ProvisionKind.INFO, "", None)
        self.level2: _Part | None = None
        self.level3: _Part | None = None
        self.clause: _Part | None = None
        self.point: _Part | None = None
        self.subpoint: _Part | None = None
        self.last_article = 0
        self.title_open: _Part | None = None  # a heading whose title may go on
        self.gaps: list[NumberingGap] = []
        self.warnings: list[str] = []

    @property
    def current(self) -> _Part:
        for part in (self.subpoint, self.point, self.clause, self.level3, self.level2):
            if part is not None:
                return part
        return self.root

    def read(self, lines: Sequence[str]) -> _Part:
        for i, line in enumerate(lines):
            self._line(line, lines[i + 1 : i + 80])
        return self.root

    def _line(self, line: str, ahead: Sequence[str]) -> None:
        if not self.guide:
            if (m := SRC_CHAPTER.match(line)) and self._chapter(m.group(1), m.group(2)):
                return
            m = SRC_ROMAN_PART.match(line)
            if m and _mostly_upper(m.group(2)) and self._chapter(m.group(1), m.group(2)):
                self._note_roman_parts()
                return
            if (m := SRC_ARTICLE.match(line)) and self._article(int(m.group(1)), m.group(2)):
                return
        if m := SRC_POINT.match(line):
            major, minor, rest = int(m.group(1)), int(m.group(2)), m.group(3) or ""
            if self._numbered_pair(major, minor, rest):
                return
        if m := SRC_CLAUSE.match(line):
            number, rest = int(m.group(1)), m.group(2) or ""
            if self.guide and self._section(number, rest, ahead):
                return
            if self._clause(number, rest):
                return
        if (m := SRC_SUBPOINT.match(line)) and self._subpoint(m.group(1), m.group(2)):
            return
        self._text(line)

    def _numbered_pair(self, major: int, minor: int, rest: str) -> bool:
        """An "n.m." line: a point of khoản n, or (in a Hướng dẫn) subsection n.m.

        The reading whose number comes next wins; a reading that skips numbers comes last.
        """
        if self._point(major, minor, rest, gap=False):
            return True
        if self.guide and self._subsection(major, minor, rest, gap=False):
            return True
        if self._point(major, minor, rest, gap=True):
            return True
        return self.guide and self._subsection(major, minor, rest, gap=True)

    # -- numbering ------------------------------------------------------------------------

    @staticmethod
    def _fits(expected: int, found: int, max_gap: int) -> bool:
        """The next number, or a jump forward of at most `max_gap`."""
        return found == expected or expected < found <= expected + max_gap

    def _open(self, part: _Part, skipped: list[str]) -> None:
        """Attach `part`, after placeholders for the numbers the text skips: the format wants
        continuous numbering, and the placeholders show the gap to every reader."""
        parent = part.parent
        assert parent is not None
        for number in skipped:
            parent.children.append(_Part(part.kind, number, parent, missing=True))
        if skipped:
            missing = tuple(_own_label(_Part(part.kind, n, None)) for n in skipped)
            self.gaps.append(NumberingGap(_label(parent), missing, _own_label(part)))
        parent.children.append(part)

    # -- headings -------------------------------------------------------------------------

    def _heading(self, part: _Part, skipped: list[str]) -> None:
        self._open(part, skipped)
        if part.kind in (ProvisionKind.CHAPTER, ProvisionKind.SECTION):
            self.level2, self.level3 = part, None
        else:
            self.level3 = part
        self.clause = self.point = self.subpoint = None
        self.title_open = part

    def _chapter(self, roman: str, title: str) -> bool:
        number = roman_to_int(roman)
        expected = self.root.count(ProvisionKind.CHAPTER) + 1
        if number is None or not self._fits(expected, number, MAX_GAP):
            return False
        part = _Part(ProvisionKind.CHAPTER, roman, self.root, title=title.strip())
        self._heading(part, [ROMAN[n - 1] for n in range(expected, number)])
        return True

    def _note_roman_parts(self) -> None:
        """Parts "I-", "II-" are written as chapters: the format keeps an article's id free of
        its chapter (…/dieu-n), while a "## Mục I." would scope it (…/muc-i/dieu-n)."""
        note = (
            "Các phần đánh số La Mã (I-, II-…) được ghi thành chương (## Chương) để mã điều "
            "không phụ thuộc phần (…/dieu-n); tên từng phần được giữ."
        )
        if note not in self.warnings:
            self.warnings.append(note)

    def _article(self, number: int, title: str | None) -> bool:
        expected = self.last_article + 1
        if not self._fits(expected, number, MAX_ARTICLE_GAP):
            return False
        parent = self.level2 or self.root
        part = _Part(ProvisionKind.ARTICLE, str(number), parent, title=(title or "").strip())
        self._heading(part, [str(n) for n in range(expected, number)])
        self.last_article = number
        return True

    def _section(self, number: int, title: str, ahead: Sequence[str]) -> bool:
        """In a Hướng dẫn, is this "n." line a section heading or a clause?

        A section when it is the next section number and: no section is open yet, its title
        is in capitals, the next numbered line is "n.1.", or it cannot be the next clause.
        """
        expected = self.root.count(ProvisionKind.SECTION) + 1
        strong = _mostly_upper(title) or _next_numbered(ahead) == (number, 1)
        if self.level2 is None:
            is_section = self._fits(expected, number, MAX_GAP)
        elif number == expected:
            holder = self.level3 or self.level2
            is_section = strong or holder.count(ProvisionKind.CLAUSE) != number - 1
        else:
            is_section = strong and self._fits(expected, number, MAX_GAP)
        if is_section:
            part = _Part(ProvisionKind.SECTION, str(number), self.root, title=title.strip())
            self._heading(part, [str(n) for n in range(expected, number)])
        return is_section

    def _subsection(self, major: int, minor: int, title: str, gap: bool) -> bool:
        section = self.level2
        if section is None or section.number != str(major):
            return False
        expected = section.count(ProvisionKind.SUBSECTION) + 1
        if not self._fits(expected, minor, MAX_GAP if gap else 0):
            return False
        part = _Part(ProvisionKind.SUBSECTION, f"{major}.{minor}", section, title=title.strip())
        self._heading(part, [f"{major}.{n}" for n in range(expected, minor)])
        return True

    # -- khoản, điểm, tiết ----------------------------------------------------------------

    def _clause(self, number: int, text: str) -> bool:
        parent = self.level3 or self.level2
        if parent is None:
            return False
        siblings = parent.count(ProvisionKind.CLAUSE)
        # Right under a heading, a numbered line can only be a clause: accept any jump.
        first = siblings == 0 and not parent.lines
        if not (first and number > 0) and not self._fits(siblings + 1, number, MAX_GAP):
            return False
        part = _Part(ProvisionKind.CLAUSE, str(number), parent, lines=_first_line(text))
        self._open(part, [str(n) for n in range(siblings + 1, number)])
        self.clause, self.point, self.subpoint = part, None, None
        self.title_open = None
        return True

    def _point(self, major: int, minor: int, text: str, gap: bool) -> bool:
        clause = self.clause
        if clause is None or clause.number != str(major):
            return False
        siblings = clause.count(ProvisionKind.POINT)
        if not self._fits(siblings + 1, minor, MAX_GAP if gap else 0):
            return False
        part = _Part(ProvisionKind.POINT, f"{major}.{minor}", clause, lines=_first_line(text))
        self._open(part, [f"{major}.{n}" for n in range(siblings + 1, minor)])
        self.point, self.subpoint = part, None
        self.title_open = None
        return True

    def _subpoint(self, letter: str, text: str) -> bool:
        parent = self.point or self.clause or self.level3 or self.level2
        if parent is None or letter not in TIET_LETTERS:
            return False
        siblings = parent.count(ProvisionKind.SUBPOINT)
        if not self._fits(siblings, TIET_LETTERS.index(letter), MAX_TIET_GAP):
            return False
        part = _Part(ProvisionKind.SUBPOINT, letter, parent, lines=_first_line(text))
        self._open(part, list(TIET_LETTERS[siblings : TIET_LETTERS.index(letter)]))
        self.subpoint = part
        self.title_open = None
        return True

    # -- text -----------------------------------------------------------------------------

    def _text(self, line: str) -> None:
        part = self.current
        if part is self.root:  # split_layout starts the body at a heading; kept safe
            self.warnings.append(f"Bỏ qua dòng nằm trước điều/mục đầu tiên: '{line[:60]}'.")
            return
        if self._continues_title(part, line):
            return
        if m := SRC_BULLET.match(line):
            line = f"- {m.group(1)}"
        if _read_as_structure(line):
            self._numbered_text(part, line)
        elif self.wrapped and part.lines and _continues_paragraph(part.lines[-1], line):
            part.lines[-1] = f"{part.lines[-1]} {line}"
        else:
            part.lines.append(line)

    def _numbered_text(self, part: _Part, line: str) -> None:
        """A numbered line that does not fit the numbering stays text, but joined to the line
        before: on a line of its own the canonical format would read it as a provision."""
        if part.lines:
            part.lines[-1] = f"{part.lines[-1]} {line}"
        elif part.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT):
            part.lines.append(line)  # rendered after the part's own number: safe
        else:
            part.title = f"{part.title} {line}".strip()
            self.warnings.append(
                f"Dòng '{line[:60]}' không khớp số thứ tự nên được ghép vào tiêu đề "
                f"{_label(part)}; xin kiểm tra lại."
            )

    def _continues_title(self, part: _Part, line: str) -> bool:
        """A chapter's title on the line under "Chương I", a title in capitals over two lines,
        or (PDF) a title cut by the page width."""
        if self.title_open is not part or part.lines or part.children:
            self.title_open = None
            return False
        outline_kinds = (ProvisionKind.CHAPTER, ProvisionKind.SECTION)
        if part.kind in outline_kinds and not part.title and not _read_as_structure(line):
            part.title = line
            return True
        if _mostly_upper(part.title) and _mostly_upper(line) and not _read_as_structure(line):
            part.title = f"{part.title} {line}"
            return True
        if self.wrapped and line[:1].islower() and not part.title.endswith(TERMINAL):
            part.title = f"{part.title} {line}".strip()
            return True
        self.title_open = None
        return False


def _first_line(text: str | None) -> list[str]:
    return [text.strip()] if text and text.strip() else []


def _continues_paragraph(previous: str, line: str) -> bool:
    """After `unwrap`, a lower-case start still continues a paragraph cut by a page break."""
    return line[:1].islower() and not previous.endswith(TERMINAL)


def _read_as_structure(line: str) -> bool:
    """Would the canonical parser read this text line as a provision or a marker?"""
    return bool(
        CLAUSE.match(line)
        or POINT.match(line)
        or SUBPOINT.match(line)
        or line.startswith(("#", ">", "<!--"))
    )


def _next_numbered(ahead: Sequence[str]) -> tuple[int, int] | None:
    """The number of the next numbered line: (n, m) for "n.m.", (n, 0) for "n."."""
    for line in ahead:
        if m := SRC_POINT.match(line):
            return int(m.group(1)), int(m.group(2))
        if m := SRC_CLAUSE.match(line):
            return int(m.group(1)), 0
    return None


# --- rendering the canonical Markdown -----------------------------------------------------


def _render_part(part: _Part, out: list[str], warnings: list[str]) -> None:
    number, title = part.number, _sentence_case(part.title)
    match part.kind:
        case ProvisionKind.CHAPTER:
            out += ["", f"## Chương {number}." + (f" {title}" if title else "")]
        case ProvisionKind.SECTION:
            out += ["", f"## {number}." + (f" {title}" if title else "")]
        case ProvisionKind.ARTICLE:
            out += ["", f"### Điều {number}." + (f" {title}" if title else "")]
        case ProvisionKind.SUBSECTION:
            out += ["", f"### {number}." + (f" {title}" if title else "")]
    lines = list(part.lines)
    if part.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT):
        marker = f"{number})" if part.kind is ProvisionKind.SUBPOINT else f"{number}."
        out.append(f"{marker} {lines.pop(0)}" if lines else marker)
    out += lines
    if part.missing:
        out.append("> Chưa có nội dung: " + MISSING_NOTE.format(label=_own_label(part)))
    elif not part.lines and not part.children:
        label = _label(part)
        out.append("> Chưa có nội dung: " + EMPTY_NOTE.format(label=label))
        warnings.append(f"{label} không có lời văn trong tệp đã nạp.")
    for child in part.children:
        _render_part(child, out, warnings)


class _PlainDumper(yaml.SafeDumper):
    """No YAML anchors: `signed` and `effective` are often the same date object."""

    def ignore_aliases(self, data) -> bool:
        return True


def render_markdown(meta: dict, preamble: Sequence[str], root: _Part) -> tuple[str, list[str]]:
    """Canonical Markdown of an official text, and warnings about empty provisions.

    The preamble (căn cứ …) is kept as comments: it is the document's text but not a
    provision, and the format has no place for text before the first heading.
    """
    front = yaml.dump(meta, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000)
    out = ["---", front.rstrip("\n"), "---", "", f"# {meta['kind']} {meta['number']}"]
    if preamble:
        out.append("")
        out += [f"<!-- Phần mở đầu: {line.replace('-->', '->')} -->" for line in preamble]
    warnings: list[str] = []
    for child in root.children:
        _render_part(child, out, warnings)
    return "\n".join(out) + "\n", warnings


# --- the document: which digest, what metadata ------------------------------------------


def load_digests(documents_dir: Path) -> dict[str, DocumentTree]:
    """The shipped digests, by id.

    Raises:
        KnowledgeError: when a digest cannot be parsed.
    """
    trees, problems = parse_files(document_files(documents_dir))
    if problems:
        raise KnowledgeError(problems)
    return {t.document.id: t for t in trees}


def resolve_document(
    header: Header, doc_id: str | None, digests: dict[str, DocumentTree], source: Path
) -> DocumentTree:
    """The digest the official text belongs to: `doc_id` checked against the header, or the
    document found from the number and year in the header.

    Raises:
        IngestError: unknown document, no number to detect it from, or a number (or year)
            that does not match `doc_id`.
    """
    known = ", ".join(sorted(digests))
    if doc_id is not None:
        if doc_id not in digests:
            raise IngestError(
                IngestFailure.UNKNOWN_DOCUMENT,
                f"Mã văn bản '{doc_id}' không có trong bộ văn bản. Các mã hợp lệ: {known}.",
            )
        digest = digests[doc_id]
        document = digest.document
        if header.number and normalise_number(header.number) != normalise_number(document.number):
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.name} là văn bản số {header.number}, không phải {document.number} "
                f"({doc_id}). Cách sửa: kiểm tra lại tệp, hoặc bỏ --doc để tự nhận văn bản.",
            )
        if header.signed and header.signed.year != document.signed.year:
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.name} ghi ngày {header.signed:%d/%m/%Y}, nhưng {document.name} "
                f"({doc_id}) ký năm {document.signed.year}: có thể là văn bản cùng số của năm "
                "khác. Cách sửa: kiểm tra lại tệp.",
            )
        return digest
    if not header.number:
        raise IngestError(
            IngestFailure.NO_NUMBER,
            f"Không tìm thấy số hiệu (ví dụ 'Số 124-QĐ/TW') ở phần đầu tệp {source.name}. "
            f"Cách sửa: chỉ rõ văn bản bằng --doc <mã> (các mã: {known}).",
        )
    wanted = normalise_number(header.number)
    candidates = [t for t in digests.values() if normalise_number(t.document.number) == wanted]
    if header.signed:
        candidates = [t for t in candidates if t.document.signed.year == header.signed.year]
    if len(candidates) != 1:
        dated = f" ngày {header.signed:%d/%m/%Y}" if header.signed else ""
        reason = "có nhiều văn bản cùng số" if candidates else "không có trong bộ văn bản"
        raise IngestError(
            IngestFailure.UNKNOWN_DOCUMENT,
            f"Văn bản số {header.number}{dated} trong tệp {source.name} {reason}. Cách sửa: "
            f"chỉ nạp văn bản của bộ ({known}), hoặc chỉ rõ bằng --doc <mã>.",
        )
    return candidates[0]


def _effective(body: Sequence[str], signed: dt.date) -> dt.date | None:
    text = " ".join(body)
    if EFFECTIVE_ON_SIGNING.search(text):
        return signed
    if m := EFFECTIVE_ON_DATE.search(text):
        day, month, year = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day)
    return None


def _front_matter(
    digest: DocumentTree,
    kind: str,
    header: Header,
    closing: Closing,
    effective: dt.date | None,
    structure: str,
) -> dict:
    """The official file's front matter: validity information from the digest, what the
    official text itself states (title, signer, dates) from the text."""
    d = digest.document
    subject = header.subject
    meta: dict = {
        "id": d.id,
        "number": d.number,
        "kind": kind,
        # "QUY ĐỊNH" + "về kiểm điểm …" reads as the digest's "Quy định về kiểm điểm …".
        "title": f"{kind} {subject[:1].lower()}{subject[1:]}" if subject else d.title,
        "issuer": d.issuer,
        "signer": closing.signer or d.signer,
        "signed": header.signed or d.signed,
        "effective": effective or d.effective,
        "status": d.status.value,
    }
    if d.replaced_by:
        rb = d.replaced_by
        meta["replaced_by"] = {"id": rb.id, "number": rb.number, "date": rb.date}
    if d.replaces:
        meta["replaces"] = d.replaces
    meta["applies_to"] = d.applies_to
    if d.status_note:
        meta["status_note"] = d.status_note
    meta["structure"] = structure
    meta["text"] = TextKind.OFFICIAL.value
    return meta


# --- the whole conversion -----------------------------------------------------------------


@dataclass(frozen=True)
class OfficialText:
    """An official text converted and checked by the parser, not yet written."""

    digest: DocumentTree
    tree: DocumentTree  # parsed from `markdown`; its document's path is where it goes
    markdown: str
    source: SourceText
    closing: Closing
    gaps: tuple[NumberingGap, ...]
    units_found: int  # articles (sections) met in the text, placeholders not counted
    chapters_found: int
    warnings: tuple[str, ...]

    @property
    def path(self) -> Path:
        return self.tree.document.path


def convert(
    source: SourceText,
    doc_id: str | None,
    digests: dict[str, DocumentTree],
    official_dir: Path,
) -> OfficialText:
    """Recognise the layout of `source` and render it as a checked canonical document.

    Args:
        source: the file read to lines.
        doc_id: the document it must be, or None to detect it from the header.
        digests: the shipped digests by id (validity information is copied from them).
        official_dir: the folder the file is meant for (named in the parsed tree).

    Raises:
        IngestError: the document cannot be identified or recognised, or the result does not
            parse.
    """
    lines = unwrap(source.lines) if source.wrapped else list(source.lines)
    header = read_header(lines)
    digest = resolve_document(header, doc_id, digests, source.path)
    document = digest.document
    if header.kind and header.kind != document.kind:
        raise IngestError(
            IngestFailure.NUMBER_MISMATCH,
            f"Tệp {source.path.name} là {header.kind.lower()}, nhưng {document.id} là "
            f"{document.kind.lower()}. Cách sửa: kiểm tra lại tệp hoặc mã --doc.",
        )
    kind = header.kind or document.kind
    preamble, body, closing_lines = split_layout(lines, header, kind)
    closing = read_closing(closing_lines)
    outline = _Outline(kind, source.wrapped)
    root = outline.read(body)
    effective = _effective(body, header.signed or document.signed)
    meta = _front_matter(digest, kind, header, closing, effective, _structure(root, outline.guide))
    markdown, empty = render_markdown(meta, preamble, root)
    target = official_dir / f"{document.id}.md"
    try:
        tree = parse_text(markdown, target)
    except KnowledgeError as exc:
        details = "; ".join(f"dòng {p.line}: {p.message}" for p in exc.problems[:5])
        raise IngestError(
            IngestFailure.INVALID_RESULT,
            f"Không tạo được bản chuẩn hợp lệ từ tệp {source.path.name} ({details}); chưa ghi "
            "gì. Cách sửa: kiểm tra số thứ tự điều, khoản, điểm, tiết trong tệp, hoặc báo lỗi "
            "này kèm tệp.",
        ) from None
    unit_kind = ProvisionKind.SECTION if outline.guide else ProvisionKind.ARTICLE
    warnings = [
        *source.warnings,
        *outline.warnings,
        *empty,
        *_metadata_warnings(header, closing, document),
    ]
    return OfficialText(
        digest=digest,
        tree=tree,
        markdown=markdown,
        source=source,
        closing=closing,
        gaps=tuple(outline.gaps),
        units_found=_count(root, unit_kind),
        chapters_found=_count(root, ProvisionKind.CHAPTER),
        warnings=tuple(warnings),
    )


def _count(root: _Part, kind: ProvisionKind, placeholders: bool = False) -> int:
    stack, total = list(root.children), 0
    while stack:
        part = stack.pop()
        total += part.kind is kind and (placeholders or not part.missing)
        stack.extend(part.children)
    return total


def _structure(root: _Part, guide: bool) -> str:
    """The front matter's one line on the layout, e.g. "4 chương, 19 điều"."""
    if guide:
        return f"{_count(root, ProvisionKind.SECTION, True)} mục"
    chapters = _count(root, ProvisionKind.CHAPTER, True)
    articles = _count(root, ProvisionKind.ARTICLE, True)
    return (f"{chapters} chương, " if chapters else "") + f"{articles} điều"


def _metadata_warnings(header: Header, closing: Closing, document: Document) -> list[str]:
    warnings = []
    if header.number is None:
        warnings.append("Không thấy số hiệu ở phần đầu tệp; văn bản được xác định theo --doc.")
    if header.signed is None:
        warnings.append(
            f"Không thấy ngày ký ở phần đầu tệp; giữ ngày {document.signed:%d/%m/%Y} "
            "của bản tóm lược."
        )
    elif header.signed != document.signed:
        warnings.append(
            f"Ngày ký trong tệp ({header.signed:%d/%m/%Y}) khác bản tóm lược "
            f"({document.signed:%d/%m/%Y}); bản chính thức dùng ngày trong tệp."
        )
    if closing.signer is None:
        warnings.append("Không thấy tên người ký ở cuối tệp; giữ theo bản tóm lược.")
    elif document.signer and closing.signer != document.signer:
        warnings.append(
            f"Người ký trong tệp ({closing.signer}) khác bản tóm lược ({document.signer})."
        )
    if closing.ignored_after_signer:
        warnings.append(
            f"Bỏ qua {closing.ignored_after_signer} dòng sau chữ ký (phụ lục, mẫu biểu…): "
            "chúng không được nạp thành quy định."
        )
    return warnings


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestReport:
    """What was loaded and how it compares with the digest of the same document."""

    doc_id: str
    number: str
    kind: str
    source: Path
    source_format: str
    path: Path  # the official file written
    replaced_existing: bool  # an earlier official file of this document was replaced
    unit_word: str  # "điều" or "mục"
    units: int  # articles (sections) found in the text, placeholders not counted
    chapters: int
    provisions: int  # every provision of the official file, the info block excluded
    gaps: tuple[NumberingGap, ...]
    missing_from_official: tuple[str, ...]  # digest ids without a counterpart
    new_in_official: tuple[str, ...]  # official ids the digest does not have
    renumbered: bool  # the digest used section/ordinal ids because article numbers were unknown
    signer: str | None
    signer_capacity: tuple[str, ...]
    signed: dt.date
    effective: dt.date | None
    warnings: tuple[str, ...]


def compare_ids(digest: DocumentTree, official: DocumentTree) -> tuple[list[str], list[str]]:
    """Digest ids missing from the official text, and official ids new to the digest, each in
    reading order (the generated info block is left out: both have it)."""
    digest_ids = [p.id for p in digest.provisions if p.kind is not ProvisionKind.INFO]
    official_ids = [p.id for p in official.provisions if p.kind is not ProvisionKind.INFO]
    in_digest, in_official = set(digest_ids), set(official_ids)
    return (
        [i for i in digest_ids if i not in in_official],
        [i for i in official_ids if i not in in_digest],
    )


# Ids a digest makes from sections and ordinals when it does not know the article numbers.
ORDINAL_SEGMENTS = re.compile(r"/(muc-[ivx]+|nhiem-vu-\d+|quan-he-\d+|noi-dung-\d+)(/|$)")


def build_report(official: OfficialText, replaced_existing: bool = False) -> IngestReport:
    """Compare an official text with its digest and collect what the user must know."""
    missing, new = compare_ids(official.digest, official.tree)
    document = official.tree.document
    guide = document.kind == "Hướng dẫn"
    return IngestReport(
        doc_id=document.id,
        number=document.number,
        kind=document.kind,
        source=official.source.path,
        source_format=official.source.format,
        path=official.path,
        replaced_existing=replaced_existing,
        unit_word="mục" if guide else "điều",
        units=official.units_found,
        chapters=official.chapters_found,
        provisions=sum(p.kind is not ProvisionKind.INFO for p in official.tree.provisions),
        gaps=official.gaps,
        missing_from_official=tuple(missing),
        new_in_official=tuple(new),
        renumbered=any(ORDINAL_SEGMENTS.search(i) for i in missing),
        signer=official.closing.signer,
        signer_capacity=official.closing.capacity,
        signed=document.signed,
        effective=document.effective,
        warnings=official.warnings,
    )


# How many new ids to print: a full official text adds hundreds of khoản/điểm to a digest.
MAX_NEW_IDS_SHOWN = 30


def format_report(report: IngestReport) -> str:
    """The report printed after `quydinh ingest`, in Vietnamese."""
    r = report
    fmt = FORMAT_NAMES.get(r.source_format, r.source_format)
    lines = [f"Đã nạp {r.kind} {r.number} ({r.doc_id}) từ tệp {r.source.name} ({fmt})."]
    signer = r.signer or "không thấy trong tệp"
    if r.signer and r.signer_capacity:
        signer += f" ({', '.join(r.signer_capacity)})"
    effective = f"{r.effective:%d/%m/%Y}" if r.effective else "chưa xác minh"
    lines.append(f"Người ký: {signer}; ngày ký: {r.signed:%d/%m/%Y}; hiệu lực từ: {effective}.")
    found = f"{r.chapters} chương, " if r.chapters else ""
    lines.append(f"Tìm thấy: {found}{r.units} {r.unit_word}; tổng cộng {r.provisions} quy định.")
    if r.gaps:
        lines.append(f"Số thứ tự bị cách quãng trong văn bản chính thức ({len(r.gaps)} chỗ):")
        lines += [f"  - {gap}" for gap in r.gaps]
        lines.append(
            "  Số bị thiếu được giữ chỗ với dấu 'Chưa có nội dung'; xin đối chiếu bản gốc."
        )
    else:
        lines.append("Số thứ tự: liên tục, không có chỗ cách quãng.")
    if r.missing_from_official:
        lines.append(
            "Có trong bản tóm lược nhưng không có trong văn bản chính thức "
            f"({len(r.missing_from_official)} mã):"
        )
        lines += [f"  - {i}" for i in r.missing_from_official]
        if r.renumbered:
            lines.append(
                "  Bản tóm lược đánh mã theo mục và số thứ tự nội dung vì chưa biết số điều; "
                f"văn bản chính thức dùng số điều thật ({r.doc_id}/dieu-n), nên các mã trên "
                "không có mã tương ứng. Điều này là dự kiến; trích dẫn, câu hỏi đánh giá và "
                "phản hồi còn dùng các mã này cần chuyển sang mã điều."
            )
    else:
        lines.append("Mọi mã của bản tóm lược đều có trong văn bản chính thức.")
    if r.new_in_official:
        lines.append(
            "Có trong văn bản chính thức nhưng không có trong bản tóm lược "
            f"({len(r.new_in_official)} mã):"
        )
        lines += [f"  - {i}" for i in r.new_in_official[:MAX_NEW_IDS_SHOWN]]
        if len(r.new_in_official) > MAX_NEW_IDS_SHOWN:
            lines.append(f"  … và {len(r.new_in_official) - MAX_NEW_IDS_SHOWN} mã khác.")
    lines += [f"Lưu ý: {warning}" for warning in r.warnings]
    replaced = " (thay bản chính thức đã nạp trước đó)" if r.replaced_existing else ""
    lines.append(f"Đã ghi: {r.path}{replaced}. Bản tóm lược đi kèm giữ nguyên.")
    return "\n".join(lines)


# --- writing ------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder renamed over `path`, so a reader
    never sees half a file. The temporary name does not end in .md: an interrupted write is
    never loaded as a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ingest_file(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
) -> IngestReport:
    """Load an official text into `official_dir/<id>.md` and report on it.

    Nothing is written unless the whole text was read, identified and parsed without problems;
    the shipped digests are only read.

    Args:
        source: a .pdf, .docx, .html/.htm or .txt file.
        doc_id: the document it must be (e.g. "qd-124-2023"); None to detect it from the number
            and date in the header.
        official_dir: the user's folder of official texts (Settings().official_path).
        documents_dir: the shipped digests, whose validity information is kept.

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    text = read_source(source)
    official = convert(text, doc_id, load_digests(documents_dir), official_dir)
    replaced = official.path.exists()
    write_atomically(official.path, official.markdown)
    return build_report(official, replaced)
