"""The Hỏi đáp page: a chat whose answers stream in, each in one shape (assistant.answer_view):
the lead, one trust line, the validity note once, citations that open the provision, technical
details apart; suggested next questions, 👍/👎 feedback, and downloads of one answer or the
whole conversation (Markdown, Word, PDF). What users, documents or an LLM wrote is shown as
text."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant import prompts
from assistant.answer_view import Validity, answer_view
from assistant.answering import Assistant
from assistant.export import escape_markdown, safe_markdown_block
from assistant.feedback import DOWN, UP, feedback_store
from assistant.retrieval import EmptyQuery
from assistant.suggest import suggest
from assistant.types import Answer
from ui import widgets, workspace_offer
from ui.downloads import download_buttons

UI = prompts.UI
TURNS = "turns"
PENDING = "pending_question"
# st.feedback("thumbs") returns 0 for 👎 and 1 for 👍.
RATINGS = {0: DOWN, 1: UP}


@dataclass
class Turn:
    """One question and its answer, with the reader's rating of it."""

    answer: Answer
    feedback_id: int | None = None
    rating: int | None = None


def render() -> None:
    st.title(f":material/balance: {UI.APP_TITLE}")
    with st.container(key="no-print-intro"):
        st.caption(UI.CHAT_INTRO)
    assistant = widgets.load_assistant()
    turns: list[Turn] = st.session_state.setdefault(TURNS, [])

    linked = st.query_params.get("q")  # a question filled in by a link (Trường hợp của tôi)
    if linked and st.session_state.get("asked-from-link") != linked:
        st.session_state["asked-from-link"] = st.session_state[PENDING] = linked
    typed = st.chat_input(UI.CHAT_PLACEHOLDER)
    question = typed if typed is not None else st.session_state.pop(PENDING, None)
    if question is not None and not question.strip():
        question = None  # empty input is ignored

    for i, turn in enumerate(turns):
        _user(turn.answer.question)
        with st.chat_message("assistant"):
            _answer(assistant, turn, i, last=question is None and i == len(turns) - 1)

    if not turns and question is None:
        _examples()
    if question is not None:
        _user(question)
        with st.chat_message("assistant"):
            answer = _stream(assistant, question, turns)
        if answer is not None:
            turns.append(Turn(answer))
            st.rerun()

    _sidebar(assistant, turns)


def _user(question: str) -> None:
    with st.chat_message("user"):
        # What a user typed is shown literally: never as Markdown or HTML.
        st.markdown(escape_markdown(question))


def _history(turns: list[Turn]) -> list[dict]:
    history: list[dict] = []
    for turn in turns:
        history += [
            {"role": "user", "content": turn.answer.question},
            {"role": "assistant", "content": turn.answer.text},
        ]
    return history


def _stream(assistant: Assistant, question: str, turns: list[Turn]) -> Answer | None:
    """Show the answer's text as it comes, as text; return the final `Answer` (None for an
    empty question). The page then reruns and shows the answer in its one shape."""
    slot = st.empty()
    shown = ""
    try:
        for item in assistant.stream(question, _history(turns)):
            if isinstance(item, Answer):
                return item
            shown += item
            slot.markdown(safe_markdown_block(shown))
    except EmptyQuery:
        return None
    return None


