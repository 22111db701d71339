"""`ingest_file`: the library function the CLI (and later the upload page) calls; it reports
progress through one callback."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.conversion import convert
from knowledge.ingest.identify import load_digests
from knowledge.ingest.limits import Limits
from knowledge.ingest.readers import read_source
from knowledge.ingest.report import IngestReport, build_report
from knowledge.ingest.source import ProgressCallback, ReadContext
from knowledge.ingest.store import write_atomically
from knowledge.pack import SHIPPED_DOCUMENTS


def ingest_file(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
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
        progress: called for each step of long work (each page recognised), with a message.
        limits: pages, bytes, characters, provisions and OCR confidence (default `Limits()`).

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    limits = limits or Limits()
    context = ReadContext(limits=limits, progress=progress)
    text = read_source(source, context)
    context.report(0, 1, "Đang nhận bố cục văn bản (chương, điều, khoản, điểm, tiết)…")
    official = convert(text, doc_id, load_digests(documents_dir), official_dir, limits)
    replaced = official.path.exists()
    write_atomically(official.path, official.markdown)
    return build_report(official, replaced)
