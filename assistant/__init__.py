"""Trợ lý Quy định: the answering side (retrieval, answers, CLI)."""

from __future__ import annotations


def __getattr__(name: str):
    # `answer` loads the index and models; import it only when asked for.
    if name == "answer":
        from assistant.answering import answer

        return answer
    raise AttributeError(name)
