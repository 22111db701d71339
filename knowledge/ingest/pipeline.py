"""`ingest_file` and `remove_ingested`: the library functions the CLI and the upload page
call. The upload page reads first (`read_official`: nothing is written, the user sees the
report) and writes once the user confirms (`write_official`); `ingest_file` does both."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.conversion import OfficialText, convert, with_relations
from knowledge.ingest.identify import load_digests, load_known
from knowledge.ingest.limits import Limits
from knowledge.ingest.readers import read_source
from knowledge.ingest.relations import Relations
from knowledge.ingest.report import IngestReport, build_report
from knowledge.ingest.source import ProgressCallback, ReadContext
from knowledge.ingest.store import Removal, ensure_index_idle, remove_official, write_atomically
from knowledge.pack import SHIPPED_DOCUMENTS


def read_official(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    index_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
) -> OfficialText:
    """Read, identify and convert an official text, writing nothing (see `ingest_file` for
    the arguments). A document the pack has no digest for gets its id, issuer and the
    relations its text states from the text itself.

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    limits = limits or Limits()
    context = ReadContext(limits=limits, progress=progress)
    ensure_index_idle(index_dir)
    text = read_source(source, context)
    context.report(0, 1, "Đang nhận bố cục văn bản (chương, điều, khoản, điểm, tiết)…")
    return convert(text, doc_id, load_known(documents_dir, official_dir), official_dir, limits)


def write_official(
    official: OfficialText,
    *,
    relations: Relations | None = None,
    index_dir: Path | None = None,
) -> IngestReport:
    """Write a text read by `read_official` (with the user's validity relations, for a
    document without a digest) to `official_dir/<id>.md`, atomically.

    Raises:
        IngestError: the index is being rebuilt, or a relation names an unknown document.
    """
    if relations is not None:
        official = with_relations(official, relations)
    ensure_index_idle(index_dir)  # a rebuild may have started during a long OCR
    replaced = official.path.exists()
    write_atomically(official.path, official.markdown)
    return build_report(official, replaced)


def preview_report(official: OfficialText) -> IngestReport:
    """The report of a text read but not written (the upload page, before confirming)."""
    return build_report(official, official.path.exists(), written=False)


def ingest_file(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    index_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
    relations: Relations | None = None,
) -> IngestReport:
    """Load an official text into `official_dir/<id>.md` and report on it.

    Nothing is written unless the whole text was read, identified and parsed without problems;
    the shipped digests are only read.

    Args:
        source: a .pdf, .docx, .doc, .odt, .html/.htm or .txt file, or a scan or photo
            (.png, .jpg/.jpeg, .tif/.tiff).
        doc_id: the document it must be (e.g. "qd-124-2023"); None to detect it from the number
            and date in the header (a document without a digest gets its id from its kind,
            number, year and, when not central, its issuer's level and place).
        official_dir: the user's folder of official texts (Settings().official_path).
        documents_dir: the shipped digests, whose validity information is kept.
        index_dir: the search index folder (Settings().index_path): while its build lock is
            held, nothing is loaded. None skips the check.
        progress: called for each step of long work (each page recognised), with a message.
        limits: pages, bytes, characters, provisions and OCR confidence (default `Limits()`).
        relations: validity relations of a document without a digest (default: what its text
            states).

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    official = read_official(
        source,
        doc_id,
        official_dir=official_dir,
        documents_dir=documents_dir,
        index_dir=index_dir,
        progress=progress,
        limits=limits,
    )
    return write_official(official, relations=relations, index_dir=index_dir)


def remove_ingested(
    doc_id: str,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    index_dir: Path | None = None,
) -> Removal:
    """Remove the ingested official text of `doc_id`; its shipped digest is used again (a
    document without a digest leaves the pack).

    Raises:
        IngestError: nothing of that id was ingested, or the index is being rebuilt.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    names = {i: t.document.name for i, t in load_digests(documents_dir).items()}
    return remove_official(
        doc_id, official_dir=official_dir, digest_names=names, index_dir=index_dir
    )
