"""The extractive engine: composes an answer from the provisions themselves.

Every sentence of an answer is a line of a retrieved provision; the only words added are
fixed framing phrases from `assistant/prompts.py` ("Theo … [1]:"). The engine picks the
provisions that answer, keeps enumerations complete, and leads with the deciding body for
"ai / cơ quan nào", the number for "bao nhiêu / tỷ lệ", the date for "khi nào / thời hạn".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import prompts
from assistant.types import Citation, Hit
from knowledge.pack import Pack
from knowledge.text import fold, syllables
from knowledge.types import Coverage, Provision

WHO = re.compile(
    r"\b(ai|co quan nao|cap nao|ben nao|nguoi nao|tham quyen|quyet dinh|do ai|ai ky|nguoi ky)\b"
)
NUMBER = re.compile(r"\b(bao nhieu|ty le|phan tram|may|bao lau|toi thieu|toi da|so luong)\b|%")
DATE = re.compile(
    r"\b(khi nao|luc nao|thoi han|han chot|han cuoi|truoc ngay|ngay nao|thoi diem|hieu luc"
    r"|bao gio|thang nao|nam nao)\b"
)
LIST = re.compile(
    r"\b(gom|bao gom|nhung gi|nhung ai|nhung truong hop|cac truong hop|nhung noi dung|liet ke"
    r"|cac buoc|may buoc|may muc|cac muc|nhung muc|nhom|loai nao|nao)\b"
)

BODY = re.compile(
    r"(cấp ủy cấp trên trực tiếp|ban thường vụ[^,.;:]*|đảng ủy cơ sở|chi bộ|Bộ Chính trị|"
    r"Ban Bí thư|Ban Tổ chức Trung ương|cấp có thẩm quyền|người đứng đầu|cơ quan tham mưu[^,.;]*"
    r"|tổ chức đảng cấp trên[^,.;]*|cấp ủy[^,.;]*)",
    re.IGNORECASE,
)
NUM_VALUE = re.compile(r"\d+\s*%|\b\d+\s*(ngày|tháng|năm|điểm|mức|bước|cấp độ|nhóm)\b|\b\d+\b")
DATE_VALUE = re.compile(r"\b\d{1,2}/\d{1,2}(/\d{4})?\b|\bngày \d|\btháng \d|\bnăm \d{4}")

TYPE_BONUS = 8.0
MAX_LINES = 14  # lines quoted from one provision when it is not an enumeration


def question_types(question: str) -> set[str]:
    folded = fold(question)
    types = set()
    if WHO.search(folded):
        types.add("who")
    if NUMBER.search(folded):
        types.add("number")
    if DATE.search(folded):
        types.add("date")
    if LIST.search(folded):
        types.add("list")
    return types


@dataclass
class Composed:
    text: str
    citations: list[Citation]


def _terms(text: str) -> set[str]:
    sylls = [fold(s) for s in syllables(text)]
    return set(sylls) | {f"{a}_{b}" for a, b in zip(sylls, sylls[1:], strict=False)}


def _line_score(line: str, query_terms: set[str], idf) -> float:
    terms = _terms(line)
    return sum(idf(t) for t in terms & query_terms)


def _lines(provision: Provision) -> list[str]:
    return [line for line in provision.full_text.splitlines() if line.strip()]


def _is_enumeration(provision: Provision) -> bool:
    lines = _lines(provision)
    listed = sum(1 for line in lines if re.match(r"^(- |\d+\.|\d+\.\d+\.|[a-zđ]\))", line))
    return listed >= 2


def choose(question: str, hits: list[Hit], pack: Pack, types: set[str]) -> list[Provision]:
    """The provisions that answer: the best hit (its enclosing enumeration for list
    questions) and up to two strong hits that add something (another document, a guide)."""
    if not hits:
        return []
    top = hits[0]
    primary = pack[top.id]
    if "list" in types and not _is_enumeration(primary):
        # A list question whose best hit is one item: answer with the whole enumeration.
        for hit in hits[1:4]:
            candidate = pack[hit.id]
            if primary.id in candidate.children_ids or (
                candidate.id in primary.ancestor_ids and _is_enumeration(candidate)
            ):
                if len(candidate.full_text) <= 2500:
                    primary = candidate
                    break
    chosen = [primary]
    references = "reference" in top.retrievers
    for hit in hits[1:6]:
        if len(chosen) == 3:
            break
        candidate = pack[hit.id]
        related = any(
            candidate.id in c.ancestor_ids or c.id in candidate.ancestor_ids or c.id == candidate.id
            for c in chosen
        )
        if related or candidate.coverage is Coverage.NONE:
            continue
        strong = hit.score >= 0.85 * top.score or ("reference" in hit.retrievers)
        if references and "reference" not in hit.retrievers:
            strong = False
        if strong:
            chosen.append(candidate)
    return chosen


def _select_lines(
    provision: Provision, query_terms: set[str], idf, enumerate_all: bool
) -> list[str]:
    lines = _lines(provision)
    if enumerate_all or len(lines) <= MAX_LINES:
        return lines
    scored = sorted(range(len(lines)), key=lambda i: -_line_score(lines[i], query_terms, idf))[
        :MAX_LINES
    ]
    return [lines[i] for i in sorted(scored)]


def _with_lead_in(lines: list[str], index: int) -> str:
    """A list item with the line that introduces it ("Cấp ủy cấp trên trực tiếp có trách
    nhiệm, thẩm quyền:" + "- Quyết định, kiểm tra…"), so the item reads as a sentence."""
    line = lines[index].strip()
    if not re.match(r"^(- |[a-zđ]\)|\d+\.\d+\.)", line):
        return line
    for previous in reversed(lines[:index]):
        previous = previous.strip()
        if previous.endswith(":") and not previous.startswith("- "):
            item = re.sub(r"^(- |[a-zđ]\) |\d+\.\d+\. )", "", line)
            return f"{previous} {item[:1].lower()}{item[1:]}"
        if not previous.startswith("- "):
            break
    return line


def _lead_line(provisions: list[Provision], query_terms, idf, types: set[str]) -> tuple[int, str]:
    """The line that answers first: the body, number or date the question asks for."""
    best: tuple[float, int, str] | None = None
    for index, provision in enumerate(provisions):
        lines = _lines(provision)
        for i in range(len(lines)):
            line = _with_lead_in(lines, i)
            score = _line_score(line, query_terms, idf)
            # The kind of answer asked for outweighs word overlap: a "bao nhiêu" question
            # leads with a line that has a number in it.
            matched = [
                kind
                for kind, pattern in (("who", BODY), ("number", NUM_VALUE), ("date", DATE_VALUE))
                if kind in types and pattern.search(line)
            ]
            score += TYPE_BONUS * len(matched)
            if types & {"who", "number", "date"} and not matched:
                score *= 0.5
            if index == 0:
                score += 1.0
            if best is None or score > best[0]:
                best = (score, index, line)
    assert best is not None
    return best[1], best[2]


def compose(
    question: str, hits: list[Hit], pack: Pack, idf, types: set[str] | None = None
) -> Composed:
    """An answer from the chosen provisions, each line quoted and marked [n]."""
    types = question_types(question) if types is None else types
    provisions = choose(question, hits, pack, types)
    query_terms = _terms(question)
    citations = []
    sections = []
    for marker, provision in enumerate(provisions, start=1):
        document = pack.document(provision.doc_id)
        enumerate_all = "list" in types or _is_enumeration(provision) and marker == 1
        lines = _select_lines(provision, query_terms, idf, enumerate_all)
        quote = "\n".join(lines)
        citations.append(
            Citation(
                marker=marker,
                id=provision.id,
                label=provision.citation,
                quote=quote,
                doc_number=document.number,
                doc_status=document.status.value,
                text_kind=document.text.value,
            )
        )
        body = "\n".join(_bullet(line) for line in lines)
        sections.append(prompts.source_heading(provision.citation, marker, document) + "\n" + body)
    lead_index, lead = _lead_line(provisions, query_terms, idf, types)
    lead_text = prompts.lead_sentence(provisions[lead_index].citation, lead_index + 1, lead)
    return Composed("\n\n".join([lead_text, *sections]), citations)


def _bullet(line: str) -> str:
    line = line.strip()
    return line if line.startswith("- ") else f"- {line}"
