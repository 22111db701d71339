"""The outline rendered as canonical Markdown (knowledge/FORMAT.md), with its front matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import yaml

from knowledge.ingest.grammar import sentence_case
from knowledge.ingest.layout import Closing, Header
from knowledge.ingest.outline import Part, label_of, own_label
from knowledge.types import DocumentTree, ProvisionKind, TextKind

MISSING_NOTE = (
    "văn bản chính thức đã nạp không có {label} (số thứ tự bị cách quãng); xin đối chiếu bản gốc."
)
EMPTY_NOTE = "văn bản chính thức đã nạp không có lời văn của {label}; xin đối chiếu bản gốc."


def _render_part(part: Part, out: list[str], warnings: list[str]) -> None:
    number, title = part.number, sentence_case(part.title)
    match part.kind:
        case ProvisionKind.CHAPTER:
            out += ["", f"## Chương {number}." + (f" {title}" if title else "")]
        case ProvisionKind.SECTION:
            out += ["", f"## {number}." + (f" {title}" if title else "")]
        case ProvisionKind.ARTICLE:
            out += ["", f"### Điều {number}." + (f" {title}" if title else "")]
        case ProvisionKind.SUBSECTION:
            out += ["", f"### {number}." + (f" {title}" if title else "")]
    lines = list(part.lines)
    if part.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT, ProvisionKind.SUBPOINT):
        marker = f"{number})" if part.kind is ProvisionKind.SUBPOINT else f"{number}."
        out.append(f"{marker} {lines.pop(0)}" if lines else marker)
    out += lines
    if part.missing:
        out.append("> Chưa có nội dung: " + MISSING_NOTE.format(label=own_label(part)))
    elif not part.lines and not part.children:
        label = label_of(part)
        out.append("> Chưa có nội dung: " + EMPTY_NOTE.format(label=label))
        warnings.append(f"{label} không có lời văn trong tệp đã nạp.")
    for child in part.children:
        _render_part(child, out, warnings)


class _PlainDumper(yaml.SafeDumper):
    """No YAML anchors: `signed` and `effective` are often the same date object."""

    def ignore_aliases(self, data) -> bool:
        return True


def render_markdown(meta: dict, preamble: Sequence[str], root: Part) -> tuple[str, list[str]]:
    """Canonical Markdown of an official text, and warnings about empty provisions.

    The preamble (căn cứ …) is kept as comments: it is the document's text but not a
    provision, and the format has no place for text before the first heading.
    """
    front = yaml.dump(meta, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000)
    out = ["---", front.rstrip("\n"), "---", "", f"# {meta['kind']} {meta['number']}"]
    if preamble:
        out.append("")
        out += [f"<!-- Phần mở đầu: {line.replace('-->', '->')} -->" for line in preamble]
    warnings: list[str] = []
    for child in root.children:
        _render_part(child, out, warnings)
    return "\n".join(out) + "\n", warnings


def front_matter(
    digest: DocumentTree,
    kind: str,
    header: Header,
    closing: Closing,
    effective: dt.date | None,
    structure: str,
) -> dict:
    """The official file's front matter: validity information from the digest, what the
    official text itself states (title, signer, dates) from the text."""
    d = digest.document
    subject = header.subject
    meta: dict = {
        "id": d.id,
        "number": d.number,
        "kind": kind,
        # "QUY ĐỊNH" + "về kiểm điểm …" reads as the digest's "Quy định về kiểm điểm …".
        "title": f"{kind} {subject[:1].lower()}{subject[1:]}" if subject else d.title,
        "issuer": d.issuer,
        "signer": closing.signer or d.signer,
        "signed": header.signed or d.signed,
        "effective": effective or d.effective,
        "status": d.status.value,
    }
    if d.replaced_by:
        rb = d.replaced_by
        meta["replaced_by"] = {"id": rb.id, "number": rb.number, "date": rb.date}
    if d.replaces:
        meta["replaces"] = d.replaces
    meta["applies_to"] = d.applies_to
    if d.guides:
        meta["guides"] = [{"id": g.id, "number": g.number} for g in d.guides]
    if d.status_note:
        meta["status_note"] = d.status_note
    meta["structure"] = structure
    meta["text"] = TextKind.OFFICIAL.value
    return meta


def new_front_matter(
    doc_id: str,
    kind: str,
    header: Header,
    closing: Closing,
    issuer: str,
    effective: dt.date | None,
    structure: str,
    relations: dict,
) -> dict:
    """The front matter of a document without a digest: everything from the text itself (its
    id from kind, number and year; its issuer from the letterhead and signature), and its
    validity relations (`knowledge.ingest.relations.relation_fields`)."""
    assert header.number and header.signed
    subject = header.subject
    meta: dict = {
        "id": doc_id,
        "number": header.number,
        "kind": kind,
        "title": f"{kind} {subject[:1].lower()}{subject[1:]}" if subject else kind,
        "issuer": issuer,
        "signer": closing.signer,
        "signed": header.signed,
        "effective": effective,
        "status": relations.get("status", "in_force"),
    }
    for key in ("replaced_by", "replaces"):
        if key in relations:
            meta[key] = relations[key]
    meta["applies_to"] = (
        f"Phạm vi áp dụng theo chính văn bản ({issuer}, ký ngày {header.signed:%d/%m/%Y}); "
        "trợ lý chưa có bản tóm lược của văn bản này."
    )
    if "guides" in relations:
        meta["guides"] = relations["guides"]
    meta["structure"] = structure
    meta["text"] = TextKind.OFFICIAL.value
    return meta


def with_relations(meta: dict, relations: dict) -> dict:
    """The front matter with other validity relations (from the upload page)."""
    kept = {k: v for k, v in meta.items() if k not in ("replaced_by", "replaces", "guides")}
    out: dict = {}
    for key, value in kept.items():
        out[key] = relations.get("status", value) if key == "status" else value
        if key == "status":
            out.update((k, relations[k]) for k in ("replaced_by", "replaces") if k in relations)
        if key == "applies_to" and "guides" in relations:
            out["guides"] = relations["guides"]
    return out
