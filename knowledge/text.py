"""Vietnamese text helpers: accent folding, syllables, abbreviations, word segmentation."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.yaml"
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics: "Đánh giá" -> "danh gia"."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def normalize(text: str) -> str:
    """NFC, single spaces: the form every index sees."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def syllables(text: str) -> list[str]:
    return TOKEN_RE.findall(normalize(text).lower())


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


@functools.cache
def abbreviations() -> dict[str, str]:
    """Folded abbreviation -> expansion, from knowledge/data/abbreviations.yaml."""
    raw = yaml.safe_load(ABBREVIATIONS_FILE.read_text(encoding="utf-8")) or {}
    return {fold(str(k)): str(v) for k, v in raw.items()}


def expand_abbreviations(text: str) -> str:
    """Append the expansion of every abbreviation found, keeping the original words."""
    table = abbreviations()
    found = []
    for token in TOKEN_RE.findall(text):
        expansion = table.get(fold(token))
        # Only tokens typed in capitals count ("QĐ", "btv" typed in lowercase is ambiguous
        # only for two-letter keys, so those must be upper case).
        if expansion and (len(token) > 2 or token.isupper()) and expansion not in found:
            found.append(expansion)
    # Numbers glued to an abbreviation: "QĐ124", "HD25".
    for prefix, number in re.findall(r"\b(qđ|qd|hd)(\d+)\b", text, flags=re.IGNORECASE):
        expansion = table.get(fold(prefix))
        if expansion:
            found.append(f"{expansion} {number}")
    return text if not found else f"{text} ({'; '.join(found)})"


@functools.cache
def _segmenter():
    from pyvi import ViTokenizer

    return ViTokenizer


def words(text: str) -> list[str]:
    """pyvi word segmentation; multi-syllable words joined with '_' ("đánh_giá")."""
    segmented = _segmenter().tokenize(normalize(text).lower())
    return [w for w in segmented.split() if "_" in w]


def keyword_tokens(text: str) -> list[str]:
    """Tokens for BM25: folded syllables, folded syllable bigrams, segmented accented words.

    Folded forms let an unaccented query ("danh gia chi bo") match accented text; the
    segmented words reward queries typed with their diacritics.
    """
    sylls = [fold(s) for s in syllables(text)]
    tokens = list(sylls)
    tokens += [f"b:{a}_{b}" for a, b in zip(sylls, sylls[1:], strict=False)]
    tokens += [f"w:{w}" for w in words(text)]
    return tokens
