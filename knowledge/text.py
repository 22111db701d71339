"""Vietnamese text helpers: accent folding, syllables, abbreviations, word segmentation."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.yaml"
COMMON_PHRASES_FILE = Path(__file__).resolve().parent / "data" / "common_vi.txt"
SHORTHAND_FILE = Path(__file__).resolve().parent / "data" / "shorthand.yaml"
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


@functools.cache
def _shorthand() -> tuple[re.Pattern, dict[str, str]]:
    raw = yaml.safe_load(SHORTHAND_FILE.read_text(encoding="utf-8")) or {}
    table = {str(k).lower(): str(v) for k, v in raw.items()}
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.I)
    return pattern, table


def expand_shorthand(text: str) -> str:
    """Replace chat shorthand and frequent typos ("ko" -> "không", "dv" -> "đảng viên")."""
    pattern, table = _shorthand()
    return pattern.sub(lambda m: table[m.group(1).lower()], text)


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


def segment(text: str) -> list[str]:
    """pyvi word segmentation of lowercase text: words, with syllables joined by '_'."""
    segmented = _segmenter().tokenize(normalize(text).lower())
    return [w for w in segmented.split() if any(c.isalnum() for c in w)]


def words(text: str) -> list[str]:
    """The multi-syllable words of `segment` ("đánh_giá")."""
    return [w for w in segment(text) if "_" in w]


class WordSegmenter:
    """Longest-match word segmentation against a known word list.

    The word list comes from pyvi's segmentation of the pack (done once, when the keyword
    index is built, and cached), so questions are segmented the way the documents were
    without loading pyvi's model at start-up. A word the list lacks stays as syllables.
    """

    MAX_SYLLABLES = 4

    def __init__(self, known_words: set[str]):
        self.known = {w for w in known_words if "_" in w}

    def segment(self, text: str) -> list[str]:
        sylls = [s for s in syllables(text) if any(c.isalnum() for c in s)]
        out, i = [], 0
        while i < len(sylls):
            for n in range(min(self.MAX_SYLLABLES, len(sylls) - i), 1, -1):
                word = "_".join(sylls[i : i + n])
                if word in self.known:
                    out.append(word)
                    i += n
                    break
            else:
                out.append(sylls[i])
                i += 1
        return out

    def words(self, text: str) -> list[str]:
        return [w for w in self.segment(text) if "_" in w]


def keyword_tokens(text: str, text_words: list[str]) -> list[str]:
    """Tokens for BM25: folded syllables, folded syllable bigrams, and the text's words
    (accented, "đánh_giá"). Folded forms let an unaccented query ("danh gia chi bo") match
    accented text; the words reward queries typed with their diacritics."""
    sylls = [fold(s) for s in syllables(text)]
    return (
        sylls
        + [f"b:{a}_{b}" for a, b in zip(sylls, sylls[1:], strict=False)]
        + [f"w:{w}" for w in text_words]
    )


class AccentRestorer:
    """Puts diacritics back on an unaccented query, using the pack's own vocabulary.

    Dense models read "danh gia chi bo" poorly; "đánh giá chi bộ" well. Each unaccented
    syllable is replaced by the accented form that best fits its neighbours (a Viterbi pass
    over syllable bigram counts of the pack). Queries that are mostly not Vietnamese words
    of the pack are left as they are.
    """

    def __init__(self, texts: list[str]):
        from collections import Counter, defaultdict

        self._forms: dict[str, Counter] = defaultdict(Counter)
        self._pairs: Counter = Counter()
        for text in texts:
            sylls = [s for s in syllables(text) if not s.isdigit()]
            for s in sylls:
                self._forms[fold(s)][s] += 1
            self._pairs.update(zip(sylls, sylls[1:], strict=False))
        self._forms = dict(self._forms)
        self._known = {form for forms in self._forms.values() for form in forms}

    @classmethod
    def for_texts(cls, texts: list[str]) -> AccentRestorer:
        """A restorer over the given texts plus a small list of common question phrasings."""
        common = COMMON_PHRASES_FILE.read_text(encoding="utf-8").splitlines()
        return cls([*texts, *(line for line in common if not line.startswith("#"))])

    def restore(self, text: str) -> str:
        """The query with diacritics restored where the pack's vocabulary allows."""
        import math

        tokens = syllables(text)
        alpha = [t for t in tokens if t.isalpha()]
        if not alpha or sum(fold(t) in self._forms for t in alpha) < 0.6 * len(alpha):
            return text
        candidates = []
        for t in tokens:
            # A syllable with a wrong mark ("kiễm" for "kiểm") is read as if it had none.
            mistyped = has_diacritics(t) and t not in self._known
            if (
                (has_diacritics(t) and not mistyped)
                or not t.isalpha()
                or fold(t) not in self._forms
            ):
                candidates.append([t])
            else:
                candidates.append([form for form, _ in self._forms[fold(t)].most_common(6)])

        def unigram(form: str) -> float:
            counts = self._forms.get(fold(form))
            return 0.3 * math.log((counts[form] if counts else 0) + 1)

        best = {c: (unigram(c), [c]) for c in candidates[0]}
        for options in candidates[1:]:
            step = {}
            for c in options:
                score, path = max(
                    (s + 2.0 * math.log(self._pairs[(p[-1], c)] + 0.05) + unigram(c), p)
                    for s, p in best.values()
                )
                step[c] = (score, [*path, c])
            best = step
        restored = max(best.values())[1]
        return " ".join(restored)
