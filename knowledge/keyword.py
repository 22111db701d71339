"""The keyword index: BM25 (bm25s) over accent-folded syllables, bigrams and pyvi words."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from knowledge.index import passage_text
from knowledge.integrity import atomic_write
from knowledge.pack import Pack
from knowledge.text import (
    COMMON_PHRASES_FILE,
    WordSegmenter,
    expand_abbreviations,
    keyword_tokens,
    words,
)

TOKENS_FORMAT = "v2"  # bump when keyword_tokens or the cache layout changes


@dataclass(frozen=True)
class KeywordHit:
    id: str
    score: float


class KeywordIndex:
    """In-memory BM25 over the same passages the vector index embeds.

    The passages' tokens and the word list (pyvi) are cached under `cache_dir` by the pack's
    fingerprint, so a warm start neither loads pyvi nor segments the corpus again. The cache
    names the texts it was made from (a hash of them) and carries a checksum of its content; a
    cache that is unreadable, for other texts, or altered is rebuilt, with a notice.
    """

    def __init__(self, pack: Pack, cache_dir: Path | None = None):
        provisions = pack.indexable()
        self.ids = [p.id for p in provisions]
        self.doc_ids = np.array([p.doc_id for p in provisions])
        self.notices: list[str] = []
        texts = [expand_abbreviations(passage_text(p, pack.document(p.doc_id))) for p in provisions]
        cache = (
            cache_dir / f"keyword-{TOKENS_FORMAT}-{pack.fingerprint()}.json" if cache_dir else None
        )
        corpus, known = self._cached(cache, texts)
        self.segmenter = WordSegmenter(known)
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._df: dict[str, int] = {}
        for tokens in corpus:
            for token in set(tokens):
                self._df[token] = self._df.get(token, 0) + 1

    def _cached(self, cache: Path | None, texts: list[str]) -> tuple[list[list[str]], set[str]]:
        key = _key(texts)
        if cache is not None and cache.exists():
            problem = None
            try:
                data = json.loads(cache.read_text(encoding="utf-8"))
                body = {"corpus": data["corpus"], "words": data["words"]}
                if data.get("key") != key:
                    problem = "được tạo cho nội dung khác"
                elif data.get("checksum") != _checksum(body) or len(body["corpus"]) != len(texts):
                    problem = "sai mã kiểm tra"
                else:
                    return body["corpus"], set(body["words"])
            except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
                problem = f"không đọc được: {type(exc).__name__}"
            self.notices.append(
                f"Bộ nhớ đệm từ khóa {cache} bị hỏng ({problem}); đã tạo lại từ bộ văn bản."
            )
        segmented = [words(t) for t in texts]
        common = [line for line in COMMON_PHRASES_FILE.read_text(encoding="utf-8").splitlines()]
        known = {w for ws in segmented for w in ws} | {
            w for line in common if not line.startswith("#") for w in words(line)
        }
        corpus = [keyword_tokens(t, ws) for t, ws in zip(texts, segmented, strict=True)]
        if cache is not None:
            body = {"corpus": corpus, "words": sorted(known)}
            payload = {"format": TOKENS_FORMAT, "key": key, "checksum": _checksum(body), **body}
            atomic_write(cache, json.dumps(payload, ensure_ascii=False))
        return corpus, known

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

    def search(self, query: str, k: int, doc_ids: Sequence[str] | None = None) -> list[KeywordHit]:
        tokens = keyword_tokens(query, self.segmenter.words(query))
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        if doc_ids:
            scores = np.where(np.isin(self.doc_ids, list(doc_ids)), scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        return [KeywordHit(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]


def _key(texts: list[str]) -> str:
    """What the cache was made from: a hash of the passages and the token format."""
    h = hashlib.sha256(TOKENS_FORMAT.encode())
    for text in texts:
        h.update(hashlib.sha256(text.encode()).digest())
    return h.hexdigest()


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
