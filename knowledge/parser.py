"""Parse the canonical document format (see knowledge/FORMAT.md) into a provision tree.

Every problem found is a `KnowledgeError` naming the file, the line and the fix; the parser
collects all of them for one file so that `quydinh check` can report them together.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.caveats import KINDS_HELP, MARKER, UnknownCaveatKind, parse_confidence
from knowledge.errors import KnowledgeError, Problem
from knowledge.front_matter import (  # noqa: F401 - DOC_ID_RE, URL_RE, read_text are re-exported
    DOC_ID_RE,
    URL_RE,
    document_from_meta,
    read_text,
    split_front_matter,
)
from knowledge.tree import Node as _Node
from knowledge.tree import finish, kind_label  # noqa: F401 - kind_label is re-exported
from knowledge.types import Coverage, Document, DocumentTree, Provision, ProvisionKind

# Vietnamese legal texts letter their tiết in the Vietnamese alphabet (no f, j, w, z).
TIET_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]

H2_CHAPTER = re.compile(r"^## Chương ([IVXLC]+)\.\s*(.*)$")
H2_SECTION_ROMAN = re.compile(r"^## Mục ([IVXLC]+)\.\s*(.*)$")
H2_ITEM = re.compile(r"^## Nội dung (\d+)\.\s*(.*)$")
H2_SECTION_NUM = re.compile(r"^## (\d+)\.\s*(.*)$")
H3_ARTICLE = re.compile(r"^### Điều (\d+)\.\s*(.*)$")
H3_ITEM = re.compile(r"^### (Nhiệm vụ|Quan hệ|Nội dung) (\d+)\.\s*(.*)$")
H3_SUBSECTION = re.compile(r"^### (\d+)\.(\d+)\.\s*(.*)$")
CLAUSE = re.compile(r"^(\d+)\.(?:\s+(.*))?$")
POINT = re.compile(r"^(\d+)\.(\d+)\.(?:\s+(.*))?$")
SUBPOINT = re.compile(r"^([a-zđ])\)(?:\s+(.*))?$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
QUOTE = re.compile(r"^>\s?(.*)$")
NOT_COVERED = re.compile(r"^Chưa có nội dung\s*:?\s*(.*)$")
PARTIAL = re.compile(r"^Chưa đầy đủ\s*:?\s*(.*)$")
NOTE = re.compile(r"^Ghi chú\s*:\s*(.*)$")
SOURCE = re.compile(r"^Nguồn\s*:\s*(.*)$")

# Kinds whose numbers may skip under `numbering: partial` (only some numbers are confirmed).
PARTIAL_KINDS = (ProvisionKind.SECTION, ProvisionKind.SUBSECTION)
# "[Tên mô tả]": a title (or a point's lead-in) that is the digest's own descriptive label.
DESCRIPTIVE = re.compile(r"^\[([^\]]+)\]:?\s*(.*)$")

ITEM_SLUGS = {"Nhiệm vụ": "nhiem-vu", "Quan hệ": "quan-he", "Nội dung": "noi-dung"}
ITEM_LABELS = {"Nhiệm vụ": "nhiệm vụ thứ", "Quan hệ": "quan hệ thứ", "Nội dung": "nội dung thứ"}


def split_title(text: str) -> tuple[str, bool]:
    """A heading's title, and whether it is a descriptive label ('[…]') rather than the
    document's confirmed title."""
    text = text.strip()
    m = DESCRIPTIVE.match(text)
    if m and not m.group(2):
        return m.group(1).strip(), True
    return text, False


def slug_letter(letter: str) -> str:
    return "dd" if letter == "đ" else letter


def roman_to_int(roman: str) -> int | None:
    return ROMAN.index(roman) + 1 if roman in ROMAN else None


def parse_file(path: Path) -> DocumentTree:
    """Parse one canonical document file.

    Raises:
        KnowledgeError: with every problem found, each naming file:line and a fix.
    """
    return parse_text(read_text(path), path)


def parse_text(raw: str, path: Path) -> DocumentTree:
    raw = raw.removeprefix("\ufeff")
    lines = raw.splitlines()
    meta, body_start = split_front_matter(lines, path)
    document = document_from_meta(meta, lines, path)
    provisions, problems = _parse_body(lines, body_start, document, path)
    if problems:
        raise KnowledgeError(problems)
    return DocumentTree(document=document, provisions=tuple(provisions))


