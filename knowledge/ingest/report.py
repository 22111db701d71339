"""The ingest report: what was loaded and how it compares with the digest."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.compare import Difference, side_by_side
from knowledge.ingest.conversion import OfficialText
from knowledge.ingest.outline import NumberingGap
from knowledge.ingest.readers import FORMAT_NAMES
from knowledge.ingest.relations import Relations
from knowledge.ingest.source import PageInfo
from knowledge.registry import uses_sections
from knowledge.types import DocumentTree, ProvisionKind


@dataclass(frozen=True)
class IngestReport:
    """What was loaded and how it compares with the digest of the same document."""

    doc_id: str
    number: str
    kind: str
    source: Path
    source_format: str
    path: Path  # the official file written
    replaced_existing: bool  # an earlier official file of this document was replaced
    unit_word: str  # "điều" or "mục"
    units: int  # articles (sections) found in the text, placeholders not counted
    chapters: int
    provisions: int  # every provision of the official file, the info block excluded
    gaps: tuple[NumberingGap, ...]
    missing_from_official: tuple[str, ...]  # digest ids without a counterpart
    new_in_official: tuple[str, ...]  # official ids the digest does not have
    renumbered: bool  # the digest used section/ordinal ids because article numbers were unknown
    signer: str | None
    signer_capacity: tuple[str, ...]
    signed: dt.date
    effective: dt.date | None
    warnings: tuple[str, ...]
    pages: tuple[PageInfo, ...] = ()  # empty for formats without pages
    title: str = ""
    issuer: str = ""
    # What the text was compared with: "digest", "official" (an earlier official text of a
    # document without a digest) or "" (a document new to the pack).
    compared_with: str = "digest"
    differences: tuple[Difference, ...] = ()  # side by side with what it was compared with
    relations: Relations = Relations()  # of a document without a digest
    relation_names: tuple[tuple[str, str], ...] = ()  # id → name of the related documents
    written: bool = True  # False for a preview (the upload page, before it is confirmed)

    @property
    def new_document(self) -> bool:
        return self.compared_with != "digest"

    @property
    def ocr(self) -> bool:
        return any(page.ocr for page in self.pages)

    @property
    def low_confidence_pages(self) -> tuple[int, ...]:
        return tuple(page.number for page in self.pages if page.low_confidence)


def compare_ids(digest: DocumentTree | None, official: DocumentTree) -> tuple[list[str], list[str]]:
    """Digest ids missing from the official text, and official ids new to the digest, each in
    reading order (the generated info block is left out: both have it)."""
    provisions = digest.provisions if digest is not None else ()
    digest_ids = [p.id for p in provisions if p.kind is not ProvisionKind.INFO]
    official_ids = [p.id for p in official.provisions if p.kind is not ProvisionKind.INFO]
    in_digest, in_official = set(digest_ids), set(official_ids)
    return (
        [i for i in digest_ids if i not in in_official],
        [i for i in official_ids if i not in in_digest],
    )


# Ids a digest makes from sections and ordinals when it does not know the article numbers.
ORDINAL_SEGMENTS = re.compile(r"/(muc-[ivx]+|nhiem-vu-\d+|quan-he-\d+|noi-dung-\d+)(/|$)")


def build_report(
    official: OfficialText, replaced_existing: bool = False, written: bool = True
) -> IngestReport:
    """Compare an official text with its digest and collect what the user must know."""
    missing, new = compare_ids(official.digest, official.tree)
    document = official.tree.document
    guide = uses_sections(document.kind)
    base = official.digest.document if official.digest is not None else None
    names = {d.id: d.name for d in official.documents}
    related = [official.relations.replaces, official.relations.replaced_by]
    related += list(official.relations.guides)
    return IngestReport(
        title=document.title,
        issuer=document.issuer,
        compared_with="" if base is None else ("digest" if base.is_digest else "official"),
        differences=side_by_side(official.digest, official.tree),
        relations=official.relations,
        relation_names=tuple((i, names.get(i, i)) for i in related if i),
        written=written,
        doc_id=document.id,
        number=document.number,
        kind=document.kind,
        source=official.source.path,
        source_format=official.source.format,
        path=official.path,
        replaced_existing=replaced_existing,
        unit_word="mục" if guide else "điều",
        units=official.units_found,
        chapters=official.chapters_found,
        provisions=sum(p.kind is not ProvisionKind.INFO for p in official.tree.provisions),
        gaps=official.gaps,
        missing_from_official=tuple(missing),
        new_in_official=tuple(new),
        renumbered=any(ORDINAL_SEGMENTS.search(i) for i in missing),
        signer=official.closing.signer,
        signer_capacity=official.closing.capacity,
        signed=document.signed,
        effective=document.effective,
        warnings=official.warnings,
        pages=official.source.pages,
    )


# How many new ids to print: a full official text adds hundreds of khoản/điểm to a digest.
MAX_NEW_IDS_SHOWN = 30


def format_report(report: IngestReport) -> str:
    """The report printed after `quydinh ingest`, in Vietnamese."""
    r = report
    fmt = FORMAT_NAMES.get(r.source_format, r.source_format)
    done = "Đã nạp" if r.written else "Đã đọc (chưa ghi)"
    lines = [f"{done} {r.kind} {r.number} ({r.doc_id}) từ tệp {r.source.name} ({fmt})."]
    if r.new_document:
        lines.append(f"Văn bản chưa có bản tóm lược: {r.title}; cơ quan ban hành: {r.issuer}.")
        lines.append(relations_line(r))
    if r.pages:
        lines.append(_pages_line(r))
    signer = r.signer or "không thấy trong tệp"
    if r.signer and r.signer_capacity:
        signer += f" ({', '.join(r.signer_capacity)})"
    effective = f"{r.effective:%d/%m/%Y}" if r.effective else "chưa xác minh"
    lines.append(f"Người ký: {signer}; ngày ký: {r.signed:%d/%m/%Y}; hiệu lực từ: {effective}.")
    found = f"{r.chapters} chương, " if r.chapters else ""
    lines.append(f"Tìm thấy: {found}{r.units} {r.unit_word}; tổng cộng {r.provisions} quy định.")
    if r.gaps:
        lines.append(f"Số thứ tự bị cách quãng trong văn bản chính thức ({len(r.gaps)} chỗ):")
        lines += [f"  - {gap}" for gap in r.gaps]
        lines.append(
            "  Số bị thiếu được giữ chỗ với dấu 'Chưa có nội dung'; xin đối chiếu bản gốc."
        )
    else:
        lines.append("Số thứ tự: liên tục, không có chỗ cách quãng.")
    base = BASE_WORDS.get(r.compared_with, "")
    if not base:
        lines.append(f"Các quy định của văn bản ({len(r.new_in_official)} mã):")
        lines += [f"  - {i}" for i in r.new_in_official[:MAX_NEW_IDS_SHOWN]]
        if len(r.new_in_official) > MAX_NEW_IDS_SHOWN:
            lines.append(f"  … và {len(r.new_in_official) - MAX_NEW_IDS_SHOWN} mã khác.")
    elif r.missing_from_official:
        lines.append(
            f"Có trong {base} nhưng không có trong văn bản chính thức "
            f"({len(r.missing_from_official)} mã):"
        )
        lines += [f"  - {i}" for i in r.missing_from_official]
        if r.renumbered:
            lines.append(
                "  Bản tóm lược đánh mã theo mục và số thứ tự nội dung vì chưa biết số điều; "
                f"văn bản chính thức dùng số điều thật ({r.doc_id}/dieu-n), nên các mã trên "
                "không có mã tương ứng. Điều này là dự kiến; trích dẫn, câu hỏi đánh giá và "
                "phản hồi còn dùng các mã này cần chuyển sang mã điều."
            )
    else:
        lines.append(f"Mọi mã của {base} đều có trong văn bản chính thức.")
    if base and r.new_in_official:
        lines.append(
            f"Có trong văn bản chính thức nhưng không có trong {base} "
            f"({len(r.new_in_official)} mã):"
        )
        lines += [f"  - {i}" for i in r.new_in_official[:MAX_NEW_IDS_SHOWN]]
        if len(r.new_in_official) > MAX_NEW_IDS_SHOWN:
            lines.append(f"  … và {len(r.new_in_official) - MAX_NEW_IDS_SHOWN} mã khác.")
    lines += [f"Lưu ý: {warning}" for warning in r.warnings]
    replaced = " (thay bản chính thức đã nạp trước đó)" if r.replaced_existing else ""
    if r.written:
        lines.append(f"Đã ghi: {r.path}{replaced}. Bản tóm lược đi kèm giữ nguyên.")
    else:
        lines.append(f"Chưa ghi gì; khi xác nhận sẽ ghi vào: {r.path}{replaced}.")
    return "\n".join(lines)


BASE_WORDS = {"digest": "bản tóm lược", "official": "bản chính thức đã nạp trước"}


def relations_line(r: IngestReport) -> str:
    """ "Quan hệ hiệu lực: hướng dẫn thực hiện Quy định 124-QĐ/TW." (or none stated)."""
    names = dict(r.relation_names)
    rel = r.relations
    parts = []
    if rel.replaces:
        parts.append(f"thay thế {names.get(rel.replaces, rel.replaces)}")
    if rel.replaced_by:
        parts.append(f"đã bị thay thế bởi {names.get(rel.replaced_by, rel.replaced_by)}")
    if rel.guides:
        parts.append("hướng dẫn thực hiện " + ", ".join(names.get(g, g) for g in rel.guides))
    return "Quan hệ hiệu lực: " + ("; ".join(parts) if parts else "chưa nêu") + "."


def _pages_line(r: IngestReport) -> str:
    """Pages, and for a scan the recognition: "3 trang, nhận dạng chữ (OCR) 3 trang, độ tin
    cậy trung bình 91%; trang 2 xoay 180°"."""
    recognised = [p for p in r.pages if p.ocr]
    if not recognised:
        return f"Số trang: {len(r.pages)} (lớp chữ của PDF)."
    scores = [p.confidence for p in recognised if p.confidence is not None]
    mean = f", độ tin cậy trung bình {sum(scores) / len(scores):.0f}%" if scores else ""
    turned = [f"trang {p.number} xoay {p.rotation}°" for p in recognised if p.rotation]
    turned += [f"trang {p.number} trắng" for p in recognised if p.blank]
    low = r.low_confidence_pages
    flagged = f"; độ tin cậy thấp: trang {', '.join(map(str, low))}" if low else ""
    extra = f"; {', '.join(turned)}" if turned else ""
    return (
        f"Số trang: {len(r.pages)}; nhận dạng chữ (OCR) {len(recognised)} trang{mean}"
        f"{extra}{flagged}."
    )


