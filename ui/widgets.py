"""Pieces shared by the pages: loading the assistant once per process, the app's stylesheet
and icon, and rendering a provision (document, validity, the article around it) from the typed
objects. Text from documents, users or an LLM is always escaped: never live Markdown or HTML."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pydantic
import streamlit as st

from assistant import prompts, runtime
from assistant.answering import Assistant
from assistant.export import article_view, escape_markdown, safe_url, site_name
from assistant.export.markdown import MAX_LINKS, by_site
from assistant.settings import Settings
from knowledge.caveats import render_trust, trust_summary
from knowledge.errors import BackendUnavailable, IndexNotReady, KnowledgeError
from knowledge.types import Document, Status

UI = prompts.UI
BROWSE_SLUG = "van-ban"
ASSETS = Path(__file__).resolve().parent / "assets"
# The page icon, served by the app itself: a Material icon as page icon makes the browser
# fetch it from fonts.gstatic.com on every page load.
ICON = ASSETS / "icon.svg"
STYLE = ASSETS / "style.css"
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


def style() -> None:
    """The app's stylesheet: long labels wrap on a phone, and printing leaves out the app's
    menus, buttons and input box."""
    st.html(STYLE)


def status_badge(document: Document) -> None:
    """A short badge (a long one is clipped on a phone), then the details as text."""
    color, icon = STATUS_BADGES[document.status]
    st.badge(prompts.STATUS_LABELS[document.status], color=color, icon=icon)
    detail = prompts.status_text(document)
    if detail != prompts.STATUS_LABELS[document.status]:
        st.markdown(escape_markdown(detail))


def source_links(urls: tuple[str, ...]) -> str:
    """Public sources as Markdown links named by their site, one per site, the first few
    named and the rest counted; only http(s) addresses become links, and a source that is
    not an address (an article's title) is shown as text."""
    sites = by_site(list(urls))
    shown = [f"[{escape_markdown(site)}]({url})" for site, url in sites[:MAX_LINKS]]
    if len(sites) > MAX_LINKS:
        shown.append(prompts.EXPORT_MORE_LINKS.format(n=len(sites) - MAX_LINKS))
    shown += [escape_markdown(u) for u in urls if not u.startswith(("http://", "https://"))]
    return " · ".join(shown)


def source_list(urls: tuple[str, ...]) -> str:
    """Every public source as a Markdown list: a link named by its site and page, or the
    source's text when it is not an http(s) address."""
    items = []
    for url in urls:
        safe = safe_url(url)
        if safe:
            page = escape_markdown(safe.rstrip("/").rsplit("/", 1)[-1][:60])
            items.append(f"- [{escape_markdown(site_name(safe))} · {page}]({safe})")
        else:
            items.append(f"- {escape_markdown(url)}")
    return "\n".join(items)


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
    for segment in view.segments:  # escaped by article_view
        if highlight and segment.cited:
            st.info(segment.text, icon=":material/push_pin:")
        else:
            st.markdown(segment.text)
    if view.notes:
        notes = "\n".join(f"- {escape_markdown(n)}" for n in view.notes)
        st.caption(f"{UI.NOTES}:\n{notes}")
