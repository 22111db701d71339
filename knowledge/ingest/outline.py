"""The body read into an outline of provisions, with the attachment rules of the parser.

A numbered line becomes a provision only where its number fits (the next sibling, or a small
jump that is reported as a gap and kept as a placeholder); otherwise it stays text, so that
`Điều 12, khoản 4, điểm 4.3, tiết d` gets the id the digest already uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.ingest.grammar import (
    SRC_ARTICLE,
    SRC_BULLET,
    SRC_CHAPTER,
    SRC_CLAUSE,
    SRC_POINT,
    SRC_ROMAN_PART,
    SRC_SUBPOINT,
    TERMINAL,
    mostly_upper,
)
from knowledge.parser import CLAUSE, POINT, ROMAN, SUBPOINT, TIET_LETTERS, kind_label, roman_to_int
from knowledge.registry import uses_sections
from knowledge.types import ProvisionKind

MAX_GAP = 5
MAX_ARTICLE_GAP = 10
MAX_TIET_GAP = 3


@dataclass
class Part:
    """A provision while the official text is being read."""

    kind: ProvisionKind
    number: str
    parent: Part | None
    title: str = ""
    lines: list[str] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)
    missing: bool = False  # a placeholder for a number the official text skips

    def count(self, kind: ProvisionKind) -> int:
        return sum(c.kind is kind for c in self.children)


def own_label(part: Part) -> str:
    return kind_label(part.kind, part.number) or "văn bản"


def label_of(part: Part) -> str:
    """Like the parser's label: articles are numbered through the document, so their chapter
    is left out."""
    chain = []
    node: Part | None = part
    while node is not None and node.kind is not ProvisionKind.INFO:
        chain.append(node)
        node = node.parent
    chain.reverse()
    if any(n.kind is ProvisionKind.ARTICLE for n in chain):
        chain = [n for n in chain if n.kind is not ProvisionKind.CHAPTER]
    label = ", ".join(own_label(n) for n in chain) or "Văn bản"
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class NumberingGap:
    """Numbers the official text skips among the children of one provision."""

    where: str  # "Điều 12" or "Văn bản"
    missing: tuple[str, ...]  # ("khoản 2",)
    found: str  # the number met instead, "khoản 3"

    def __str__(self) -> str:
        return f"{self.where}: thiếu {', '.join(self.missing)} (gặp {self.found})"


class Outline:
    """Reads body lines into parts, deciding which numbered lines are provisions."""

    def __init__(self, kind: str, wrapped: bool, ocr: bool = False):
        self.guide = uses_sections(kind)
        # A Kết luận numbers its paragraphs ("1. Bộ Chính trị yêu cầu …"), a provincial
        # guide often its subsections: a numbered line that reads as a sentence is the
        # section's text, not its title.
        self.paragraphs = self.guide
        self.wrapped = wrapped
        self.ocr = ocr
        self.root = Part(ProvisionKind.INFO, "", None)
        self.level2: Part | None = None
        self.level3: Part | None = None
        self.clause: Part | None = None
        self.point: Part | None = None
        self.subpoint: Part | None = None
        self.last_article = 0
        self.title_open: Part | None = None  # a heading whose title may go on
        self.gaps: list[NumberingGap] = []
        self.warnings: list[str] = []

    @property
    def current(self) -> Part:
        for part in (self.subpoint, self.point, self.clause, self.level3, self.level2):
            if part is not None:
                return part
        return self.root

    def read(self, lines: Sequence[str]) -> Part:
        for i, line in enumerate(lines):
            self._line(line, lines[i + 1 : i + 80])
        return self.root

    def _line(self, line: str, ahead: Sequence[str]) -> None:
        if not self.guide:
            if (m := SRC_CHAPTER.match(line)) and self._chapter(m.group(1), m.group(2)):
                return
            m = SRC_ROMAN_PART.match(line)
            if m and mostly_upper(m.group(2)) and self._chapter(m.group(1), m.group(2)):
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

    def _open(self, part: Part, skipped: list[str]) -> None:
        """Attach `part`, after placeholders for the numbers the text skips: the format wants
        continuous numbering, and the placeholders show the gap to every reader."""
        parent = part.parent
        assert parent is not None
        for number in skipped:
            parent.children.append(Part(part.kind, number, parent, missing=True))
        if skipped:
            missing = tuple(own_label(Part(part.kind, n, None)) for n in skipped)
            self.gaps.append(NumberingGap(label_of(parent), missing, own_label(part)))
        parent.children.append(part)

    # -- headings -------------------------------------------------------------------------

    def _heading(self, part: Part, skipped: list[str]) -> None:
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
        part = Part(ProvisionKind.CHAPTER, roman, self.root, title=title.strip())
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
        part = Part(ProvisionKind.ARTICLE, str(number), parent, title=(title or "").strip())
        self._heading(part, [str(n) for n in range(expected, number)])
        self.last_article = number
        return True

    def _section(self, number: int, title: str, ahead: Sequence[str]) -> bool:
        """In a Hướng dẫn, is this "n." line a section heading or a clause?

        A section when it is the next section number and: no section is open yet, its title
        is in capitals, the next numbered line is "n.1.", or it cannot be the next clause.
        """
        expected = self.root.count(ProvisionKind.SECTION) + 1
        strong = mostly_upper(title) or _next_numbered(ahead) == (number, 1)
        if self.level2 is None:
            is_section = self._fits(expected, number, MAX_GAP)
        elif number == expected:
            holder = self.level3 or self.level2
            is_section = strong or holder.count(ProvisionKind.CLAUSE) != number - 1
        else:
            is_section = strong and self._fits(expected, number, MAX_GAP)
        if is_section:
            part = Part(ProvisionKind.SECTION, str(number), self.root, title=title.strip())
            if self.paragraphs and _is_sentence(title):
                part.title, part.lines = "", [title.strip()]
            self._heading(part, [str(n) for n in range(expected, number)])
            if part.lines:
                self.title_open = None
        return is_section

    def _subsection(self, major: int, minor: int, title: str, gap: bool) -> bool:
        section = self.level2
        if section is None or section.number != str(major):
            return False
        expected = section.count(ProvisionKind.SUBSECTION) + 1
        if not self._fits(expected, minor, MAX_GAP if gap else 0):
            return False
        part = Part(ProvisionKind.SUBSECTION, f"{major}.{minor}", section, title=title.strip())
        if self.paragraphs and _is_sentence(title):
            part.title, part.lines = "", [title.strip()]
        self._heading(part, [f"{major}.{n}" for n in range(expected, minor)])
        if part.lines:
            self.title_open = None
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
        part = Part(ProvisionKind.CLAUSE, str(number), parent, lines=_first_line(text))
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
        part = Part(ProvisionKind.POINT, f"{major}.{minor}", clause, lines=_first_line(text))
        self._open(part, [f"{major}.{n}" for n in range(siblings + 1, minor)])
        self.point, self.subpoint = part, None
        self.title_open = None
        return True

    def _subpoint(self, letter: str, text: str) -> bool:
        parent = self.point or self.clause or self.level3 or self.level2
        if parent is None or letter not in TIET_LETTERS:
            return False
        siblings = parent.count(ProvisionKind.SUBPOINT)
        # OCR reads "đ)" as "d)" when the stroke is faint; after tiết d only đ can follow.
        if self.ocr and letter == "d" and siblings == TIET_LETTERS.index("đ"):
            letter = "đ"
        if not self._fits(siblings, TIET_LETTERS.index(letter), MAX_TIET_GAP):
            return False
        part = Part(ProvisionKind.SUBPOINT, letter, parent, lines=_first_line(text))
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

    def _numbered_text(self, part: Part, line: str) -> None:
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
                f"{label_of(part)}; xin kiểm tra lại."
            )

    def _continues_title(self, part: Part, line: str) -> bool:
        """A chapter's title on the line under "Chương I", a title in capitals over two lines,
        or (PDF) a title cut by the page width."""
        if self.title_open is not part or part.lines or part.children:
            self.title_open = None
            return False
        outline_kinds = (ProvisionKind.CHAPTER, ProvisionKind.SECTION)
        if part.kind in outline_kinds and not part.title and not _read_as_structure(line):
            part.title = line
            return True
        if mostly_upper(part.title) and mostly_upper(line) and not _read_as_structure(line):
            part.title = f"{part.title} {line}"
            return True
        if self.wrapped and line[:1].islower() and not part.title.endswith(TERMINAL):
            part.title = f"{part.title} {line}".strip()
            return True
        self.title_open = None
        return False


def _is_sentence(text: str) -> bool:
    """A paragraph rather than a heading: it ends a sentence or runs long."""
    words = text.split()
    return len(words) > 20 or (len(words) >= 6 and text.rstrip().endswith(TERMINAL))


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
