"""The front matter of a document file: YAML between two '---' lines, turned into a
`Document` (see knowledge/FORMAT.md). Every problem names the file, the line and the fix."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from knowledge.caveats import KINDS_HELP, UnknownCaveatKind, parse_confidence
from knowledge.errors import KnowledgeError, Problem
from knowledge.registry import DOC_ID as DOC_ID_RE
from knowledge.registry import KIND_NAMES
from knowledge.types import Caveat, Declared, Document, Guided, ReplacedBy, Status, TextKind

URL_RE = re.compile(r"^https?://\S+$")

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
    "declared",
    "caveats",
    "guides",
)
# How a front-matter fact is named to readers when it carries a caveat.
FIELD_LABELS = {
    "number": "Số hiệu",
    "issuer": "Cơ quan ban hành",
    "signer": "Người ký",
    "signed": "Ngày ký",
    "effective": "Ngày có hiệu lực",
    "replaces": "Văn bản bị thay thế",
    "replaced_by": "Văn bản thay thế",
    "structure": "Bố cục",
    "status": "Tình trạng",
}
DECLARED_FIELDS = ("chapters", "articles", "sections", "sections_min")


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


def split_front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
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


def field_line(lines: list[str], key: str) -> int:
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
            field_line(lines, key),
            f"trường '{key}' phải là ngày dạng YYYY-MM-DD, đang là {value!r}",
            f"viết ví dụ '{key}: 2023-10-04'",
        )
    )
    return None


def document_from_meta(meta: dict, lines: list[str], path: Path) -> Document:
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path, field_line(lines, key), message, fix))

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
        bad(
            "id",
            f"mã văn bản '{doc_id}' sai mẫu",
            "dùng dạng 'qd-124-2023', 'hd-25-2023', 'kl-198-2025' (loại-số-năm), thêm cấp và "
            "địa phương với văn bản không phải của Trung ương: 'qd-31-2023-tu-dong-nai'",
        )
    for key in ("number", "title", "issuer", "applies_to"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            bad(key, f"trường '{key}' phải là một chuỗi không rỗng", f"điền giá trị cho '{key}'")
    if meta["kind"] not in KIND_NAMES:
        bad(
            "kind",
            f"loại văn bản '{meta['kind']}' không hợp lệ",
            "dùng một trong: " + ", ".join(f"'{k}'" for k in KIND_NAMES),
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
    declared = _declared(meta.get("declared"), bad)
    caveats = _caveats(doc_id, meta.get("caveats"), bad)
    guides = _guides(meta.get("guides"), bad)
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
        declared=declared,
        caveats=caveats,
        guides=guides,
    )


def _guides(raw, bad) -> tuple[Guided, ...]:
    """`guides: [{id: qd-124-2023, number: 124-QĐ/TW}]`: the documents it guides."""
    if raw is None:
        return ()
    fix = "viết 'guides:' rồi mỗi văn bản một dòng '  - {id: qd-124-2023, number: 124-QĐ/TW}'"
    if not isinstance(raw, list):
        bad("guides", "trường 'guides' phải là danh sách văn bản", fix)
        return ()
    out = []
    for item in raw:
        if (
            not isinstance(item, dict)
            or not {"id", "number"} <= set(item)
            or not DOC_ID_RE.match(str(item["id"]))
        ):
            bad("guides", f"mục {item!r} của 'guides' phải có id (mã văn bản) và number", fix)
            continue
        out.append(Guided(str(item["id"]), str(item["number"]).strip()))
    return tuple(out)


def _declared(raw, bad) -> Declared | None:
    """`declared: {chapters: 4, articles: 19}`: the real document's confirmed structure."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        bad(
            "declared",
            "trường 'declared' phải là các cặp 'khóa: số'",
            "viết ví dụ 'declared: {chapters: 4, articles: 19}' (khóa: "
            + ", ".join(DECLARED_FIELDS)
            + ")",
        )
        return None
    values = {}
    for key, value in raw.items():
        if key not in DECLARED_FIELDS:
            bad(
                "declared",
                f"khóa '{key}' của 'declared' không có trong định dạng",
                f"dùng các khóa: {', '.join(DECLARED_FIELDS)}",
            )
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            bad("declared", f"'declared.{key}' phải là số nguyên dương", f"ví dụ '{key}: 19'")
        else:
            values[key] = value
    return Declared(**values)


def _caveats(doc_id: str, raw, bad) -> tuple[tuple[str, Caveat], ...]:
    """`caveats: {signer: "một nguồn — …"}`: front-matter facts resting on weak sources."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        bad(
            "caveats",
            "trường 'caveats' phải là các cặp 'trường: mức xác minh'",
            "viết ví dụ 'caveats: {signer: \"một nguồn — chỉ một trang nêu người ký\"}'",
        )
        return ()
    out = []
    for field_name, text in raw.items():
        if field_name not in FIELD_LABELS:
            bad(
                "caveats",
                f"'caveats' nói về trường '{field_name}' không có trong phần đầu",
                f"dùng một trong: {', '.join(FIELD_LABELS)}",
            )
            continue
        try:
            kind, note = parse_confidence(str(text))
        except UnknownCaveatKind as exc:
            bad(
                "caveats",
                f"mức xác minh '{exc}' của trường '{field_name}' không có trong danh sách",
                f"dùng một trong: {KINDS_HELP} (ghi chú sau dấu '—')",
            )
            continue
        out.append(
            (
                field_name,
                Caveat(kind, note, f"{doc_id}/thong-tin#{field_name}", FIELD_LABELS[field_name]),
            )
        )
    return tuple(out)
