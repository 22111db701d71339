"""What the index holds for each provision: its passage text (with a context header), the
windows over a long provision, and the content hash that decides what a build re-embeds."""

from __future__ import annotations

import hashlib

from knowledge.types import Document, Provision

PASSAGE_FORMAT = "v1"  # bump when passage_text changes: every vector is then rebuilt


# Embedding cost grows with length (about 2 ms a token here) and an article's clauses are
# indexed on their own, so a long article is embedded by its header and opening only.
EMBED_CHARS = 700


def passage_text(provision: Provision, document: Document, limit: int | None = None) -> str:
    """A context header (document, article, path) and the text; cut to `limit` characters."""
    lines = [f"{document.name} — {provision.citation}"]
    if provision.heading_path:
        lines.append(" › ".join(provision.heading_path))
    if provision.title:
        lines.append(provision.title)
    if provision.coverage_note:
        # What the loaded text lacks says what the provision is about ("Không hoàn thành
        # nhiệm vụ"), so a question about it still finds it.
        lines.append(f"({provision.coverage_note})")
    header = "\n".join(line for line in lines if line)
    body = provision.full_text
    if limit is not None and len(body) > limit:
        body = body[:limit].rsplit(" ", 1)[0] + " …"
    return f"{header}\n{body}" if body else header


WINDOW_OVERLAP = 150


def passages(provision: Provision, document: Document) -> list[tuple[str, str]]:
    """The records one provision gets: (record id, text). A provision whose own text is
    longer than one passage gets extra windows over it ("<id>::2", "<id>::3"…), so a line at
    its end is found too; its children are indexed on their own."""
    records = [(provision.id, passage_text(provision, document, EMBED_CHARS))]
    own = provision.text
    if len(own) > EMBED_CHARS:
        header = passage_text(provision, document, 0).rsplit("\n", 1)[0]
        step = EMBED_CHARS - WINDOW_OVERLAP
        for n, start in enumerate(range(step, len(own) - WINDOW_OVERLAP, step), start=2):
            window = own[start : start + EMBED_CHARS]
            records.append((f"{provision.id}::{n}", f"{header}\n… {window}"))
    return records


def content_hash(text: str) -> str:
    return hashlib.sha256(f"{PASSAGE_FORMAT}\n{text}".encode()).hexdigest()[:16]
