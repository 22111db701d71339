"""The Nạp văn bản page: choose a file, follow the reading, see the report (articles, gaps,
low-confidence pages, the text beside the digest), set the validity relations of a document
the pack has no digest for, confirm; the index then rebuilds in the background while the
current one keeps answering. Ingested texts can be removed to go back to the digest.

The page calls the same library functions as `quydinh ingest` (knowledge.ingest) and the
background rebuild (assistant.rebuild); everything from a document is shown as text.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import prompts, rebuild
from assistant.export import escape_markdown
from assistant.settings import Settings
from knowledge.errors import KnowledgeError
from knowledge.ingest import (
    IngestError,
    IngestReport,
    OfficialText,
    Progress,
    Relations,
    preview_report,
    read_official,
    remove_ingested,
    write_official,
)
from knowledge.ingest.readers import BY_SUFFIX
from knowledge.pack import document_files, parse_files
from knowledge.types import Document
from ui import widgets

T = prompts.Upload
SLUG = "nap-van-ban"
PAGE = {"title": T.PAGE, "icon": ":material/upload_file:", "url_path": SLUG}  # for st.Page
PREVIEW = "upload-preview"  # (file id, OfficialText) of the file read, not yet written
REMOVING = "upload-removing"  # id of the text whose removal awaits confirmation
NOTICE = "upload-notice"  # (kind, message) to show once after a rerun
ROUND = "upload-round"  # a new file chooser (empty) after each confirmed or dropped file
SUFFIXES = sorted(s.lstrip(".") for s in BY_SUFFIX)


def _text(value: str) -> str:
    """A document's or a user's words, shown as text (no live Markdown)."""
    return escape_markdown(value)


def render() -> None:
    st.title(f":material/upload_file: {T.PAGE}")
    st.caption(T.INTRO)
    settings = widgets.settings()
    if NOTICE in st.session_state:
        kind, message = st.session_state.pop(NOTICE)
        getattr(st, kind)(_text(message))
    _rebuild_status(settings)
    key = f"upload-file-{st.session_state.get(ROUND, 0)}"
    uploaded = st.file_uploader(T.CHOOSE, type=SUFFIXES, help=T.CHOOSE_HELP, key=key)
    if uploaded is None:
        st.session_state.pop(PREVIEW, None)
    else:
        official = _read(uploaded, settings)
        if official is not None:
            _report(official, settings)
    _ingested(settings)


def _rebuild_status(settings: Settings) -> None:
    job = rebuild.current(settings)
    if job is None:
        return
    if job.running:
        _follow(settings)
    elif job.error:
        st.error(_text(T.REBUILD_FAILED.format(reason=job.reason, error=job.error)))
    else:
        total = job.report.total if job.report else job.total
        st.success(_text(T.REBUILT.format(reason=job.reason, total=total)))


@st.fragment(run_every=1.0)
def _follow(settings: Settings) -> None:
    """The running rebuild's progress, refreshed every second; the whole page once it ends."""
    job = rebuild.current(settings)
    if job is None or not job.running:
        st.rerun(scope="app")
        return
    if job.total:
        label = T.REBUILDING.format(reason=job.reason, done=job.done, total=job.total)
        st.progress(job.done / job.total, text=label)
    else:
        st.progress(0.0, text=T.REBUILD_STARTING.format(reason=job.reason))


# --- reading ----------------------------------------------------------------------------------


def _read(uploaded, settings: Settings) -> OfficialText | None:
    """The uploaded file read and converted (nothing written), once per file."""
    held = st.session_state.get(PREVIEW)
    if held is not None and held[0] == uploaded.file_id:
        return held[1]
    st.session_state.pop(PREVIEW, None)
    reason = rebuild.busy(settings)
    if reason:
        st.warning(_text(T.BUSY_UPLOAD.format(name=uploaded.name, reason=reason)))
        return None
    bar = st.progress(0.0, text=T.READING.format(name=uploaded.name))

    def progress(step: Progress) -> None:
        bar.progress(min(1.0, step.done / step.total) if step.total else 0.0, text=step.message)

    folder = Path(tempfile.mkdtemp(prefix="quydinh-upload-"))
    try:
        source = folder / Path(uploaded.name).name
        source.write_bytes(uploaded.getvalue())
        official = read_official(
            source,
            official_dir=settings.official_path,
            documents_dir=settings.documents_dir,
            index_dir=settings.index_path,
            progress=progress,
        )
    except (IngestError, KnowledgeError) as exc:
        bar.empty()
        st.error(_text(T.READ_FAILED.format(name=uploaded.name, error=exc)))
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    bar.progress(1.0, text=T.READ_DONE.format(name=uploaded.name))
    st.session_state[PREVIEW] = (uploaded.file_id, official)
    return official


