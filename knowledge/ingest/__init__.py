"""Load an official text (PDF, scan or photo, DOCX, DOC, ODT, HTML, plain text) into the
canonical document format.

The stages hand a typed result to each other:

- `readers/`: one module per input format behind one interface (`Reader`), each giving the
  same `SourceText` (lines, whether they are visual lines, and per-page information); scans
  and photos go through `imaging` (stamp, light, noise, tilt) and `tesseract` (OCR), and
  `ocrfix` corrects OCR accent errors where the layout grammar leaves no doubt;
- `layout`: the official layout of a party document split into header, preamble, body and
  closing (`Header`, `Closing`), using the patterns of `grammar`;
- `outline`: the body as an outline built with the same attachment rules as
  knowledge/parser.py, so that `Điều 12, khoản 4, điểm 4.3, tiết d` gets the id the digest
  already uses;
- `render`: the outline as canonical Markdown; `conversion` checks it with the parser;
- `identify`: which shipped digest it belongs to and the metadata it keeps from it, or, for
  any other party document, its id from kind, number and year; `issuer` reads who issued it
  from the letterhead and signature; `relations` what it replaces, is replaced by, guides;
- `report`: the comparison with the digest (`IngestReport`, side by side from `compare`),
  as text or JSON;
- `store`: atomic writes to the user's official folder, removal, the index build lock;
- `limits`: what one document may be (pages, bytes, characters, provisions);
- `pipeline`: `ingest_file` and `remove_ingested`, what the CLI and the app call (the upload
  page reads first, `read_official`, and writes once the user confirms, `write_official`).

The shipped digest and the search index are never touched.
"""

from knowledge.ingest.compare import Difference
from knowledge.ingest.conversion import OfficialText, convert
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.grammar import normalise_number
from knowledge.ingest.identify import load_digests, resolve_document
from knowledge.ingest.layout import Closing, Header, read_closing, read_header, split_layout, unwrap
from knowledge.ingest.limits import Limits
from knowledge.ingest.outline import NumberingGap
from knowledge.ingest.pipeline import (
    ingest_file,
    preview_report,
    read_official,
    remove_ingested,
    write_official,
)
from knowledge.ingest.readers import FORMAT_NAMES, read_source
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.relations import Relations
from knowledge.ingest.render import render_markdown
from knowledge.ingest.report import (
    IngestReport,
    build_report,
    compare_ids,
    format_report,
    report_json,
)
from knowledge.ingest.source import PageInfo, Progress, ProgressCallback, SourceText, clean_line
from knowledge.ingest.store import (
    Removal,
    build_lock_holder,
    build_lock_path,
    ensure_index_idle,
    format_removal,
    write_atomically,
)

__all__ = [
    "build_lock_path",
    "FORMAT_NAMES",
    "Closing",
    "Difference",
    "Header",
    "IngestError",
    "IngestFailure",
    "IngestReport",
    "Limits",
    "NumberingGap",
    "OfficialText",
    "PageInfo",
    "Progress",
    "ProgressCallback",
    "Reader",
    "Relations",
    "Removal",
    "SourceText",
    "build_lock_holder",
    "build_report",
    "clean_line",
    "compare_ids",
    "convert",
    "ensure_index_idle",
    "format_removal",
    "format_report",
    "ingest_file",
    "load_digests",
    "normalise_number",
    "preview_report",
    "read_official",
    "read_closing",
    "read_header",
    "read_source",
    "remove_ingested",
    "render_markdown",
    "report_json",
    "resolve_document",
    "split_layout",
    "unwrap",
    "write_atomically",
    "write_official",
]