def _answer(assistant: Assistant, turn: Turn, index: int, *, last: bool) -> None:
    """One answer, in one shape: the question as understood, the lead, one trust line that
    opens to its details, the validity note once, notices, citations, technical details;
    then (kept out of print) downloads, suggestions for the last answer, and feedback."""
    answer = turn.answer
    view = answer_view(answer, assistant.pack)
    if view.understood:
        st.caption(
            ":material/subdirectory_arrow_right: "
            + escape_markdown(UI.UNDERSTOOD.format(understood=view.understood))
        )
    if view.frame:
        # The question as the assistant understood it: what is asked, about whom, which cycle.
        st.caption(":material/psychology: " + escape_markdown(view.frame))
    if workspace_offer.render(answer.question, assistant.pack):
        return  # a quiz, outline or briefing request: the workspace, not a quote

    if view.refused:
        st.warning(safe_markdown_block("\n".join(view.lead)), icon=":material/block:")
    else:
        for paragraph in view.lead:
            st.markdown(safe_markdown_block(paragraph))
    if view.trust is not None:
        with st.expander(f":material/verified_user: {escape_markdown(view.trust.line)}"):
            for line in view.trust.details:
                st.caption(escape_markdown(line))
    if view.validity is not None:
        _validity(view.validity)
    for notice in view.notices:
        st.caption(":material/info: " + escape_markdown(notice))

    if view.refused:
        nearest = [h for h in answer.hits[:3] if h.id in assistant.pack]
        if nearest:
            st.caption(UI.NEAREST)
        for hit in nearest:
            with st.expander(escape_markdown(hit.citation), icon=":material/search:"):
                widgets.render_provision(assistant, hit.id, key=f"{index}-near-{hit.id}")
    elif answer.citations:
        st.markdown(f"**{UI.SOURCES}**")
        for citation in answer.citations:
            if citation.id not in assistant.pack:
                continue
            with st.expander(f"[{citation.marker}] {escape_markdown(citation.label)}"):
                widgets.render_provision(
                    assistant, citation.id, key=f"{index}-cite-{citation.marker}"
                )
    with st.container(key=f"no-print-extras-{index}"):
        with st.expander(UI.TECHNICAL, icon=":material/settings:"):
            for line in view.technical:
                st.caption(escape_markdown(line))
        with st.popover(UI.EXPORT_ANSWER, icon=":material/download:"):
            download_buttons(
                [answer],
                assistant.pack,
                title=prompts.EXPORT_ANSWER_TITLE,
                stem=f"cau-tra-loi-{index + 1}",
                key=f"export-{index}",
            )
        if last:
            _suggestions(assistant, answer, index)
        _feedback(turn, index)


def _validity(validity: Validity) -> None:
    """The validity note, said once, with a link to where each replaced rule now lives."""
    links = [
        "[" + escape_markdown(UI.SUCCESSOR.format(label=s.label)) + "]"
        f"({widgets.provision_link(s.doc_id, s.provision_id)})"
        for s in validity.successors
    ]
    text = f":material/history: **{UI.VALIDITY}:** {escape_markdown(validity.text)}"
    st.markdown("  \n".join([text, *links]))


def _suggestions(assistant: Assistant, answer: Answer, index: int) -> None:
    questions = suggest(answer, assistant.pack)
    if not questions:
        return
    st.markdown(f"**{UI.SUGGESTIONS}**")
    for j, question in enumerate(questions):
        st.button(
            escape_markdown(question),  # a button label is Markdown; the words are the pack's
            key=f"suggest-{index}-{j}",
            icon=":material/lightbulb:",
            on_click=_ask,
            args=(question,),
        )


def _examples() -> None:
    st.markdown(f"**{UI.EXAMPLES_TITLE}**")
    for j, question in enumerate(UI.EXAMPLES):
        st.button(
            question, key=f"example-{j}", icon=":material/help:", on_click=_ask, args=(question,)
        )


def _ask(question: str) -> None:
    st.session_state[PENDING] = question


def _feedback(turn: Turn, index: int) -> None:
    store = feedback_store(widgets.settings())
    st.caption(UI.FEEDBACK_PROMPT)
    choice = st.feedback("thumbs", key=f"feedback-{index}")
    rating = RATINGS.get(choice) if choice is not None else None
    if rating is not None and rating != turn.rating:
        if turn.feedback_id is None:
            turn.feedback_id = store.record(turn.answer, rating)
        else:
            store.update(turn.feedback_id, rating=rating)
        turn.rating = rating
    if turn.feedback_id is None:
        return
    st.caption(UI.FEEDBACK_SAVED)
    with st.form(key=f"comment-{index}", border=False):
        comment = st.text_input(UI.FEEDBACK_COMMENT, key=f"comment-text-{index}")
        if st.form_submit_button(UI.FEEDBACK_SEND) and comment.strip():
            store.update(turn.feedback_id, comment=comment)
            st.caption(UI.FEEDBACK_COMMENT_SAVED)


def _sidebar(assistant: Assistant, turns: list[Turn]) -> None:
    with st.sidebar:
        st.markdown(f"**{UI.EXPORT_CONVERSATION}**")
        download_buttons(
            [t.answer for t in turns],
            assistant.pack,
            title=prompts.EXPORT_TITLE,
            stem="tro-ly-quy-dinh",
            key="export-all",
        )
        if not turns:
            return
        st.caption(UI.PRINT_HINT)
        if st.button(UI.CLEAR, icon=":material/delete:"):
            st.session_state[TURNS] = []
            st.rerun()
