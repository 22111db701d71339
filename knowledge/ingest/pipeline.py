"""`ingest_file`: the one library function the CLI (and later the upload page) calls."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.conversion import convert
from knowledge.ingest.identify import load_digests
from knowledge.ingest.readers import read_source
from knowledge.ingest.report import IngestReport, build_report
from knowledge.ingest.store import write_atomically
from knowledge.pack import SHIPPED_DOCUMENTS


def ingest_file(
    source: Path,
    doc_id: str | None = None,
    *,
    official_dir: Path,
    documents_dir: Path = SHIPPED_DOCUMENTS,
) -> IngestReport:
    """Load an official text into `official_dir/<id>.md` and report on it.

    Nothing is written unless the whole text was read, identified and parsed without problems;
    the shipped digests are only read.

    Args:
        source: a .pdf, .docx, .html/.htm or .txt file.
        doc_id: the document it must be (e.g. "qd-124-2023"); None to detect it from the number
            and date in the header.
        official_dir: the user's folder of official texts (Settings().official_path).
        documents_dir: the shipped digests, whose validity information is kept.

    Raises:
        IngestError: bad input, each with a message naming the file and the fix.
        KnowledgeError: a shipped digest cannot be parsed.
    """
    text = read_source(source)
    official = convert(text, doc_id, load_digests(documents_dir), official_dir)
    replaced = official.path.exists()
    write_atomically(official.path, official.markdown)
    return build_report(official, replaced)
