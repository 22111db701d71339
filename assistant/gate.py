"""Retrieval evidence for the answerability decision: do the retrieved provisions cover the
question?

A raw cosine cut-off does not work (with e5, unrelated passages still score about 0.78), so
the decision (assistant/stages/decide.py) combines these signals of the fused retrieval
evidence with the plan's own in a logistic score:

- `coverage`: the share (IDF-weighted) of the question's content terms — syllables and
  syllable bigrams, accent-folded — that occur in the top passages;
- `dense`: the best dense similarity, relative to the unrelated-passage level;
- `keyword`: the best BM25 score per query term;
- `agree`: whether the top hit was found by both retrievers.

The weights come from `evals/calibrate.py`, fitted on the development questions only
(`evals/questions.yaml`, `evals/gate_dev.yaml`); the frozen test split is never read there.
"""

from __future__ import annotations

import math
import re

from assistant.types import SearchResult
from knowledge.text import WordSegmenter, abbreviations, fold

# Question words and function words: they say how to answer, not what about.
STOPWORDS = frozenset(
    """ai gi nao sao the bao nhieu may khi o dau la co khong duoc phai cua va cac nhung cho
    theo trong thi con voi ve tu den de nhu vay hay hoac neu toi minh chung ta ban xin hoi
    biet giup oi a nhe ah u vui long cam on xem ra roi nay do kia ay mot hai ba duoc nua
    cung da dang se van chi moi lam viec can muon nen""".split()
)

NAMES = ("coverage", "dense", "keyword", "agree", "missing", "other_document", "focus_missing")
DENSE_FLOOR = 0.80  # about where unrelated passages sit with multilingual-e5-small


def content_terms(text: str, segmenter: WordSegmenter) -> list[str]:
    """The content words of a question (pyvi), lowercase with their diacritics:
    "Ai quyết định xếp loại chi bộ?" -> quyết_định, xếp_loại, chi_bộ.

    Diacritics are kept so that "lương" does not match "lượng"; a question typed without
    them has had them restored by the retriever. Whole words are the unit, so "lương cơ sở"
    is not covered by passages that only say "cơ sở".
    """
    return [
        w
        for w in segmenter.segment(text)
        if not {fold(p) for p in w.split("_")} <= STOPWORDS and not w.replace(".", "").isdigit()
    ]


# Other legal documents a question may be about; the assistant holds none of them.
OTHER_DOCUMENT = re.compile(
    r"(?<!ky )(?<!ki )(?<!phap )\bluat\b|\b(nghi dinh|thong tu|dieu le|hien phap)\b"
)
DOC_NUMBER = re.compile(
    r"\b(quy dinh|huong dan|qd|hd|quyet dinh|nghi quyet|ket luan|cong van)\s*(?:so\s*)?-?\s*"
    r"(\d{1,5})\b"
)


NUMBER_YEAR = re.compile(
    r"\b(?:quy dinh|huong dan|qd|hd)\s*(?:so\s*)?-?\s*(\d{1,4})\D{0,25}?\b((?:19|20)\d\d)\b"
)


def other_document(question: str, known_numbers: set[str]) -> bool:
    """True when the question names a document that is not in the pack: another kind of
    legal text, an unknown number, or a known number with another year (there are two
    "97-QĐ/TW", of 2004 and of 2023)."""
    folded = fold(question)
    if OTHER_DOCUMENT.search(folded):
        return True
    if any(m.group(2) not in known_numbers for m in DOC_NUMBER.finditer(folded)):
        return True
    return any(
        f"{m.group(1)}/{m.group(2)}" not in known_numbers
        for m in NUMBER_YEAR.finditer(folded)
        if m.group(1) in known_numbers
    )


# What a question asks for: the word after "bao nhiêu / mấy" ("bao nhiêu tuổi"), before
# "nào / gì" ("mẫu nào"), or the head of a "… như thế nào / ra sao" question ("thủ tục …").
FOCUS_AFTER = re.compile(r"^(bao_nhiêu|mấy)$")
FOCUS_BEFORE = re.compile(r"^(nào|gì)$")
HOW = re.compile(r"\b(nhu the nao|the nao|ra sao|lam sao)\b")
# Focus words too general to tell anything ("bao nhiêu ngày", "văn bản nào").
GENERIC_FOCUS = frozenset(
    """ngày hôm tháng năm lần người phần_trăm điểm cái việc loại trường_hợp văn_bản nội_dung
    bên phía nói thời_điểm lúc khi đối_tượng mức ngưỡng bước""".split()
)


