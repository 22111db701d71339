"""Explicit references in a question ("Điều 12 khoản 4", "mục 1.1", "QĐ125", "HD 25"),
resolved to the documents and provisions they name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.pack import Pack
from knowledge.registry import KINDS
from knowledge.text import fold


def _kind_words(name: str) -> str:
    return r"\s*".join(fold(name).split())


# "Quy định 124", "QĐ số 124", "Kết luận 198", "KL198", "Chỉ thị 35"; "124-QĐ", "198-KL".
# A Quy định needs two digits ("quy định 1" is rarely a number); kinds come from the registry.
DOC_PATTERNS = tuple(
    re.compile(
        rf"\b({_kind_words(k.name)}|{k.slug})\s*(?:so\s*)?[-:]?\s*"
        rf"(\d{{{2 if k.slug == 'qd' else 1},4}})(?!\d)"
    )
    for k in KINDS
) + (re.compile(r"\b(\d{1,4})\s*-\s*(" + "|".join(k.slug for k in KINDS) + r")\b"),)
KIND_OF_WORD = {_kind_words(k.name).replace("\\s*", ""): k.slug for k in KINDS}
ARTICLE = re.compile(r"\bdieu\s+(\d{1,2})\b")
CLAUSE = re.compile(r"\bkhoan\s+(\d{1,2})\b")
POINT = re.compile(r"\bdiem\s+(\d{1,2})\.(\d{1,2})\b")
SUBPOINT = re.compile(r"\btiet\s+([a-y])\b")
HD_SECTION = re.compile(r"\b(?:tieu\s+muc|muc)\s+(\d{1,2})(?:\.(\d{1,2}))?\b")
ROMAN_SECTION = re.compile(r"\bmuc\s+(i{1,3}|iv|v)\b")
# "nhiệm vụ thứ 3", "nhiệm vụ số 3" (not "hoàn thành xuất sắc nhiệm vụ 5 năm liền").
TASK = re.compile(r"\bnhiem\s+vu\s+(?:thu|so)\s+(\d)\b")
ORDINALS = {
    "nhat": "1",
    "hai": "2",
    "ba": "3",
    "tu": "4",
    "nam": "5",
    "sau": "6",
    "bay": "7",
    "tam": "8",
}
TASK_WORD = re.compile(
    r"\b(?:nhiem\s+vu|nhom(?:\s+nhiem\s+vu)?)\s+thu\s+(nhat|hai|ba|tu|nam|sau|\d)\b"
)
CHAPTER = re.compile(r"\bchuong\s+(i{1,3}|iv|v|vi{0,3})\b")
# Questions about a document itself (who issued it, when, what replaced it, its layout):
# they are answered by its "thông tin văn bản" provision.
META = re.compile(
    r"\b(ban hanh|ai ky|nguoi ky|ky ngay|ngay ky|hieu luc|thay the|bao nhieu chuong"
    r"|bao nhieu dieu|may chuong|may dieu|co quan nao|van ban nao|con ap dung|bo cuc)\b"
)


# Companion documents the project's notes describe: "Kết luận 198", "KL 198", "Công văn 10072".
COMPANION = re.compile(r"\b(ket\s*luan|kl|cong\s*van|cv)\s*(?:so\s*)?-?\s*(\d{2,6})\b")


def find_notes(question: str, pack: Pack) -> list[str]:
    """Notes on companion documents a question names ("Kết luận 198" -> ghi-chu/kl-198-2025)."""
    found = []
    for m in COMPANION.finditer(fold(question)):
        kind = "kl" if m.group(1).replace(" ", "") in ("ketluan", "kl") else "cv"
        if any(d.startswith(f"{kind}-{m.group(2)}-") for d in pack.trees):
            continue  # the document itself is loaded: it is named, not the note about it
        prefix = f"ghi-chu/{kind}-{m.group(2)}-"
        found += [pid for pid in pack.provisions if pid.startswith(prefix) and pid not in found]
    return found


def is_meta(question: str) -> bool:
    """True for questions about a document itself rather than its content."""
    return bool(META.search(fold(question)))


@dataclass
class References:
    """What a question names explicitly."""

    doc_ids: list[str] = field(default_factory=list)
    provision_ids: list[str] = field(default_factory=list)
    # Parts a question names of a named document that the pack does not have ("Điều 30 của
    # Quy định 124-QĐ/TW", "khoản 9 Điều 12 …"), in words. (An appendix is not one of them:
    # the digest names what each is for without holding it as a provision.)
    unresolved: list[str] = field(default_factory=list)


def _doc_index(pack: Pack) -> dict[tuple[str, str], list[str]]:
    """("qd", "124") -> ["qd-124-2023"], from the loaded documents' kinds and numbers (a
    provincial "QĐ 31" may share its number with another issuer's)."""
    index: dict[tuple[str, str], list[str]] = {}
    slugs = {k.name: k.slug for k in KINDS}
    for doc in pack.documents:
        number = doc.number.split("-")[0].strip().lstrip("0")
        index.setdefault((slugs.get(doc.kind, ""), number), []).append(doc.id)
    return index


