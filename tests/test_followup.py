"""Follow-up rewriting: pure functions, on questions as users type them."""

from __future__ import annotations

import pytest

from assistant.followup import is_elliptical, rewrite

VOCABULARY = {"chi bo", "danh gia", "dang vien", "kiem diem", "xep loai"}
SUCCESSORS = {"124": "Quy định 366-QĐ/TW", "25": "Hướng dẫn 43-HD/BTCTW"}


def _ask(previous: str, question: str) -> str:
    history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]
    return rewrite(question, history, VOCABULARY, SUCCESSORS)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?",
            "Còn đảng viên dự bị thì sao?",
            "Đảng viên dự bị có phải kiểm điểm không?",
        ),
        (
            "Đối tượng kiểm điểm là cá nhân gồm những ai?",
            "thế còn tập thể?",
            "Đối tượng kiểm điểm là tập thể gồm những ai?",
        ),
        (
            "Theo QĐ 366, bao nhiêu điểm thì được Hoàn thành xuất sắc nhiệm vụ?",
            "thế còn mức hoàn thành tốt?",
            "Theo QĐ 366, bao nhiêu điểm thì được hoàn thành tốt?",
        ),
        (
            "Theo QĐ 124, cá nhân HTXSNV cần bao nhiêu % chỉ tiêu vượt mức?",
            "Còn theo quy định mới thì sao?",
            "Theo quy định mới cần bao nhiêu % chỉ tiêu vượt mức — Quy định 366-QĐ/TW?",
        ),
        (
            "Hồ sơ kiểm điểm gửi về đâu?",
            "hạn chót là khi nào?",
            "Hạn chót là khi nào (Hồ sơ kiểm điểm gửi về đâu)?",
        ),
    ],
)
def test_elliptical_questions_are_rewritten(previous, question, expected):
    assert _ask(previous, question) == expected


def test_a_complete_question_is_left_as_it_is():
    question = "Ai quyết định xếp loại chi bộ?"
    assert not is_elliptical(question, VOCABULARY)
    assert _ask("Đảng viên kiểm điểm ở đâu?", question) == question


def test_without_history_nothing_is_rewritten():
    assert rewrite("Còn tập thể thì sao?", [], VOCABULARY) == "Còn tập thể thì sao?"
