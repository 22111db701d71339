"""The Hỏi đáp page: a chat whose answers stream in, with citations that open the provision,
warnings, suggested next questions, 👍/👎 feedback and a Markdown export."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant import prompts
from assistant.answering import Assistant
from assistant.export import conversation_markdown, escape_markdown
from assistant.feedback import DOWN, UP, feedback_store
from assistant.retrieval import EmptyQuery
from assistant.suggest import suggest
from assistant.types import Answer
from ui import widgets, workspace_offer

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
    """Show the answer's text as it comes; return the final `Answer` (None for an empty
    question)."""
    final: list[Answer] = []

    def pieces():
        for item in assistant.stream(question, _history(turns)):
            if isinstance(item, Answer):
                final.append(item)
            else:
                yield item

    try:
        st.write_stream(pieces())
    except EmptyQuery:
        return None
    return final[0] if final else None


def _answer(assistant: Assistant, turn: Turn, index: int, *, last: bool) -> None:
    """One answer: the question as understood, notices, the text, warnings, citations,
    suggestions (for the last answer) and feedback."""
    answer = turn.answer
    followup = prompts.FOLLOWUP_NOTICE.format(understood=answer.understood)
    if answer.understood != answer.question:
        st.caption(
            ":material/subdirectory_arrow_right: "
            + escape_markdown(UI.UNDERSTOOD.format(understood=answer.understood))
        )
    if answer.frame is not None and answer.frame.shown:
        # The question as the assistant understood it: what is asked, about whom, which cycle.
        st.caption(":material/psychology: " + escape_markdown(answer.frame.shown))
    for notice in answer.notices:
        if notice != followup:
            st.info(escape_markdown(notice), icon=":material/info:")
    if workspace_offer.render(answer.question, assistant.pack):
        return  # a quiz, outline or briefing request: the workspace, not a quote

    if answer.refused:
        st.warning(answer.text, icon=":material/block:")
        nearest = [h for h in answer.hits[:3] if h.id in assistant.pack]
        for hit in nearest:
            with st.expander(hit.citation, icon=":material/search:"):
                widgets.render_provision(assistant, hit.id, key=f"{index}-near-{hit.id}")
    else:
        st.markdown(answer.text)
        for warning in answer.warnings:
            st.warning(escape_markdown(warning), icon=":material/warning:")
        if answer.citations:
            st.markdown(f"**{UI.SOURCES}**")
        for citation in answer.citations:
            if citation.id not in assistant.pack:
                continue
            with st.expander(f"[{citation.marker}] {citation.label}"):
                widgets.render_provision(
                    assistant, citation.id, key=f"{index}-cite-{citation.marker}"
                )
    st.caption(
        UI.ELAPSED.format(
            seconds=answer.elapsed_ms / 1000,
            engine=answer.engine,
            settings_hash=answer.settings_hash,
        )
    )
    if last:
        _suggestions(assistant, answer, index)
    _feedback(turn, index)


def _suggestions(assistant: Assistant, answer: Answer, index: int) -> None:
    questions = suggest(answer, assistant.pack)
    if not questions:
        return
    st.markdown(f"**{UI.SUGGESTIONS}**")
    for j, question in enumerate(questions):
        st.button(
            question,
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
        if not turns:
            return
        st.download_button(
            UI.EXPORT,
            data=conversation_markdown([t.answer for t in turns], assistant.pack),
            file_name="tro-ly-quy-dinh.md",
            mime="text/markdown",
            icon=":material/download:",
        )
        if st.button(UI.CLEAR, icon=":material/delete:"):
            st.session_state[TURNS] = []
            st.rerun()
