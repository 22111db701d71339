"""Search within one document or across all of them, for the Văn bản page: the project's own
keyword index (BM25 over accent-folded syllables, so "xep loai" finds "xếp loại") and its
reference resolver ("Điều 12 khoản 2" first), with each hit shown in context.

The page only renders what `search_documents` returns: hits with a snippet whose matched
words are marked, the count, and notices for a query that is too long or has no letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import prompts
from assistant.inputs import clean_question
from assistant.references import resolve
from assistant.retrieval import Retriever
from knowledge.text import expand_shorthand, fold, normalize

MAX_CHARS = 200  # a search box query; longer text is cut, with a notice
LIMIT = 20  # hits shown
SNIPPET = 220  # characters of context around the matches
WORD = re.compile(r"\w+", re.UNICODE)


class SearchRefused(ValueError):
    """The query has nothing to search for (only punctuation or symbols)."""


@dataclass(frozen=True)
class DocHit:
    provision_id: str
    doc_id: str
    citation: str  # "Điều 12, khoản 2 — Quy định 124-QĐ/TW"
    parts: tuple[tuple[str, bool], ...]  # the snippet: (text, matched), in reading order


@dataclass
class DocSearch:
    query: str  # as searched (cut, cleaned)
    doc_id: str | None  # the document searched, None for all
    hits: list[DocHit]
    total: int  # hits before the limit
    notices: list[str] = field(default_factory=list)
    elsewhere: int = 0  # hits in the other documents, when one document had none


def search_documents(
    retriever: Retriever, query: str, doc_id: str | None = None, *, limit: int = LIMIT
) -> DocSearch:
    """Search the pack's provisions by keyword, in one document or in all.

    Raises:
        SearchRefused: when the query holds no letter or digit.
    """
    text = normalize(clean_question(query or ""))
    notices = []
    if len(text) > MAX_CHARS:
        notices.append(prompts.UI.SEARCH_TOO_LONG.format(n=len(text), limit=MAX_CHARS))
        text = text[:MAX_CHARS].rstrip()
    if not WORD.search(text.replace("_", "")):
        raise SearchRefused(prompts.UI.SEARCH_PUNCTUATION)
    ranked = _ranked(retriever, text, doc_id)
    result = DocSearch(text, doc_id, [], len(ranked), notices)
    terms = _terms(text)
    pack = retriever.pack
    for pid in ranked[:limit]:
        provision = pack[pid]
        result.hits.append(
            DocHit(pid, provision.doc_id, provision.citation, snippet(_context(provision), terms))
        )
    if not ranked and doc_id is not None:
        result.elsewhere = len(_ranked(retriever, text, None))
    return result


def _ranked(retriever: Retriever, text: str, doc_id: str | None) -> list[str]:
    """Named provisions first, then keyword hits; an ancestor found only through the words
    of a descendant that is itself a hit is left out (the descendant is the precise place)."""
    pack = retriever.pack
    scope = [doc_id] if doc_id else None
    named = [
        pid for pid in resolve(text, pack).provision_ids if doc_id is None or pid.startswith(doc_id)
    ]
    found = retriever.keyword.search(expand_shorthand(text), len(pack.provisions), scope)
    ids = list(dict.fromkeys(named + [h.id for h in found]))
    terms = _terms(text)
    hits = set(ids)
    return [
        pid
        for pid in ids
        if pid in named
        or _matches(_own(pack[pid]), terms)
        or not any(other.startswith(pid + "/") for other in hits)
    ]


def _terms(text: str) -> set[str]:
    return {fold(w) for w in WORD.findall(text) if w.strip("_")}


def _own(provision) -> str:
    return " ".join(x for x in (provision.title, provision.text) if x)


def _context(provision) -> str:
    own = _own(provision)
    return own if own.strip() else provision.full_text


def _matches(text: str, terms: set[str]) -> bool:
    return any(fold(w) in terms for w in WORD.findall(text))


def snippet(text: str, terms: set[str], width: int = SNIPPET) -> tuple[tuple[str, bool], ...]:
    """The part of `text` around the most matched words, as (text, matched) runs; the match is
    accent-insensitive ("xep loai" marks "xếp loại")."""
    text = " ".join(text.split())
    words = [(m.start(), m.end()) for m in WORD.finditer(text) if fold(m.group(0)) in terms]
    if not words:
        cut = text[:width]
        return ((cut + ("…" if len(text) > width else ""), False),)
    # The window (of `width` characters) that holds the most distinct matched words.
    best, best_score = 0, -1
    for i, (start, _) in enumerate(words):
        inside = {fold(text[s:e]) for s, e in words[i:] if e <= start + width}
        if len(inside) > best_score:
            best, best_score = i, len(inside)
    start = max(0, words[best][0] - width // 4)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    parts: list[tuple[str, bool]] = []
    at = start
    for s, e in words:
        if s < start or e > end:
            continue
        gap = text[at:s]
        if parts and parts[-1][1] and at > start and not gap.strip():
            parts[-1] = (parts[-1][0] + gap + text[s:e], True)  # "xếp loại" as one run
        else:
            if gap:
                parts.append((gap, False))
            parts.append((text[s:e], True))
        at = e
    if at < end:
        parts.append((text[at:end], False))
    if start > 0:
        parts.insert(0, ("…", False))
    if end < len(text):
        parts.append(("…", False))
    return tuple(parts)
