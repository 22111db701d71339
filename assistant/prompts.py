"""Every fixed phrase a user reads, and the LLM prompt, in one place (shared by code and tests)."""

from __future__ import annotations

from knowledge.types import Document, Status

STATUS_LABELS = {
    Status.IN_FORCE: "Còn hiệu lực",
    Status.REPLACED: "Đã bị thay thế",
    Status.PARTLY_INAPPLICABLE: "Một phần không còn áp dụng",
}

TEXT_LABELS = {"digest": "bản tóm lược", "official": "văn bản chính thức"}


def status_text(document: Document) -> str:
    """One line on a document's validity, e.g. "Đã bị thay thế bởi 366-QĐ/TW ngày 30/08/2025"."""
    if document.status is Status.REPLACED and document.replaced_by:
        rb = document.replaced_by
        return f"Đã bị thay thế bởi {rb.number} ngày {rb.date:%d/%m/%Y}"
    return STATUS_LABELS[document.status]


def validity_warning(document: Document) -> str | None:
    """The warning shown whenever an answer cites a replaced or partly inapplicable text."""
    if document.status is Status.REPLACED and document.replaced_by:
        rb = document.replaced_by
        kind = "Quy định" if rb.id.startswith("qd-") else "Hướng dẫn"
        return (
            f"{document.name} đã được thay thế bởi {kind} {rb.number} ngày {rb.date:%d/%m/%Y}. "
            f"Nội dung trích dẫn chỉ áp dụng cho: {document.applies_to}"
        )
    if document.status is Status.PARTLY_INAPPLICABLE:
        return f"{document.name}: {document.status_note}"
    return None
