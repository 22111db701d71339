"""Download buttons for a conversation or one answer: Markdown, Word and PDF, each made only
when the reader clicks (an export is not rebuilt on every rerun)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assistant import prompts
from assistant.export import ExportError, conversation_document, docx_bytes, pdf_bytes, to_markdown
from assistant.export.pdf import font_files
from assistant.types import Answer
from knowledge.pack import Pack

UI = prompts.UI
FORMATS: dict[str, tuple[Callable, str, str]] = {
    "md": (to_markdown, "text/markdown", ":material/description:"),
    "docx": (
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ":material/article:",
    ),
    "pdf": (pdf_bytes, "application/pdf", ":material/picture_as_pdf:"),
}


def download_buttons(answers: list[Answer], pack: Pack, *, title: str, stem: str, key: str) -> None:
    """One button per format; a message instead when there is nothing to export."""
    if not answers:
        st.caption(UI.EXPORT_NOTHING)
        return
    try:
        font_files()
        formats = FORMATS
    except ExportError as exc:
        # Without a Vietnamese font the PDF would lose its diacritics: say how to install one.
        st.caption(str(exc))
        formats = {k: v for k, v in FORMATS.items() if k != "pdf"}
    for ext, (render, mime, icon) in formats.items():
        st.download_button(
            UI.EXPORT_FORMATS[ext],
            data=_deferred(render, answers, pack, title),
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"{key}-{ext}",
            icon=icon,
            on_click="ignore",
            width="stretch",
        )


def _deferred(render: Callable, answers: list[Answer], pack: Pack, title: str) -> Callable:
    answers = list(answers)  # the conversation as it is now, not as it grows later

    def make():
        return render(conversation_document(answers, pack, title=title))

    return make
