"""The extractive check: every statement is cited, every citation is in the pack, and every
word of a statement comes from its cited provisions, apart from the fixed phrases of
`phrases.TEMPLATES`.

The check removes the fixed phrases from the statement, cuts the rest at punctuation, and
requires each piece to occur in the text of a cited provision (its text and descendants, its
label and title, the document's name and number, what the digest says it lacks). It is what
the tests run on every workspace, and what an LLM's rewording is held to.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from assistant.cited import CitedDocument, Statement
from assistant.workspaces import phrases
from knowledge.pack import Pack

SLOT = re.compile(r"\{(\w+)\}")
NUMERIC_SLOTS = {"n": r"\d+", "letter": r"[a-z]"}  # statement text is case-folded
PIECES = re.compile(r"[.;:?!()\[\]“”\"…]|—|–|\s-\s|\n")
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normal(text: str) -> str:
    """NFC, case-folded, straight quotes, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip()


def _chunk(text: str) -> str:
    """A template's literal part, normalised like statement text but keeping its spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(QUOTES).casefold())


@functools.cache
def _fixed() -> re.Pattern:
    """One pattern for the literal parts of every template (longest first); a number slot
    ("Câu {n}") stays inside its literal part."""
    parts: set[str] = set()
    for template in phrases.TEMPLATES:
        pattern, raw = "", ""
        for chunk, slot in _split(template):
            pattern += re.escape(_chunk(chunk))
            raw += _chunk(chunk)
            if slot in NUMERIC_SLOTS:
                pattern += NUMERIC_SLOTS[slot]
                raw += "0"
                continue
            if re.search(r"\w", raw):
                head = r"(?<!\w)" if raw[:1].isalnum() else ""
                tail = r"(?!\w)" if raw[-1:].isalnum() else ""
                parts.add(head + pattern + tail)
            pattern, raw = "", ""
    ordered = sorted(parts, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in ordered))


def _split(template: str) -> list[tuple[str, str | None]]:
    """'a {x} b' -> [('a ', 'x'), (' b', None)]."""
    out, at = [], 0
    for m in SLOT.finditer(template):
        out.append((template[at : m.start()], m.group(1)))
        at = m.end()
    out.append((template[at:], None))
    return out


def corpus(pack: Pack, provision_ids: list[str]) -> str:
    """Everything the cited provisions say, normalised, one block per provision."""
    blocks = []
    for pid in provision_ids:
        if pid not in pack:
            continue
        p = pack[pid]
        document = pack.document(p.doc_id)
        blocks += [
            p.full_text,
            p.title,
            p.label,
            p.citation,
            *p.heading_path,
            p.coverage_note,
            document.name,
            document.number,
        ]
    return "\n".join(normal(b) for b in blocks if b)


def unsupported(statement: Statement, pack: Pack) -> list[str]:
    """The pieces of a statement's text that none of its cited provisions holds."""
    text = _fixed().sub("\n", normal(statement.text))
    source = corpus(pack, statement.citations)
    missing = []
    for piece in PIECES.split(text):
        piece = piece.strip(" ,'\"")
        if re.search(r"\w", piece) and piece not in source:
            missing.append(piece)
    return missing


def problems(doc: CitedDocument, pack: Pack) -> list[str]:
    """Every way a document breaks the rule: uncited statements, unknown ids, words that do
    not come from the cited provisions. Empty when the document is sound."""
    found = []
    for s in doc.statements():
        if not s.citations:
            found.append(f"không có trích dẫn: {s.text!r}")
            continue
        unknown = [c for c in s.citations if c not in pack]
        if unknown:
            found.append(f"mã không có trong bộ văn bản {unknown}: {s.text!r}")
            continue
        for piece in unsupported(s, pack):
            found.append(f"không lấy từ quy định được trích dẫn: {piece!r} trong {s.text!r}")
    return found
