"""The Streamlit app through `streamlit.testing.v1.AppTest`: the real app, the real pack, the
real index (built once for this module, through the app itself) and the real answering."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from ui_support import ask, assistant_messages, page_is_text_only, run_app, texts, unescaped

from assistant import prompts
from assistant.feedback import FILENAME

UI = prompts.UI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory) -> Path:
    """One data folder for the module: the first app run builds its index."""
    return tmp_path_factory.mktemp("ui-data")


@pytest.fixture(autouse=True)
def _shared_data(shared_data, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(shared_data))


# --- chat -------------------------------------------------------------------------------------


def test_first_run_builds_the_index_and_shows_the_chat(shared_data):
    at = run_app()
    assert texts(at.title) == [f":material/balance: {UI.APP_TITLE}"]
    assert len(at.chat_input) == 1
    assert not at.error
    assert (shared_data / "index").is_dir()
    assert [b.label for b in at.button] == list(UI.EXAMPLES)


def test_example_question_is_asked_when_clicked():
    at = run_app()
    at.button(key="example-0").click().run()
    assert not at.exception
    [user] = [m for m in at.chat_message if m.name == "user"]
    assert user.markdown[0].value == UI.EXAMPLES[0]
    assert assistant_messages(at)[0].expander  # answered, with citations


def test_answer_text_citation_and_validity_warning_are_rendered():
    at = ask(run_app(), "Đảng viên dự bị có phải kiểm điểm không?")
    [message] = assistant_messages(at)
    shown = "\n".join(unescaped(m) for m in texts(message.markdown))
    assert "theo Quy định 124-QĐ/TW: Đảng viên trong toàn Đảng phải kiểm điểm" in shown
    assert "[1]" in shown
    # The question as understood: what is asked, about whom, which cycle.
    captions = [unescaped(c) for c in texts(message.caption)]  # as the user reads them
    assert any("Hỏi: có hay không" in c and "đảng viên dự bị" in c for c in captions)
    labels = [e.label for e in message.expander]
    assert "[1] Điều 5, khoản 2, điểm 2.1 — Quy định 124-QĐ/TW" in labels
    citation = next(e for e in message.expander if e.label.startswith("[1] "))
    # The cited provision inside its article, marked; the digest label; the validity badge.
    assert any("Đảng viên trong toàn Đảng phải kiểm điểm" in i.value for i in citation.info)
    assert f":material/edit_note: {prompts.DIGEST_LABEL}" in texts(citation.caption)
    assert any(
        "Đã bị thay thế bởi 366-QĐ/TW ngày 30/08/2025" in m for m in texts(citation.markdown)
    )
    assert any("Điều 5" in c and "được đánh dấu" in c for c in texts(citation.caption))
    assert any("?page=van-ban&doc=qd-124-2023&p=qd-124-2023%2Fdieu-5" in m for m in shown.split())
    # Validity is said once, in text (not a box), naming the successor and linking to it.
    validity = [m for m in texts(message.markdown) if "**Hiệu lực:**" in m]
    assert len(validity) == 1 and not message.warning
    assert "Quy định 124-QĐ/TW đã được thay thế bởi Quy định 366-QĐ/TW" in unescaped(validity[0])
    assert "(?page=van-ban&doc=qd-366-2025" in validity[0]
    # Three suggested next questions, as buttons.
    suggestions = [b.label for b in at.button if b.key and b.key.startswith("suggest-")]
    assert len(suggestions) == 3


def test_follow_up_shows_the_question_as_understood():
    at = ask(run_app(), "Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?")
    at = ask(at, "Còn đảng viên dự bị thì sao?")
    second = assistant_messages(at)[1]
    understood = [c for c in texts(second.caption) if "Câu hỏi được hiểu là" in c]
    assert understood, texts(second.caption)
    assert "đảng viên dự bị có phải kiểm điểm không" in understood[0].lower()


def test_out_of_scope_question_is_refused_with_the_nearest_provisions():
    at = ask(run_app(), "Giá vàng hôm nay bao nhiêu?")
    [message] = assistant_messages(at)
    [refusal] = message.warning
    assert unescaped(refusal.value).startswith(prompts.REFUSAL)
    assert UI.NEAREST in texts(message.caption)
    nearest = [e for e in message.expander if e.proto.icon == ":material/search:"]
    assert 1 <= len(nearest) <= 3


def test_suggested_question_is_asked_when_clicked():
    at = ask(run_app(), "Điều 12 Quy định 124 quy định gì?")
    first = next(b for b in at.button if b.key == "suggest-0-0")
    question = unescaped(first.label)
    first.click().run()
    assert not at.exception
    users = [m for m in at.chat_message if m.name == "user"]
    assert len(users) == 2
    assert unescaped(users[1].markdown[0].value) == question
    assert len(assistant_messages(at)) == 2


def test_thumbs_up_writes_a_row_to_the_feedback_file(shared_data):
    at = ask(run_app(), "Ai quyết định xếp loại chi bộ?")
    at.feedback[0].set_value(1).run()
    assert not at.exception
    assert UI.FEEDBACK_SAVED in texts(at.caption)
    with sqlite3.connect(shared_data / FILENAME) as db:
        rows = db.execute(
            "SELECT question, answer, cited_ids, rating, comment, time, settings_hash "
            "FROM feedback WHERE question = ?",
            ("Ai quyết định xếp loại chi bộ?",),
        ).fetchall()
    [(question, answer, cited, rating, comment, time, settings_hash)] = rows
    assert rating == 1 and comment == ""
    assert answer.startswith(("Theo ", "Từ kỳ năm 2025", "Kỳ 2023–2024"))
    assert json.loads(cited) and all(isinstance(c, str) for c in json.loads(cited))
    assert time and len(settings_hash) == 8

    # A comment added afterwards lands on the same row.
    at.text_input[0].set_value("Rõ ràng, đủ ý.")
    at.button(key="FormSubmitter:comment-0-Gửi góp ý").click().run()
    with sqlite3.connect(shared_data / FILENAME) as db:
        [(comment,)] = db.execute(
            "SELECT comment FROM feedback WHERE question = ?", ("Ai quyết định xếp loại chi bộ?",)
        ).fetchall()
    assert comment == "Rõ ràng, đủ ý."


def test_html_and_script_in_a_question_are_shown_as_text():
    question = "<script>alert('x')</script><b>đậm</b> [liên kết](javascript:alert(1))"
    at = ask(run_app(), question)
    [user] = [m for m in at.chat_message if m.name == "user"]
    [shown] = user.markdown
    assert not shown.proto.allow_html
    assert "\\<script\\>" in shown.value and "\\[liên kết\\]" in shown.value
    # Unescaped, it is exactly what was typed.
    assert unescaped(shown.value) == question
    assert page_is_text_only(at) == []


def test_empty_question_is_ignored():
    at = ask(run_app(), "   ")
    assert not at.chat_message
    assert not at.error


def test_long_question_shows_the_cut_notice():
    at = ask(run_app(), "Ai đánh giá chi bộ? " + "rất " * 800)
    [message] = assistant_messages(at)
    assert any("chỉ 2000 ký tự đầu được dùng để tìm kiếm" in c for c in texts(message.caption))
    # A notice, not a box: the only boxes are the cited parts pinned inside their articles.
    assert all(i.proto.icon == ":material/push_pin:" for i in message.info)


def test_failing_llm_endpoint_shows_the_fallback_notice(monkeypatch):
    monkeypatch.setenv("QUYDINH_ENGINE", "llm")
    monkeypatch.setenv("QUYDINH_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("QUYDINH_LLM_TIMEOUT_S", "2")
    at = ask(run_app(), "Đảng viên dự bị có phải kiểm điểm không?")
    [message] = assistant_messages(at)
    fallback = prompts.LLM_FALLBACK.split("(")[0].strip()
    captions = [unescaped(c) for c in texts(message.caption)]
    assert any(fallback in c for c in captions), captions
    assert message.expander  # the extractive answer and its citations still come


def test_conversation_and_answer_can_be_downloaded_in_three_formats():
    at = ask(run_app(), "Ai quyết định xếp loại chi bộ?")
    formats = list(UI.EXPORT_FORMATS.values())
    assert [d.proto.label for d in at.sidebar.get("download_button")] == formats
    [popover] = assistant_messages(at)[0].get("popover")
    assert popover.proto.popover.label == UI.EXPORT_ANSWER
    assert [d.proto.label for d in popover.get("download_button")] == formats


def test_broken_documents_show_an_error_not_a_traceback(monkeypatch):
    bad = Path(__file__).parent / "data" / "bad" / "malformed_front_matter"
    monkeypatch.setenv("QUYDINH_DOCUMENTS_DIR", str(bad))
    at = run_app()
    [error] = at.error
    assert UI.LOAD_FAILED in error.value and "qd-900-2024.md" in error.value
    assert not at.chat_input


# --- browse ----------------------------------------------------------------------------------


def test_browse_page_shows_the_document_tree_with_metadata_and_coverage():
    at = run_app(page="van-ban")
    assert at.selectbox[0].value == "qd-124-2023"
    labels = [e.label for e in at.expander]
    assert "Điều 12. Tiêu chí xếp loại (chưa đầy đủ) · có ý một nguồn" in labels
    assert f"Điều 8 — :material/block: {UI.NOT_COVERED}" in labels
    [progress] = at.get("progress")
    assert progress.proto.text == "15/19 điều có nội dung · 8 có ý chỉ dựa trên một nguồn"
    assert any(
        "Chưa có nội dung: Điều 8, Điều 16, Điều 17, Điều 19" in c for c in texts(at.caption)
    )
    meta = "\n".join(texts(at.markdown))
    assert "**Số hiệu:** 124-QĐ/TW" in meta and "**Cơ quan ban hành:** Bộ Chính trị" in meta
    assert "Đã bị thay thế bởi 366-QĐ/TW ngày 30/08/2025" in meta


def test_browse_page_switches_documents():
    at = run_app(page="van-ban")
    at.selectbox[0].set_value("qd-125-2023").run()
    assert not at.exception
    assert at.query_params["doc"] == "qd-125-2023"
    assert "Mục I. Phạm vi, đối tượng áp dụng (chưa đầy đủ) · có ý một nguồn" in [
        e.label for e in at.expander
    ]


def test_deep_link_opens_the_provision_in_its_article():
    at = run_app(doc="qd-124-2023", p="qd-124-2023/dieu-12/khoan-2")
    assert texts(at.subheader)[0] == ("Quy định được mở: Điều 12, khoản 2 — Quy định 124-QĐ/TW")
    marked = [i.value for i in at.info]
    assert marked and all(m.startswith('**2.** Mức "Hoàn thành tốt nhiệm vụ"') for m in marked)
    # The article around it is open in the tree, the rest closed.
    open_ = [e.label for e in at.expander if e.proto.expanded]
    assert open_ == ["Điều 12. Tiêu chí xếp loại (chưa đầy đủ) · có ý một nguồn"]
    # Its neighbours are shown, unmarked.
    assert any('**1.** Mức "Hoàn thành xuất sắc nhiệm vụ"' in m for m in texts(at.markdown))


def test_deep_link_to_an_unknown_provision_warns():
    at = run_app(page="van-ban", doc="qd-124-2023", p="qd-124-2023/dieu-99")
    assert any("dieu\\-99" in w or "dieu-99" in w for w in texts(at.warning))
    assert not at.info
