"""The workspace pages through `streamlit.testing.v1.AppTest` (the real app and pack), and the
chat's offer of a workspace (on the session's built index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
TIMEOUT = 180


def run_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    """Everything the page shows as text, in one string."""
    parts = [
        e.value
        for kind in ("markdown", "info", "warning", "success", "caption")
        for e in getattr(at, kind)
    ]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def test_brief_page_shows_a_cited_briefing_with_downloads():
    at = run_app(page="ban-tin")
    assert [t.value for t in at.title] == [":material/newspaper: Bản tin"]
    assert at.header[0].value == "Bản tin\\: Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW"
    text = shown(at)
    assert "Những gì thay đổi từ 2023 đến 2025" in text
    assert (
        "Tình trạng\\: còn hiệu lực. [\\[1\\]]"
        "(?page=van-ban&doc=qd-366-2025&p=qd-366-2025%2Fthong-tin)" in text
    )
    assert [b.proto.label for b in at.get("download_button")] == [
        "Tải Markdown",
        "Tải Word (.docx)",
        "Tải PDF",
    ]
    assert at.multiselect(key="brief-topics").proto.placeholder == "Chọn chủ đề"
    at.multiselect(key="brief-docs").set_value(["qd-125-2023"]).run()
    assert at.header[0].value == "Bản tin\\: Quy định 125-QĐ/TW"
    assert "Quy định 125-QĐ/TW không có trong bản đồ cũ→mới." in shown(at)


def test_brief_page_says_clearly_when_a_topic_is_unknown():
    at = run_app(page="ban-tin", topic="xổ số")
    assert not at.header
    assert "Không có chủ đề 'xổ số'" in at.error[0].value


def test_lesson_page_has_outline_numbers_quiz_and_answer_key():
    at = run_app(page="bai-giang", doc="qd-124-2023", n="4", seed="7")
    assert at.header[0].value == "Bài giảng\\: Quy định 124-QĐ/TW"
    assert [t.label for t in at.tabs] == ["Dàn ý", "Số liệu cần nhớ", "Câu hỏi", "Đáp án"]
    questions = [m.value for m in at.tabs[2].markdown if m.value.startswith("**Câu ")]
    assert len(questions) == 4
    answers = [s.value for s in at.tabs[3].success]
    assert len(answers) == 4 and answers[0].startswith("Câu 1\\: ")
    assert any("Điều 5. Đối tượng kiểm điểm" in m.value for m in at.tabs[0].markdown)
    at.number_input(key="lesson-seed").set_value(8).run()
    assert [m.value for m in at.tabs[2].markdown if m.value.startswith("**Câu ")] != questions


def test_lesson_page_says_when_a_document_has_too_little_content():
    at = run_app(page="bai-giang", doc="qd-125-2023")
    assert any("không có nội dung đủ để đặt câu hỏi" in i.value for i in at.tabs[2].info)


def test_compare_page_shows_both_sides_and_marks_what_is_not_confirmed():
    at = run_app(page="so-sanh", old="hd-25-2023", new="hd-43-2025")
    assert at.header[0].value == "So sánh Hướng dẫn 25-HD/BTCTW và Hướng dẫn 43-HD/BTCTW"
    text = shown(at)
    assert "**Kỳ 2023–2024**" in text and "**Từ kỳ 2025**" in text
    topics = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert "#### Biểu mẫu bản kiểm điểm" in topics
    assert any("Chưa xác minh" in w.value for w in at.warning)
    at.checkbox(key="compare-unconfirmed").check().run()
    fewer = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert 0 < len(fewer) < len(topics)


def test_my_case_page_cites_each_item_and_links_to_the_chat():
    at = run_app(
        page="truong-hop", org="chi-bo-truc-thuoc", role="dang-vien", year="2025", public="1"
    )
    text = shown(at)
    assert "kỳ năm 2025" in at.caption[1].value
    assert "Mỗi cá nhân làm bản tự kiểm điểm theo một trong các mẫu 2A, 2B, 2C." in text
    assert "Quy định của kỳ 2023–2024 \\(chỉ để tham khảo, không áp dụng cho kỳ năm 2025\\)" in text
    links = [p.proto.label for p in at.get("page_link")]
    assert links[0].startswith("Tôi là đảng viên không giữ chức vụ lãnh đạo, quản lý ở chi bộ")
    at.selectbox(key="guide-year").set_value("2024").run()
    assert "Mẫu 02A" in shown(at)


# --- the chat offers the workspace ---------------------------------------------------------------


@pytest.fixture
def indexed(pack_retriever, monkeypatch):
    """The session's built index, so the chat answers without building one."""
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(pack_retriever.settings.data_dir))


@pytest.mark.slow
def test_chat_offers_the_lesson_page_instead_of_a_quote(indexed):
    at = run_app()
    at.chat_input[0].set_value(
        "Soạn 5 câu hỏi trắc nghiệm về Quy định 366 để kiểm tra học viên"
    ).run()
    assert not at.exception
    [message] = [m for m in at.chat_message if m.name == "assistant"]
    assert "việc của trang Bài giảng" in message.info[0].value
    assert not message.expander  # no unrelated provision quoted
    [link] = message.get("page_link")
    assert link.proto.label == "Mở trang Bài giảng"


@pytest.mark.slow
def test_a_link_with_a_question_asks_it_and_a_case_question_also_offers_the_guide(indexed):
    at = run_app(
        page="hoi-dap", q="Tôi là đảng viên ở chi bộ trực thuộc thì năm 2024 dùng mẫu nào?"
    )
    [user] = [m for m in at.chat_message if m.name == "user"]
    assert user.markdown[0].value.startswith("Tôi là đảng viên ở chi bộ trực thuộc")
    [message] = [m for m in at.chat_message if m.name == "assistant"]
    assert "Trang Trường hợp của tôi nêu đủ" in message.info[0].value
    assert message.expander  # answered too, with its citations
