"""The keyword index: BM25 (bm25s) over accent-folded syllables, bigrams and pyvi words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from knowledge.index import passage_text
from knowledge.pack import Pack
from knowledge.text import expand_abbreviations, keyword_tokens


@dataclass(frozen=True)
class KeywordHit:
    id: str
    score: float


class KeywordIndex:
    """In-memory BM25 over the same passages the vector index embeds (built in well under 1 s)."""

    def __init__(self, pack: Pack):
        provisions = pack.indexable()
        self.ids = [p.id for p in provisions]
        self.doc_ids = np.array([p.doc_id for p in provisions])
        corpus = [
            keyword_tokens(expand_abbreviations(passage_text(p, pack.document(p.doc_id))))
            for p in provisions
        ]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._df: dict[str, int] = {}
        for tokens in corpus:
            for token in set(tokens):
                self._df[token] = self._df.get(token, 0) + 1

    def idf(self, term: str) -> float:
        """Inverse document frequency of a folded syllable ("chi") or word ("chi_bo",
        "co_quan_tham_muu": the mean over its syllable bigrams); a term no provision
        contains gets the highest value."""
        parts = term.split("_")
        tokens = (
            [parts[0]]
            if len(parts) == 1
            else [f"b:{a}_{b}" for a, b in zip(parts, parts[1:], strict=False)]
        )
        n = len(self.ids)
        values = [
            math.log((n - self._df.get(t, 0) + 0.5) / (self._df.get(t, 0) + 0.5) + 1.0)
            for t in tokens
        ]
        return sum(values) / len(values)

    @property
    def max_idf(self) -> float:
        """The IDF of a term no provision contains."""
        n = len(self.ids)
        return math.log((n + 0.5) / 0.5 + 1.0)

    def search(self, query: str, k: int, doc_ids: Sequence[str] | None = None) -> list[KeywordHit]:
        tokens = keyword_tokens(query)
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        if doc_ids:
            scores = np.where(np.isin(self.doc_ids, list(doc_ids)), scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        return [KeywordHit(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]
