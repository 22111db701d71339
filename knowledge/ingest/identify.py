"""Which document an official text is (number, year, --doc) and what its metadata says."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.grammar import (
    EFFECTIVE_ON_DATE,
    EFFECTIVE_ON_SIGNING,
    SRC_ARTICLE,
    SRC_CHAPTER,
    fold,
    normalise_number,
)
from knowledge.ingest.issuer import issuer_place
from knowledge.ingest.layout import Closing, Header
from knowledge.pack import document_files, parse_files
from knowledge.registry import BY_CODE, NUMBER, document_id, is_central
from knowledge.types import Document, DocumentTree


def load_digests(documents_dir: Path) -> dict[str, DocumentTree]:
    """The shipped digests, by id.

    Raises:
        KnowledgeError: when a digest cannot be parsed.
    """
    trees, problems = parse_files(document_files(documents_dir))
    if problems:
        raise KnowledgeError(problems)
    return {t.document.id: t for t in trees}


def load_known(documents_dir: Path, official_dir: Path | None) -> dict[str, DocumentTree]:
    """The documents an official text is identified against: the shipped digests, and the
    official texts of documents without a digest ingested earlier (so that ingesting one
    again keeps its id and its relations). An official file that does not parse is left
    out here; loading the pack reports it.

    Raises:
        KnowledgeError: when a digest cannot be parsed.
    """
    known = load_digests(documents_dir)
    if official_dir is not None:
        trees, _ = parse_files(document_files(official_dir))
        known.update((t.document.id, t) for t in trees if t.document.id not in known)
    return known


def kind_from_number(number: str | None) -> str | None:
    """ "198-KL/TW" → "Kết luận": the kind a number's code names."""
    m = NUMBER.search(number or "")
    return BY_CODE[m.group(2)].name if m else None


def header_id(header: Header, kind: str | None) -> str | None:
    """The id the header gives a document: kind, number, year and, when it is not central,
    the issuer's level and place (knowledge.registry.document_id)."""
    kind = kind or header.kind or kind_from_number(header.number)
    if not (kind and header.number and header.signed):
        return None
    place = None if is_central(header.number) else issuer_place(header)
    return document_id(kind, header.number, header.signed.year, place)


def resolve_document(
    header: Header, doc_id: str | None, digests: dict[str, DocumentTree], source: Path
) -> DocumentTree | None:
    """The known document the official text belongs to: `doc_id` checked against the header,
    or the document found from the number and year in the header; None for a document that
    is not known yet (its id comes from its header, see `check_new_document`).

    Raises:
        IngestError: no number to identify it by, a number (or year) that does not match
            `doc_id`, or a number that several known documents share.
    """
    known = ", ".join(sorted(digests))
    if doc_id is not None and doc_id in digests:
        digest = digests[doc_id]
        document = digest.document
        if header.number and normalise_number(header.number) != normalise_number(document.number):
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.name} là văn bản số {header.number}, không phải {document.number} "
                f"({doc_id}). Cách sửa: kiểm tra lại tệp, hoặc bỏ --doc để tự nhận văn bản.",
            )
        if header.signed and header.signed.year != document.signed.year:
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Tệp {source.name} ghi ngày {header.signed:%d/%m/%Y}, nhưng {document.name} "
                f"({doc_id}) ký năm {document.signed.year}: có thể là văn bản cùng số của năm "
                "khác. Cách sửa: kiểm tra lại tệp.",
            )
        return digest
    if not header.number:
        raise IngestError(
            IngestFailure.NO_NUMBER,
            f"Không tìm thấy số hiệu (ví dụ 'Số 124-QĐ/TW') ở phần đầu tệp {source.name}. "
            f"Cách sửa: chỉ rõ văn bản bằng --doc <mã> (các mã: {known}).",
        )
    if doc_id is not None:
        return None  # a new document: its id is checked against its header
    wanted = normalise_number(header.number)
    candidates = [t for t in digests.values() if normalise_number(t.document.number) == wanted]
    if header.signed:
        candidates = [t for t in candidates if t.document.signed.year == header.signed.year]
    if len(candidates) > 1:
        own = header_id(header, None)
        candidates = [t for t in candidates if t.document.id == own] or candidates
    if len(candidates) > 1:
        raise IngestError(
            IngestFailure.UNKNOWN_DOCUMENT,
            f"Văn bản số {header.number} trong tệp {source.name} có nhiều văn bản cùng số "
            f"({', '.join(t.document.id for t in candidates)}). Cách sửa: chỉ rõ bằng --doc "
            "<mã>.",
        )
    return candidates[0] if candidates else None


