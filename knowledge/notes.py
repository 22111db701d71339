"""The project's notes: commentary kept apart from the documents' provisions.

A note (`knowledge/notes/<id>.md`) is context from a companion document (Kết luận 198-KL/TW,
Công văn 10072-CV/BTCTW), a comparison, or an editor's remark. It is cited as "<title> — Ghi
chú của bản tóm lược" with the id `ghi-chu/<id>`, never with a provision id of a document.
Notes are held as one tree of their own so that search, citations and the document page
treat them like provisions while every reader sees what they are.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from knowledge.caveats import KINDS_HELP, MARKER, UnknownCaveatKind, parse_confidence
from knowledge.errors import KnowledgeError, Problem
from knowledge.front_matter import URL_RE, field_line, read_text, split_front_matter
from knowledge.types import (
    NOTES_DOC_ID,
    Caveat,
    Confidence,
    Coverage,
    Document,
    DocumentTree,
    Provision,
    ProvisionKind,
    Status,
    TextKind,
)

SHIPPED_NOTES = Path(__file__).resolve().parent / "notes"
NOTE_KINDS = {
    "companion": "văn bản đi kèm",
    "comparison": "so sánh",
    "editorial": "ghi chú của người soạn",
}
NOTE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "kind", "title", "about", "updated", "sources")
NOTES_NAME = "Ghi chú của bản tóm lược"
# A document's own provisions: a note must never take one of these shapes.
PROVISION_SHAPES = re.compile(
    r"^(#{1,6}\s|Điều\s+\d+\.|Chương\s+[IVXLC]+\.|Mục\s+[IVXLC\d]+\.|\d+\.\s|\d+\.\d+\.\s|[a-zđ]\)\s)"
)


def notes_document(updated: dt.date, path: Path) -> Document:
    """The pseudo-document that holds every note."""
    return Document(
        id=NOTES_DOC_ID,
        number="",
        kind="Ghi chú",
        title=NOTES_NAME,
        issuer="Nhóm soạn bản tóm lược",
        signer=None,
        signed=updated,
        effective=None,
        status=Status.IN_FORCE,
        applies_to="Ghi chú của dự án, không phải lời văn của văn bản nào.",
        text=TextKind.DIGEST,
        sources=(),
        path=path,
    )


def _note(
    path: Path, known_documents: set[str], *, strict: bool = True
) -> tuple[Provision, dt.date]:
    raw = read_text(path)
    lines = raw.removeprefix("\ufeff").splitlines()
    meta, body_start = split_front_matter(lines, path)
    problems: list[Problem] = []

    def bad(key: str | None, line: int | None, message: str, fix: str) -> None:
        where = line if line is not None else (field_line(lines, key) if key else 1)
        problems.append(Problem(path, where, message, fix))

    for key in REQUIRED:
        if key not in meta:
            bad(None, 1, f"ghi chú thiếu trường '{key}'", f"thêm dòng '{key}: …' vào phần đầu")
    if problems:
        raise KnowledgeError(problems)
    note_id = str(meta["id"])
    # A note may share a document's id ("kl-198-2025" the note, and the official Kết luận
    # 198 once ingested): it is cited as "ghi-chu/kl-198-2025", never as the document.
    if "/" in note_id or note_id.startswith(NOTES_DOC_ID):
        bad(
            "id",
            None,
            f"ghi chú '{note_id}' mang mã như một quy định của văn bản",
            "ghi chú không phải quy định: đặt mã ngắn không có '/' (ví dụ 'kl-198-2025'); "
            "trợ lý trích dẫn nó là 'ghi-chu/<mã>'",
        )
    elif not NOTE_ID.match(note_id):
        bad("id", None, f"mã ghi chú '{note_id}' sai mẫu", "dùng chữ thường, số và dấu '-'")
    if note_id != path.stem:
        bad("id", None, f"mã ghi chú '{note_id}' khác tên tệp", f"đặt tên tệp '{note_id}.md'")
    for extra in ("provision", "document", "article", "dieu"):
        if extra in meta:
            bad(
                extra,
                None,
                f"ghi chú khai báo trường '{extra}' như một quy định",
                "xóa trường này: ghi chú chỉ nói nó bàn về văn bản nào (trường 'about')",
            )
    kind = meta["kind"]
    if kind not in NOTE_KINDS:
        bad("kind", None, f"loại ghi chú '{kind}' không hợp lệ", f"dùng: {', '.join(NOTE_KINDS)}")
    about = meta["about"] if isinstance(meta["about"], list) else []
    if not strict:
        # A pack with only some of the documents: the note is read with those it has.
        about = [d for d in about if d in known_documents]
    for doc_id in about:
        if doc_id not in known_documents:
            bad("about", None, f"'about' nêu văn bản '{doc_id}' không có", "dùng mã văn bản có")
    if not about:
        bad("about", None, "'about' phải là danh sách mã văn bản", "ví dụ 'about: [qd-366-2025]'")
    sources = meta["sources"] if isinstance(meta["sources"], list) else []
    if not sources or not all(isinstance(s, str) and URL_RE.match(s) for s in sources):
        bad("sources", None, "'sources' phải là danh sách URL", "viết mỗi URL trên một dòng")
    updated = meta["updated"]
    if not isinstance(updated, dt.date):
        bad("updated", None, "'updated' phải là ngày YYYY-MM-DD", "ví dụ 'updated: 2026-12-01'")
        updated = dt.date.min

    text_lines: list[str] = []
    caveat: Caveat | None = None
    partial = ""
    citation = f"{str(meta['title']).strip()} — {NOTES_NAME}"
    pid = f"{NOTES_DOC_ID}/{note_id}"
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(">"):
            quoted = stripped.lstrip(">").strip()
            if m := MARKER.match(quoted):
                try:
                    kind_, note = parse_confidence(m.group(1))
                    caveat = Caveat(kind_, note, pid, str(meta["title"]).strip())
                except UnknownCaveatKind as exc:
                    bad(None, number, f"mức xác minh '{exc}' không có", f"dùng: {KINDS_HELP}")
            elif quoted.startswith("Chưa đầy đủ:"):
                partial = quoted.removeprefix("Chưa đầy đủ:").strip()
            else:
                bad(
                    None,
                    number,
                    "dòng '>' trong ghi chú không rõ loại",
                    "chỉ dùng '> Mức xác minh:' hoặc '> Chưa đầy đủ:'",
                )
            continue
        if PROVISION_SHAPES.match(stripped):
            bad(
                None,
                number,
                f"ghi chú có dòng mang dạng điều, khoản, mục: '{stripped[:40]}'",
                "ghi chú không phải quy định: viết thành câu hoặc ý gạch đầu dòng '- …'",
            )
            continue
        text_lines.append(("- " + stripped[2:].strip()) if stripped.startswith("- ") else stripped)
    if not text_lines:
        bad(None, body_start + 1, "ghi chú không có nội dung", "viết nội dung sau phần đầu")
    if problems:
        raise KnowledgeError(problems)
    if caveat is None:
        weak = Confidence.MULTI if len(sources) >= 2 else Confidence.SINGLE
        caveat = Caveat(weak, "", pid, str(meta["title"]).strip())
    text = "\n".join(text_lines)
    provision = Provision(
        id=pid,
        doc_id=NOTES_DOC_ID,
        kind=ProvisionKind.NOTE,
        number="",
        title=str(meta["title"]).strip(),
        label=str(meta["title"]).strip(),
        citation=citation,
        text=text,
        full_text=text,
        parent_id=None,
        ancestor_ids=(),
        children_ids=(),
        coverage=Coverage.PARTIAL if partial else Coverage.FULL,
        coverage_note=partial,
        notes=(f"Loại ghi chú: {NOTE_KINDS.get(kind, kind)}.",),
        sources=tuple(sources),
        line=body_start + 1,
        confidence=caveat.kind,
        caveats=(caveat,) if caveat.weak else (),
        about=tuple(about),
    )
    return provision, updated


def _about_loaded(path: Path, known_documents: set[str]) -> bool:
    try:
        lines = read_text(path).removeprefix("\ufeff").splitlines()
        meta, _ = split_front_matter(lines, path)
    except KnowledgeError:
        return True  # let the full parse report the problem
    about = meta.get("about")
    return not isinstance(about, list) or any(d in known_documents for d in about)


def load_notes(
    directory: Path,
    known_documents: set[str],
    extra: list[Provision] | None = None,
    *,
    strict: bool = False,
) -> tuple[DocumentTree | None, list[Problem]]:
    """Every note in `directory` (plus generated ones, e.g. the comparison rows of the
    old→new map) as one tree; problems are collected, not raised.

    Unless `strict` (quydinh check on the shipped digests), a note about documents that are
    not loaded at all is left out: it has nothing to be read with.
    """
    provisions: list[Provision] = []
    problems: list[Problem] = []
    dates: list[dt.date] = []
    files = sorted(directory.glob("*.md")) if directory.is_dir() else []
    for path in files:
        if not strict and not _about_loaded(path, known_documents):
            continue
        try:
            provision, updated = _note(path, known_documents, strict=strict)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        except yaml.YAMLError:  # split_front_matter reports YAML errors itself
            continue
        provisions.append(provision)
        dates.append(updated)
    provisions += extra or []
    if not provisions:
        return None, problems
    document = notes_document(max(dates, default=dt.date(2026, 12, 1)), directory)
    return DocumentTree(document=document, provisions=tuple(provisions)), problems
