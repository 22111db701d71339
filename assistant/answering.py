"""`answer(question, history, settings) -> Answer`: the one function the CLI, the UI and the
evaluation runner call.

Stages: follow-up rewriting → hybrid search → refusal gate → (not covered | extractive | LLM
with extractive fallback) → citation check → validity warnings.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

from assistant import prompts
from assistant.extractive import Composed, compose
from assistant.followup import rewrite
from assistant.gate import GateDecision, TermStats, decide, features
from assistant.llm import LLMFailure, generate, make_chat_model
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Citation, Hit, SearchResult
from knowledge.errors import BackendUnavailable
from knowledge.index import passage_text
from knowledge.text import fold, syllables
from knowledge.types import Coverage

PRESENT = re.compile(
    r"\b(hien nay|hien hanh|hien tai|bay gio|con hieu luc|con ap dung|dang ap dung|moi nhat"
    r"|nam 2025|nam 2026|nam nay|cuoi nam nay|ky nay)\b"
)


class Assistant:
    """A loaded retriever plus what answering derives from it, built once per process."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever
        self.pack = retriever.pack
        self.settings = retriever.settings
        # Lowercase syllables of each passage, for the gate's term coverage.
        self.passages = {
            p.id: " ".join(syllables(passage_text(p, self.pack.document(p.doc_id))))
            for p in self.pack.indexable()
        }
        self.vocabulary = {
            f"{fold(a)} {fold(b)}"
            for text in self.passages.values()
            for a, b in zip(text.split(), text.split()[1:], strict=False)
        }
        self.term_stats = TermStats(self.passages)
        # Numbers of the documents the pack holds or describes ("124", "198" for Kết luận
        # 198-KL/TW, which the HD 43 digest covers as a companion document).
        self.doc_numbers = known_document_numbers(self.pack)
        self.successors = {
            doc.number.split("-")[
                0
            ]: f"{'Quy định' if doc.replaced_by.id.startswith('qd') else 'Hướng dẫn'} "
            f"{doc.replaced_by.number}"
            for doc in self.pack.documents
            if doc.replaced_by
        }

    # --- the stages ---------------------------------------------------------------------

    def understand(self, question: str, history: list[dict] | None) -> str:
        return rewrite(question, history or [], self.vocabulary, self.successors)

    def gate(self, understood: str, result: SearchResult) -> GateDecision:
        if result.references or result.doc_filter:
            # The question names one of the documents or one of their provisions.
            return GateDecision(True, 1.0, {"reference": 1.0})
        return decide(self.gate_features(result))

    def gate_features(self, result: SearchResult) -> dict[str, float]:
        """The refusal gate's inputs; the result's query has its diacritics restored and
        abbreviations expanded."""
        return features(
            result.query,
            result,
            self.term_stats,
            self.passages,
            self.retriever.keyword.segmenter,
            self.doc_numbers,
        )

    def answer(
        self,
        question: str,
        history: list[dict] | None = None,
        *,
        engine: str | None = None,
        chat_model=None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question (see the module docstring for the stages).

        Raises:
            EmptyQuery: for an empty question.
        """
        start = time.perf_counter()
        engine = engine or self.settings.engine
        understood = self.understand(question, history)
        result = self.retriever.search(understood)
        decision = self.gate(understood, result)
        if understood != question and not decision.answerable:
            # The rewrite did not help: perhaps the question was not a follow-up after all
            # ("Giá vàng hôm nay?" after a question on reviews). Judge it as it was typed.
            understood = question
            result = self.retriever.search(question)
            decision = self.gate(question, result)
        notices = list(result.notices)
        if understood != question:
            notices.append(prompts.FOLLOWUP_NOTICE.format(understood=understood))
        if _looks_english(question):
            notices.append(prompts.ENGLISH_NOTICE)
        base = {
            "question": question,
            "understood": understood,
            "hits": result.hits,
            "settings_hash": self.settings.short_hash(),
            "engine": engine,
        }

        if not decision.answerable or not result.hits:
            text = _refusal_text(result.hits[:3])
            return Answer(
                text=text,
                refused=True,
                notices=notices,
                elapsed_ms=_ms(start),
                **base,
            )

        top = self.pack[result.hits[0].id]
        if top.coverage is Coverage.NONE:
            composed = self._not_covered(result.hits[0])
        elif engine == "llm":
            composed, used_llm = self._llm(understood, result, chat_model, on_token)
            if not used_llm:
                notices.append(composed.text.split("\n", 1)[0])
                composed = Composed(composed.text.split("\n", 1)[1], composed.citations)
                base["engine"] = "extractive"
        else:
            composed = compose(result.query, result.hits, self.pack, self.retriever.keyword.idf)
        citations = _validated(composed.citations, result.hits)
        warnings = self._warnings(citations, understood)
        partial = [
            prompts.partial_notice(p.citation, p.coverage_note)
            for p in (self.pack[c.id] for c in citations)
            if p.coverage is Coverage.PARTIAL and p.coverage_note
        ]
        return Answer(
            text=composed.text,
            citations=citations,
            warnings=warnings,
            notices=notices + partial,
            elapsed_ms=_ms(start),
            **base,
        )

    def stream(
        self, question: str, history: list[dict] | None = None, **kwargs
    ) -> Iterator[str | Answer]:
        """Yield pieces of the answer text as they come, then the final `Answer`.

        The LLM engine streams its tokens; the extractive engine yields its lines.
        """
        tokens: list[str] = []
        engine = kwargs.pop("engine", None) or self.settings.engine
        if engine == "llm":
            final = self.answer(question, history, engine=engine, on_token=tokens.append, **kwargs)
            streamed = "".join(tokens)
            if streamed and streamed.strip() in final.text:
                yield from tokens
            else:
                yield final.text
        else:
            final = self.answer(question, history, engine=engine, **kwargs)
            yield from final.text.splitlines(keepends=True)
        yield final

    # --- helpers ------------------------------------------------------------------------

    def _not_covered(self, hit: Hit) -> Composed:
        provision = self.pack[hit.id]
        document = self.pack.document(provision.doc_id)
        citation = Citation(
            marker=1,
            id=provision.id,
            label=provision.citation,
            quote=provision.full_text or "(chưa có nội dung)",
            doc_number=document.number,
            doc_status=document.status.value,
            text_kind=document.text.value,
        )
        return Composed(
            prompts.not_covered(provision.citation, 1, provision.coverage_note), [citation]
        )

    def _llm(self, question, result: SearchResult, chat_model, on_token) -> tuple[Composed, bool]:
        """The LLM's answer, or the extractive one with the reason on its first line."""
        hits = result.hits
        try:
            model = chat_model or make_chat_model(self.settings)
            return generate(model, question, hits, self.pack, on_token), True
        except Exception as exc:  # noqa: BLE001 - every failure falls back, with its reason
            reason = (
                str(exc)
                if isinstance(exc, LLMFailure | BackendUnavailable)
                else (type(exc).__name__)
            )
            fallback = compose(result.query, hits, self.pack, self.retriever.keyword.idf)
            notice = prompts.LLM_FALLBACK.format(reason=reason)
            return Composed(f"{notice}\n{fallback.text}", fallback.citations), False

    def _warnings(self, citations: list[Citation], question: str) -> list[str]:
        warnings: list[str] = []
        for doc_id in dict.fromkeys(self.pack[c.id].doc_id for c in citations):
            warning = prompts.validity_warning(self.pack.document(doc_id))
            if warning and warning not in warnings:
                warnings.append(warning)
        if PRESENT.search(fold(question)):
            warnings.append(prompts.PRESENT_NOTICE)
        return warnings


def known_document_numbers(pack) -> set[str]:
    """Numbers ("124") and number/year pairs ("124/2023") of the documents the pack holds or
    describes, e.g. Kết luận 198-KL/TW, which the HD 43 digest covers as a companion."""
    known = set()
    for doc in pack.documents:
        number = doc.number.split("-")[0]
        known |= {number, f"{number}/{doc.signed.year}"}
    for provision in pack.provisions.values():
        for m in re.finditer(
            r"(\d{2,5})-(?:QĐ|HD|KL|CV)/\S*(?:\s+ngày\s+\d{1,2}/\d{1,2}/(\d{4}))?",
            provision.full_text,
        ):
            known.add(m.group(1))
            if m.group(2):
                known.add(f"{m.group(1)}/{m.group(2)}")
    return known


def _validated(citations: list[Citation], hits: list[Hit]) -> list[Citation]:
    """Citations only from what was retrieved: anything else is dropped."""
    retrieved = {h.id for h in hits}
    return [c for c in citations if c.id in retrieved]


def _refusal_text(nearest: list[Hit]) -> str:
    lines = [prompts.REFUSAL]
    if nearest:
        lines += ["", prompts.NEAREST] + [f"- {h.citation}" for h in nearest]
    return "\n".join(lines)


def _looks_english(question: str) -> bool:
    words = re.findall(r"[A-Za-z]+", question)
    english = {"what", "who", "how", "when", "which", "does", "is", "the", "of", "about", "party"}
    return len(words) >= 3 and sum(w.lower() in english for w in words) >= 2


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def get_assistant(settings: Settings) -> Assistant:
    """One assistant per settings per process, loaded once under a lock (assistant.runtime)."""
    from assistant import runtime

    return runtime.get_assistant(settings)


def answer(
    question: str, history: list[dict] | None = None, settings: Settings | None = None, **kwargs
) -> Answer:
    """Answer a question about the documents, with citations, warnings and refusals.

    Args:
        question: the user's question, as typed.
        history: earlier turns, oldest first: [{"role": "user"|"assistant", "content": …}].
        settings: the settings object (default: from the environment).
        **kwargs: `engine` ("extractive" | "llm"), `chat_model` (a LangChain chat model to
            use instead of the configured endpoint), `on_token` (a streaming callback).

    Returns:
        The typed `Answer`.
    """
    return get_assistant(settings or Settings()).answer(question, history, **kwargs)
