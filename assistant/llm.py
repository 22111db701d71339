"""The LLM engine: any OpenAI-compatible endpoint through langchain-openai.

The model sees only the retrieved provisions, numbered; the citations it returns are checked
against that list and unknown ones dropped. Any failure (timeout, HTTP error, no valid
citation, an empty or garbled reply) raises `LLMFailure`, and the caller falls back to the
extractive answer with a notice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from assistant import prompts
from assistant.extractive import Composed
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


def build_messages(question: str, hits: list[Hit], pack: Pack) -> list[tuple[str, str]]:
    blocks = []
    for n, hit in enumerate(hits, start=1):
        provision = pack[hit.id]
        text = provision.full_text[:CONTEXT_CHARS]
        blocks.append(f"[{n}] (mã: {hit.id}) {provision.citation}\n{text}")
    user = prompts.LLM_USER.format(context="\n\n".join(blocks), question=question)
    return [("system", prompts.LLM_SYSTEM), ("human", user)]


def generate(
    chat_model, question: str, hits: list[Hit], pack: Pack, on_token: Callable[[str], None] | None
) -> Composed:
    """Ask the model; return its answer with validated citations.

    Raises:
        LLMFailure: on any error, or when the reply has no valid citation.
    """
    shown = context_hits(hits, pack)
    if not shown:
        raise LLMFailure("không có quy định nào có nội dung để đưa cho mô hình")
    messages = build_messages(question, shown, pack)
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
    return validate(text, shown, pack)


def validate(text: str, shown: list[Hit], pack: Pack) -> Composed:
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
    return Composed(re.sub(r"[ \t]+\n", "\n", cleaned), citations)


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
