"""Typed spans: bodies, dates and deadlines, numbers, durations, form codes, rating levels and
enumerations, marked once per provision from the documents' closed vocabulary (no model).

Each span knows its provision, its line, the clause that holds it (with the lead-in that
introduces a list item) and who the line is about (collective / individual and roles), so a
planner can pick "the deadline for individuals in HD 25" without reading text again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from knowledge.text import fold
from knowledge.types import Provision, ProvisionKind, Span, SpanKind
from knowledge.vocabulary import Vocabulary, vocabulary

NUMBER_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
COUNTED = "|".join(
    sorted(
        (
            "muc cap do buoc nhom|truong hop|noi|noi dung|loai|chuong|dieu|phu luc|mat|y|khoan|"
            "nhom nhiem vu|nhiem vu|mau|yeu cau|muc|cap do|buoc|nhom"
        ).split("|"),
        key=len,
        reverse=True,
    )
)
# A number after one of these words is a reference ("khoản 1", "Điều 7"), not a count.
NOT_A_COUNT = r"(?<!khoan )(?<!diem )(?<!dieu )(?<!muc )(?<!tiet )(?<!mau )(?<!buoc )(?<!quy )"
DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
ISSUED_BEFORE = re.compile(
    r"((\d+-[a-z]+/[a-z]+|ban hanh|ky)\s+ngay|ngay ky:|ngay co hieu luc:|hieu luc tu ngay|"
    r"tuc tu|bai ngay)\s*$"
)
ISSUED_AFTER = re.compile(r"\s+(cua|do)\s+(bo chinh tri|ban bi thu|ban to chuc|ban chap hanh)")
DEADLINE = re.compile(
    r"(?:truoc|cham nhat|han|ket thuc truoc|hoan thanh truoc|xong truoc)\s+(?:ngay\s+)?"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{4})?|\d{1,2}\s+cua\s+thang\s+cuoi\s+moi\s+quy)"
    r"(?:\s+(?:nam sau|hang nam))?"
    r"|(?:vao\s+)?dip cuoi nam|truoc khi (?:to chuc, co quan, don vi )?tong ket cong tac nam"
)
PERCENT = re.compile(r"(?:(?:khong qua|tren|duoi|it nhat|toi thieu|toi da)\s+)?(\d+)\s*%")
SCORE = re.compile(
    r"(?:tu\s+)?(\d+)\s+(?:den duoi\s+(\d+)\s+)?diem(?:\s+tro len)?|thang\s+(\d+)\s+diem"
)
DURATION = re.compile(
    r"(?:(?:toi thieu|it nhat|truoc it nhat|chua du|tu|du)\s+)?(?<![\d/.])(\d+)\s+"
    r"(ngay lam viec|ngay|thang|nam)(?![\d/])"
)
COUNT = re.compile(rf"{NOT_A_COUNT}(?<![\w/.])(\d+|{'|'.join(NUMBER_WORDS)})\s+({COUNTED})(?![\w])")
FORM = re.compile(r"\bmau\s+(\d{1,2}[a-c]?)\b|\b(\d{1,2}[a-c]?)-hd\s+kd\.dg\s+\d{4}\b")
# A line that introduces the bullets under it: it ends with ':' or says "dưới đây", "sau".
LEAD_IN_MID = re.compile(r"\b(dưới đây|như sau|sau đây)\s*[;,]", re.IGNORECASE)
LEAD_IN = re.compile(r"(:|\b(dưới đây|như sau|sau đây|các điều kiện sau))\.?\s*$", re.IGNORECASE)
LABEL = re.compile(r"^(?:- )?([^:]{2,200}):\s")


def form_code(raw: str) -> str:
    """'02A' -> '2a', '01' -> '1'."""
    return raw.lower().lstrip("0") or "0"


def _lines(provision: Provision) -> list[str]:
    return [line for line in provision.text.splitlines() if line.strip()]


def _strip_bullet(line: str) -> str:
    return line[2:].strip() if line.startswith("- ") else line.strip()


def lead_in_of(lines: list[str], index: int) -> str | None:
    """The line that introduces list item `index` ("… gồm:"), if any."""
    if not lines[index].startswith("- "):
        return None
    for previous in reversed(lines[:index]):
        if not previous.startswith("- "):
            return previous.strip() if LEAD_IN.search(previous) else None
    return None


def sentence(lines: list[str], index: int) -> str:
    """A line as a sentence: a list item joined to its lead-in."""
    item = _strip_bullet(lines[index])
    lead = lead_in_of(lines, index)
    if lead:
        # "… các điều kiện dưới đây." introduces its items as a colon does.
        lead = lead[:-1] + ":" if lead.endswith(".") else lead
        return f"{lead} {item[:1].lower()}{item[1:]}"
    return item


def _clause(text: str, start: int) -> str:
    """The part of a sentence between semicolons that holds position `start`, keeping a
    lead-in ("…: a; b; c" keeps "…:" before the part)."""
    lead, colon, rest = text.partition(": ")
    offset = 0
    if colon and start > len(lead):
        offset = len(lead) + 2
        text_part = rest
    else:
        lead, text_part = "", text
    pos = start - offset
    parts = text_part.split("; ")
    at = 0
    for part in parts:
        if at <= pos <= at + len(part):
            chosen = part
            break
        at += len(part) + 2
    else:
        chosen = text_part
    return f"{lead}: {chosen}" if lead else chosen


@dataclass
class Profile:
    """Who and what a provision is about, from its title, its first line and its ancestors."""

    subjects: frozenset[str] = frozenset()
    level: str | None = None


def _tags(vocab: Vocabulary, folded: str) -> set[str]:
    tags = set(vocab.roles_of(folded)) | set(vocab.subjects_of(folded))
    if tags & {"leader", "no_post", "outside_system", "central_cadre", "probationary"}:
        tags.add("individual")
    if tags & {"basic_committee", "branch_under", "branch_basic", "provincial"}:
        tags.add("collective")
    return tags


def profile(provision: Provision, parent: Profile | None, vocab: Vocabulary) -> Profile:
    lines = _lines(provision)
    head = provision.title or ""
    if not lines and provision.coverage_note:
        head += " " + provision.coverage_note  # a placeholder's note names its topic
    if lines:
        first = lines[0]
        head += " " + (LABEL.match(first + " ").group(1) if LABEL.match(first + " ") else first)
    folded = fold(head[:160])
    tags = _tags(vocab, folded)
    levels = vocab.level_of(folded)
    level = levels[0] if len(set(levels)) == 1 else None
    if parent is not None:
        if not tags:
            tags = set(parent.subjects)
        level = level or parent.level
    return Profile(frozenset(tags), level)


@dataclass
class SpanIndex:
    spans: dict[str, list[Span]] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)

    def of(self, provision_id: str) -> list[Span]:
        return self.spans.get(provision_id, [])


@functools.lru_cache(maxsize=8192)  # the pack's lines: read once, not once per question
def label_tags(text: str) -> frozenset[str]:
    """Subject and role tags of a line's own label ("Tập thể: …" -> collective)."""
    m = LABEL.match(_strip_bullet(text) + " ")
    return frozenset(_tags(vocabulary(), fold(m.group(1)))) if m else frozenset()


