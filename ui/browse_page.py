"""The Văn bản page: search within one document or across all of them; each document as a tree
of chương / điều / khoản, with its metadata, validity, coverage against its real number of
articles and, for a Hướng dẫn, the forms it names; `?doc=<id>&p=<provision id>` opens one
provision in its article, and `&print=1` gives the print view."""

from __future__ import annotations

import streamlit as st

from assistant import prompts
from assistant.answering import Assistant
from assistant.doc_search import DocSearch, SearchRefused, search_documents
from assistant.export import escape_markdown, heading, safe_markdown_block
from assistant.forms import document_forms
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
from ui import print_view, widgets

UI = prompts.UI
DOC_KEY = "browse-doc"
SEARCH_KEY = "browse-search"
SCOPE_KEY = "browse-scope"
QUERY_SHOWN = 60  # a long query is echoed by its beginning


def render() -> None:
    assistant = widgets.load_assistant()
    pack = assistant.pack

    requested_doc = st.query_params.get("doc")
    opened = st.query_params.get("p")
    problems = []
    if opened and opened not in pack:
        problems.append(UI.UNKNOWN_PROVISION.format(pid=opened))
        opened = None
    if opened and not requested_doc:
        requested_doc = pack[opened].doc_id
    if requested_doc and requested_doc not in pack.trees:
        name = pack.documents[0].name
        problems.append(UI.UNKNOWN_DOCUMENT.format(doc_id=requested_doc, name=name))
        requested_doc = None
    if st.query_params.get("print") and not problems:
        doc_id = requested_doc or pack.documents[0].id
        print_view.render(assistant, pack.trees[doc_id], opened)
        return

    st.title(f":material/menu_book: {UI.PAGE_BROWSE}")
    st.caption(UI.BROWSE_INTRO)
    for problem in problems:
        st.warning(escape_markdown(problem))
    ids = [d.id for d in pack.documents] + ([NOTES_DOC_ID] if pack.notes else [])
    # A deep link (or a citation's button) chooses the document; afterwards the selectbox.
    if requested_doc and st.session_state.get(f"{DOC_KEY}-from-link") != requested_doc:
        st.session_state[DOC_KEY] = requested_doc
        st.session_state[f"{DOC_KEY}-from-link"] = requested_doc
    doc_id = st.selectbox(
        UI.DOCUMENT,
        ids,
        key=DOC_KEY,
        # The name alone: a long title is cut off in the box on a phone (it is shown below).
        format_func=lambda d: pack.document(d).name,
        on_change=_document_changed,
    )
    tree = pack.trees[doc_id]
    if opened and pack[opened].doc_id != doc_id:
        opened = None

    _search(assistant, tree.document)
    if opened:
        with st.container(border=True):
            st.subheader(UI.OPENED.format(citation=escape_markdown(pack[opened].citation)))
            widgets.render_provision(assistant, opened, key="opened", open_button=False)

    _metadata(tree.document)
    _coverage(assistant, doc_id)
    _forms(assistant, tree.document)
    st.divider()
    declared = tree.document.declared
    chapters = [p for p in tree.provisions if p.kind is ProvisionKind.CHAPTER]
    if declared and declared.chapters and not chapters:
        st.caption(UI.CHAPTERS_UNKNOWN.format(n=declared.chapters))
    for node in tree.provisions:
        if node.parent_id is None and node.kind is not ProvisionKind.INFO:
            _node(assistant, tree, node, opened)


def _document_changed() -> None:
    st.query_params["doc"] = st.session_state[DOC_KEY]
    st.session_state[f"{DOC_KEY}-from-link"] = st.session_state[DOC_KEY]
    if "p" in st.query_params:
        del st.query_params["p"]


def _open(doc_id: str, provision_id: str) -> None:
    """A search hit's button: open the provision in its document, in this session."""
    st.query_params["doc"] = doc_id
    st.query_params["p"] = provision_id
    st.session_state[DOC_KEY] = doc_id
    st.session_state[f"{DOC_KEY}-from-link"] = doc_id


# --- search ---------------------------------------------------------------------------------


