"""The chat's offer of a workspace: a request for a quiz, an outline or a briefing is not a
question the chat answers, so the page offers the workspace instead of a quote; a comparison
or a "tôi là … thì …" question is answered, with the workspace offered beside the answer."""

from __future__ import annotations

import streamlit as st

from assistant.export import escape_markdown
from assistant.workspaces.intent import BRIEF, COMPARE, GUIDE, LESSON, offer
from knowledge.pack import Pack
from ui import widgets

OFFERS = {
    LESSON: (
        "Soạn câu hỏi trắc nghiệm, dàn ý hay bài giảng là việc của trang Bài giảng: dàn ý theo "
        "chương, điều, câu hỏi có đáp án và trích dẫn.",
        "Mở trang Bài giảng",
    ),
    BRIEF: (
        "Soạn bản tin là việc của trang Bản tin: văn bản và hiệu lực, các điểm chính, số liệu, "
        "những gì thay đổi, mỗi ý có trích dẫn.",
        "Mở trang Bản tin",
    ),
    COMPARE: (
        "Trang So sánh đặt hai văn bản cạnh nhau theo từng chủ đề, cả hai bên có trích dẫn.",
        "Mở trang So sánh",
    ),
    GUIDE: (
        "Trang Trường hợp của tôi nêu đủ cho trường hợp của bạn: ai kiểm điểm, ai xếp loại và "
        "quyết định, mẫu nào, thời hạn và tiêu chí từng mức.",
        "Mở trang Trường hợp của tôi",
    ),
}


def render(question: str, pack: Pack) -> bool:
    """Show the offer for a message, if it asks for a workspace. Returns True when the offer
    takes the answer's place."""
    found = offer(question, pack)
    if found is None:
        return False
    text, label = OFFERS[found.slug]
    st.info(escape_markdown(text), icon=":material/auto_awesome:")
    if found.slug in widgets.PAGES:
        st.page_link(
            widgets.PAGES[found.slug], label=label, icon=":material/arrow_forward:",
            query_params=found.query,
        )  # fmt: skip
    return found.replaces_answer
