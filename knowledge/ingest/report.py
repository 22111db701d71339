"""The ingest report: what was loaded and how it compares with the digest."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.conversion import OfficialText
from knowledge.ingest.outline import NumberingGap
from knowledge.ingest.readers import FORMAT_NAMES
from knowledge.ingest.source import PageInfo
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

    @property
    def ocr(self) -> bool:
        return any(page.ocr for page in self.pages)

    @property
    def low_confidence_pages(self) -> tuple[int, ...]:
        return tuple(page.number for page in self.pages if page.low_confidence)


def compare_ids(digest: DocumentTree, official: DocumentTree) -> tuple[list[str], list[str]]:
    """Digest ids missing from the official text, and official ids new to the digest, each in
    reading order (the generated info block is left out: both have it)."""
    digest_ids = [p.id for p in digest.provisions if p.kind is not ProvisionKind.INFO]
    official_ids = [p.id for p in official.provisions if p.kind is not ProvisionKind.INFO]
    in_digest, in_official = set(digest_ids), set(official_ids)
    return (
        [i for i in digest_ids if i not in in_official],
        [i for i in official_ids if i not in in_digest],
    )


# Ids a digest makes from sections and ordinals when it does not know the article numbers.
ORDINAL_SEGMENTS = re.compile(r"/(muc-[ivx]+|nhiem-vu-\d+|quan-he-\d+|noi-dung-\d+)(/|$)")


def build_report(official: OfficialText, replaced_existing: bool = False) -> IngestReport:
    """Compare an official text with its digest and collect what the user must know."""
    missing, new = compare_ids(official.digest, official.tree)
    document = official.tree.document
    guide = document.kind == "Hướng dẫn"
    return IngestReport(
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
    lines = [f"Đã nạp {r.kind} {r.number} ({r.doc_id}) từ tệp {r.source.name} ({fmt})."]
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
    if r.missing_from_official:
        lines.append(
            "Có trong bản tóm lược nhưng không có trong văn bản chính thức "
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
        lines.append("Mọi mã của bản tóm lược đều có trong văn bản chính thức.")
    if r.new_in_official:
        lines.append(
            "Có trong văn bản chính thức nhưng không có trong bản tóm lược "
            f"({len(r.new_in_official)} mã):"
        )
        lines += [f"  - {i}" for i in r.new_in_official[:MAX_NEW_IDS_SHOWN]]
        if len(r.new_in_official) > MAX_NEW_IDS_SHOWN:
            lines.append(f"  … và {len(r.new_in_official) - MAX_NEW_IDS_SHOWN} mã khác.")
    lines += [f"Lưu ý: {warning}" for warning in r.warnings]
    replaced = " (thay bản chính thức đã nạp trước đó)" if r.replaced_existing else ""
    lines.append(f"Đã ghi: {r.path}{replaced}. Bản tóm lược đi kèm giữ nguyên.")
    return "\n".join(lines)


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
    }
