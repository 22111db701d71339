"""Pieces shared by the pages: loading the assistant once per process, and rendering a
provision (document, validity, the article around it) from the typed objects."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pydantic
import streamlit as st

from assistant import prompts, runtime
from assistant.answering import Assistant
from assistant.export import article_view, escape_markdown
from assistant.settings import Settings
from knowledge.caveats import render_trust, trust_summary
from knowledge.errors import BackendUnavailable, IndexNotReady, KnowledgeError
from knowledge.types import Document, Status

UI = prompts.UI
BROWSE_SLUG = "van-ban"
STATUS_BADGES = {
    Status.IN_FORCE: ("green", ":material/check_circle:"),
    Status.REPLACED: ("red", ":material/history:"),
    Status.PARTLY_INAPPLICABLE: ("orange", ":material/warning:"),
}
# The st.Page objects of the app, filled by ui/app.py, for st.switch_page.
PAGES: dict[str, st.Page] = {}


@dataclass
class _Loaded:
    lock: threading.Lock = field(default_factory=threading.Lock)
    assistants: dict[str, Assistant] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def _loaded() -> _Loaded:
    """The process-wide holder of loaded assistants (one per settings)."""
    return _Loaded()


def settings() -> Settings:
    """The settings from the environment; a bad value stops the page with its message."""
    try:
        return Settings()
    except pydantic.ValidationError as exc:
        st.error(escape_markdown(f"{UI.LOAD_FAILED} {exc}"), icon=":material/error:")
        st.stop()


def load_assistant() -> Assistant:
    """The assistant for the current settings, loaded once per process; building a missing
    index shows its progress. Domain errors stop the page with their message."""
    current = settings()
    key = current.model_dump_json()
    loaded = _loaded()
    try:
        with loaded.lock:
            if key not in loaded.assistants:
                loaded.assistants[key] = _load_with_progress(current)
            # A background rebuild (the upload page) may have put a newer one in place.
            loaded.assistants[key] = runtime.loaded(current) or loaded.assistants[key]
    except (KnowledgeError, BackendUnavailable, IndexNotReady) as exc:
        st.error(escape_markdown(f"{UI.LOAD_FAILED} {exc}"), icon=":material/error:")
        st.stop()
    return loaded.assistants[key]


def _load_with_progress(current: Settings) -> Assistant:
    slot = st.empty()
    with slot.status(UI.LOADING, expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int) -> None:
            status.update(label=UI.BUILDING.format(done=done, total=total))
            bar.progress(done / total if total else 1.0)

        assistant = runtime.get_assistant(current, progress=progress)
        status.update(label=UI.READY, state="complete", expanded=False)
    slot.empty()
    return assistant


# --- documents and provisions -----------------------------------------------------------


def provision_link(doc_id: str, provision_id: str | None = None) -> str:
    """The deep link to a provision on the Văn bản page."""
    query = {"page": BROWSE_SLUG, "doc": doc_id} | ({"p": provision_id} if provision_id else {})
    return "?" + urlencode(query)


def status_badge(document: Document) -> None:
    color, icon = STATUS_BADGES[document.status]
    st.badge(prompts.status_text(document), color=color, icon=icon)


def source_links(urls: tuple[str, ...]) -> str:
    """Public sources as Markdown links named by their site (a source that is not a link, e.g.
    an article's title, is shown as text)."""
    return " · ".join(
        f"[{urlparse(u).netloc}]({u})"
        if u.startswith(("http://", "https://"))
        else escape_markdown(u)
        for u in urls
    )


def render_provision(
    assistant: Assistant, provision_id: str, *, key: str, open_button: bool = True
) -> None:
    """A provision with its document's number, signing date and validity, the article
    around it (the provision marked), the digest author's notes and its public sources."""
    pack = assistant.pack
    provision = pack[provision_id]
    document = pack.document(provision.doc_id)
    if document.is_notes:
        st.markdown(f"**{escape_markdown(document.name)}**")
        st.caption(UI.NOTES_INTRO)
    else:
        st.markdown(
            f"**{escape_markdown(document.name)}** · {UI.NUMBER} {escape_markdown(document.number)}"
            f" · {UI.SIGNED} {document.signed:%d/%m/%Y}"
        )
        status_badge(document)
        if document.is_digest:
            st.caption(f":material/edit_note: {prompts.DIGEST_LABEL}")
    render_article(assistant, provision_id, highlight=True)
    st.caption(escape_markdown(render_trust(trust_summary(provision, document))))
    sources = provision.sources or document.sources
    if sources:
        st.caption(f"{UI.SOURCES_LINKS}: {source_links(sources)}")
    link, button = st.columns([3, 2])
    link.markdown(f":material/link: [{UI.DEEP_LINK}]({provision_link(document.id, provision.id)})")
    if (
        open_button
        and BROWSE_SLUG in PAGES
        and button.button(UI.OPEN_IN_BROWSER, key=f"open-{key}")
    ):
        st.switch_page(PAGES[BROWSE_SLUG], query_params={"doc": document.id, "p": provision.id})


def render_article(assistant: Assistant, provision_id: str, *, highlight: bool) -> None:
    """The article a provision belongs to; with `highlight`, the provision is marked."""
    view = article_view(assistant.pack, provision_id)
    if highlight:
        title = escape_markdown(view.heading)
        around = view.article.id != provision_id
        st.caption(UI.ARTICLE_AROUND.format(article=title) if around else f"**{title}**")
    for segment in view.segments:
        if highlight and segment.cited:
            st.info(segment.text, icon=":material/push_pin:")
        else:
            st.markdown(segment.text)
    if view.notes:
        notes = "\n".join(f"- {escape_markdown(n)}" for n in view.notes)
        st.caption(f"{UI.NOTES}:\n{notes}")
