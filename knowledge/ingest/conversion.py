"""The whole conversion: lines → layout → outline → canonical Markdown checked by the parser."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.identify import (
    check_new_document,
    check_party_document,
    check_title,
    effective_date,
    header_id,
    kind_from_number,
    metadata_warnings,
    new_document_warnings,
    resolve_document,
)
from knowledge.ingest.issuer import read_issuer
from knowledge.ingest.layout import Closing, read_closing, read_header, split_layout, unwrap
from knowledge.ingest.limits import Limits
from knowledge.ingest.ocrfix import fix_structural_words
from knowledge.ingest.outline import NumberingGap, Outline, Part
from knowledge.ingest.relations import (
    Relations,
    check_relations,
    detect_relations,
    relation_fields,
)
from knowledge.ingest.render import front_matter, new_front_matter, render_markdown
from knowledge.ingest.render import with_relations as replace_relations
from knowledge.ingest.source import SourceText
from knowledge.parser import parse_text
from knowledge.registry import is_central
from knowledge.types import Document, DocumentTree, ProvisionKind


@dataclass(frozen=True)
class OfficialText:
    """An official text converted and checked by the parser, not yet written."""

    digest: DocumentTree | None  # what it is compared with: the digest, an earlier
    # official text of a document without a digest, or None for a document new to the pack
    tree: DocumentTree  # parsed from `markdown`; its document's path is where it goes
    markdown: str
    source: SourceText
    closing: Closing
    gaps: tuple[NumberingGap, ...]
    units_found: int  # articles (sections) met in the text, placeholders not counted
    chapters_found: int
    warnings: tuple[str, ...]
    meta: dict = field(default_factory=dict)  # the front matter, to render again
    preamble: tuple[str, ...] = ()
    root: Part | None = None
    relations: Relations = Relations()  # a document without a digest: as the text says
    documents: tuple[Document, ...] = ()  # the known documents relations may name

    @property
    def path(self) -> Path:
        return self.tree.document.path

    @property
    def new_document(self) -> bool:
        """No shipped digest: its metadata and relations come from the text and the user."""
        return self.digest is None or not self.digest.document.is_digest


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
        digests: the known documents by id (`identify.load_known`): the shipped digests,
            whose validity information is copied, and official texts without a digest.
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
    if digest is not None:
        check_title(header, digest, digests, source.path)
        document = digest.document
        if header.kind and header.kind != document.kind:
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.path.name} là {header.kind.lower()}, nhưng {document.id} là "
                f"{document.kind.lower()}. Cách sửa: kiểm tra lại tệp hoặc mã --doc.",
            )
        kind = header.kind or document.kind
    else:
        kind = header.kind or kind_from_number(header.number)
        check_new_document(header, kind, digests, source.path)
        assert kind is not None
    preamble, body, closing_lines = split_layout(lines, header, kind)
    closing = read_closing(closing_lines)
    outline = Outline(kind, source.wrapped, ocr=source.ocr)
    root = outline.read(body)
    limits.check_provisions(source.path, _count_all(root))
    structure = _structure(root, outline.guide)
    documents = tuple(t.document for t in digests.values())
    relations = Relations()
    if digest is not None:
        effective = effective_date(body, header.signed or digest.document.signed)
        meta = front_matter(digest, kind, header, closing, effective, structure)
        extra = metadata_warnings(header, closing, digest.document)
    else:
        assert header.number and header.signed
        effective = effective_date(body, header.signed)
        issuer = read_issuer(header, closing, is_central(header.number))
        new_id = header_id(header, kind)
        assert new_id is not None
        if doc_id is not None and doc_id != new_id:
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.path.name} là {kind.lower()} số {header.number} ngày "
                f"{header.signed:%d/%m/%Y}, mã của nó là {new_id}, không phải {doc_id}. Cách "
                "sửa: bỏ --doc để tự đặt mã, hoặc kiểm tra lại tệp.",
            )
        relations = detect_relations(kind, header.subject, preamble, body, documents)
        fields = relation_fields(relations, documents)
        meta = new_front_matter(
            new_id, kind, header, closing, issuer.name, effective, structure, fields
        )
        extra = new_document_warnings(header, closing, issuer.name, effective, relations, documents)
    target = official_dir / f"{meta['id']}.md"
    markdown, empty = render_markdown(meta, preamble, root)
    tree = _parse(markdown, target, source.path)
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
    warnings = [*source.warnings, *ocr_fixes, *outline.warnings, *empty, *extra]
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
        meta=meta,
        preamble=tuple(preamble),
        root=root,
        relations=relations,
        documents=documents,
    )


def with_relations(official: OfficialText, relations: Relations) -> OfficialText:
    """The same text with other validity relations (set on the upload page), checked by the
    parser again. Only a document without a digest takes relations: a digest's are kept.

    Raises:
        IngestError: the document has a digest, or a relation names an unknown document (or
            itself).
    """
    if relations == official.relations:
        return official
    doc_id = official.tree.document.id
    if not official.new_document:
        raise IngestError(
            IngestFailure.UNKNOWN_DOCUMENT,
            f"{official.tree.document.name} có bản tóm lược đi kèm: quan hệ hiệu lực của nó "
            "lấy từ bản tóm lược, không đặt lại được khi nạp.",
        )
    check_relations(relations, doc_id, official.documents)
    meta = replace_relations(official.meta, relation_fields(relations, official.documents))
    assert official.root is not None
    markdown, _ = render_markdown(meta, official.preamble, official.root)
    tree = _parse(markdown, official.path, official.source.path)
    return dataclasses.replace(
        official, tree=tree, markdown=markdown, meta=meta, relations=relations
    )


def _parse(markdown: str, target: Path, source: Path) -> DocumentTree:
    try:
        return parse_text(markdown, target)
    except KnowledgeError as exc:
        details = "; ".join(f"dòng {p.line}: {p.message}" for p in exc.problems[:5])
        raise IngestError(
            IngestFailure.INVALID_RESULT,
            f"Không tạo được bản chuẩn hợp lệ từ tệp {source.name} ({details}); chưa ghi "
            "gì. Cách sửa: kiểm tra số thứ tự điều, khoản, điểm, tiết trong tệp, hoặc báo lỗi "
            "này kèm tệp.",
        ) from None


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
