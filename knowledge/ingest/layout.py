"""The official layout: header (number, date, title), preamble, body and closing blocks."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.grammar import (
    CLOSING_START,
    DATE_RE,
    NUMBER_RE,
    PREAMBLE_START,
    SEPARATOR,
    SIGNER_CAPACITY,
    SRC_ARTICLE,
    SRC_BULLET,
    SRC_CHAPTER,
    SRC_CLAUSE,
    SRC_POINT,
    SRC_ROMAN_PART,
    SRC_SUBPOINT,
    TERMINAL,
    TITLE_WORDS,
    is_title_word,
    mostly_upper,
    sentence_case,
    squash,
)
from knowledge.registry import uses_sections


@dataclass(frozen=True)
class Header:
    """What the header block of an official text says about the document."""

    number: str | None  # "124-QĐ/TW", normalised
    signed: dt.date | None
    kind: str | None  # "Quy định", "Hướng dẫn", "Kết luận"…, from the title line
    subject: str | None  # "về kiểm điểm và …", the line(s) under the title
    title_index: int | None  # line of the title word
    # The issuing organ's lines of the letterhead, top down ("ĐẢNG BỘ TỈNH ĐỒNG NAI", "BAN TỔ
    # CHỨC TỈNH ỦY"), without "ĐẢNG CỘNG SẢN VIỆT NAM"; and the place of the date line.
    organs: tuple[str, ...] = ()
    place: str | None = None


@dataclass(frozen=True)
class Closing:
    """The "Nơi nhận" and signature blocks: metadata, not content."""

    signer: str | None
    capacity: tuple[str, ...]  # "T/M BỘ CHÍNH TRỊ", "THƯỜNG TRỰC BAN BÍ THƯ"
    ignored_after_signer: int  # lines after the signer's name (annexes, forms)


# The number and date sit in the few lines above the title word.
HEADER_LINES = 12


def read_header(lines: Sequence[str]) -> Header:
    """Number, date and title word of the document.

    The title is the first "QUY ĐỊNH"/"HƯỚNG DẪN" line with a number ("Số …") in the lines
    just above it, so that a web page's menus before the document are passed over; without
    such a line, the first title word, or none and the first lines as the header.
    """
    titles = [i for i, line in enumerate(lines) if is_title_word(line)]
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
    organs: list[str] = []
    place = None
    for line in head:
        if number is None and (m := NUMBER_RE.search(line)):
            code = "QĐ" if m.group(2) in ("QĐ", "QD") else m.group(2)
            number = f"{m.group(1)}-{code}/{m.group(3).replace(' ', '')}"
        elif number is None and (organ := _organ(line)):
            organs.append(organ)
        if signed is None and (m := DATE_RE.search(line)):
            with contextlib.suppress(ValueError):
                signed = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                place = _date_place(line[: m.start()])
    kind = subject = None
    if title_index is not None:
        kind = TITLE_WORDS[squash(lines[title_index]).rstrip(":")]
        subject = _subject(lines, title_index + 1, kind)[0] or None
    return Header(number, signed, kind, subject, title_index, tuple(organs), place)


LETTERHEAD = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", re.I)


def _organ(line: str) -> str | None:
    """A letterhead line naming the issuing organ (in capitals), without the party's name
    that a PDF or a scan may put on the same line."""
    text = LETTERHEAD.sub(" ", line).strip(" *-–")
    text = re.sub(r"\s+", " ", text)
    if len(text) < 4 or not mostly_upper(text) or is_title_word(text) or DATE_RE.search(text):
        return None
    return text


def _date_place(before: str) -> str | None:
    """ "Đồng Nai" from "Đồng Nai, ngày …" (the capitalised words just before the comma)."""
    words = before.rstrip().rstrip(",").split()
    place: list[str] = []
    for word in reversed(words):
        if not (word[:1].isupper() and (len(word) == 1 or word[1:].islower())):
            break
        place.insert(0, word)
    return " ".join(place[-4:]) or None


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
    return sentence_case(subject), i


def _is_body_start(line: str, kind: str) -> bool:
    if uses_sections(kind):
        return bool(re.match(r"^1\.(\s|$)", line))
    return bool(
        SRC_CHAPTER.match(line)
        or SRC_ARTICLE.match(line)
        or ((m := SRC_ROMAN_PART.match(line)) and m.group(1) == "I" and mostly_upper(m.group(2)))
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
        expected = "mục '1.'" if uses_sections(kind) else "'Chương I' hoặc 'Điều 1.'"
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
    the signature column on one line ("- Lưu Văn phòng Trung ương. Nguyễn Văn A"). OCR adds
    stray marks of the signature or the stamp before the name ("_ Nguyễn Văn A"): the tail
    starts at its first letter."""
    tail = re.split(r"[.,;:]\s+", line)[-1].strip()
    tail = re.sub(r"^[\W_]+", "", tail) if tail != line else tail
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
            if mostly_upper(segment) and not segment.startswith(("-", "Nơi nhận")):
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
        or is_title_word(line)
    )


def _continues(previous: str, line: str, full: int) -> bool:
    if _starts_structure(line) or mostly_upper(previous) or mostly_upper(line):
        return False
    if previous.endswith(TERMINAL):
        return False
    if line[0].islower():
        return True
    heading = SRC_ARTICLE.match(previous) or SRC_CHAPTER.match(previous)
    return not heading and len(previous) >= 0.8 * full