def focus_word(question: str, segmenter: WordSegmenter) -> str | None:
    """The word naming what the question asks for, if one can be found."""
    tokens = segmenter.segment(question)
    for i, token in enumerate(tokens):
        if FOCUS_AFTER.match(token) and i + 1 < len(tokens):
            return tokens[i + 1]
        if FOCUS_BEFORE.match(token) and i > 0 and fold(tokens[i - 1]) not in STOPWORDS:
            return tokens[i - 1]
    if HOW.search(fold(question)):
        content = [t for t in tokens if not {fold(p) for p in t.split("_")} <= STOPWORDS]
        return content[0] if content else None
    return None


class TermStats:
    """Document frequencies of lowercase syllables and syllable bigrams over the passages,
    with their diacritics (so "lương" and "lượng" are different terms)."""

    def __init__(self, passages: dict[str, str]):
        self.n = len(passages)
        self.df: dict[str, int] = {}
        for text in passages.values():
            sylls = text.split()
            grams = set(sylls) | {f"{a} {b}" for a, b in zip(sylls, sylls[1:], strict=False)}
            for gram in grams:
                self.df[gram] = self.df.get(gram, 0) + 1
        self.max_idf = self._idf(0)

    def _idf(self, df: int) -> float:
        return math.log((self.n - df + 0.5) / (df + 0.5) + 1.0)

    def idf(self, term: str) -> float:
        """IDF of a word ("chi_bộ": the mean over its syllable bigrams)."""
        parts = term.split("_")
        grams = (
            parts
            if len(parts) == 1
            else [f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)]
        )
        return sum(self._idf(self.df.get(g, 0)) for g in grams) / len(grams)


def features(
    question: str,
    result: SearchResult,
    stats: TermStats,
    passages: dict[str, str],
    segmenter: WordSegmenter,
    known_numbers: set[str] = frozenset(),
) -> dict[str, float]:
    """The gate's inputs for one question (as searched) and its search result."""
    terms = [t for t in content_terms(question, segmenter) if fold(t) not in abbreviations()]
    top = result.hits[:3]
    other = 1.0 if other_document(question, known_numbers) else 0.0
    if not terms or not top:
        return {name: 0.0 for name in NAMES} | {"other_document": other, "focus_missing": 1.0}
    found_text = " " + " ".join(passages.get(h.id, "") for h in top) + " "
    found_words = set(found_text.split())
    weight_sum = covered = missing = 0.0
    for term in terms:
        idf = stats.idf(term)
        weight_sum += idf
        parts = term.split("_")
        if f" {' '.join(parts)} " in found_text:
            share = 1.0
        else:
            # A word the segmenter glued wrongly ("quyền_hủy") still counts for the
            # syllables the passages have.
            share = 0.5 * sum(p in found_words for p in parts) / len(parts)
        covered += idf * share
        if share < 1.0:
            missing = max(missing, idf * (1.0 - share))
    dense = max((h.dense_similarity or 0.0) for h in result.hits[:5])
    bm25 = max((h.keyword_score or 0.0) for h in result.hits[:5])
    focus = focus_word(question, segmenter)
    focus_missing = (
        1.0
        if focus and focus not in GENERIC_FOCUS and f" {focus.replace('_', ' ')} " not in found_text
        else 0.0
    )
    return {
        "coverage": round(covered / weight_sum, 4) if weight_sum else 0.0,
        "dense": round(dense - DENSE_FLOOR, 4),
        "keyword": round(bm25 / len(terms), 4),
        "agree": 1.0 if {"dense", "keyword"} <= set(top[0].retrievers) else 0.0,
        # The rarest question word the passages lack: "lương" in "lương cơ sở", "tuổi"…
        "missing": round(missing / stats.max_idf, 4),
        "other_document": other,
        "focus_missing": focus_missing,
    }
