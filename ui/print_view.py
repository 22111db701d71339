"""The print view of a document, or of one article (`?page=van-ban&doc=…&print=1[&p=…]`): the
text alone, without the app's menus, so that the browser's print gives just the document."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assistant import prompts
from assistant.answering import Assistant
from assistant.export import article_view, escape_markdown, heading, safe_markdown_block
from knowledge.types import DocumentTree, Provision, ProvisionKind, is_unit
from ui import widgets

UI = prompts.UI


def print_link(doc_id: str, provision_id: str | None = None) -> str:
    return widgets.provision_link(doc_id, provision_id) + "&print=1"


def render(assistant: Assistant, tree: DocumentTree, provision_id: str | None) -> None:
    """The document (or the article holding `provision_id`) as text, nothing else."""
    pack = assistant.pack
    document = tree.document
    with st.container(key="print-view"):
        with st.container(key="no-print-help"):
            st.caption(UI.PRINT_HELP)
            link = widgets.provision_link(document.id, provision_id)
            st.markdown(f":material/arrow_back: [{UI.PRINT_BACK}]({link})")
        st.header(escape_markdown(document.name))
        if not document.is_notes:
            st.markdown(f"**{escape_markdown(document.title)}**")
            st.markdown(
                escape_markdown(
                    f"{UI.NUMBER} {document.number} · {UI.ISSUER} {document.issuer} · "
                    f"{UI.SIGNED} {document.signed:%d/%m/%Y} · {prompts.status_text(document)}"
                )
            )
        if provision_id is not None:
            _unit(assistant, pack.article_of(pack[provision_id]), level=3)
        else:
            for node in tree.provisions:
                if node.parent_id is None and node.kind is not ProvisionKind.INFO:
                    _node(assistant, tree, node)
        st.caption(
            escape_markdown(
                UI.PRINT_FOOTER.format(
                    date=f"{dt.date.today():%d/%m/%Y}", text_label=prompts.text_label(document)
                )
            )
        )


def _node(assistant: Assistant, tree: DocumentTree, node: Provision) -> None:
    if is_unit(node, tree):
        _unit(assistant, node, level=4)
        return
    st.subheader(escape_markdown(heading(node)))
    if node.text:
        st.markdown(safe_markdown_block(node.text))
    for child in assistant.pack.children(node):
        _node(assistant, tree, child)


def _unit(assistant: Assistant, node: Provision, *, level: int) -> None:
    view = article_view(assistant.pack, node.id)
    st.markdown(f"{'#' * level} {escape_markdown(view.heading)}")
    for segment in view.segments:
        st.markdown(segment.text)
    if view.notes:
        notes = "\n".join(f"- {escape_markdown(n)}" for n in view.notes)
        st.caption(f"{UI.NOTES}:\n{notes}")
