"""The Bài giảng page: the outline by chapter and article, the numbers to remember, a quiz
(reproducible by its seed) and the answer key, with downloads."""

from __future__ import annotations

import streamlit as st

from assistant.workspaces import build_lesson
from assistant.workspaces.quiz import MAX_QUESTIONS, MIN_QUESTIONS
from ui import workspace_view as view

TITLE = "Bài giảng"
INTRO = (
    "Bộ tài liệu cho buổi phổ biến: dàn ý theo chương, điều với các ý chính; các con số, thời "
    "hạn cần nhớ; câu hỏi trắc nghiệm và đúng/sai có đáp án. Câu hỏi chỉ đặt từ nội dung bản "
    "tóm lược có; câu nào chỉ dựa trên một nguồn thì ghi rõ."
)
DOCUMENT = "Văn bản"
COUNT = "Số câu hỏi"
SEED = "Mã ngẫu nhiên (cùng mã, cùng bộ câu hỏi)"
TABS = ("Dàn ý", "Số liệu cần nhớ", "Câu hỏi", "Đáp án")
DEFAULT = "qd-366-2025"


def _int(text: str, default: int) -> int:
    return int(text) if text.isdigit() else default


def render() -> None:
    st.title(f":material/school: {TITLE}")
    st.caption(INTRO)
    ctx = view.workspace_context()
    pack = ctx.pack
    ids = [d.id for d in pack.documents]
    asked = view.query("doc")
    default = asked if asked in ids else (DEFAULT if DEFAULT in ids else ids[0])
    doc_id = st.selectbox(
        DOCUMENT, ids, index=ids.index(default), format_func=lambda d: pack.document(d).name,
        key="lesson-doc",
    )  # fmt: skip
    left, right = st.columns(2)
    n = left.number_input(
        COUNT, MIN_QUESTIONS, MAX_QUESTIONS,
        value=min(max(_int(view.query("n"), 10), MIN_QUESTIONS), MAX_QUESTIONS),
        key="lesson-n",
    )  # fmt: skip
    seed = right.number_input(SEED, 0, 10**6, value=_int(view.query("seed"), 0), key="lesson-seed")
    quiz, doc = view.build(
        lambda p: build_lesson(ctx, doc_id, int(n), int(seed), progress=p), TITLE
    )
    st.header(view.escape_markdown(doc.title))
    st.caption(view.escape_markdown(doc.subtitle))
    view.downloads(doc, f"bai-giang-{doc_id}", "lesson")
    view.render_notices(doc)
    numbers = view.numbering(doc)
    by_title = {s.title: s for s in doc.sections}
    wanted = (
        view.phrases.OUTLINE, view.phrases.KEY_NUMBERS, view.phrases.QUIZ, view.phrases.ANSWER_KEY,
    )  # fmt: skip
    for tab, title in zip(st.tabs(TABS), wanted, strict=True):
        with tab:
            section = by_title.get(title)
            if section is None:
                said = [n for n in quiz.notices if "câu hỏi" in n] or [title]
                st.info(view.escape_markdown(" ".join(said)), icon=":material/info:")
                continue
            for part in section.subsections or [section]:
                view.render_section(ctx, part, numbers, depth=2 if section.subsections else 1)
    view.render_sources(ctx, doc)
