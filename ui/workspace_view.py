"""What the workspace pages share: the pack (without the index: a workspace needs no search),
building with a progress bar, a CitedDocument rendered as text with its citations linking to
the provision, and the downloads (.md, .docx, .pdf)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assistant import runtime
from assistant.cited import CitedDocument, Section, Statement
from assistant.export import escape_markdown
from assistant.workspaces import Context, WorkspaceError, context, phrases
from assistant.workspaces.output import render
from knowledge.errors import KnowledgeError
from knowledge.pack import Pack, load_pack
from ui import widgets

DOWNLOADS = (
    (".md", "Tải Markdown", "text/markdown", ":material/description:"),
    (
        ".docx",
        "Tải Word (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ":material/article:",
    ),
    (".pdf", "Tải PDF", "application/pdf", ":material/picture_as_pdf:"),
)
TEXT_KIND = {
    "digest": ":material/edit_note: bản tóm lược, không phải nguyên văn",
    "official": ":material/verified: văn bản chính thức",
    "note": ":material/sticky_note_2: ghi chú của bản tóm lược",
}


@st.cache_resource(show_spinner=False)
def _pack(settings_json: str, stamp: tuple) -> Pack:
    settings = widgets.settings()
    return load_pack(settings.official_path, settings.documents_dir)


def workspace_context() -> Context:
    """The pack of the loaded assistant if this process has one, else the pack alone (reloaded
    when an official text is ingested); a broken pack stops the page with its message."""
    current = widgets.settings()
    loaded = runtime.loaded(current)
    if loaded is not None:
        return context(loaded.pack)
    official = current.official_path
    stamp = (
        tuple(sorted((p.name, p.stat().st_mtime_ns) for p in official.glob("*.md")))
        if official.is_dir()
        else ()
    )
    try:
        return context(_pack(current.model_dump_json(), stamp))
    except KnowledgeError as exc:
        st.error(escape_markdown(f"{widgets.UI.LOAD_FAILED} {exc}"), icon=":material/error:")
        st.stop()


def build(make: Callable, label: str):
    """Run a workspace with a progress bar; bad input is shown as an error and stops the
    page."""
    slot = st.empty()
    bar = slot.progress(0.0, text=label)

    def progress(step: str, done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{label}: {step}")

    try:
        result = make(progress)
    except WorkspaceError as exc:
        slot.empty()
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        st.stop()
    slot.empty()
    return result


def query(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


# --- a cited document as text --------------------------------------------------------------------


def numbering(doc: CitedDocument) -> dict[str, int]:
    return {s.id: n for n, s in enumerate(doc.sources, start=1)}


def links(ctx: Context, statement: Statement, numbers: dict[str, int]) -> str:
    """The statement's citations as [n] links to the provision on the Văn bản page, in the
    order of the sources list."""
    out = []
    for pid in sorted(statement.citations, key=lambda c: numbers.get(c, 0)):
        if pid in numbers and pid in ctx.pack:
            url = widgets.provision_link(ctx.pack[pid].doc_id, pid)
            out.append(f"[\\[{numbers[pid]}\\]]({url})")
    return " ".join(out)


def render_statement(ctx: Context, s: Statement, numbers: dict[str, int]) -> None:
    # Text from documents is shown literally: never as live Markdown or HTML.
    text = escape_markdown(s.text)
    cited = links(ctx, s, numbers)
    if s.kind == "item":
        st.markdown(f"- {text} {cited}")
    elif s.kind == "option":
        st.markdown(f"- {text}")  # its citations are the question's, shown on the question
    elif s.kind == "quote":
        st.markdown(f"> {text} {cited}")
        st.caption(TEXT_KIND.get(s.text_kind, ""))
    elif s.kind == "note":
        st.warning(f"{text} {cited}", icon=":material/help:")
    elif s.kind == "question":
        st.markdown(f"**{text}** {cited}")
    elif s.kind == "answer":
        st.success(f"{text} {cited}", icon=":material/check:")
    else:
        st.markdown(f"{text} {cited}")
    if s.caveat:
        st.caption(":material/info: " + escape_markdown(phrases.CAVEAT.format(caveat=s.caveat)))


def render_section(ctx: Context, section: Section, numbers: dict[str, int], depth: int = 1):
    title = escape_markdown(section.title)
    if depth == 1:
        st.subheader(title)
    elif depth == 2:
        st.markdown(f"#### {title}")
    else:
        st.markdown(f"**{title}**")
    for s in section.statements:
        render_statement(ctx, s, numbers)
    for sub in section.subsections:
        render_section(ctx, sub, numbers, depth + 1)


def render_notices(doc: CitedDocument) -> None:
    for notice in doc.notices:
        st.info(escape_markdown(notice), icon=":material/info:")


def render_sources(ctx: Context, doc: CitedDocument) -> None:
    with st.expander(f"{phrases.SOURCES} ({len(doc.sources)})", icon=":material/link:"):
        for n, source in enumerate(doc.sources, start=1):
            url = widgets.provision_link(ctx.pack[source.id].doc_id, source.id)
            kind = phrases.TEXT_KIND_LABELS.get(source.text_kind, "")
            extra = " · ".join(x for x in (kind, source.validity) if x)
            label = escape_markdown(source.label)
            st.markdown(f"\\[{n}\\] [{label}]({url}) — {escape_markdown(extra)}")


def render_document(ctx: Context, doc: CitedDocument, *, sections: list[Section] | None = None):
    """The document's notices, sections (all, or the ones given) and sources."""
    numbers = numbering(doc)
    render_notices(doc)
    for section in doc.sections if sections is None else sections:
        render_section(ctx, section, numbers)
    render_sources(ctx, doc)


def downloads(doc: CitedDocument, stem: str, key: str) -> None:
    """Download buttons; each file is made only when its button is pressed."""
    columns = st.columns(len(DOWNLOADS))
    for column, (suffix, label, mime, icon) in zip(columns, DOWNLOADS, strict=True):
        column.download_button(
            label,
            data=lambda suffix=suffix: render(doc, suffix),
            file_name=f"{stem}{suffix}",
            mime=mime,
            icon=icon,
            key=f"{key}-{suffix}",
        )
