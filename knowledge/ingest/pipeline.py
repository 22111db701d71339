"""`ingest_file` and `remove_ingested`: the library functions the CLI (and later the upload
page) call; both take the same options, and ingest reports progress through one callback."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.conversion import convert
from knowledge.ingest.identify import load_digests
from knowledge.ingest.limits import Limits
from knowledge.ingest.readers import read_source
from knowledge.ingest.report import IngestReport, build_report
from knowledge.ingest.source import ProgressCallback, ReadContext
from knowledge.ingest.store import Removal, ensure_index_idle, remove_official, write_atomically
from knowledge.pack import SHIPPED_DOCUMENTS


def ingest_file(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    index_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Load an official text into `official_dir/<id>.md` and report on it.

    Nothing is written unless the whole text was read, identified and parsed without problems;
    the shipped digests are only read.

    Args:
        source: a .pdf, .docx, .doc, .odt, .html/.htm or .txt file, or a scan or photo
            (.png, .jpg/.jpeg, .tif/.tiff).
        doc_id: the document it must be (e.g. "qd-124-2023"); None to detect it from the number
            and date in the header.
        official_dir: the user's folder of official texts (Settings().official_path).
        documents_dir: the shipped digests, whose validity information is kept.
        index_dir: the search index folder (Settings().index_path): while its build lock is
            held, nothing is loaded. None skips the check.
        progress: called for each step of long work (each page recognised), with a message.
        limits: pages, bytes, characters, provisions and OCR confidence (default `Limits()`).

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    limits = limits or Limits()
    context = ReadContext(limits=limits, progress=progress)
    ensure_index_idle(index_dir)
    text = read_source(source, context)
    context.report(0, 1, "Đang nhận bố cục văn bản (chương, điều, khoản, điểm, tiết)…")
    official = convert(text, doc_id, load_digests(documents_dir), official_dir, limits)
    ensure_index_idle(index_dir)  # a rebuild may have started during a long OCR
    replaced = official.path.exists()
    write_atomically(official.path, official.markdown)
    return build_report(official, replaced)


def remove_ingested(
    doc_id: str,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    index_dir: Path | None = None,
) -> Removal:
    """Remove the ingested official text of `doc_id`; its shipped digest is used again.

    Raises:
        IngestError: nothing of that id was ingested, or the index is being rebuilt.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    names = {i: t.document.name for i, t in load_digests(documents_dir).items()}
    return remove_official(
        doc_id, official_dir=official_dir, digest_names=names, index_dir=index_dir
    )
