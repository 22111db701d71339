"""Hybrid search: explicit references first, then reciprocal-rank fusion of dense and keyword.

`Retriever.load(settings)` loads the pack, the embedding engine and the index once (building
the index on first use, with progress); `Retriever.search(query)` returns a typed
`SearchResult`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.inputs import clean_question
from assistant.references import References, is_meta, resolve
from assistant.settings import Settings
from assistant.types import Hit, SearchResult
from knowledge.embeddings import Embedder, get_embedder
from knowledge.index import BuildReport, VectorIndex, passage_text
from knowledge.keyword import KeywordIndex
from knowledge.pack import Pack, load_pack
from knowledge.text import (
    AccentRestorer,
    expand_abbreviations,
    expand_shorthand,
    fold,
    has_diacritics,
    normalize,
    syllables,
)
from knowledge.types import Coverage, ProvisionKind
from knowledge.vocabulary import vocabulary

RRF_K = 20
DEPTH = 40  # candidates taken from each retriever before fusion
# A provision the loaded text has no content for is found by reference, rarely by topic.
NOT_COVERED_WEIGHT = 0.5
NOTED_WEIGHT = 0.75
META_WEIGHT = 1.6  # "ai ký / hiệu lực / thay thế…": the document's info block weighs more
SPECIFIC_RATIO = 0.85


def prefer_specific(ranked: list[str], scores: dict[str, float]) -> list[str]:
    """Move a provision ahead of its ancestor when it scores nearly as well: the clause that
    says it is a more precise citation than the article that contains it."""
    order = list(ranked)
    for pid in ranked:
        i = order.index(pid)
        ancestors = [j for j in range(i) if pid.startswith(order[j] + "/")]
        if ancestors and scores[pid] >= SPECIFIC_RATIO * scores[order[ancestors[0]]]:
            order.insert(ancestors[0], order.pop(i))
    return order


class EmptyQuery(ValueError):
    """The question is empty or only whitespace."""


def prepare_query(query: str, max_chars: int) -> tuple[str, list[str]]:
    """Normalise a query and cut it to the stated limit, with a notice.

    Raises:
        EmptyQuery: when nothing is left to search.
    """
    # Escapes, control and zero-width characters are not part of any question.
    text = normalize(clean_question(query or ""))
    if not text:
        raise EmptyQuery("Câu hỏi trống. Hãy nhập một câu hỏi, ví dụ: 'Ai đánh giá chi bộ?'")
    notices = []
    if len(text) > max_chars:
        notices.append(
            f"Câu hỏi dài {len(text)} ký tự; chỉ {max_chars} ký tự đầu được dùng để tìm kiếm."
        )
        text = text[:max_chars].rstrip()
    return text, notices


@dataclass
class Retriever:
    """Everything a search needs, loaded once per process."""

    settings: Settings
    pack: Pack
    embedder: Embedder
    index: VectorIndex
    keyword: KeywordIndex
    restorer: AccentRestorer
    build_report: BuildReport | None = None
    # "hybrid" (the product); "keyword" or "dense" alone are evaluation baselines: one
    # retriever, no reference routing.
    mode: str = "hybrid"

    @classmethod
    def load(
        cls,
        settings: Settings,
        *,
        progress: Callable[[int, int], None] | None = None,
        rebuild: bool = False,
        pack: Pack | None = None,
        tidy: bool = False,
        notify: Callable[[str], None] | None = None,
        embedder: Embedder | None = None,
    ) -> Retriever:
        """Load the pack and engines; build or update the index when it is not current.

        Args:
            tidy: build (under the build lock) even when the index is current, to finish off
                what an interrupted build left (`quydinh index`).
            notify: shows live messages, e.g. that another process is building.
            embedder: an engine to use instead of the configured one (the scale benchmark's
                random vectors).
        """
        pack = pack or load_pack(settings.official_path, settings.documents_dir)
        embedder = embedder or get_embedder(settings.embedding)
        url = settings.chroma_url
        store = {"url": url} if url else {"path": settings.index_path}
        index = VectorIndex.open(**store, notify=notify, wait_s=settings.build_wait_s)
        report = None
        if rebuild or tidy or not index.is_current(pack, embedder):
            report = index.build(
                pack,
                embedder,
                rebuild=rebuild,
                progress=progress,
                wait_s=settings.build_wait_s,
                notify=notify,
            )
        restorer = AccentRestorer.for_texts(
            [passage_text(p, pack.document(p.doc_id)) for p in pack.indexable()]
        )
        return cls(
            settings,
            pack,
            embedder,
            index,
            KeywordIndex(pack, settings.data_dir / "cache"),
            restorer,
            report,
        )

    @property
    def notices(self) -> list[str]:
        return list(self.index.notices) + list(self.keyword.notices)

    def understand(self, text: str) -> tuple[str, str]:
        """The query as searched and as shown: diacritics restored where missing,
        abbreviations expanded. Searching uses one normal form (lowercase syllables) so that
        "Ai đánh giá chi bộ?" and "ai danh gia chi bo" search the same text."""
        restored = self.restorer.restore(text)
        expansions = expand_abbreviations(text)[len(text) :]
        # "công đoàn" is what Quy định 125 titles "các tổ chức chính trị - xã hội".
        folded = fold(restored)
        related = [m for m in vocabulary().related_to(folded) if fold(m) not in folded]
        if related:
            expansions += f" ({'; '.join(related)})"
        shown = text if restored == " ".join(syllables(text)) else restored
        return restored + expansions, shown + expansions

    def search(
        self, query: str, k: int | None = None, prefer: dict[str, float] | None = None
    ) -> SearchResult:
        """Search the pack. Explicit references come first, then fused dense + keyword hits.

        `prefer` weighs the fused score of some documents' provisions (the cycle a question
        is about: the 2025 documents for "now"), without filtering the others out.

        Raises:
            EmptyQuery: for an empty or whitespace-only query.
        """
        start = time.perf_counter()
        k = k or self.settings.top_k
        text, notices = prepare_query(query, self.settings.max_query_chars)
        text = expand_shorthand(text)
        understood, shown = self.understand(text)
        refs = resolve(text, self.pack) if self.mode == "hybrid" else References()
        doc_filter = refs.doc_ids or None

        dense, keyword = [], []
        if self.mode in ("hybrid", "dense"):
            dense = self.index.query(self.embedder.embed_query(understood), DEPTH, doc_filter)
            # A rebuild switched to a newer pack's collection: only what this pack holds.
            dense = [h for h in dense if h.id in self.pack]
        if self.mode in ("hybrid", "keyword"):
            keyword = self.keyword.search(understood, DEPTH, doc_filter)

        # Reciprocal-rank fusion. Dense retrieval reads unaccented text poorly: when the
        # diacritics could not be restored, the (accent-folded) keyword ranking weighs more.
        if has_diacritics(understood) or not any(c.isalpha() for c in understood):
            weights = {"dense": 1.0, "keyword": 1.0}
        else:
            weights = {"dense": 0.6, "keyword": 1.4}
        fused: dict[str, float] = {}
        found_by: dict[str, list[str]] = {}
        for name, ranked in (
            ("dense", [h.id for h in dense]),
            ("keyword", [h.id for h in keyword]),
        ):
            for rank, pid in enumerate(ranked):
                fused[pid] = fused.get(pid, 0.0) + weights[name] / (RRF_K + rank + 1)
                found_by.setdefault(pid, []).append(name)
        for pid in fused:
            provision = self.pack[pid]
            if provision.coverage is Coverage.NONE and not provision.title:
                # Its note may still say what it is about ("Không hoàn thành nhiệm vụ").
                fused[pid] *= NOTED_WEIGHT if provision.coverage_note else NOT_COVERED_WEIGHT
            if provision.kind is ProvisionKind.INFO and is_meta(text):
                fused[pid] *= META_WEIGHT
            if prefer and provision.doc_id in prefer:
                fused[pid] *= prefer[provision.doc_id]
        # Named provisions rank first, in the order named; what lies inside them follows.
        named = refs.provision_ids
        for pid in list(fused):
            if any(pid.startswith(n + "/") for n in named):
                fused[pid] += 0.5
                found_by.setdefault(pid, []).insert(0, "within-reference")
        for rank, pid in enumerate(named):
            fused[pid] = 1.0 + 1.0 / (rank + 1) + fused.get(pid, 0.0)
            found_by.setdefault(pid, []).insert(0, "reference")

        similarity = {h.id: h.similarity for h in dense}
        bm25 = {h.id: h.score for h in keyword}
        ranked_ids = prefer_specific(sorted(fused, key=lambda pid: -fused[pid]), fused)[:k]
        hits = [
            Hit(
                id=pid,
                doc_id=self.pack[pid].doc_id,
                citation=self.pack[pid].citation,
                score=round(fused[pid], 6),
                retrievers=found_by[pid],
                dense_similarity=similarity.get(pid),
                keyword_score=round(bm25[pid], 4) if pid in bm25 else None,
            )
            for pid in ranked_ids
        ]
        return SearchResult(
            query=shown,
            hits=hits,
            doc_filter=refs.doc_ids,
            references=refs.provision_ids,
            unresolved=refs.unresolved,
            notices=notices,
            elapsed_ms=round((time.perf_counter() - start) * 1000, 2),
        )
