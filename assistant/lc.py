"""The search exposed as a LangChain `BaseRetriever`, so it plugs into any LangChain chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever


class QuyDinhRetriever(BaseRetriever):
    """Hybrid search over the provisions; each result is one provision with its citation."""

    retriever: Any  # assistant.retrieval.Retriever (kept loose: pydantic cannot model it)
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        result = self.retriever.search(query, k=self.k)
        docs = []
        for hit in result.hits:
            provision = self.retriever.pack[hit.id]
            document = self.retriever.pack.document(hit.doc_id)
            docs.append(
                LCDocument(
                    id=hit.id,
                    page_content=provision.full_text,
                    metadata={
                        "id": hit.id,
                        "citation": hit.citation,
                        "score": hit.score,
                        "retrievers": hit.retrievers,
                        "doc_id": hit.doc_id,
                        "doc_number": document.number,
                        "doc_status": document.status.value,
                        "text": document.text.value,
                    },
                )
            )
        return docs