def _line_subjects(vocab: Vocabulary, lines: list[str], index: int, base: frozenset[str]):
    """Tags of a line: its own label ("Với cá nhân: …"), else its lead-in's, else `base`."""
    for candidate in (lines[index], lead_in_of(lines, index) or ""):
        m = LABEL.match(_strip_bullet(candidate) + " ")
        text = m.group(1) if m else (candidate if candidate.rstrip().endswith(":") else "")
        if text:
            tags = _tags(vocab, fold(text))
            if tags:
                return frozenset(tags)
    # No label: a line that names one kind of subject only ("báo cáo kiểm điểm của tập thể")
    # is about it.
    own = _tags(vocab, fold(_strip_bullet(lines[index])))
    kinds = own & {"collective", "individual"}
    if len(kinds) == 1:
        return frozenset(own)
    return base


def _find(provision: Provision, vocab: Vocabulary, base: frozenset[str]) -> list[Span]:
    lines = _lines(provision)
    spans: list[Span] = []

    def add(kind: SpanKind, index: int, text: str, start: int, value: str) -> None:
        full = sentence(lines, index)
        lead = lead_in_of(lines, index)
        shift = len(lead) + 1 if lead else 0
        spans.append(
            Span(
                kind=kind,
                text=text,
                value=value,
                provision_id=provision.id,
                line=index,
                clause=_clause(full, start + shift),
                subjects=_line_subjects(vocab, lines, index, base),
                sentence=full,
            )
        )

    for index, raw in enumerate(lines):
        line = _strip_bullet(raw)
        folded = fold(line)
        if len(folded) != len(line):  # folding must keep positions; it does for NFC text
            folded = folded[: len(line)].ljust(len(line))
        for m in DEADLINE.finditer(folded):
            add(SpanKind.DEADLINE, index, line[m.start() : m.end()], m.start(), m.group(0))
        for m in DATE.finditer(folded):
            value = f"{int(m.group(1)):02d}/{int(m.group(2)):02d}" + (
                f"/{m.group(3)}" if m.group(3) else ""
            )
            # A document's own date (after its number, or "ngày … của <issuer>") is when it
            # was signed, not a deadline it sets.
            issued = ISSUED_BEFORE.search(folded[: m.start()]) or ISSUED_AFTER.match(
                folded[m.end() :]
            )
            kind = SpanKind.ISSUED if issued else SpanKind.DATE
            add(kind, index, line[m.start() : m.end()], m.start(), value)
        for m in PERCENT.finditer(folded):
            add(SpanKind.PERCENT, index, line[m.start() : m.end()], m.start(), m.group(1))
        for m in SCORE.finditer(folded):
            value = m.group(1) or m.group(3)
            if m.group(2):
                value = f"{m.group(1)}-{m.group(2)}"
            add(SpanKind.SCORE, index, line[m.start() : m.end()], m.start(), value)
        for m in DURATION.finditer(folded):
            add(
                SpanKind.DURATION,
                index,
                line[m.start() : m.end()],
                m.start(),
                f"{int(m.group(1))} {m.group(2)}",
            )
        for m in COUNT.finditer(folded):
            number = m.group(1)
            value = str(NUMBER_WORDS.get(number, number))
            if not value.isdigit() or int(value) > 60:
                continue
            add(
                SpanKind.COUNT, index, line[m.start() : m.end()], m.start(), f"{value} {m.group(2)}"
            )
        for m in FORM.finditer(folded):
            code = form_code(m.group(1) or m.group(2))
            add(SpanKind.FORM, index, line[m.start() : m.end()], m.start(), code)
        for key, patterns in vocab.levels:
            for pattern in patterns:
                for m in pattern.finditer(folded):
                    overlapping = any(
                        s.kind is SpanKind.LEVEL
                        and s.line == index
                        and s.text in line
                        and line.find(s.text) <= m.start() < line.find(s.text) + len(s.text)
                        for s in spans
                    )
                    if not overlapping:
                        add(SpanKind.LEVEL, index, line[m.start() : m.end()], m.start(), key)
        for grade in vocab.grades:
            for m in re.finditer(rf'"{re.escape(grade)}"', line):
                add(SpanKind.GRADE, index, grade, m.start(), fold(grade))
        for start, end in _bodies(folded, line.lower(), vocab):
            text = line[start:end].rstrip(" ,")
            add(SpanKind.BODY, index, text, start, fold(text))
    spans += _enumerations(provision, lines, vocab, base)
    return spans


