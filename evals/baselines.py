"""The plain LangChain RAG baseline: fixed-size chunks of the documents' plain text.

RecursiveCharacterTextSplitter (1000 characters, 200 overlap) over each document's plain
text, the same embeddings, a Chroma collection of chunks; the top chunks are mapped to the
provisions they overlap so that the same metrics apply. No gate: it never refuses.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.retrieval import Retriever
from assistant.types import Answer, Citation, Hit
from knowledge.pack import Pack
from knowledge.types import ProvisionKind

CHUNK_SIZE, CHUNK_OVERLAP, TOP_CHUNKS = 1000, 200, 3


@dataclass(frozen=True)
class Span:
    provision_id: str
    start: int
    end: int


def plain_text(pack: Pack, doc_id: str) -> tuple[str, list[Span]]:
    """A document as plain text (headings and own text in reading order) with each
    provision's span in it."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for provision in pack.trees[doc_id].provisions:
        if provision.kind is ProvisionKind.INFO:
            piece = provision.text
        else:
            head = provision.label + (f". {provision.title}" if provision.title else "")
            piece = f"{head}\n{provision.text}".strip()
        spans.append(Span(provision.id, offset, offset + len(piece)))
        parts.append(piece)
        offset += len(piece) + 2
    return "\n\n".join(parts), spans


class PlainRag:
    """The baseline, built once over a retriever's pack, embedder and Chroma client."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever
        self.pack = retriever.pack
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        texts, metadatas = [], []
        self.spans: dict[str, list[Span]] = {}
        for doc_id in self.pack.trees:
            text, spans = plain_text(self.pack, doc_id)
            self.spans[doc_id] = spans
            for chunk in splitter.create_documents([text]):
                start = chunk.metadata["start_index"]
                texts.append(chunk.page_content)
                metadatas.append(
                    {"doc_id": doc_id, "start": start, "end": start + len(chunk.page_content)}
                )
        digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:10]
        self.collection = f"baseline-chunks-{retriever.embedder.name[:30]}-{digest}"
        self.texts = texts
        retriever.index.build_chunks(self.collection, texts, metadatas, retriever.embedder)

    def provisions_of(self, meta: dict) -> list[str]:
        """Provisions a chunk overlaps, most-overlapping first."""
        overlaps = []
        for span in self.spans[meta["doc_id"]]:
            overlap = min(span.end, meta["end"]) - max(span.start, meta["start"])
            if overlap > 0:
                overlaps.append((-overlap, span.provision_id))
        return [pid for _, pid in sorted(overlaps)]

    def answer(self, question: str) -> Answer:
        start = time.perf_counter()
        vector = self.retriever.embedder.embed_query(question)
        chunks = self.retriever.index.query_chunks(self.collection, vector, TOP_CHUNKS)
        retrieved: list[str] = []
        for _, _, meta in chunks:
            for pid in self.provisions_of(meta):
                if pid not in retrieved:
                    retrieved.append(pid)
        top_id, _, top_meta = chunks[0]
        top_text = self.texts[int(top_id.split("-")[1])]
        cited = self.provisions_of(top_meta)[:3]
        citations = [
            Citation(
                marker=i,
                id=pid,
                label=self.pack[pid].citation,
                quote=self.pack[pid].text,
                doc_number=self.pack.document(self.pack[pid].doc_id).number,
                doc_status=self.pack.document(self.pack[pid].doc_id).status.value,
            )
            for i, pid in enumerate(cited, start=1)
        ]
        hits = [
            Hit(
                id=pid,
                doc_id=self.pack[pid].doc_id,
                citation=self.pack[pid].citation,
                score=0.0,
                retrievers=["chunks"],
            )
            for pid in retrieved
        ]
        return Answer(
            question=question,
            understood=question,
            text=top_text,
            citations=citations,
            hits=hits,
            engine="plain-rag",
            elapsed_ms=round((time.perf_counter() - start) * 1000, 2),
        )
