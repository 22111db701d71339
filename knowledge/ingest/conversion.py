"""The whole conversion: lines → layout → outline → canonical Markdown checked by the parser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.identify import (
    check_party_document,
    check_title,
    effective_date,
    metadata_warnings,
    resolve_document,
)
from knowledge.ingest.layout import Closing, read_closing, read_header, split_layout, unwrap
from knowledge.ingest.limits import Limits
from knowledge.ingest.ocrfix import fix_structural_words
from knowledge.ingest.outline import NumberingGap, Outline, Part
from knowledge.ingest.render import front_matter, render_markdown
from knowledge.ingest.source import SourceText
from knowledge.parser import parse_text
from knowledge.types import DocumentTree, ProvisionKind


@dataclass(frozen=True)
class OfficialText:
    """An official text converted and checked by the parser, not yet written."""

    digest: DocumentTree
    tree: DocumentTree  # parsed from `markdown`; its document's path is where it goes
    markdown: str
    source: SourceText
    closing: Closing
    gaps: tuple[NumberingGap, ...]
    units_found: int  # articles (sections) met in the text, placeholders not counted
    chapters_found: int
    warnings: tuple[str, ...]

    @property
    def path(self) -> Path:
        return self.tree.document.path


def convert(
    source: SourceText,
    doc_id: str | None,
    digests: dict[str, DocumentTree],
    official_dir: Path,
    limits: Limits | None = None,
) -> OfficialText:
    """Recognise the layout of `source` and render it as a checked canonical document.

    Args:
        source: the file read to lines.
        doc_id: the document it must be, or None to detect it from the header.
        digests: the shipped digests by id (validity information is copied from them).
        official_dir: the folder the file is meant for (named in the parsed tree).
        limits: the most provisions one document may have (default `Limits()`).

    Raises:
        IngestError: the document cannot be identified or recognised, it is not a party
            document, its number and title name different documents, it has more provisions
            than the limit, or the result does not parse.
    """
    limits = limits or Limits()
    lines = list(source.lines)
    fixed = 0
    if source.ocr:
        lines, fixed = fix_structural_words(lines)
    lines = unwrap(lines) if source.wrapped else lines
    header = read_header(lines)
    check_party_document(lines, header, source.path)
    digest = resolve_document(header, doc_id, digests, source.path)
    check_title(header, digest, digests, source.path)
    document = digest.document
    if header.kind and header.kind != document.kind:
        raise IngestError(
            IngestFailure.NUMBER_MISMATCH,
            f"Tệp {source.path.name} là {header.kind.lower()}, nhưng {document.id} là "
            f"{document.kind.lower()}. Cách sửa: kiểm tra lại tệp hoặc mã --doc.",
        )
    kind = header.kind or document.kind
    preamble, body, closing_lines = split_layout(lines, header, kind)
    closing = read_closing(closing_lines)
    outline = Outline(kind, source.wrapped, ocr=source.ocr)
    root = outline.read(body)
    limits.check_provisions(source.path, _count_all(root))
    effective = effective_date(body, header.signed or document.signed)
    meta = front_matter(digest, kind, header, closing, effective, _structure(root, outline.guide))
    markdown, empty = render_markdown(meta, preamble, root)
    target = official_dir / f"{document.id}.md"
    try:
        tree = parse_text(markdown, target)
    except KnowledgeError as exc:
        details = "; ".join(f"dòng {p.line}: {p.message}" for p in exc.problems[:5])
        raise IngestError(
            IngestFailure.INVALID_RESULT,
            f"Không tạo được bản chuẩn hợp lệ từ tệp {source.path.name} ({details}); chưa ghi "
            "gì. Cách sửa: kiểm tra số thứ tự điều, khoản, điểm, tiết trong tệp, hoặc báo lỗi "
            "này kèm tệp.",
        ) from None
    unit_kind = ProvisionKind.SECTION if outline.guide else ProvisionKind.ARTICLE
    ocr_fixes = (
        [
            f"Đã sửa dấu ở {fixed} dòng do nhận dạng chữ đọc sai tại vị trí cấu trúc (đầu dòng "
            "Điều, Chương, Nơi nhận, tên loại văn bản, ngày tháng ở phần đầu); lời văn không "
            "bị sửa."
        ]
        if fixed
        else []
    )
    warnings = [
        *source.warnings,
        *ocr_fixes,
        *outline.warnings,
        *empty,
        *metadata_warnings(header, closing, document),
    ]
    return OfficialText(
        digest=digest,
        tree=tree,
        markdown=markdown,
        source=source,
        closing=closing,
        gaps=tuple(outline.gaps),
        units_found=_count(root, unit_kind),
        chapters_found=_count(root, ProvisionKind.CHAPTER),
        warnings=tuple(warnings),
    )


def _count_all(root: Part) -> int:
    """Every part of the outline: what the parser would make provisions of."""
    stack, total = list(root.children), 0
    while stack:
        part = stack.pop()
        total += 1
        stack.extend(part.children)
    return total


def _count(root: Part, kind: ProvisionKind, placeholders: bool = False) -> int:
    stack, total = list(root.children), 0
    while stack:
        part = stack.pop()
        total += part.kind is kind and (placeholders or not part.missing)
        stack.extend(part.children)
    return total


def _structure(root: Part, guide: bool) -> str:
    """The front matter's one line on the layout, e.g. "4 chương, 19 điều"."""
    if guide:
        return f"{_count(root, ProvisionKind.SECTION, True)} mục"
    chapters = _count(root, ProvisionKind.CHAPTER, True)
    articles = _count(root, ProvisionKind.ARTICLE, True)
    return (f"{chapters} chương, " if chapters else "") + f"{articles} điều"
