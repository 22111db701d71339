"""The Văn bản page: each document as a tree of chương / điều / khoản, with its metadata,
validity and coverage; `?doc=<id>&p=<provision id>` opens one provision in its article."""

from __future__ import annotations

import streamlit as st

from assistant import prompts
from assistant.answering import Assistant
from assistant.export import escape_markdown, heading
from knowledge.caveats import render_trust, trust_summary
from knowledge.types import (
    NOTES_DOC_ID,
    Coverage,
    Document,
    DocumentTree,
    Provision,
    ProvisionKind,
    is_unit,
)
from ui import widgets

UI = prompts.UI
DOC_KEY = "browse-doc"


def render() -> None:
    st.title(f":material/menu_book: {UI.PAGE_BROWSE}")
    st.caption(UI.BROWSE_INTRO)
    assistant = widgets.load_assistant()
    pack = assistant.pack

    requested_doc = st.query_params.get("doc")
    opened = st.query_params.get("p")
    if opened and opened not in pack:
        st.warning(escape_markdown(UI.UNKNOWN_PROVISION.format(pid=opened)))
        opened = None
    if opened and not requested_doc:
        requested_doc = pack[opened].doc_id
    ids = [d.id for d in pack.documents] + ([NOTES_DOC_ID] if pack.notes else [])
    if requested_doc and requested_doc not in pack.trees:
        name = pack.documents[0].name
        st.warning(escape_markdown(UI.UNKNOWN_DOCUMENT.format(doc_id=requested_doc, name=name)))
        requested_doc = None
    # A deep link (or a citation's button) chooses the document; afterwards the selectbox.
    if requested_doc and st.session_state.get(f"{DOC_KEY}-from-link") != requested_doc:
        st.session_state[DOC_KEY] = requested_doc
        st.session_state[f"{DOC_KEY}-from-link"] = requested_doc
    doc_id = st.selectbox(
        UI.DOCUMENT,
        ids,
        key=DOC_KEY,
        format_func=lambda d: f"{pack.document(d).name} — {pack.document(d).title}",
        on_change=_document_changed,
    )
    tree = pack.trees[doc_id]
    if opened and pack[opened].doc_id != doc_id:
        opened = None

    if opened:
        with st.container(border=True):
            st.subheader(UI.OPENED.format(citation=pack[opened].citation))
            widgets.render_provision(assistant, opened, key="opened", open_button=False)

    _metadata(tree.document)
    _coverage(assistant, doc_id)
    st.divider()
    for node in tree.provisions:
        if node.parent_id is None and node.kind is not ProvisionKind.INFO:
            _node(assistant, tree, node, opened)


def _document_changed() -> None:
    st.query_params["doc"] = st.session_state[DOC_KEY]
    st.session_state[f"{DOC_KEY}-from-link"] = st.session_state[DOC_KEY]
    if "p" in st.query_params:
        del st.query_params["p"]


def _metadata(document: Document) -> None:
    st.header(escape_markdown(document.name))
    if document.is_notes:
        st.caption(UI.NOTES_INTRO)
        return
    st.markdown(escape_markdown(document.title))
    widgets.status_badge(document)
    effective = f"{document.effective:%d/%m/%Y}" if document.effective else UI.EFFECTIVE_UNKNOWN
    rows = [
        (UI.NUMBER, document.number),
        (UI.ISSUER, document.issuer),
        (UI.SIGNED, f"{document.signed:%d/%m/%Y}"),
        (UI.EFFECTIVE, effective),
        (UI.STATUS, prompts.status_text(document)),
        (UI.APPLIES_TO, document.applies_to),
        (UI.REPLACES, document.replaces or ""),
        (UI.STRUCTURE, document.structure or ""),
        (UI.TEXT_KIND, prompts.text_label(document)),
    ]
    if document.status_note:
        rows.insert(5, ("", document.status_note))
    st.markdown(
        "\n".join(
            f"- **{label}:** {escape_markdown(value)}" if label else f"- {escape_markdown(value)}"
            for label, value in rows
            if value
        )
    )
    if document.replaced_by:
        rb = document.replaced_by
        link = widgets.provision_link(rb.id)
        st.markdown(
            f":material/arrow_forward: **{UI.REPLACED_BY}:** [{escape_markdown(rb.number)}]({link})"
        )
    if document.sources:
        with st.expander(f"{UI.SOURCES_LINKS} ({len(document.sources)})"):
            st.markdown("\n".join(f"- {u}" for u in document.sources))


def _coverage(assistant: Assistant, doc_id: str) -> None:
    if assistant.pack.document(doc_id).is_notes:
        return
    coverage = assistant.pack.coverage(doc_id)
    text = prompts.coverage_line(coverage)
    st.progress(coverage.with_content / coverage.total if coverage.total else 1.0, text=text)
    if coverage.weak:
        st.caption(UI.COVERAGE_WEAK.format(labels=", ".join(coverage.weak)))
    if coverage.partial:
        st.caption(UI.COVERAGE_PARTIAL.format(labels=", ".join(coverage.partial)))
    if coverage.not_covered:
        st.caption(
            f":material/block: {UI.COVERAGE_MISSING.format(labels=', '.join(coverage.not_covered))}"
        )


def _node(assistant: Assistant, tree: DocumentTree, node: Provision, opened: str | None) -> None:
    """A unit (article, item, section) as an expander; a chapter as a heading over its units."""
    pack = assistant.pack
    if is_unit(node, tree):
        label = heading(node)
        if node.coverage is Coverage.NONE:
            label += f" — :material/block: {UI.NOT_COVERED}"
        elif node.coverage is Coverage.PARTIAL:
            label += f" ({UI.PARTIAL_SHORT})"
        if node.coverage is not Coverage.NONE and any(c.weak for c in node.caveats):
            label += f" · {UI.WEAK_SHORT}"
        inside = opened is not None and (opened == node.id or node.id in pack[opened].ancestor_ids)
        with st.expander(label, expanded=inside):
            widgets.render_article(assistant, opened if inside else node.id, highlight=inside)
            summary = trust_summary(node, tree.document)
            st.caption(escape_markdown(render_trust(summary)))
            link = widgets.provision_link(tree.document.id, node.id)
            st.markdown(f":material/link: [{UI.DEEP_LINK}]({link})")
        return
    st.subheader(escape_markdown(heading(node)))
    if node.text:
        st.markdown(node.text)
    for child in pack.children(node):
        _node(assistant, tree, child, opened)
