"""Parse the canonical document format (see knowledge/FORMAT.md) into a provision tree.

Every problem found is a `KnowledgeError` naming the file, the line and the fix; the parser
collects all of them for one file so that `quydinh check` can report them together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.errors import KnowledgeError, Problem
from knowledge.types import (
    Coverage,
    Document,
    DocumentTree,
    Provision,
    ProvisionKind,
    ReplacedBy,
    Status,
    TextKind,
)

DOC_ID_RE = re.compile(r"^(qd|hd)-\d+-\d{4}$")
URL_RE = re.compile(r"^https?://\S+$")
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

ITEM_SLUGS = {"Nhiệm vụ": "nhiem-vu", "Quan hệ": "quan-he", "Nội dung": "noi-dung"}
ITEM_LABELS = {"Nhiệm vụ": "nhiệm vụ thứ", "Quan hệ": "quan hệ thứ", "Nội dung": "nội dung thứ"}

REQUIRED_FIELDS = (
    "id",
    "number",
    "kind",
    "title",
    "issuer",
    "signer",
    "signed",
    "effective",
    "status",
    "applies_to",
    "text",
)
OPTIONAL_FIELDS = (
    "replaced_by",
    "replaces",
    "status_note",
    "structure",
    "sources",
    "numbering",
)


@dataclass
class _Node:
    """A provision while it is being parsed."""

    kind: ProvisionKind
    number: str
    title: str
    segment: str | None  # id segment; None for nodes that stay out of the id (QĐ chapters)
    line: int
    parent: _Node | None
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marker: Coverage = Coverage.FULL
    marker_note: str = ""
    label: str = ""  # for ordinal items: "nhiệm vụ thứ 3"


def slug_letter(letter: str) -> str:
    return "dd" if letter == "đ" else letter


def roman_to_int(roman: str) -> int | None:
    return ROMAN.index(roman) + 1 if roman in ROMAN else None


def read_text(path: Path) -> str:
    """Read a file as UTF-8, naming the line of the first undecodable byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KnowledgeError(
            [
                Problem(
                    path,
                    line,
                    f"tệp không phải UTF-8 (byte 0x{data[exc.start]:02x} không giải mã được)",
                    "lưu lại tệp với mã hóa UTF-8 (ví dụ: iconv -f cp1258 -t utf-8)",
                )
            ]
        ) from None


def parse_file(path: Path) -> DocumentTree:
    """Parse one canonical document file.

    Raises:
        KnowledgeError: with every problem found, each naming file:line and a fix.
    """
    return parse_text(read_text(path), path)


def parse_text(raw: str, path: Path) -> DocumentTree:
    raw = raw.removeprefix("\ufeff")
    lines = raw.splitlines()
    meta, body_start = _split_front_matter(lines, path)
    document = _document_from_meta(meta, lines, path)
    provisions, problems = _parse_body(lines, body_start, document, path)
    if problems:
        raise KnowledgeError(problems)
    return DocumentTree(document=document, provisions=tuple(provisions))


# --- front matter -------------------------------------------------------------------------


def _split_front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise KnowledgeError(
            [
                Problem(
                    path,
                    1,
                    "thiếu phần đầu YAML (front matter)",
                    "mở đầu tệp bằng một dòng '---', các trường id, number, kind…, rồi một dòng "
                    "'---' (xem knowledge/FORMAT.md)",
                )
            ]
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise KnowledgeError(
            [
                Problem(
                    path,
                    1,
                    "phần đầu YAML không có dòng '---' đóng",
                    "thêm một dòng '---' sau trường cuối cùng của phần đầu",
                )
            ]
        )
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        # A scanner error's context mark is where the broken value starts.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeError(
            [
                Problem(
                    path,
                    line,
                    f"phần đầu YAML sai cú pháp (chi tiết kỹ thuật: {reason})",
                    "mỗi dòng có dạng 'trường: giá trị'; đặt giá trị có dấu ':' trong ngoặc kép",
                )
            ]
        ) from None
    if not isinstance(meta, dict):
        raise KnowledgeError(
            [
                Problem(
                    path,
                    2,
                    "phần đầu YAML phải là các cặp 'trường: giá trị'",
                    "viết mỗi trường trên một dòng, ví dụ 'id: qd-124-2023'",
                )
            ]
        )
    return meta, end + 1


def _field_line(lines: list[str], key: str) -> int:
    for i, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return i
        if i > 1 and line.strip() == "---":
            break
    return 1


def _as_date(value, key: str, lines: list[str], path: Path, problems: list[Problem]):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(
        Problem(
            path,
            _field_line(lines, key),
            f"trường '{key}' phải là ngày dạng YYYY-MM-DD, đang là {value!r}",
            f"viết ví dụ '{key}: 2023-10-04'",
        )
    )
    return None