def report_json(report: IngestReport) -> dict:
    """The report as JSON-ready data (`quydinh ingest --json`, the upload page)."""
    r = report
    return {
        "document_id": r.doc_id,
        "number": r.number,
        "kind": r.kind,
        "source": str(r.source),
        "format": r.source_format,
        "path": str(r.path),
        "replaced_existing": r.replaced_existing,
        "unit_word": r.unit_word,
        "articles": r.units,
        "chapters": r.chapters,
        "provisions": r.provisions,
        "pages": len(r.pages) if r.pages else None,
        "ocr": r.ocr,
        "low_confidence_pages": list(r.low_confidence_pages),
        "page_details": [
            {
                "page": p.number,
                "ocr": p.ocr,
                "confidence": p.confidence,
                "low_confidence": p.low_confidence,
                "rotation": p.rotation,
                "skew": p.skew,
                "words": p.words,
                "blank": p.blank,
            }
            for p in r.pages
        ],
        "numbering_gaps": [
            {"where": g.where, "missing": list(g.missing), "found": g.found, "text": str(g)}
            for g in r.gaps
        ],
        "missing_from_official": list(r.missing_from_official),
        "new_in_official": list(r.new_in_official),
        "renumbered": r.renumbered,
        "signer": r.signer,
        "signer_capacity": list(r.signer_capacity),
        "signed": r.signed.isoformat(),
        "effective": r.effective.isoformat() if r.effective else None,
        "warnings": list(r.warnings),
        "title": r.title,
        "issuer": r.issuer,
        "new_document": r.new_document,
        "compared_with": r.compared_with or None,
        "relations": {
            "replaces": r.relations.replaces,
            "replaced_by": r.relations.replaced_by,
            "guides": list(r.relations.guides),
        },
        "differences": [
            {"id": d.id, "label": d.label, "change": d.change, "before": d.before, "after": d.after}
            for d in r.differences
        ],
        "written": r.written,
    }
