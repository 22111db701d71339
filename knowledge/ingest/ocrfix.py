"""Accent errors of OCR fixed where the layout grammar leaves no doubt.

Tesseract often gets a Vietnamese diacritic wrong ("Diều", "Điểu", "khoàn", "tiêt", "Chuong",
"QUY ĐINH") and the layout is recognised by exact words, so one wrong accent on "Điều 5." loses
an article. A word is replaced by its canonical spelling only where the grammar expects that
word: the capitalised first word of a line followed by what must follow it ("Điều" then a
number and a full stop, "Chương" then a Roman numeral), a line that is nothing but a title word or a
letterhead line, or the date line of the header. Running text is never changed, so a quoted
"khoán" (a real word) or a typo in the official text stays as the scan has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.ingest.grammar import fold
from knowledge.parser import roman_to_int


def _no_repair(rest: str) -> str:
    return rest


_ROMAN_LOOKALIKE = re.compile(r"^(\s+)([IVXLClı1|í]+)(?=\s|[.:\-–]|$)")


def _repair_roman(rest: str) -> str:
    """A chapter's Roman numeral as OCR misreads it: "lII", "1V", "|I" → "III", "IV", "II".

    The look-alikes of I (l, 1, |, ı, í) are read as I, or dropped when they are stray marks
    before the numeral; whichever gives a numeral the format knows.
    """
    m = _ROMAN_LOOKALIKE.match(rest)
    if not m or roman_to_int(m.group(2)):
        return rest
    token = m.group(2)
    for candidate in (re.sub(r"[l1|ıí]", "I", token), re.sub(r"^[l1|ıí]+", "", token)):
        if roman_to_int(candidate):
            return m.group(1) + candidate + rest[m.end() :]
    return rest


_KIND_ABBREVIATION = re.compile(r"^(\s*:?\s*\d+\s*[-–]\s*)([QH])[ĐD]+(?=\s*/)")


def _repair_number(rest: str) -> str:
    """The kind in a number as OCR misreads it: "124-QĐĐ/TW", "25-HĐ/BTCTW"."""
    return _KIND_ABBREVIATION.sub(
        lambda m: m.group(1) + ("QĐ" if m.group(2) == "Q" else "HD"), rest, count=1
    )


@dataclass(frozen=True)
class _StartRule:
    """Canonical first word(s) of a line, what the grammar wants right after them, and how
    OCR errors in that part are repaired."""

    words: tuple[str, ...]
    follows: re.Pattern[str]
    repair: Callable[[str], str] = _no_repair


_START_RULES = (
    _StartRule(("Điều",), re.compile(r"^\s+\d+\s*[.:]")),
    _StartRule(("Chương",), re.compile(r"^\s+[IVXLC]+\b"), _repair_roman),
    _StartRule(("Mục",), re.compile(r"^\s+([IVXLC]+|\d+)\s*[.:\-–]")),
    _StartRule(("Phần",), re.compile(r"^\s+([IVXLC]+|\d+)\s*[.:\-–]")),
    _StartRule(("Khoản",), re.compile(r"^\s+\d+\s*[.:]")),
    _StartRule(("Điểm",), re.compile(r"^\s+(\d+(\.\d+)?|[a-zđ])\s*[.:)]")),
    _StartRule(("Tiết",), re.compile(r"^\s+[a-zđ]\s*[.:)]")),
    _StartRule(("Nơi", "nhận"), re.compile(r"^\s*:")),
    _StartRule(("Số",), re.compile(r"^\s*:?\s*\d+\s*[-–]\s*(QĐ|QD|HD|KL|CT)\s*/"), _repair_number),
)
# Lines that are nothing but one of these, in capitals: title words and the letterhead.
_WHOLE_LINES = (
    "QUY ĐỊNH",
    "HƯỚNG DẪN",
    "KẾT LUẬN",
    "CHỈ THỊ",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "BỘ CHÍNH TRỊ",
    "BAN BÍ THƯ",
    "BAN TỔ CHỨC",
    "NƠI NHẬN:",
)
_WHOLE_BY_FOLD = {fold(line).replace(" ", ""): line for line in _WHOLE_LINES}
# The header's date line: "Hà Nội, ngày 04 tháng 10 năm 2023" and nothing else.
_DATE_LINE = re.compile(
    r"^(?P<place>[^\d,]{2,40}),\s*(?P<d>\S+)\s+(?P<day>\d{1,2})\s+(?P<m>\S+)\s+(?P<month>\d{1,2})"
    r"\s+(?P<y>\S+)\s+(?P<year>\d{4})\s*\.?$"
)


def _cased(canonical: str, seen: str) -> str:
    """The canonical word in the case the scan has it: "ĐIỀU", "Điều" or "điều"."""
    if seen.isupper():
        return canonical.upper()
    if seen[:1].isupper():
        return canonical[:1].upper() + canonical[1:]
    return canonical[:1].lower() + canonical[1:]


def _fix_start(line: str) -> str:
    if not line[:1].isupper():  # a structural line starts with a capital; this one goes on
        return line
    for rule in _START_RULES:
        n = len(rule.words)
        parts = line.split(" ", n)
        if len(parts) < n:
            continue
        seen = parts[:n]
        rest = " " + parts[n] if len(parts) > n else ""
        last = seen[-1]
        colon = ""
        if last.endswith(":") and len(last) > 1:  # "nhận:" carries the colon
            seen[-1], colon = last[:-1], ":"
        if [fold(w) for w in seen] != [fold(w) for w in rule.words]:
            continue
        rest = rule.repair(rest)
        if not rule.follows.match(colon + rest):
            continue
        fixed = " ".join(_cased(c, s) for c, s in zip(rule.words, seen, strict=True))
        return fixed + colon + rest
    return line


def _fix_whole(line: str) -> str:
    if not line.isupper():
        return line
    return _WHOLE_BY_FOLD.get(fold(line).replace(" ", ""), line)


def _fix_date(line: str) -> str:
    m = _DATE_LINE.match(line)
    if not m or (fold(m["d"]), fold(m["m"]), fold(m["y"])) != ("ngay", "thang", "nam"):
        return line
    return f"{m['place']}, ngày {m['day']} tháng {m['month']} năm {m['year']}"


def fix_structural_words(lines: list[str]) -> tuple[list[str], int]:
    """Lines with OCR accent errors fixed at structural positions, and how many were fixed."""
    out: list[str] = []
    fixed = 0
    for line in lines:
        new = _fix_date(_fix_whole(_fix_start(line)))
        fixed += new != line
        out.append(new)
    return out, fixed
