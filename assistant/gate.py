"""The refusal gate: do the retrieved provisions actually cover the question?

A raw cosine cut-off does not work (with e5, unrelated passages still score about 0.78), so
the gate combines several signals of the fused retrieval evidence in a logistic score:

- `coverage`: the share (IDF-weighted) of the question's content terms — syllables and
  syllable bigrams, accent-folded — that occur in the top passages;
- `dense`: the best dense similarity, relative to the unrelated-passage level;
- `keyword`: the best BM25 score per query term;
- `agree`: whether the top hit was found by both retrievers.

The weights come from `evals/calibrate_gate.py`, fitted on a development set of in-scope and
out-of-scope questions (`evals/gate_dev.yaml`) kept apart from the evaluation set.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from dataclasses import dataclass

from assistant.types import SearchResult
from knowledge.keyword import KeywordIndex
from knowledge.text import fold, segment

# Question words and function words: they say how to answer, not what about.
STOPWORDS = frozenset(
    """ai gi nao sao the bao nhieu may khi o dau la co khong duoc phai cua va cac nhung cho
    theo trong thi con voi ve tu den de nhu vay hay hoac neu toi minh chung ta ban xin hoi
    biet giup oi a nhe ah u vui long cam on xem ra roi nay do kia ay mot hai ba duoc nua
    cung da dang se van chi moi lam viec can muon nen""".split()
)

# Fitted by evals/calibrate_gate.py on evals/gate_dev.yaml.
WEIGHTS_FILE = Path(__file__).parent / "data" / "gate.json"
DEFAULT_WEIGHTS = {"bias": -6.0, "coverage": 6.5, "dense": 30.0, "keyword": 0.25, "agree": 0.6}
DENSE_FLOOR = 0.80  # about where unrelated passages sit with multilingual-e5-small
THRESHOLD = 0.5


@dataclass(frozen=True)
class GateDecision:
    answerable: bool
    probability: float
    features: dict[str, float]


def content_terms(text: str) -> list[str]:
    """The content words of a question (pyvi), lowercase with their diacritics:
    "Ai quyết định xếp loại chi bộ?" -> quyết_định, xếp_loại, chi_bộ.

    Diacritics are kept so that "lương" does not match "lượng"; a question typed without
    them has had them restored by the retriever. Whole words are the unit, so "lương cơ sở"
    is not covered by passages that only say "cơ sở".
    """
    return [
        w
        for w in segment(text)
        if not {fold(p) for p in w.split("_")} <= STOPWORDS and not w.replace(".", "").isdigit()
    ]


def features(
    question: str, result: SearchResult, keyword: KeywordIndex, passages: dict[str, str]
) -> dict[str, float]:
    """The gate's inputs for one question and its search result."""
    terms = content_terms(question)
    top = result.hits[:3]
    if not terms or not top:
        return {"coverage": 0.0, "dense": 0.0, "keyword": 0.0, "agree": 0.0}
    text = " ".join(passages[h.id] for h in top)
    found_text = f" {text} "
    weight_sum = covered = 0.0
    for term in terms:
        idf = keyword.idf(fold(term))
        weight_sum += idf
        probe = term.replace("_", " ")
        if f" {probe} " in found_text:
            covered += idf
    dense = max((h.dense_similarity or 0.0) for h in result.hits[:5])
    bm25 = max((h.keyword_score or 0.0) for h in result.hits[:5])
    n_terms = len(terms)
    return {
        "coverage": round(covered / weight_sum, 4) if weight_sum else 0.0,
        "dense": round(dense - DENSE_FLOOR, 4),
        "keyword": round(bm25 / n_terms, 4),
        "agree": 1.0 if {"dense", "keyword"} <= set(top[0].retrievers) else 0.0,
    }


@functools.cache
def fitted_weights() -> dict[str, float]:
    if WEIGHTS_FILE.exists():
        return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["weights"]
    return DEFAULT_WEIGHTS


def decide(feats: dict[str, float], weights: dict[str, float] | None = None) -> GateDecision:
    w = weights or fitted_weights()
    z = w["bias"] + sum(w[name] * value for name, value in feats.items())
    p = 1.0 / (1.0 + math.exp(-z))
    return GateDecision(p >= THRESHOLD, round(p, 4), feats)