def _document_from_meta(meta: dict, lines: list[str], path: Path) -> Document:
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path, _field_line(lines, key), message, fix))

    missing = [k for k in REQUIRED_FIELDS if k not in meta]
    for key in missing:
        problems.append(
            Problem(
                path,
                1,
                f"phần đầu thiếu trường '{key}'",
                f"thêm dòng '{key}: …' vào phần đầu (xem knowledge/FORMAT.md)",
            )
        )
    unknown = [k for k in meta if k not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    for key in unknown:
        bad(
            key,
            f"trường '{key}' không có trong định dạng",
            "xóa trường này hoặc sửa chính tả; các trường hợp lệ ở knowledge/FORMAT.md",
        )
    if missing:
        raise KnowledgeError(problems)

    doc_id = str(meta["id"])
    if not DOC_ID_RE.match(doc_id):
        bad("id", f"mã văn bản '{doc_id}' sai mẫu", "dùng dạng 'qd-124-2023' hoặc 'hd-25-2023'")
    for key in ("number", "title", "issuer", "applies_to"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            bad(key, f"trường '{key}' phải là một chuỗi không rỗng", f"điền giá trị cho '{key}'")
    if meta["kind"] not in ("Quy định", "Hướng dẫn"):
        bad(
            "kind",
            f"loại văn bản '{meta['kind']}' không hợp lệ",
            "dùng 'Quy định' hoặc 'Hướng dẫn'",
        )
    status_value = meta["status"]
    try:
        status = Status(status_value)
    except ValueError:
        status = None
        bad(
            "status",
            f"trạng thái '{status_value}' không hợp lệ",
            "dùng một trong: in_force, replaced, partly_inapplicable",
        )
    try:
        text_kind = TextKind(meta["text"])
    except ValueError:
        text_kind = None
        bad("text", f"loại bản văn '{meta['text']}' không hợp lệ", "dùng 'digest' hoặc 'official'")
    signed = _as_date(meta["signed"], "signed", lines, path, problems)
    effective = None
    if meta["effective"] is not None:
        effective = _as_date(meta["effective"], "effective", lines, path, problems)
    signer = meta["signer"]
    if signer is not None and (not isinstance(signer, str) or not signer.strip()):
        bad("signer", "trường 'signer' phải là tên người ký hoặc null", "ví dụ 'signer: null'")

    replaced_by = None
    raw_rb = meta.get("replaced_by")
    if status is Status.REPLACED and not raw_rb:
        bad(
            "status",
            "văn bản 'replaced' phải có trường 'replaced_by'",
            "thêm 'replaced_by:' với id, number, date của văn bản thay thế",
        )
    if raw_rb:
        if not isinstance(raw_rb, dict) or not {"id", "number", "date"} <= set(raw_rb):
            bad(
                "replaced_by",
                "trường 'replaced_by' phải có id, number và date",
                "viết 'replaced_by:' rồi ba dòng thụt vào: id, number, date",
            )
        else:
            rb_date = _as_date(raw_rb["date"], "replaced_by", lines, path, problems)
            if rb_date is not None:
                replaced_by = ReplacedBy(str(raw_rb["id"]), str(raw_rb["number"]), rb_date)
    if meta.get("numbering", "full") not in ("full", "partial"):
        bad(
            "numbering",
            f"giá trị numbering '{meta.get('numbering')}' không hợp lệ",
            "dùng 'full' (mặc định) hoặc 'partial' khi chỉ một số điều có số đã xác minh",
        )
    if status is Status.PARTLY_INAPPLICABLE and not meta.get("status_note"):
        bad(
            "status",
            "văn bản 'partly_inapplicable' phải có trường 'status_note'",
            "thêm 'status_note:' nói phần nào không còn áp dụng và từ khi nào",
        )
    sources = meta.get("sources") or []
    if not isinstance(sources, list) or not all(
        isinstance(s, str) and URL_RE.match(s) for s in sources
    ):
        bad(
            "sources", "trường 'sources' phải là danh sách URL", "viết mỗi URL trên một dòng '  - '"
        )
        sources = []
    if text_kind is TextKind.DIGEST and not sources:
        bad(
            "sources",
            "bản tóm lược phải có danh sách nguồn",
            "thêm 'sources:' với các URL đã dùng",
        )
    if problems:
        raise KnowledgeError(problems)
    return Document(
        id=doc_id,
        number=str(meta["number"]).strip(),
        kind=meta["kind"],
        title=meta["title"].strip(),
        issuer=meta["issuer"].strip(),
        signer=signer.strip() if signer else None,
        signed=signed,
        effective=effective,
        status=status,
        applies_to=meta["applies_to"].strip(),
        text=text_kind,
        sources=tuple(sources),
        path=path,
        replaced_by=replaced_by,
        replaces=meta.get("replaces"),
        status_note=meta.get("status_note"),
        structure=meta.get("structure"),
        partial_numbering=meta.get("numbering") == "partial",
    )


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
        if match.group(2):
            node.lines.append(match.group(2).strip())
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
        if match.group(3):
            node.lines.append(match.group(3).strip())
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
        if match.group(2):
            node.lines.append(match.group(2).strip())
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
        elif m := NOTE.match(text):
            node.notes.append(m.group(1).strip())
        elif node.notes:
            node.notes[-1] += " " + text.strip()
        else:
            self.problem(
                line,
                "dòng trích dẫn '>' không rõ loại",
                "bắt đầu bằng '> Nguồn:', '> Chưa có nội dung:', '> Chưa đầy đủ:' hoặc "
                "'> Ghi chú:'",
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
    provisions = _finish(body)
    return provisions, body.problems


# --- building the immutable provisions -----------------------------------------------------


KIND_LABELS = {
    ProvisionKind.CHAPTER: "Chương",
    ProvisionKind.SECTION: "Mục",
    ProvisionKind.ARTICLE: "Điều",
    ProvisionKind.ITEM: "nội dung thứ",
    ProvisionKind.SUBSECTION: "tiểu mục",
    ProvisionKind.CLAUSE: "khoản",
    ProvisionKind.POINT: "điểm",
    ProvisionKind.SUBPOINT: "tiết",
}


def kind_label(kind: ProvisionKind, number: str) -> str:
    """ "Điều 12", "khoản 1", "tiểu mục 1.1"… ("" for kinds without a number)."""
    word = KIND_LABELS.get(kind)
    return f"{word} {number}" if word else ""


def _own_label(node: _Node) -> str:
    return node.label or kind_label(node.kind, node.number)


def _label(node: _Node, chain: list[_Node]) -> str:
    """Label from the outermost numbered ancestor down, e.g. "Điều 12, khoản 1".

    Articles are numbered through the whole document, so their chapter is left out.
    """
    under_article = node.kind is ProvisionKind.ARTICLE or any(
        n.kind is ProvisionKind.ARTICLE for n in chain
    )
    parts = [
        _own_label(n) for n in chain if not (under_article and n.kind is ProvisionKind.CHAPTER)
    ]
    label = ", ".join(p for p in [*parts, _own_label(node)] if p)
    return label[:1].upper() + label[1:]


def _layout_line(node: _Node) -> str:
    """How a provision's number opens its text, as in the official layout."""
    match node.kind:
        case ProvisionKind.CLAUSE:
            return f"{node.number}."
        case ProvisionKind.POINT:
            return f"{node.number}."
        case ProvisionKind.SUBPOINT:
            return f"{node.number})"
        case ProvisionKind.ARTICLE:
            return f"Điều {node.number}." + (f" {node.title}" if node.title else "")
        case ProvisionKind.SUBSECTION:
            return f"{node.number}." + (f" {node.title}" if node.title else "")
        case ProvisionKind.SECTION:
            head = f"Mục {node.number}." if not node.number.isdigit() else f"{node.number}."
            return head + (f" {node.title}" if node.title else "")
        case ProvisionKind.CHAPTER:
            return f"Chương {node.number}." + (f" {node.title}" if node.title else "")
        case ProvisionKind.ITEM:
            return _own_label(node).capitalize() + "." + (f" {node.title}" if node.title else "")
    return ""


def _subtree_text(node: _Node, digest: bool) -> str:
    own = "\n".join(node.lines)
    parts = [own] if own else []
    if node.marker is Coverage.NONE:
        parts.append("(Chưa có nội dung trong bản tóm lược.)" if digest else "(Chưa có nội dung.)")
    for child in node.children:
        head = _layout_line(child)
        child_text = _subtree_text(child, digest)
        if child.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT):
            first, _, rest = child_text.partition("\n")
            parts.append(f"{head} {first}".rstrip() + (f"\n{rest}" if rest else ""))
        else:
            parts.append(head + ("\n" + child_text if child_text else ""))
    return "\n".join(parts)


def _coverage(node: _Node) -> tuple[Coverage, str]:
    """A node's coverage, from its own marker and its descendants'."""
    states = [node.marker]
    notes = [node.marker_note] if node.marker is not Coverage.FULL and node.marker_note else []
    for child in node.children:
        state, _ = _coverage(child)
        states.append(state)
    has_content = bool(node.lines) or any(s is not Coverage.NONE for s in states[1:])
    if node.marker is Coverage.NONE and not has_content:
        return Coverage.NONE, notes[0] if notes else ""
    if all(s is Coverage.NONE for s in states) and not node.lines:
        return Coverage.NONE, notes[0] if notes else ""
    if all(s is Coverage.FULL for s in states):
        return Coverage.FULL, ""
    return Coverage.PARTIAL, notes[0] if notes else ""


def _info_provision(document: Document) -> Provision:
    d = document
    lines = [
        f"Số hiệu: {d.number}. Loại văn bản: {d.kind}.",
        f"Tên: {d.title}.",
        f"Cơ quan ban hành: {d.issuer}.",
        f"Người ký: {d.signer}." if d.signer else "Người ký: chưa xác minh trong bản tóm lược.",
        f"Ngày ký: {d.signed:%d/%m/%Y}.",
        f"Ngày có hiệu lực: {d.effective:%d/%m/%Y}."
        if d.effective
        else "Ngày có hiệu lực: chưa xác minh trong bản tóm lược.",
    ]
    if d.structure:
        lines.append(f"Bố cục: {d.structure}.")
    if d.replaces:
        lines.append(f"Thay thế: {d.replaces}.")
    if d.replaced_by:
        rb = d.replaced_by
        lines.append(f"Tình trạng: đã được thay thế bởi {rb.number} ngày {rb.date:%d/%m/%Y}.")
    elif d.status is Status.PARTLY_INAPPLICABLE:
        lines.append(f"Tình trạng: một phần không còn áp dụng. {d.status_note}")
    else:
        lines.append("Tình trạng: còn hiệu lực.")
    lines.append(f"Phạm vi áp dụng theo thời gian: {d.applies_to}")
    text = "\n".join(lines)
    label = "Thông tin văn bản"
    return Provision(
        id=f"{d.id}/thong-tin",
        doc_id=d.id,
        kind=ProvisionKind.INFO,
        number="",
        title=label,
        label=label,
        citation=f"{label} — {d.name}",
        text=text,
        full_text=text,
        parent_id=None,
        ancestor_ids=(),
        children_ids=(),
        coverage=Coverage.FULL,
        coverage_note="",
        notes=(),
        sources=d.sources,
        line=1,
    )


def _finish(body: _Body) -> list[Provision]:
    document = body.document
    out: list[Provision | None] = [_info_provision(document)]
    seen: dict[str, int] = {}
    outline_kinds = (
        ProvisionKind.CHAPTER,
        ProvisionKind.SECTION,
        ProvisionKind.ARTICLE,
        ProvisionKind.ITEM,
        ProvisionKind.SUBSECTION,
    )

    def walk(
        node: _Node,
        chain: list[_Node],
        chain_ids: list[str],
        id_prefix: str,
        inherited_sources: tuple[str, ...],
    ) -> str:
        node_id = f"{id_prefix}/{node.segment}"
        sources = tuple(node.sources) or inherited_sources
        label = _label(node, chain)
        if node_id in seen and not any(p.line == node.line for p in body.problems):
            body.problem(
                node.line,
                f"mã quy định '{node_id}' bị trùng (đã có ở dòng {seen[node_id]})",
                "sửa số thứ tự hoặc bỏ quy định lặp lại",
            )
        seen[node_id] = node.line
        if not (node.lines or node.children or node.marker is Coverage.NONE):
            body.problem(
                node.line,
                f"{label} không có nội dung",
                "viết nội dung, thêm quy định con, hoặc ghi '> Chưa có nội dung: <lý do>'",
            )
        if document.is_digest and node.kind in (ProvisionKind.ARTICLE, ProvisionKind.ITEM):
            if not sources:
                body.problem(
                    node.line,
                    f"{label} không có nguồn",
                    "thêm dòng '> Nguồn: https://…' ngay dưới tiêu đề",
                )
        index = len(out)
        out.append(None)  # keeps reading order: a parent before its children
        children_ids = []
        for child in node.children:
            # Articles are numbered through the whole document, so a chapter stays out of
            # their ids; everything else is scoped by its parent.
            if node.kind is ProvisionKind.CHAPTER and child.kind is ProvisionKind.ARTICLE:
                prefix = id_prefix
            else:
                prefix = node_id
            children_ids.append(walk(child, [*chain, node], [*chain_ids, node_id], prefix, sources))
        coverage, coverage_note = _coverage(node)
        out[index] = Provision(
            id=node_id,
            doc_id=document.id,
            kind=node.kind,
            number=node.number,
            title=node.title,
            label=label,
            citation=f"{label} — {document.name}",
            text="\n".join(node.lines),
            full_text=_subtree_text(node, document.is_digest),
            parent_id=chain_ids[-1] if chain_ids else None,
            ancestor_ids=tuple(chain_ids),
            children_ids=tuple(children_ids),
            coverage=coverage,
            coverage_note=coverage_note,
            notes=tuple(node.notes),
            sources=sources,
            line=node.line,
            heading_path=tuple(
                f"{_own_label(a)}. {a.title}" if a.title else _own_label(a)
                for a in chain
                if a.kind in outline_kinds
            ),
        )
        return node_id

    for child in body.root.children:
        walk(child, [], [], document.id, ())
    return out
