"""The Bản tin page: documents and optional topics → a cited briefing, with downloads."""

from __future__ import annotations

import streamlit as st

from assistant.workspaces import build_brief
from ui import workspace_view as view

TITLE = "Bản tin"
INTRO = (
    "Soạn bản tin về các văn bản đã chọn: văn bản là gì và hiệu lực, các điểm chính, số liệu và "
    "thời hạn, những gì thay đổi từ 2023 đến 2025, các câu trích dẫn. Mỗi ý ghi rõ quy định "
    "được trích dẫn."
)
DOCUMENTS = "Văn bản"
TOPICS = "Chủ đề (không bắt buộc)"
PICK_DOCUMENTS, PICK_TOPICS = "Chọn văn bản", "Chọn chủ đề"
TOPIC_WORDS = "Hoặc một từ có trong tên điều, mục (không bắt buộc)"
DEFAULT = ("qd-366-2025", "hd-43-2025")


def render() -> None:
    st.title(f":material/newspaper: {TITLE}")
    st.caption(INTRO)
    ctx = view.workspace_context()
    pack = ctx.pack
    ids = [d.id for d in pack.documents]
    asked = [d for d in view.query("doc").split(",") if d in ids]
    chosen = st.multiselect(
        DOCUMENTS,
        ids,
        default=asked or [d for d in DEFAULT if d in ids],
        format_func=lambda d: pack.document(d).name,
        placeholder=PICK_DOCUMENTS,
        key="brief-docs",
    )
    topics = [t.id for t in pack.succession.topics]
    titles = {t.id: t.title for t in pack.succession.topics}
    picked = st.multiselect(
        TOPICS, topics, format_func=titles.get, placeholder=PICK_TOPICS, key="brief-topics"
    )
    words = st.text_input(TOPIC_WORDS, value=view.query("topic"), key="brief-words")
    if not chosen:
        known = ", ".join(pack.document(d).name for d in ids)
        st.info(view.escape_markdown(view.phrases.NO_DOCUMENT.format(known=known)))
        return
    wanted = picked + ([words] if words.strip() else [])
    doc = view.build(lambda p: build_brief(ctx, chosen, wanted, progress=p), TITLE)
    st.header(view.escape_markdown(doc.title))
    if doc.subtitle:
        st.caption(view.escape_markdown(doc.subtitle))
    view.downloads(doc, "ban-tin", "brief")
    view.render_document(ctx, doc)