# --- body ---------------------------------------------------------------------------------


class _Body:
    """State machine over the body lines."""

    def __init__(self, document: Document, path: Path):
        self.document = document
        self.path = path
        self.problems: list[Problem] = []
        self.root = _Node(ProvisionKind.INFO, "", "", document.id, 0, None)
        self.level2: _Node | None = None
        self.level3: _Node | None = None
        self.clause: _Node | None = None
        self.point: _Node | None = None
        self.subpoint: _Node | None = None
        self.last_article = 0
        self.last_level2: dict[str, int] = {}

    def problem(self, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, line, message, fix))

    @property
    def current(self) -> _Node:
        for node in (self.subpoint, self.point, self.clause, self.level3, self.level2):
            if node is not None:
                return node
        return self.root

    def _add(self, parent: _Node, node: _Node) -> _Node:
        parent.children.append(node)
        return node

    def _expect_next(self, parent: _Node, kind: ProvisionKind, number: str, line: int) -> None:
        """Numbering continuity among siblings of the same kind."""
        siblings = [c for c in parent.children if c.kind is kind]
        if kind is ProvisionKind.SUBPOINT:
            expected = TIET_LETTERS[len(siblings)] if len(siblings) < len(TIET_LETTERS) else "?"
            ok = number == expected
            shown, number = f"{expected})", f"{number})"
        elif kind is ProvisionKind.POINT or kind is ProvisionKind.SUBSECTION:
            prefix = parent.number
            expected = f"{prefix}.{len(siblings) + 1}"
            ok = number == expected
            shown, number = expected + ".", number + "."
        else:
            expected = str(len(siblings) + 1)
            ok = number == expected
            shown, number = expected + ".", number + "."
        if not ok and self.document.partial_numbering and kind in PARTIAL_KINDS:
            # Only some numbers are confirmed: a gap is allowed, going backwards is not.
            last = siblings[-1].number.split(".")[-1] if siblings else "0"
            ok = int(number.rstrip(".").split(".")[-1]) > int(last)
        if not ok:
            self.problem(
                line,
                f"số thứ tự không liên tục: gặp '{number}', chờ '{shown}'",
                "đánh số liên tục; chỗ chưa có nội dung vẫn giữ số với dòng "
                "'> Chưa có nội dung: …'",
            )

    def heading2(self, match: re.Match, kind: str, line: int) -> None:
        self.level3 = self.clause = self.point = self.subpoint = None
        if kind == "chapter":
            roman, title = match.group(1), match.group(2).strip()
            n = roman_to_int(roman)
            expected = self.last_level2.get("chapter", 0) + 1
            if n != expected:
                self.problem(
                    line,
                    f"số chương không liên tục: gặp 'Chương {roman}', chờ 'Chương "
                    f"{ROMAN[expected - 1] if expected <= len(ROMAN) else expected}'",
                    "đánh số chương liên tục bằng số La Mã",
                )
            self.last_level2["chapter"] = n or expected
            node = _Node(ProvisionKind.CHAPTER, roman, title, f"chuong-{roman.lower()}", line, None)
        elif kind == "section_roman":
            roman, title = match.group(1), match.group(2).strip()
            n = roman_to_int(roman)
            expected = self.last_level2.get("section", 0) + 1
            if n != expected:
                self.problem(
                    line,
                    f"số mục không liên tục: gặp 'Mục {roman}'",
                    "đánh số mục liên tục bằng số La Mã (I, II, III…)",
                )
            self.last_level2["section"] = n or expected
            node = _Node(ProvisionKind.SECTION, roman, title, f"muc-{roman.lower()}", line, None)
        elif kind == "item":
            number, title = match.group(1), match.group(2).strip()
            self._expect_next(self.root, ProvisionKind.ITEM, number, line)
            node = _Node(ProvisionKind.ITEM, number, title, f"noi-dung-{number}", line, None)
            node.label = f"Nội dung thứ {number}"
        else:
            number, title = match.group(1), match.group(2).strip()
            self._expect_next(self.root, ProvisionKind.SECTION, number, line)
            node = _Node(ProvisionKind.SECTION, number, title, f"muc-{number}", line, None)
        node.parent = self.root
        node.title, node.descriptive = split_title(node.title)
        self.level2 = self._add(self.root, node)

    def heading3(self, match: re.Match, kind: str, line: int) -> None:
        self.clause = self.point = self.subpoint = None
        parent = self.level2 or self.root
        if kind == "article":
            number, title = match.group(1), match.group(2).strip()
            if self.document.partial_numbering:
                continuous = int(number) > self.last_article
            else:
                continuous = int(number) == self.last_article + 1
            if not continuous:
                self.problem(
                    line,
                    f"số điều không liên tục: gặp 'Điều {number}', chờ 'Điều "
                    f"{self.last_article + 1}'",
                    "đánh số điều liên tục trong cả văn bản; điều chưa có nội dung vẫn giữ số "
                    "với dòng '> Chưa có nội dung: …' (nếu chỉ một số điều có số đã xác minh, "
                    "đặt 'numbering: partial' trong phần đầu)",
                )
            self.last_article = int(number)
            node = _Node(ProvisionKind.ARTICLE, number, title, f"dieu-{number}", line, parent)
        elif kind == "item":
            word, number, title = match.group(1), match.group(2), match.group(3).strip()
            siblings = [
                c
                for c in parent.children
                if c.kind is ProvisionKind.ITEM and c.segment.startswith(ITEM_SLUGS[word])
            ]
            if number != str(len(siblings) + 1):
                self.problem(
                    line,
                    f"số thứ tự không liên tục: gặp '{word} {number}', chờ '{word} "
                    f"{len(siblings) + 1}'",
                    "đánh số liên tục trong mục hoặc chương",
                )
            node = _Node(
                ProvisionKind.ITEM, number, title, f"{ITEM_SLUGS[word]}-{number}", line, parent
            )
            node.label = f"{ITEM_LABELS[word]} {number}"
        else:
            major, minor, title = match.group(1), match.group(2), match.group(3).strip()
            number = f"{major}.{minor}"
            if parent.kind is not ProvisionKind.SECTION or parent.number != major:
                self.problem(
                    line,
                    f"tiểu mục {number} không nằm trong mục {major}",
                    f"đặt '### {number}.' sau tiêu đề '## {major}.'",
                )
            else:
                self._expect_next(parent, ProvisionKind.SUBSECTION, number, line)
            node = _Node(ProvisionKind.SUBSECTION, number, title, f"muc-{number}", line, parent)
        node.title, node.descriptive = split_title(node.title)
        self.level3 = self._add(parent, node)

    def clause_line(self, match: re.Match, line: int) -> None:
        self.point = self.subpoint = None
        parent = self.level3 or self.level2
        if parent is None:
            self.problem(
                line,
                f"khoản '{match.group(1)}.' nằm ngoài mọi điều hoặc mục",
                "đặt khoản sau một tiêu đề '### Điều n.' (hoặc mục của Hướng dẫn)",
            )
            parent = self.root
        number = match.group(1)
        self._expect_next(parent, ProvisionKind.CLAUSE, number, line)
        node = _Node(ProvisionKind.CLAUSE, number, "", f"khoan-{number}", line, parent)
        _opening(node, match.group(2))
        self.clause = self._add(parent, node)

    def point_line(self, match: re.Match, line: int) -> None:
        self.subpoint = None
        number = f"{match.group(1)}.{match.group(2)}"
        parent = self.clause
        if parent is None or parent.number != match.group(1):
            self.problem(
                line,
                f"điểm {number} không nằm trong khoản {match.group(1)}",
                f"đặt điểm {number}. sau dòng khoản '{match.group(1)}.'",
            )
            parent = parent or self.current
        else:
            self._expect_next(parent, ProvisionKind.POINT, number, line)
        node = _Node(ProvisionKind.POINT, number, "", f"diem-{number}", line, parent)
        _opening(node, match.group(3))
        self.point = self._add(parent, node)

    def subpoint_line(self, match: re.Match, line: int) -> None:
        letter = match.group(1)
        parent = self.point or self.clause or self.level3 or self.level2
        if parent is None:
            self.problem(
                line,
                f"tiết '{letter})' nằm ngoài mọi điều hoặc mục",
                "đặt tiết sau một điểm, khoản hoặc điều",
            )
            parent = self.root
        self._expect_next(parent, ProvisionKind.SUBPOINT, letter, line)
        node = _Node(
            ProvisionKind.SUBPOINT, letter, "", f"tiet-{slug_letter(letter)}", line, parent
        )
        _opening(node, match.group(2))
        self.subpoint = self._add(parent, node)

    def quote_line(self, text: str, line: int) -> None:
        node = self.current
        if m := SOURCE.match(text):
            urls = [u.strip() for u in re.split(r"[,;\s]+", m.group(1)) if u.strip()]
            if not urls:
                self.problem(line, "dòng 'Nguồn:' không có URL", "viết '> Nguồn: https://…'")
            if all(URL_RE.match(u) for u in urls):
                node.sources.extend(urls)
            else:  # a source named in words, when its page shows no address
                node.sources.append(m.group(1).strip())
        elif m := NOT_COVERED.match(text):
            node.marker = Coverage.NONE
            node.marker_note = m.group(1).strip()
        elif m := PARTIAL.match(text):
            node.marker = Coverage.PARTIAL
            node.marker_note = m.group(1).strip()
        elif m := MARKER.match(text):
            try:
                node.caveat = parse_confidence(m.group(1))
            except UnknownCaveatKind as exc:
                self.problem(
                    line,
                    f"mức xác minh '{exc}' không có trong danh sách",
                    f"dùng một trong: {KINDS_HELP}; ghi chú (nếu có) viết sau dấu '—'",
                )
        elif m := NOTE.match(text):
            node.notes.append(m.group(1).strip())
        elif node.notes:
            node.notes[-1] += " " + text.strip()
        else:
            self.problem(
                line,
                "dòng trích dẫn '>' không rõ loại",
                "bắt đầu bằng '> Nguồn:', '> Chưa có nội dung:', '> Chưa đầy đủ:', "
                "'> Mức xác minh:' hoặc '> Ghi chú:'",
            )

    def text_line(self, text: str, line: int, bullet: bool) -> None:
        node = self.current
        if node is self.root:
            self.problem(
                line,
                "nội dung nằm trước tiêu đề đầu tiên",
                "đặt nội dung dưới một tiêu đề '## …' hoặc '### Điều n.'",
            )
            return
        node.lines.append(("- " if bullet else "") + text.strip())