def _bodies(folded: str, lower: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Body names in a line: from a head to its end, the longest where two overlap."""
    found = []
    for pattern in vocab.body_patterns:
        for m in pattern.finditer(folded):
            found.append((m.start(), _body_end(lower, m.end(), vocab)))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda se: (se[0], -(se[1] - se[0]))):
        if end - start > 2 and not any(a <= start < b for a, b in kept):
            kept.append((start, end))
    return kept


def _body_end(lower: str, start: int, vocab: Vocabulary) -> int:
    """Where a body's name ends: at punctuation (but not the commas inside "tỉnh ủy, thành
    ủy") or before a verb of `body_stops` (matched with diacritics)."""
    end = len(lower)
    for m in re.finditer(r"[.;:()]", lower[start:]):
        end = start + m.start()
        break
    m = vocab.body_stop.search(lower, start, end)
    return m.start() if m else end


def _enumerations(
    provision: Provision, lines: list[str], vocab: Vocabulary, base: frozenset[str]
) -> list[Span]:
    """A lead-in line ending with ':' and the bullets under it, with their count."""
    out = []
    for index, line in enumerate(lines):
        if line.startswith("- "):
            continue
        said = line.strip()
        if not LEAD_IN.search(line):
            # "… theo 4 cấp độ nêu dưới đây; kết quả đó là …": the lead-in ends mid-line.
            mid = LEAD_IN_MID.search(line)
            if mid is None:
                continue
            said = line[: mid.end(1)].strip()
        items = []
        for following in lines[index + 1 :]:
            if not following.startswith("- "):
                break
            items.append(_strip_bullet(following))
        if len(items) < 2:
            continue
        count = COUNT.search(fold(line))
        if count:
            stated = int(
                NUMBER_WORDS.get(count.group(1), count.group(1) if count.group(1).isdigit() else 0)
            )
            if 0 < stated < len(items):
                items = items[:stated]
        out.append(
            Span(
                kind=SpanKind.ENUMERATION,
                text=said,
                value=str(len(items)),
                provision_id=provision.id,
                line=index,
                clause=said,
                subjects=_line_subjects(vocab, lines, index, base) or base,
                items=tuple(items),
                sentence=line.strip(),
            )
        )
    return out


def _children_list(
    provision: Provision, by_id: dict[str, Provision], base: frozenset[str]
) -> Span | None:
    """A provision whose own text introduces its children ("… kiểm điểm 5 nội dung sau.",
    "… gồm sáu nhóm theo thứ tự dưới đây") lists them: one item per child."""
    lines = _lines(provision)
    if (
        not lines
        or not LEAD_IN.search(lines[-1])
        and not re.search(
            r"\b(nội dung|trường hợp|nhóm|điểm|khoản) sau\b|\bsau\.$", lines[-1], re.IGNORECASE
        )
    ):
        return None
    children = [by_id[c] for c in provision.children_ids if c in by_id]
    children = [c for c in children if c.kind is not ProvisionKind.INFO]
    if len(children) < 2:
        return None
    items = []
    for child in children:
        first = _lines(child)[0] if _lines(child) else ""
        item = child.title or first or child.label
        items.append(item)
    return Span(
        kind=SpanKind.ENUMERATION,
        text=lines[-1].strip(),
        value=str(len(items)),
        provision_id=provision.id,
        line=len(lines) - 1,
        clause=lines[-1].strip(),
        subjects=base,
        items=tuple(items),
        sentence=lines[-1].strip(),
    )


def build_spans(provisions: list[Provision]) -> SpanIndex:
    """Spans and profiles of every provision (parents before children, as the pack holds
    them)."""
    vocab = vocabulary()
    index = SpanIndex()
    by_id = {p.id: p for p in provisions}
    for provision in provisions:
        parent = index.profiles.get(provision.parent_id) if provision.parent_id else None
        prof = profile(provision, parent, vocab)
        index.profiles[provision.id] = prof
        if provision.kind is ProvisionKind.CHAPTER and not provision.text:
            continue
        found = _find(provision, vocab, prof.subjects)
        if not any(
            s.kind is SpanKind.ENUMERATION and s.line == len(_lines(provision)) - 1 for s in found
        ):
            listed = _children_list(provision, by_id, prof.subjects)
            if listed is not None:
                found.append(listed)
        index.spans[provision.id] = found
    return index