def _search(assistant: Assistant, document: Document) -> None:
    with st.container(key="no-print-search"):
        query = st.text_input(UI.SEARCH, key=SEARCH_KEY, placeholder=UI.SEARCH_PLACEHOLDER)
        scope = st.segmented_control(
            UI.SEARCH_SCOPE,
            [UI.SEARCH_HERE, UI.SEARCH_ALL],
            default=UI.SEARCH_HERE,
            key=SCOPE_KEY,
            label_visibility="collapsed",
        )
        if not query.strip():
            return
        everywhere = scope == UI.SEARCH_ALL
        try:
            result = search_documents(
                assistant.retriever, query, None if everywhere else document.id
            )
        except SearchRefused as exc:
            st.warning(escape_markdown(str(exc)), icon=":material/warning:")
            return
        for notice in result.notices:
            st.warning(escape_markdown(notice), icon=":material/content_cut:")
        _results(assistant, result, UI.SEARCH_ALL_SCOPE if everywhere else document.name)


def _results(assistant: Assistant, result: DocSearch, scope: str) -> None:
    shown = result.query if len(result.query) <= QUERY_SHOWN else result.query[:QUERY_SHOWN] + "…"
    query = escape_markdown(shown)
    if not result.hits:
        lines = [UI.SEARCH_NONE.format(query=query, scope=escape_markdown(scope))]
        if result.elsewhere:
            lines.append(UI.SEARCH_ELSEWHERE.format(n=result.elsewhere))
        lines.append(UI.SEARCH_SUGGEST)
        st.info("  \n".join(lines), icon=":material/search_off:")
        return
    count = UI.SEARCH_COUNT.format(n=result.total, query=query, scope=escape_markdown(scope))
    if result.total > len(result.hits):
        count += UI.SEARCH_SHOWN.format(shown=len(result.hits))
    st.caption(count)
    for hit in result.hits:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(hit.citation)}**")
            st.markdown(
                "".join(
                    f"**{escape_markdown(text)}**" if matched else escape_markdown(text)
                    for text, matched in hit.parts
                )
            )
            st.button(
                UI.SEARCH_OPEN,
                key=f"hit-{hit.provision_id}",
                icon=":material/open_in_new:",
                on_click=_open,
                args=(hit.doc_id, hit.provision_id),
            )


# --- the document ---------------------------------------------------------------------------


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
    st.markdown(f":material/print: [{UI.PRINT_DOCUMENT}]({print_view.print_link(document.id)})")
    if document.sources:
        with st.expander(f"{UI.SOURCES_LINKS} ({len(document.sources)})"):
            st.markdown(widgets.source_list(document.sources))


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


def _forms(assistant: Assistant, document: Document) -> None:
    """The forms a Hướng dẫn names, each with who uses it and where it says so."""
    if document.kind != "Hướng dẫn":
        return
    forms = document_forms(assistant.pack, assistant.spans, document.id)
    if not forms:
        return
    columns = UI.FORMS_COLUMNS
    with st.expander(f":material/assignment: {UI.FORMS} ({len(forms)})", expanded=True):
        for form in forms:
            name = escape_markdown(form.name)
            symbol = f" ({escape_markdown(form.symbol)})" if form.symbol else ""
            who = "; ".join(escape_markdown(w) for w in form.who) or UI.FORMS_WHO_UNKNOWN
            where = ", ".join(
                f"[{escape_markdown(assistant.pack[pid].label)}]"
                f"({widgets.provision_link(document.id, pid)})"
                for pid in form.provision_ids
            )
            said = " ".join(f"“{escape_markdown(s)}”" for s in form.sentences)
            st.markdown(
                f"- **{name}**{symbol} · **{columns['who']}:** {who}  \n"
                f"  {columns['text']}: {said} — {columns['where']}: {where}"
            )


def _node(assistant: Assistant, tree: DocumentTree, node: Provision, opened: str | None) -> None:
    """A unit (article, item, section) as an expander; a chapter as a heading over its units."""
    pack = assistant.pack
    if is_unit(node, tree):
        label = escape_markdown(heading(node))
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
            printed = print_view.print_link(tree.document.id, node.id)
            st.markdown(
                f":material/link: [{UI.DEEP_LINK}]({link}) · "
                f":material/print: [{UI.PRINT_ARTICLE.format(label=escape_markdown(node.label))}]"
                f"({printed})"
            )
        return
    st.subheader(escape_markdown(heading(node)))
    units = [c for c in pack.children(node) if is_unit(c, tree)]
    if node.kind is ProvisionKind.CHAPTER and units:
        unit = "điều" if units[0].kind is ProvisionKind.ARTICLE else "nội dung"
        st.caption(UI.CHAPTER_UNITS.format(n=len(units), unit=unit))
    if node.text:
        st.markdown(safe_markdown_block(node.text))
    for child in pack.children(node):
        _node(assistant, tree, child, opened)
