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
from knowledge.ingest.layout import Closing, Header
from knowledge.pack import document_files, parse_files
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


def resolve_document(
    header: Header, doc_id: str | None, digests: dict[str, DocumentTree], source: Path
) -> DocumentTree:
    """The digest the official text belongs to: `doc_id` checked against the header, or the
    document found from the number and year in the header.

    Raises:
        IngestError: unknown document, no number to detect it from, or a number (or year)
            that does not match `doc_id`.
    """
    known = ", ".join(sorted(digests))
    if doc_id is not None:
        if doc_id not in digests:
            raise IngestError(
                IngestFailure.UNKNOWN_DOCUMENT,
                f"Mã văn bản '{doc_id}' không có trong bộ văn bản. Các mã hợp lệ: {known}.",
            )
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
    wanted = normalise_number(header.number)
    candidates = [t for t in digests.values() if normalise_number(t.document.number) == wanted]
    if header.signed:
        candidates = [t for t in candidates if t.document.signed.year == header.signed.year]
    if len(candidates) != 1:
        dated = f" ngày {header.signed:%d/%m/%Y}" if header.signed else ""
        reason = "có nhiều văn bản cùng số" if candidates else "không có trong bộ văn bản"
        raise IngestError(
            IngestFailure.UNKNOWN_DOCUMENT,
            f"Văn bản số {header.number}{dated} trong tệp {source.name} {reason}. Cách sửa: "
            f"chỉ nạp văn bản của bộ ({known}), hoặc chỉ rõ bằng --doc <mã>.",
        )
    return candidates[0]


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