def _one_issuer(ids: list[str], text: str) -> list[str]:
    """Of documents sharing a kind and number, the ones whose place the question names
    ("… của Tỉnh ủy Đồng Nai" for qd-31-2023-tu-dong-nai), else the central ones."""
    if len(ids) < 2:
        return ids
    words = set(re.findall(r"[a-z0-9]+", text))
    placed = [i for i in ids if set(i.split("-")[4:]) and set(i.split("-")[4:]) <= words]
    central = [i for i in ids if len(i.split("-")) == 3]
    return placed or central or ids


def find_documents(question: str, pack: Pack) -> list[str]:
    """Documents a question names, in the order named."""
    text = fold(question)
    index = _doc_index(pack)
    found: list[str] = []
    for pattern in DOC_PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.group(1), m.group(2)
            kind, number = (b, a) if a.isdigit() else (a, b)
            kind = KIND_OF_WORD.get(re.sub(r"\s+", "", kind), kind)
            for doc_id in _one_issuer(index.get((kind, number.lstrip("0")), []), text):
                if doc_id not in found:
                    found.append(doc_id)
    return found


def _label(pack: Pack, doc_id: str, article, clause, point) -> str:
    """A named part in words: "khoản 9 Điều 12 của Quy định 124-QĐ/TW"."""
    said = f"Điều {article.group(1)}"
    if point:
        said = f"điểm {point.group(1)}.{point.group(2)} khoản {point.group(1)} {said}"
    elif clause:
        said = f"khoản {clause.group(1)} {said}"
    return f"{said} của {pack.document(doc_id).name}"


def _deepest_existing(pack: Pack, parts: list[str]) -> str | None:
    for end in range(len(parts), 1, -1):
        candidate = "/".join(parts[:end])
        if candidate in pack:
            return candidate
    return None


def resolve(question: str, pack: Pack) -> References:
    """Resolve the documents and provisions a question names."""
    text = fold(question)
    docs = find_documents(question, pack)
    refs = References(doc_ids=docs, provision_ids=find_notes(question, pack))
    ordered_docs = docs or [d.id for d in pack.documents]
    ordered_docs += [d for d in pack.trees if d not in ordered_docs and not docs]

    def add(pid: str | None) -> None:
        if pid and pid not in refs.provision_ids:
            refs.provision_ids.append(pid)

    article = ARTICLE.search(text)
    clause = CLAUSE.search(text)
    point = POINT.search(text)
    subpoint = SUBPOINT.search(text)
    if article:
        tail = []
        if point:
            tail += [f"khoan-{point.group(1)}", f"diem-{point.group(1)}.{point.group(2)}"]
        elif clause:
            tail.append(f"khoan-{clause.group(1)}")
        if subpoint and (point or clause):
            tail.append(f"tiet-{'dd' if subpoint.group(1) == 'đ' else subpoint.group(1)}")
        for doc_id in ordered_docs:
            base = f"{doc_id}/dieu-{article.group(1)}"
            if base in pack:
                deepest = _deepest_existing(pack, base.split("/") + tail)
                add(deepest)
                if deepest != "/".join(base.split("/") + tail) and docs:
                    # "Khoản 9 Điều 12": Điều 12 is there, its khoản 9 is not.
                    refs.unresolved.append(_label(pack, doc_id, article, clause, point))
        if docs and not any(f"{d}/dieu-{article.group(1)}" in pack for d in docs):
            refs.unresolved.append(_label(pack, docs[0], article, clause, point))
    for m in HD_SECTION.finditer(text):
        major, minor = m.group(1), m.group(2)
        for doc_id in ordered_docs:
            parts = [doc_id, f"muc-{major}"] + ([f"muc-{major}.{minor}"] if minor else [])
            if "/".join(parts[:2]) in pack:
                add(_deepest_existing(pack, parts))
                break
    chapter = CHAPTER.search(text)
    if chapter:
        for doc_id in ordered_docs:
            pid = f"{doc_id}/chuong-{chapter.group(1)}"
            if pid in pack:
                add(pid)
                break
    if META.search(text):
        for doc_id in docs:
            add(f"{doc_id}/thong-tin")
    task = TASK.search(text) or TASK_WORD.search(text)
    roman = ROMAN_SECTION.search(text)
    for doc_id in ordered_docs:
        tree = pack.trees[doc_id]
        if task:
            number = ORDINALS.get(task.group(1), task.group(1))
            for p in tree.provisions:
                if p.id.endswith(f"/nhiem-vu-{number}"):
                    add(p.id)
        if roman and f"{doc_id}/muc-{roman.group(1)}" in pack:
            add(f"{doc_id}/muc-{roman.group(1)}")
        if refs.provision_ids and (task or roman):
            break
    return refs