def check_new_document(
    header: Header, kind: str | None, known: dict[str, DocumentTree], source: Path
) -> None:
    """Refuse a document without a digest whose header cannot give it an id, or whose title
    and signing date are those of a known document under another number (a mistyped number,
    not a new document).

    Raises:
        IngestError: no kind, no signing date, or a known document's title and date.
    """
    dated = f" ngày {header.signed:%d/%m/%Y}" if header.signed else ""
    if kind is None:
        raise IngestError(
            IngestFailure.NO_LAYOUT,
            f"Không nhận ra loại văn bản số {header.number} trong tệp {source.name}: không "
            "thấy tên loại (QUY ĐỊNH, HƯỚNG DẪN, KẾT LUẬN, CHỈ THỊ) dưới số hiệu. Cách sửa: "
            "kiểm tra phần đầu của tệp.",
        )
    if header.signed is None:
        raise IngestError(
            IngestFailure.NO_NUMBER,
            f"Văn bản số {header.number} trong tệp {source.name} không có bộ văn bản đi kèm và "
            "không thấy ngày ký ở phần đầu (ví dụ 'Hà Nội, ngày 08 tháng 10 năm 2025'): cần "
            "năm ký để đặt mã văn bản. Cách sửa: kiểm tra phần đầu của tệp.",
        )
    if not header.subject:
        return
    for tree in known.values():
        document = tree.document
        if (
            document.signed == header.signed
            and document.kind == kind
            and title_similarity(header.subject, document) >= SAME_TITLE
        ):
            raise IngestError(
                IngestFailure.NUMBER_MISMATCH,
                f"Văn bản số {header.number}{dated} trong tệp {source.name} có tên và ngày ký "
                f"của {document.name} ({document.id}) nhưng số hiệu khác: số hiệu hoặc tên văn "
                "bản bị nhầm, nên chưa ghi gì. Cách sửa: đối chiếu số hiệu với bản gốc rồi nạp "
                "lại.",
            )


PARTY_LETTERHEAD = "dang cong san viet nam"


def check_party_document(lines: Sequence[str], header: Header, source: Path) -> None:
    """Refuse text with none of the marks of a party document.

    A party document has at least one of: a number ("Số 124-QĐ/TW"), a title word ("QUY
    ĐỊNH", "HƯỚNG DẪN"), the letterhead "ĐẢNG CỘNG SẢN VIỆT NAM", or numbered articles or
    chapters. A photo of something else (a receipt, a newspaper page) has none.

    Raises:
        IngestError: none of these marks is in the text.
    """
    if header.number or header.kind:
        return
    if any(fold(line) == PARTY_LETTERHEAD for line in lines[:40]):
        return
    if any(SRC_ARTICLE.match(line) or SRC_CHAPTER.match(line) for line in lines):
        return
    raise IngestError(
        IngestFailure.NOT_PARTY_DOCUMENT,
        f"Tệp {source.name} không phải văn bản của Đảng: không thấy số hiệu (ví dụ 'Số "
        "124-QĐ/TW'), tên loại văn bản (QUY ĐỊNH, HƯỚNG DẪN), dòng 'ĐẢNG CỘNG SẢN VIỆT NAM' "
        "hay điều, chương đánh số. Cách sửa: chọn đúng tệp văn bản (bản quét hoặc ảnh chụp "
        "các trang của văn bản, kể cả trang đầu có số hiệu).",
    )


# Two titles are the same document's when this share of their words is common; a title that
# shares less than NOT_SAME with its number's document but SAME with another names the other.
SAME_TITLE = 0.6
NOT_SAME_TITLE = 0.4


def _title_words(text: str, kind: str) -> set[str]:
    words = re.findall(r"\w+", fold(text))
    prefix = fold(kind).split()
    if words[: len(prefix)] == prefix:  # the digest's title starts with its kind
        words = words[len(prefix) :]
    return set(words)


def title_similarity(subject: str, document: Document) -> float:
    """Share of words common to the subject line of a text and a document's title (Jaccard)."""
    a, b = _title_words(subject, document.kind), _title_words(document.title, document.kind)
    return len(a & b) / len(a | b) if a | b else 0.0


