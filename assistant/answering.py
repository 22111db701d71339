"""`answer(question, history, settings) -> Answer`: the one function the CLI, the UI and the
evaluation runner call.

Stages (assistant/stages/): frame (what is asked, about whom, for which cycle) → follow-up
slots → hybrid search → plan (provision, span, applicable cycle, outcome) → answerability
decision → lead and quotes (extractive, or an LLM that must keep the lead) → citation check.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterator

from assistant import prompts
from assistant.gate import TermStats, features, focus_word
from assistant.llm import LLMFailure, generate, make_chat_model
from assistant.retrieval import EmptyQuery, Retriever
from assistant.settings import Settings
from assistant.stages.compose import Citer, Composed, citation_for, compose
from assistant.stages.decide import Decision, decide, plan_features
from assistant.stages.english import to_vietnamese
from assistant.stages.followup import follow, known_tokens
from assistant.stages.frame import build_frame, looks_english
from assistant.stages.lead import LeadBuilder
from assistant.stages.plan import Plan, Planner, provision_hit
from assistant.stages.scoring import NEW_DOCS, OLD_DOCS
from assistant.stages.words import COMMON, Words
from assistant.types import (
    Answer,
    Asked,
    Citation,
    DocFact,
    Frame,
    Hit,
    LeadSentence,
    Period,
    SearchResult,
)
from knowledge.errors import BackendUnavailable
from knowledge.index import passage_text
from knowledge.pack import Pack
from knowledge.spans import build_spans
from knowledge.text import fold, has_diacritics, syllables

CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
# Markup in a question is read as plain text: script and style blocks go, tags go, a link or
# image keeps its words, emphasis and heading marks go.
SCRIPT = re.compile(r"(?is)<(script|style)\b[^>]{0,200}>.{0,5000}?</\1\s*>")
LINK = re.compile(r"!?\[([^\]]{0,200})\]\([^)]{0,500}\)")
MARKUP = re.compile(r"<[^>]{0,200}>|[*_`#>|]{2,}|^#{1,6}\s")


class Assistant:
    """A loaded retriever plus what answering derives from it, built once per process."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever
        self.pack = retriever.pack
        self.settings = retriever.settings
        # Lowercase syllables of each passage, for the search-evidence features.
        self.passages = {
            p.id: " ".join(syllables(passage_text(p, self.pack.document(p.doc_id))))
            for p in self.pack.indexable()
        }
        self.term_stats = TermStats(self.passages)
        self.doc_numbers = known_document_numbers(self.pack)
        self.spans = build_spans(list(self.pack.provisions.values()))
        self.words = Words(self.retriever.keyword.segmenter)
        idf = self.retriever.keyword.idf
        self.planner = Planner(self.pack, self.spans, idf, self.words)
        self.leads = LeadBuilder(self.pack, self.spans, self.words)
        self.known_tokens = known_tokens(self.pack, self.words)

    # --- the stages ---------------------------------------------------------------------

    def understand(self, question: str, history: list[dict] | None) -> tuple[Frame, str]:
        """The frame of a question in its conversation, and the question as understood."""
        if looks_english(question):
            # Read in the documents' words; the frame keeps that the question was English.
            reading = to_vietnamese(question)
            if not reading.strip(" ?"):
                reading = question  # no word of the documents: judged as it is
            frame = build_frame(reading, self.pack)
            return frame.model_copy(update={"english": True}), reading
        followed = follow(
            question,
            history or [],
            self.pack,
            self.known_tokens,
            self.words,
            self.retriever.restorer.restore,
        )
        return followed.frame, followed.question

    def search_evidence(self, result: SearchResult) -> dict[str, float]:
        """The search-side features of the answerability decision."""
        return features(
            result.query,
            result,
            self.term_stats,
            self.passages,
            self.retriever.keyword.segmenter,
            self.doc_numbers,
        )

    def focus_found(self, plan: Plan, result: SearchResult, question: str) -> bool:
        """Whether the provision the plan answers from names what the question asks for
        ("mục đích" in "nhằm mục đích gì"), when the top passages do not. A question typed
        without diacritics is compared without them: its accents were guessed."""
        chosen = plan.primary or plan.nearest
        provision = chosen.provision if chosen is not None else plan.placeholder
        focus = focus_word(result.query, self.retriever.keyword.segmenter)
        if provision is None or not focus or provision.id not in self.passages:
            return False
        text = f" {self.passages[provision.id]} "
        said = f" {focus.replace('_', ' ')} "
        if not has_diacritics(question):
            text, said = fold(text), fold(said)
        return said in text

    def decide(self, frame: Frame, plan: Plan, result: SearchResult, question: str) -> Decision:
        feats = self.search_evidence(result) | plan_features(
            frame, plan, result.query, self.words, self.retriever.keyword.idf, result.references
        )
        if feats.get("focus_missing") and self.focus_found(plan, result, question):
            feats["focus_missing"] = 0.0
        about_documents = frame.doc_fact is DocFact.APPLIES and feats["in_domain"] > 0
        # A form code the documents have ("Mẫu 2C") names what the question is about.
        names_form = (
            frame.premise is not None
            and frame.premise.kind == "form"
            and plan.primary is not None
            and plan.primary.span is not None
            and plan.primary.span.value == frame.premise.value
        )
        # "… được 58 điểm thì xếp loại mức nào": the points fall in a level's score range.
        about_documents = about_documents or names_form or plan.by_score
        if not feats.get("outside") and (
            about_documents
            or result.references
            or (frame.documents and not feats.get("other_document"))
        ):
            # The question names one of the documents or one of their provisions (and no
            # topic they do not cover: "theo bạn, Quy định 366 sẽ …" is an opinion asked).
            if frame.request is not None:
                return Decision(False, 0.0, feats, reason=frame.request, by="request")
            return Decision(True, 1.0, feats, by="reference")
        return decide(feats, frame)

    def run(self, question: str, history: list[dict] | None = None):
        """Frame, search, plan and decision for one question (no composing)."""
        frame, understood = self.understand(question, history)
        result = self.retriever.search(understood, prefer=cycle_preference(frame))
        plan = self.planner.plan(
            frame, result.query, result.hits, result.references, result.unresolved
        )
        decision = self.decide(frame, plan, result, understood)
        return frame, understood, result, plan, decision

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
        cleaned, input_notices = clean_question(question)
        if not cleaned.strip():
            raise EmptyQuery("Câu hỏi trống. Hãy nhập một câu hỏi, ví dụ: 'Ai đánh giá chi bộ?'")
        uncovered = None
        parts = None if history else two_questions(cleaned)
        if parts is not None and len(build_frame(cleaned, self.pack).doc_facts) > 1:
            parts = None  # "do ai ký và ký ngày nào": two facts of one document, one answer
        context = (
            [{"role": "user", "content": parts[0]}, {"role": "assistant", "content": ""}]
            if parts
            else []
        )
        if parts is not None and not self.run(parts[1], context)[4].answerable:
            # "Hạn gửi hồ sơ là ngày nào và phụ cấp cấp ủy viên bao nhiêu?": answer the first
            # part, and say the documents do not cover the second.
            cleaned, uncovered = parts
        frame, understood, result, plan, decision = self.run(cleaned, history)
        notices = input_notices + list(result.notices)
        if frame.english:
            notices.append(prompts.ENGLISH_NOTICE)
            notices.append(prompts.ENGLISH_READING.format(reading=understood))
        elif understood != cleaned:
            notices.append(prompts.FOLLOWUP_NOTICE.format(understood=understood))
        hits = planned_first(result.hits + plan.added, plan, self.pack)
        if frame.asked is not Asked.COMPARISON:
            hits = fewer_comparisons(hits, plan)
        base = {
            "question": question,
            "understood": understood,
            "hits": hits,
            "settings_hash": self.settings.short_hash(),
            "engine": engine,
            "frame": frame,
        }
        if not decision.answerable or not result.hits:
            return self._refusal(base, result.hits[:3], decision, notices, start)
        if plan.outcome == "not_covered" or engine != "llm":
            composed = compose(
                plan, frame, self.pack, self.leads, self.words, self.retriever.keyword.idf
            )
        else:
            composed, used_llm, llm_notes = self._llm(
                understood, frame, plan, hits, chat_model, on_token
            )
            notices += llm_notes
            if not used_llm:
                notices.append(composed.text.split("\n", 1)[0])
                composed.text = composed.text.split("\n", 1)[1]
                base["engine"] = "extractive"
        citations = validated(composed.citations, hits)
        if uncovered is not None:
            said = prompts.UNCOVERED_PART.format(part=uncovered.rstrip(" ?"))
            composed.lead = [*composed.lead, LeadSentence(text=said, role="uncovered")]
            head, sep, rest = composed.text.partition("\n\n")
            composed.text = f"{head}\n{said}{sep}{rest}"
        return Answer(
            text=composed.text,
            citations=citations,
            warnings=[composed.validity] if composed.validity else [],
            notices=notices,
            elapsed_ms=_ms(start),
            outcome=composed.outcome,
            lead=composed.lead,
            caveats=composed.caveats,
            validity=composed.validity,
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

    def _refusal(
        self, base: dict, nearest: list[Hit], decision: Decision, notices, start
    ) -> Answer:
        reason = prompts.REQUESTS.get(decision.reason, prompts.REFUSAL)
        text = reason
        if nearest:
            text += "\n\n" + prompts.NEAREST + "\n" + "\n".join(f"- {h.citation}" for h in nearest)
        return Answer(
            text=text,
            refused=True,
            outcome="refused",
            lead=[LeadSentence(text=reason, role="refusal")],
            notices=notices,
            elapsed_ms=_ms(start),
            **base,
        )

    def _llm(
        self, question, frame, plan, hits, chat_model, on_token
    ) -> tuple[Composed, bool, list[str]]:
        """The LLM's answer, keeping the planned lead; or the extractive one with the reason
        on its first line."""
        planned = compose(
            plan, frame, self.pack, self.leads, self.words, self.retriever.keyword.idf
        )
        try:
            model = chat_model or make_chat_model(self.settings)
            reply = generate(
                model, question, hits, self.pack, on_token, planned, words=self.words, common=COMMON
            )
            notes = []
            if reply.dropped:
                notes.append(prompts.LLM_DROPPED.format(n=len(reply.dropped)))
            if reply.removed_markup:
                notes.append(prompts.LLM_MARKUP)
            return (
                Composed(
                    text=reply.text,
                    citations=reply.citations,
                    lead=planned.lead,
                    caveats=planned.caveats,
                    validity=planned.validity,
                    outcome=planned.outcome,
                ),
                True,
                notes,
            )
        except (LLMFailure, BackendUnavailable) as exc:
            # The endpoint's failures (wrapped by generate) fall back, with their reason; a
            # bug of ours is not hidden behind a fallback.
            reason = str(exc)
            notice = prompts.LLM_FALLBACK.format(reason=reason)
            planned.text = f"{notice}\n{planned.text}"
            return planned, False, []


def clean_question(question: str) -> tuple[str, list[str]]:
    """The question as text: NFC, without control characters, zero-width marks or markup
    syntax (a notice says what was removed)."""
    notices = []
    text = unicodedata.normalize("NFC", question or "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    stripped = CONTROL.sub(" ", text)
    if stripped != text:
        notices.append(prompts.CONTROL_NOTICE)
    unmarked = MARKUP.sub(" ", LINK.sub(r" \1 ", SCRIPT.sub(" ", stripped)))
    if unmarked != stripped:
        notices.append(prompts.MARKUP_NOTICE)
    return re.sub(r"\s+", " ", unmarked).strip(), notices


# Where a question may join two questions: "… ngày nào và phụ cấp … bao nhiêu?".
JOINS = re.compile(r"\s*(?:\?|;)\s+|,?\s+(?:và|còn|đồng thời)\s+", re.IGNORECASE)
ASKING = re.compile(
    r"(?<!\w)(ai|gì|nào|bao nhiêu|mấy|khi nào|thế nào|ra sao|ở đâu|không|chưa|bao giờ)(?!\w)",
    re.IGNORECASE,
)


def two_questions(question: str) -> tuple[str, str] | None:
    """The two questions of a question that asks two things, each asking on its own."""
    for m in JOINS.finditer(question):
        first, second = question[: m.start()].strip(), question[m.end() :].strip()
        if len(first.split()) >= 3 and len(second.split()) >= 3:
            if ASKING.search(first) and ASKING.search(second):
                return first.rstrip(" ,") + "?", second[:1].upper() + second[1:]
    return None


def known_document_numbers(pack) -> set[str]:
    """Numbers ("124") and number/year pairs ("124/2023") of the documents the pack holds or
    describes, e.g. Kết luận 198-KL/TW, which the notes cover as a companion."""
    known = set()
    for doc in pack.documents:
        number = doc.number.split("-")[0]
        known |= {number, f"{number}/{doc.signed.year}"}
    for provision in pack.provisions.values():
        for m in re.finditer(
            r"(\d{2,5})-(?:QĐ|HD|KL|CV)/\S*(?:\s+ngày\s+\d{1,2}/\d{1,2}/(\d{4}))?",
            provision.full_text + " " + provision.title,
        ):
            known.add(m.group(1))
            if m.group(2):
                known.add(f"{m.group(1)}/{m.group(2)}")
    return known


def planned_first(hits: list[Hit], plan: Plan, pack: Pack) -> list[Hit]:
    """The sources in the order the answer uses them: the provision it answers from (or the
    placeholder it reports), the other cycle's rule, the map's sources for a gap, then the
    search's ranking. A chosen provision search did not return (a placeholder found by its
    topic) is listed too, so that its citation holds."""
    chosen = [
        c.provision.id for c in (plan.primary, plan.secondary, plan.nearest) if c is not None
    ] + ([plan.placeholder.id] if plan.placeholder is not None else [])
    by_id = {h.id: h for h in hits}
    first = [
        by_id[pid] if pid in by_id else provision_hit(pack[pid], 0.0, ["plan"])
        for pid in dict.fromkeys([*chosen, *plan.related])
        if pid in by_id or pid in pack
    ]
    seen = {h.id for h in first}
    return first + [h for h in hits if h.id not in seen]


COMPARISON_NOTE = "ghi-chu/so-sanh-"
# How much search favours the documents of the cycle a question is about.
SAID_CYCLE_WEIGHT = 1.3  # "năm 2025", "theo QĐ 124"
NOW_WEIGHT = 1.15  # unsaid: people asking today mean the 2025 cycle


def cycle_preference(frame: Frame) -> dict[str, float] | None:
    """The documents search favours for the cycle the question means."""
    if frame.asked in (Asked.COMPARISON, Asked.DOC_FACT) or frame.documents:
        return None  # both cycles, or the documents named (search filters on those)
    if frame.time is Period.OLD:
        return dict.fromkeys(OLD_DOCS, SAID_CYCLE_WEIGHT)
    weight = SAID_CYCLE_WEIGHT if frame.time_explicit else NOW_WEIGHT
    return dict.fromkeys(NEW_DOCS, weight)


def fewer_comparisons(hits: list[Hit], plan: Plan) -> list[Hit]:
    """For a question that does not ask what changed, the provisions themselves before
    the digest's comparison rows: the first row keeps its rank, the others (unless the
    answer uses them) follow the rest."""
    used = {c.provision.id for c in (plan.primary, plan.secondary, plan.nearest) if c is not None}
    kept, later, seen_note = [], [], False
    for hit in hits:
        if hit.id.startswith(COMPARISON_NOTE) and hit.id not in used:
            if seen_note:
                later.append(hit)
                continue
            seen_note = True
        kept.append(hit)
    return kept + later


def validated(citations: list[Citation], hits: list[Hit]) -> list[Citation]:
    """Citations only from what was retrieved: anything else is dropped."""
    retrieved = {h.id for h in hits}
    return [c for c in citations if c.id in retrieved]


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


__all__ = ["Assistant", "answer", "get_assistant", "validated", "Citer", "citation_for"]
