"""Feedback storage, Streamlit escaping, the article view and suggested questions, on real
answers from the real pack and index."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from assistant import prompts
from assistant.export import article_view, escape_markdown
from assistant.feedback import DOWN, UP, FeedbackStore, feedback_path
from assistant.settings import Settings
from assistant.suggest import question_for, suggest

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def conversation(assistant):
    """A question, its follow-up, and an out-of-scope question."""
    first = assistant.answer("Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.text},
    ]
    second = assistant.answer("Còn đảng viên dự bị thì sao?", history)
    refused = assistant.answer("Giá vàng hôm nay bao nhiêu?")
    return first, second, refused


# --- feedback -------------------------------------------------------------------------------


def test_feedback_file_lives_in_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    assert feedback_path(settings) == tmp_path / "d" / "feedback.sqlite3"


def test_feedback_row_holds_question_answer_citations_rating_time_and_settings(
    tmp_path, conversation
):
    answer = conversation[0]
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    row_id = store.record(answer, UP, "  Hữu ích.  ", now=NOW)
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as db:
        row = db.execute(
            "SELECT question, answer, cited_ids, rating, comment, time, settings_hash "
            "FROM feedback WHERE id = ?",
            (row_id,),
        ).fetchone()
    assert row == (
        answer.question,
        answer.text,
        json.dumps([c.id for c in answer.citations], ensure_ascii=False),
        1,
        "Hữu ích.",
        "2026-03-01T09:30:00+00:00",
        answer.settings_hash,
    )
    assert "qd-124-2023/dieu-5/khoan-2/diem-2.1" in json.loads(row[2])


def test_feedback_can_be_changed_and_commented_later(tmp_path, conversation):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    first = store.record(conversation[0], UP, now=NOW)
    second = store.record(conversation[2], DOWN, now=NOW)
    store.update(first, rating=DOWN, comment="Thiếu ý về đảng viên dự bị.")
    rows = store.all()
    assert [(r.id, r.rating, r.comment) for r in rows] == [
        (first, -1, "Thiếu ý về đảng viên dự bị."),
        (second, -1, ""),
    ]
    assert rows[1].cited_ids == ()  # a refusal cites nothing


def test_feedback_rejects_other_ratings_and_reads_a_missing_file_as_empty(tmp_path, conversation):
    store = FeedbackStore(tmp_path / "none.sqlite3")
    assert store.all() == []
    with pytest.raises(ValueError, match="1 \\(👍\\) hoặc -1 \\(👎\\)"):
        store.record(conversation[0], 5)
    assert store.all() == []


# --- escaping (the exports themselves: tests/test_export_formats.py) ----------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("[a](http://b)", "\\[a\\]\\(http\\://b\\)"),
        ("- một\n1. hai\n# ba", "\\- một\n1\\. hai\n\\# ba"),
        ("Ai đánh giá chi bộ?", "Ai đánh giá chi bộ?"),
        ("www.x.vn a@b.vn", "www\\.x.vn a\\@b.vn"),
    ],
)
def test_escape_markdown(typed, shown):
    assert escape_markdown(typed) == shown


# --- the article around a provision -------------------------------------------------------


def test_article_view_marks_the_cited_clause_inside_its_article(assistant):
    view = article_view(assistant.pack, "qd-124-2023/dieu-12/khoan-2")
    assert view.heading == "Điều 12. Tiêu chí xếp loại"
    assert [s.cited for s in view.segments] == [False, True, False]
    before, cited, after = (s.text for s in view.segments)
    # Markdown, the provision's words escaped ("mức\\:"), its layout (bold numbers, bullets) not.
    assert before.startswith("Chất lượng của tập thể, cá nhân được xếp vào 1 trong 4 mức\\:\n\n- ")
    assert '**1.** Mức "Hoàn thành xuất sắc nhiệm vụ"' in before
    assert cited.startswith('**2.** Mức "Hoàn thành tốt nhiệm vụ"')
    assert after.startswith('**3.** Mức "Hoàn thành nhiệm vụ"') and "**4.**" in after
    assert view.notes  # the digest author's notes come along


def test_article_view_of_a_not_covered_article_says_so(assistant):
    view = article_view(assistant.pack, "qd-124-2023/dieu-8")
    assert [(s.text, s.cited) for s in view.segments] == [(f"({prompts.UI.NOT_COVERED}.)", True)]


# --- suggested questions -----------------------------------------------------------------------


def test_suggestions_are_the_sibling_clauses_and_lead_back_to_them(assistant):
    answer = assistant.answer("Điều 12 Quy định 124 quy định gì?")
    # The named article first; its 2025 counterpart after it.
    assert [c.id for c in answer.citations] == ["qd-124-2023/dieu-12", "qd-366-2025/dieu-11"]
    questions = suggest(answer, assistant.pack)
    assert suggest(answer, assistant.pack) == questions  # deterministic
    # Each cited article's clauses, the named one's first.
    assert questions[0] == (
        'Mức "Hoàn thành xuất sắc nhiệm vụ" theo Điều 12, khoản 1 của Quy định 124-QĐ/TW là gì?'
    )
    assert any("Quy định 366-QĐ/TW" in q for q in questions)
    follow = assistant.answer(questions[0])
    assert not follow.refused
    assert follow.citations[0].id == "qd-124-2023/dieu-12/khoan-1"


def test_suggestions_cover_each_cited_document(assistant, conversation):
    answer = assistant.answer("Ai quyết định xếp loại chi bộ?")
    questions = suggest(answer, assistant.pack)
    assert len(questions) == 3 and len(set(questions)) == 3
    cited_docs = {
        assistant.pack.document(assistant.pack[c.id].doc_id).name for c in answer.citations
    }
    assert {d for d in cited_docs if any(d in q for q in questions)} == cited_docs
    assert answer.question not in questions


def test_suggestions_after_a_refusal_are_about_the_nearest_provisions(assistant, conversation):
    refused = conversation[2]
    questions = suggest(refused, assistant.pack)
    expected = [
        question_for(assistant.pack[h.id], assistant.pack)
        for h in refused.hits[:3]
        if assistant.pack[h.id].coverage.value != "none"
    ]
    assert questions == expected and questions


def test_question_for_a_provision_without_a_title_names_its_label(assistant):
    provision = assistant.pack["qd-124-2023/dieu-9/khoan-2/tiet-a"]
    assert question_for(provision, assistant.pack) == (
        "Điều 9, khoản 2, tiết a của Quy định 124-QĐ/TW nêu những gì?"
    )