def _opening(node: _Node, text: str | None) -> None:
    """The text on a khoản/điểm/tiết's own line; a leading '[…]' is a descriptive label."""
    if not text:
        return
    m = DESCRIPTIVE.match(text.strip())
    if m:
        node.title, node.descriptive = m.group(1).strip(), True
        text = m.group(2)
    if text and text.strip():
        node.lines.append(text.strip())


def _parse_body(
    lines: list[str], start: int, document: Document, path: Path
) -> tuple[list[Provision], list[Problem]]:
    body = _Body(document, path)
    for index in range(start, len(lines)):
        number = index + 1
        raw = lines[index].rstrip()
        stripped = raw.strip()
        if not stripped or stripped.startswith("<!--"):
            continue
        if stripped.startswith("# "):
            continue  # an optional document title line
        if stripped.startswith("##"):
            for pattern, kind, level in (
                (H2_CHAPTER, "chapter", 2),
                (H2_SECTION_ROMAN, "section_roman", 2),
                (H2_ITEM, "item", 2),
                (H2_SECTION_NUM, "section_num", 2),
                (H3_ARTICLE, "article", 3),
                (H3_ITEM, "item", 3),
                (H3_SUBSECTION, "subsection", 3),
            ):
                if m := pattern.match(stripped):
                    (body.heading2 if level == 2 else body.heading3)(m, kind, number)
                    break
            else:
                body.problem(
                    number,
                    f"tiêu đề không đúng định dạng: '{stripped[:60]}'",
                    "dùng '## Chương I.', '## Mục I.', '## 1.', '## Nội dung 1.', "
                    "'### Điều 1.', '### Nhiệm vụ 1.', '### 1.1.' (xem knowledge/FORMAT.md)",
                )
            continue
        if m := QUOTE.match(stripped):
            body.quote_line(m.group(1), number)
        elif m := POINT.match(stripped):
            body.point_line(m, number)
        elif m := CLAUSE.match(stripped):
            body.clause_line(m, number)
        elif m := SUBPOINT.match(stripped):
            body.subpoint_line(m, number)
        elif m := BULLET.match(stripped):
            body.text_line(m.group(1), number, bullet=True)
        else:
            body.text_line(stripped, number, bullet=False)
    if not body.root.children and not body.problems:
        body.problem(
            start + 1, "văn bản không có quy định nào", "thêm ít nhất một điều hoặc một mục"
        )
    provisions = finish(body.document, body.root, body.problem, body.problems)
    return provisions, body.problems
