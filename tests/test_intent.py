"""Which chat messages ask for a workspace, and what the offer fills in."""

from __future__ import annotations

import pytest

from assistant.workspaces.intent import BRIEF, COMPARE, GUIDE, LESSON, offer, workspace_for
from knowledge.pack import load_pack


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("Soạn 5 câu hỏi trắc nghiệm về Quy định 366 để kiểm tra học viên", LESSON),
        ("soan cau hoi trac nghiem ve HD 43", LESSON),
        ("Lập dàn ý theo từng chương của QĐ 124", LESSON),
        ("Giúp tôi soạn bài giảng phổ biến Quy định 366", LESSON),
        ("Viết bản tin về Hướng dẫn 43", BRIEF),
        ("So sánh QĐ 124 và QĐ 366", COMPARE),
        ("Hướng dẫn 43 khác gì Hướng dẫn 25?", COMPARE),
        ("Tôi là bí thư chi bộ thì năm 2025 dùng mẫu nào?", GUIDE),
        ("tôi là đảng viên ở chi bộ trực thuộc, vậy ai xếp loại tôi", GUIDE),
        ("Ai quyết định xếp loại chi bộ?", None),
        ("Học viện Chính trị quốc gia có phải kiểm điểm không?", None),
        ("Đảng viên dự bị có phải kiểm điểm không?", None),
        ("Mẫu 2C dành cho ai?", None),
    ],
)
def test_workspace_for(question, slug):
    assert workspace_for(question) == slug


def test_the_offer_fills_in_what_the_message_names():
    pack = load_pack()
    quiz = offer("Soạn 5 câu hỏi trắc nghiệm về Quy định 366 để kiểm tra học viên", pack)
    assert (quiz.slug, quiz.query, quiz.replaces_answer) == (
        LESSON,
        {"doc": "qd-366-2025", "n": "5"},
        True,
    )
    pair = offer("HD 43 khác gì HD 25?", pack)
    assert pair.query == {"old": "hd-25-2023", "new": "hd-43-2025"} and not pair.replaces_answer
    case = offer(
        "Tôi là bí thư chi bộ trực thuộc đảng ủy cơ sở ở bệnh viện, năm 2025 thì sao?", pack
    )
    assert case.query == {
        "org": "chi-bo-truc-thuoc",
        "public": "1",
        "role": "lanh-dao",
        "year": "2025",
    }
    assert offer("Ai đánh giá chi bộ?", pack) is None
