"""The So sánh page: an old document against its successor, topic by topic from the old→new
map, side by side; a side the map does not confirm is marked "chưa xác minh"."""

from __future__ import annotations

import streamlit as st

from assistant.cited import Section
from assistant.workspaces import build_comparison
from knowledge.text import fold
from ui import workspace_view as view

TITLE = "So sánh"
INTRO = (
    "So sánh văn bản cũ và văn bản thay thế theo từng chủ đề của bản đồ cũ→mới: hai bên đặt cạnh "
    "nhau, mỗi bên có trích dẫn; phía nào bản đồ chưa xác minh thì ghi rõ “chưa xác minh”."
)
PAIR = "Cặp văn bản"
FILTER = "Lọc chủ đề"
ONLY_UNCONFIRMED = "Chỉ hiện chủ đề có một phía chưa xác minh"


def _halves(section: Section) -> tuple[list, list, list]:
    """A topic's statements: the old side, the new side and the change."""
    statements = section.statements
    new_at = next(i for i, s in enumerate(statements) if s.text.startswith(view.phrases.NEW_LABEL))
    return statements[:new_at], statements[new_at:-1], statements[-1:]


def render() -> None:
    st.title(f":material/compare_arrows: {TITLE}")
    st.caption(INTRO)
    ctx = view.workspace_context()
    pack = ctx.pack
    pairs = [(o, n) for o, n in pack.succession.pairs if o in pack.trees and n in pack.trees]
    if not pairs:
        st.info(view.escape_markdown(view.phrases.NOT_A_PAIR.format(old="—", new="—", pairs="—")))
        return
    asked = (view.query("old"), view.query("new"))
    index = pairs.index(asked) if asked in pairs else 0
    old, new = st.selectbox(
        PAIR, pairs, index=index, key="compare-pair",
        format_func=lambda p: f"{pack.document(p[0]).name} ↔ {pack.document(p[1]).name}",
    )  # fmt: skip
    words = st.text_input(FILTER, key="compare-filter")
    unconfirmed_only = st.checkbox(ONLY_UNCONFIRMED, key="compare-unconfirmed")
    comparison, doc = view.build(lambda p: build_comparison(ctx, old, new, progress=p), TITLE)
    st.header(view.escape_markdown(doc.title))
    st.caption(view.escape_markdown(doc.subtitle))
    view.downloads(doc, f"so-sanh-{old}-{new}", "compare")
    view.render_notices(doc)
    numbers = view.numbering(doc)
    for row, section in zip(comparison.rows, doc.sections, strict=True):
        unconfirmed = not (row.old_confirmed and row.new_confirmed)
        if unconfirmed_only and not unconfirmed:
            continue
        if words.strip() and fold(words) not in fold(row.topic + row.old + row.new):
            continue
        old_side, new_side, change = _halves(section)
        with st.container(border=True):
            st.markdown(f"#### {view.escape_markdown(row.topic)}")
            left, right = st.columns(2)
            for column, label, side in (
                (left, view.phrases.OLD_LABEL, old_side),
                (right, view.phrases.NEW_LABEL, new_side),
            ):
                with column:
                    st.markdown(f"**{label}**")
                    for s in side:
                        view.render_statement(ctx, s, numbers)
            for s in change:
                st.info(
                    view.escape_markdown(s.text) + " " + view.links(ctx, s, numbers),
                    icon=":material/change_circle:",
                )
    view.render_sources(ctx, doc)