def check_title(
    header: Header, digest: DocumentTree, digests: dict[str, DocumentTree], source: Path
) -> None:
    """Refuse a text whose number names one document and whose title names another.

    Raises:
        IngestError: the subject line matches another document's title, not this one's.
    """
    if not header.subject:
        return
    document = digest.document
    own = title_similarity(header.subject, document)
    others = [
        (title_similarity(header.subject, t.document), t.document)
        for t in digests.values()
        if t.document.id != document.id
    ]
    if not others:
        return
    best, other = max(others, key=lambda pair: pair[0])
    if own >= NOT_SAME_TITLE or best < SAME_TITLE:
        return
    subject = header.subject if len(header.subject) <= 90 else header.subject[:87] + "…"
    raise IngestError(
        IngestFailure.TITLE_MISMATCH,
        f"Tệp {source.name} ghi số {header.number or document.number} ({document.id}), nhưng "
        f"tên văn bản trong tệp ('{subject}') là tên của {other.kind} {other.number} "
        f"({other.id}): số hiệu hoặc tên văn bản bị nhầm, nên chưa ghi gì. Cách sửa: đối chiếu "
        "tệp với bản gốc; sửa số hiệu hoặc tên văn bản cho đúng, rồi nạp lại.",
    )


def effective_date(body: Sequence[str], signed: dt.date) -> dt.date | None:
    text = " ".join(body)
    if EFFECTIVE_ON_SIGNING.search(text):
        return signed
    if m := EFFECTIVE_ON_DATE.search(text):
        day, month, year = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day)
    return None


def metadata_warnings(header: Header, closing: Closing, document: Document) -> list[str]:
    warnings = []
    if header.number is None:
        warnings.append("Không thấy số hiệu ở phần đầu tệp; văn bản được xác định theo --doc.")
    if header.signed is None:
        warnings.append(
            f"Không thấy ngày ký ở phần đầu tệp; giữ ngày {document.signed:%d/%m/%Y} "
            "của bản tóm lược."
        )
    elif header.signed != document.signed:
        warnings.append(
            f"Ngày ký trong tệp ({header.signed:%d/%m/%Y}) khác bản tóm lược "
            f"({document.signed:%d/%m/%Y}); bản chính thức dùng ngày trong tệp."
        )
    if closing.signer is None:
        warnings.append("Không thấy tên người ký ở cuối tệp; giữ theo bản tóm lược.")
    elif document.signer and closing.signer != document.signer:
        warnings.append(
            f"Người ký trong tệp ({closing.signer}) khác bản tóm lược ({document.signer})."
        )
    if closing.ignored_after_signer:
        warnings.append(
            f"Bỏ qua {closing.ignored_after_signer} dòng sau chữ ký (phụ lục, mẫu biểu…): "
            "chúng không được nạp thành quy định."
        )
    return warnings


def new_document_warnings(
    header: Header,
    closing: Closing,
    issuer: str,
    effective: dt.date | None,
    relations,
    documents: Sequence[Document],
) -> list[str]:
    """What the user should check about a document without a digest: its metadata come from
    the text alone."""
    names = {d.id: d.name for d in documents}
    warnings = [
        "Văn bản mới, chưa có bản tóm lược: mã, cơ quan ban hành và quan hệ hiệu lực được lấy "
        f"từ chính văn bản (cơ quan ban hành: {issuer}); xin kiểm tra lại."
    ]
    if closing.signer is None:
        warnings.append("Không thấy tên người ký ở cuối tệp; người ký để trống.")
    if effective is None:
        warnings.append("Không thấy ngày có hiệu lực trong văn bản; ghi là chưa xác minh.")
    if relations.guides:
        guided = ", ".join(names.get(g, g) for g in relations.guides)
        warnings.append(f"Theo tên văn bản, đây là văn bản hướng dẫn thực hiện {guided}.")
    if relations.replaces:
        warnings.append(f"Theo lời văn, văn bản này thay thế {names[relations.replaces]}.")
    if closing.ignored_after_signer:
        warnings.append(
            f"Bỏ qua {closing.ignored_after_signer} dòng sau chữ ký (phụ lục, mẫu biểu…): "
            "chúng không được nạp thành quy định."
        )
    return warnings
