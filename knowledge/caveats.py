"""Caveats as data: how a fact is attested and what the digest lacks.

A digest marks a weakly attested provision with `> Mức xác minh: <kind> — <what it is about>`
(kinds: "nhiều nguồn", "một nguồn", "một nguồn, bản dịch"); a provision without a marker
counts as "nhiều nguồn" when two or more sources back it and "một nguồn" otherwise; an
official text is "văn bản chính thức". Answers, the document page and every generated
document show the result through `trust_summary` and `render_trust`, so a single-source fact
carries the same compact caveat wherever it appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.types import (
    CONFIDENCE_LABELS,
    CONFIDENCE_RANK,
    CONFIDENCE_WORDS,
    Caveat,
    Confidence,
    Coverage,
    Document,
    Provision,
)

MARKER = re.compile(r"^Mức xác minh\s*:\s*(.*)$")
KINDS_HELP = " | ".join(CONFIDENCE_WORDS)


class UnknownCaveatKind(ValueError):
    """A caveat names a kind outside the closed vocabulary."""


def parse_confidence(text: str) -> tuple[Confidence, str]:
    """'một nguồn, bản dịch — ý về trần 20%' -> (SINGLE_TRANSLATED, 'ý về trần 20%').

    Raises:
        UnknownCaveatKind: when the kind before the dash is not in CONFIDENCE_WORDS.
    """
    head, _, note = text.partition("—")
    word = head.strip().rstrip(".;:").strip().lower()
    if word not in CONFIDENCE_WORDS:
        raise UnknownCaveatKind(word)
    return CONFIDENCE_WORDS[word], note.strip()


def weakest(kinds: list[Confidence], default: Confidence) -> Confidence:
    return max(kinds, key=CONFIDENCE_RANK.__getitem__) if kinds else default


def describe(caveat: Caveat) -> str:
    """'một nguồn, bản dịch (khoản 2): câu chữ do dự án dịch lại'."""
    where = f" ({caveat.scope_label})" if caveat.scope_label else ""
    note = f": {caveat.note}" if caveat.note else ""
    return f"{CONFIDENCE_LABELS[caveat.kind]}{where}{note}"


@dataclass(frozen=True)
class TrustSummary:
    """How far a cited provision can be trusted, as data for every renderer."""

    official: bool
    confidence: Confidence
    caveats: tuple[Caveat, ...]  # the weak ones that bear on the provision
    missing: str  # what the loaded text lacks ("" when complete)
    not_covered: bool

    @property
    def weak(self) -> bool:
        return bool(self.caveats) or self.confidence in (
            Confidence.SINGLE,
            Confidence.SINGLE_TRANSLATED,
        )


def trust_summary(provision: Provision, document: Document) -> TrustSummary:
    weak = tuple(c for c in provision.caveats if c.weak)
    return TrustSummary(
        official=not document.is_digest,
        confidence=provision.confidence,
        caveats=weak,
        missing=provision.coverage_note if provision.coverage is not Coverage.FULL else "",
        not_covered=provision.coverage is Coverage.NONE,
    )


def render_trust(summary: TrustSummary, *, with_missing: bool = True) -> str:
    """One compact line, e.g. 'Bản tóm lược · một nguồn, bản dịch (khoản 2) · chưa đầy đủ:
    tiêu chí riêng cho cá nhân chưa được xác minh'."""
    parts = ["Văn bản chính thức" if summary.official else "Bản tóm lược"]
    if summary.caveats:
        parts += [describe(c) for c in summary.caveats]
    elif not summary.official:
        parts.append(CONFIDENCE_LABELS[summary.confidence])
    if with_missing and summary.missing:
        label = "chưa có nội dung" if summary.not_covered else "chưa đầy đủ"
        parts.append(f"{label}: {summary.missing}")
    return " · ".join(parts)


def field_caveat_suffix(document: Document, field_name: str) -> str:
    """' (một nguồn)' after a front-matter fact that rests on a weak source, else ''."""
    caveat = document.caveat(field_name)
    return f" ({CONFIDENCE_LABELS[caveat.kind]})" if caveat and caveat.weak else ""
