"""The LLM engine: any OpenAI-compatible endpoint through langchain-openai.

The model sees only the retrieved provisions, numbered. Its reply is checked sentence by
sentence (assistant/claims.py): a sentence without a citation, naming a provision that was not
retrieved, or stating numbers or terms its cited text does not hold is dropped, and markup is
removed; the citations left are checked against the list and renumbered. Any failure
(timeout, HTTP error, no supported sentence, an empty or garbled reply) raises `LLMFailure`,
and the caller falls back to the extractive answer with a notice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant import claims, prompts
from assistant.settings import Settings
from assistant.types import Citation, Hit
from knowledge.errors import BackendUnavailable
from knowledge.pack import Pack
from knowledge.types import Coverage

CONTEXT_HITS = 6
CONTEXT_CHARS = 1500
MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


class LLMFailure(Exception):
    """The LLM could not give a usable, cited answer; the reason is shown to the user."""


def make_chat_model(settings: Settings):
    """A ChatOpenAI client for the configured endpoint; the key is read from the environment
    (never logged, never stored in settings)."""
    if not settings.llm_base_url:
        raise BackendUnavailable(
            "Chưa cấu hình máy chủ LLM. Cách sửa: đặt QUYDINH_LLM_BASE_URL (ví dụ "
            "http://127.0.0.1:8080/v1) hoặc dùng bộ trích xuất (--engine extractive)."
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=os.environ.get(settings.llm_api_key_env) or "khong-can-khoa",
        model=settings.llm_model,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
    )


def context_hits(hits: list[Hit], pack: Pack) -> list[Hit]:
    """The provisions the model may see: the best hits that have content."""
    usable = [h for h in hits if pack[h.id].coverage is not Coverage.NONE]
    return usable[:CONTEXT_HITS]


def build_messages(
    question: str, hits: list[Hit], pack: Pack, planned=None
) -> list[tuple[str, str]]:
    blocks = []
    for n, hit in enumerate(hits, start=1):
        provision = pack[hit.id]
        text = provision.full_text[:CONTEXT_CHARS]
        blocks.append(f"[{n}] (mã: {hit.id}) {provision.citation}\n{text}")
    lead = ""
    if planned is not None and planned.lead:
        # The planned lead, renumbered to this context's markers: the model must keep it.
        lead = "\n".join(_renumber(s.text, planned.citations, hits) for s in planned.lead)
    user = prompts.LLM_USER.format(
        context="\n\n".join(blocks), question=question, lead=lead or "(không có)"
    )
    return [("system", prompts.LLM_SYSTEM), ("human", user)]


def _renumber(text: str, citations, hits: list[Hit]) -> str:
    position = {h.id: n for n, h in enumerate(hits, start=1)}
    by_marker = {c.marker: position.get(c.id) for c in citations}

    def swap(match: re.Match) -> str:
        n = by_marker.get(int(match.group(1)))
        return f"[{n}]" if n else ""

    return re.sub(r"\[(\d+)\]", swap, text)


@dataclass
class Reply:
    text: str
    citations: list[Citation]
    dropped: list[str] = field(default_factory=list)  # sentences without support, left out
    removed_markup: bool = False


def generate(
    chat_model,
    question: str,
    hits: list[Hit],
    pack: Pack,
    on_token: Callable[[str], None] | None,
    planned=None,
    *,
    words: Callable[[str], frozenset[str]],
    common: frozenset[str] = frozenset(),
) -> Reply:
    """Ask the model; return its supported sentences with validated citations.

    Raises:
        LLMFailure: on any error, when no sentence of the reply is supported by the provisions
            it was shown, or when it drops the planned lead's facts.
    """
    shown = context_hits(hits, pack)
    if planned is not None:
        # The provisions the planned lead cites come first, so the model sees them.
        first = [h for c in planned.citations for h in hits if h.id == c.id]
        by_id = {h.id: h for h in [*first, *shown]}
        shown = list(by_id.values())[:CONTEXT_HITS]
    if not shown:
        raise LLMFailure("không có quy định nào có nội dung để đưa cho mô hình")
    messages = build_messages(question, shown, pack, planned)
    try:
        if on_token is not None:
            parts = []
            for chunk in chat_model.stream(messages):
                piece = chunk.content if isinstance(chunk.content, str) else ""
                parts.append(piece)
                on_token(piece)
            text = "".join(parts)
        else:
            reply = chat_model.invoke(messages)
            text = reply.content if isinstance(reply.content, str) else ""
    except Exception as exc:  # noqa: BLE001 - timeouts, HTTP and parsing errors alike
        raise LLMFailure(_reason(exc)) from None
    checked = claims.check(text, shown, pack, hits, words, common)
    if not checked.text:
        raise LLMFailure(
            "không câu nào trong câu trả lời của mô hình có căn cứ trong các quy định đã tìm thấy"
        )
    cleaned, citations = validate(checked.text, shown, pack)
    if planned is not None:
        missing = [v for v in lead_values(planned) if v.lower() not in cleaned.lower()]
        if missing:
            raise LLMFailure(
                "câu trả lời của mô hình bỏ mất ý chính đã xác định ("
                + ", ".join(missing[:3])
                + ")"
            )
    return Reply(cleaned, citations, checked.dropped, checked.removed_markup)


LEAD_VALUE = re.compile(
    r"\d{1,2}/\d{1,2}(?:/\d{4})?|\d+\s*%|\d+\s+(?:điểm|ngày|tháng|mức|bước)|Mẫu\s+\w+|"
    r"\b(?:Có|Không)\b(?=\.)"
)


def lead_values(planned) -> list[str]:
    """The facts of the planned lead an LLM answer must keep: dates, numbers, form codes and
    a "Có" / "Không" verdict."""
    values = []
    for sentence in planned.lead:
        values += [m.group(0) for m in LEAD_VALUE.finditer(re.sub(r"\[\d+\]", "", sentence.text))]
    return list(dict.fromkeys(values))


def validate(text: str, shown: list[Hit], pack: Pack) -> tuple[str, list[Citation]]:
    """Keep only citations to provisions the model was shown; renumber them in order."""
    text = (text or "").strip()
    if not text or prompts.LLM_NO_ANSWER in text:
        raise LLMFailure("mô hình không đưa ra câu trả lời")
    used: list[int] = []

    def renumber(match: re.Match) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= len(shown)]
        for n in valid:
            if n not in used:
                used.append(n)
        return "".join(f"[{used.index(n) + 1}]" for n in valid)

    cleaned = MARKER.sub(renumber, text)
    if not used:
        raise LLMFailure("câu trả lời của mô hình không có trích dẫn hợp lệ")
    citations = []
    for marker, n in enumerate(used, start=1):
        hit = shown[n - 1]
        provision = pack[hit.id]
        document = pack.document(hit.doc_id)
        citations.append(
            Citation(
                marker=marker,
                id=hit.id,
                label=provision.citation,
                quote=provision.full_text,
                doc_number=document.number,
                doc_status=document.status.value,
                text_kind=document.text.value,
            )
        )
    return re.sub(r"[ \t]+\n", "\n", cleaned), citations


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return "máy chủ LLM không trả lời kịp"
    if "Connection" in name:
        return "không kết nối được máy chủ LLM"
    status = getattr(exc, "status_code", None)
    if status:
        return f"máy chủ LLM trả lỗi HTTP {status}"
    return f"máy chủ LLM trả về dữ liệu không dùng được ({name})"