# --- the report -------------------------------------------------------------------------------


def _report(official: OfficialText, settings: Settings) -> None:
    report = preview_report(official)
    st.subheader(T.REPORT)
    st.markdown(
        "**"
        + _text(T.DOCUMENT.format(kind=report.kind, number=report.number, doc_id=report.doc_id))
        + "**"
    )
    if report.new_document:
        st.info(T.NEW_DOCUMENT, icon=":material/new_releases:")
    if report.replaced_existing:
        st.caption(T.REPLACES_OFFICIAL)
    signer = report.signer or T.NOT_FOUND
    for label, value in (
        (T.TITLE, report.title),
        (T.ISSUER, report.issuer),
        (T.SIGNER, signer),
        (T.SIGNED, f"{report.signed:%d/%m/%Y}"),
    ):
        st.markdown(f"**{label}:** {_text(value)}")
    _figures(report)
    _gaps_and_notes(report)
    _side_by_side(report)
    relations = _relations(official, report)
    confirm, cancel = st.columns(2)
    if confirm.button(T.CONFIRM, type="primary", key="upload-confirm"):
        _confirm(official, relations, settings)
    if cancel.button(T.CANCEL, key="upload-cancel"):
        _next_file()
        st.rerun()


def _next_file() -> None:
    """Forget the file read and show an empty file chooser."""
    st.session_state.pop(PREVIEW, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _figures(report: IngestReport) -> None:
    low = report.low_confidence_pages
    units, provisions, pages, ocr, flagged = st.columns(5)
    units.metric(T.UNITS.format(unit=report.unit_word), report.units)
    provisions.metric(T.PROVISIONS, report.provisions)
    pages.metric(T.PAGES, len(report.pages) if report.pages else "—")
    ocr.metric(T.OCR, T.YES if report.ocr else T.NO)
    flagged.metric(T.LOW_PAGES, ", ".join(map(str, low)) if low else T.NONE)
    if low:
        st.warning(T.LOW_WARNING.format(pages=", ".join(map(str, low))))
    if report.ocr:
        with st.expander(T.PAGE_DETAILS):
            for page in report.pages:
                confidence = f"{page.confidence:.0f}%" if page.confidence is not None else "—"
                flag = T.LOW_FLAG if page.low_confidence else ""
                st.text(T.PAGE_ROW.format(page=page.number, confidence=confidence, flag=flag))


def _gaps_and_notes(report: IngestReport) -> None:
    if report.gaps:
        st.warning(f"**{T.GAPS}:**\n" + "\n".join(f"- {_text(str(g))}" for g in report.gaps))
    else:
        st.caption(T.NO_GAPS)
    if report.warnings:
        with st.expander(f"{T.NOTES} ({len(report.warnings)})"):
            for warning in report.warnings:
                st.text(warning)


def _side_by_side(report: IngestReport) -> None:
    rows = report.differences
    counts = {c: sum(d.change == c for d in rows) for c in T.CHANGES}
    base = T.BASE_WORDS.get(report.compared_with)
    if base:
        st.markdown(T.COMPARE.format(base=base, **counts))
    else:
        st.markdown(T.COMPARE_NEW.format(new=counts["new"]))
    if not rows:
        return
    columns = dict(T.COLUMNS, before=base or T.NO_BASE)
    table = pd.DataFrame(
        [
            {
                columns["id"]: d.id,
                columns["label"]: d.label,
                columns["change"]: T.CHANGES[d.change],
                columns["before"]: d.before,
                columns["after"]: d.after,
            }
            for d in rows
        ]
    )
    st.caption(T.SIDE_BY_SIDE)
    st.dataframe(table, hide_index=True, width="stretch")


def _relations(official: OfficialText, report: IngestReport) -> Relations | None:
    """The relations the user sets for a document without a digest (None: keep them)."""
    st.markdown(f"**{T.RELATIONS}**")
    if not report.new_document:
        st.caption(T.RELATIONS_FIXED.format(text=_digest_relations(official.tree.document)))
        return None
    st.caption(T.RELATIONS_HELP)
    own = report.doc_id
    names = {d.id: d.name for d in official.documents if d.id != own}
    options = list(names)
    shown = lambda d: T.NO_RELATION if d is None else names.get(d, d)  # noqa: E731
    current = report.relations
    guides = st.multiselect(
        T.GUIDES,
        options,
        default=[g for g in current.guides if g in names],
        format_func=shown,
        key=f"guides-{own}",
    )
    replaces = st.selectbox(
        T.REPLACES,
        [None, *options],
        index=_index(options, current.replaces),
        format_func=shown,
        key=f"replaces-{own}",
    )
    replaced_by = st.selectbox(
        T.REPLACED_BY,
        [None, *options],
        index=_index(options, current.replaced_by),
        format_func=shown,
        key=f"replaced-by-{own}",
    )
    return Relations(replaces=replaces, replaced_by=replaced_by, guides=tuple(guides))


def _index(options: list[str], chosen: str | None) -> int:
    return options.index(chosen) + 1 if chosen in options else 0


def _digest_relations(document: Document) -> str:
    parts = [prompts.status_text(document)]
    if document.replaces:
        parts.append(f"{prompts.UI.REPLACES.lower()} {document.replaces}")
    return "; ".join(parts)


def _confirm(official: OfficialText, relations: Relations | None, settings: Settings) -> None:
    name = official.tree.document.name
    reason = rebuild.busy(settings)
    if reason:
        st.warning(_text(reason))
        return
    try:
        report = write_official(official, relations=relations, index_dir=settings.index_path)
    except IngestError as exc:
        st.error(_text(T.READ_FAILED.format(name=official.source.path.name, error=exc)))
        return
    _rebuild(settings, T.REASON_INGEST.format(name=name))
    _next_file()
    st.session_state[NOTICE] = ("success", T.WRITTEN.format(name=name, path=report.path))
    st.rerun()


def _rebuild(settings: Settings, reason: str) -> None:
    try:
        rebuild.start(settings, reason)
    except rebuild.RebuildBusy as exc:
        st.session_state[NOTICE] = ("warning", str(exc))


# --- what was ingested ------------------------------------------------------------------------


def _ingested(settings: Settings) -> None:
    st.subheader(T.INGESTED)
    trees, _ = parse_files(document_files(settings.official_path))
    if not trees:
        st.caption(T.INGESTED_NONE)
        return
    digests = {p.stem for p in document_files(settings.documents_dir)}
    for tree in trees:
        document = tree.document
        with st.container(border=True):
            st.markdown(f"**{_text(document.name)}** — {_text(document.title)}")
            st.caption(T.HAS_DIGEST if document.id in digests else T.NO_DIGEST)
            if st.session_state.get(REMOVING) == document.id:
                _confirm_removal(document, settings)
            elif st.button(T.REMOVE, key=f"remove-{document.id}"):
                st.session_state[REMOVING] = document.id
                st.rerun()


def _confirm_removal(document: Document, settings: Settings) -> None:
    st.warning(_text(T.REMOVE_CONFIRM.format(name=document.name, path=document.path)))
    yes, no = st.columns(2)
    if no.button(T.REMOVE_NO, key=f"remove-no-{document.id}"):
        st.session_state.pop(REMOVING, None)
        st.rerun()
    if not yes.button(T.REMOVE_YES, key=f"remove-yes-{document.id}", type="primary"):
        return
    st.session_state.pop(REMOVING, None)
    reason = rebuild.busy(settings)
    if reason:
        st.session_state[NOTICE] = ("warning", reason)
        st.rerun()
    try:
        remove_ingested(
            document.id,
            official_dir=settings.official_path,
            documents_dir=settings.documents_dir,
            index_dir=settings.index_path,
        )
    except IngestError as exc:
        st.session_state[NOTICE] = (
            "error",
            T.REMOVE_FAILED.format(name=document.name, error=exc),
        )
        st.rerun()
    _rebuild(settings, T.REASON_REMOVE.format(name=document.name))
    st.session_state.setdefault(NOTICE, ("success", T.REMOVED.format(name=document.name)))
    st.rerun()
