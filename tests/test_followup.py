"""Follow-ups by frame, on the real pack and word segmenter: an elliptical question in the
domain takes the previous question's slots; anything else is judged on its own."""

from __future__ import annotations

import pytest

from assistant.stages.followup import follow, is_elliptical, known_tokens
from assistant.stages.words import Words
from assistant.types import Period


@pytest.fixture(scope="module")
def parts(pack_retriever):
    words = Words(pack_retriever.keyword.segmenter)
    return pack_retriever.pack, words, known_tokens(pack_retriever.pack, words)


def _follow(parts, previous: str, question: str):
    pack, words, known = parts
    history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]
    return follow(question, history, pack, known, words)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "Ai đánh giá xếp loại chi bộ?",
            "còn đảng viên thì sao?",
            "Ai đánh giá xếp loại đảng viên?",
        ),
        (
            "Hồ sơ kiểm điểm, đánh giá, xếp loại theo HD 25 làm theo mẫu nào?",
            "hạn chót gửi là khi nào?",
            "Hạn chót gửi hồ sơ kiểm điểm, đánh giá, xếp loại theo HD 25 là khi nào?",
        ),
    ],
)
def test_an_elliptical_question_is_shown_as_a_whole_question(parts, previous, question, expected):
    followed = _follow(parts, previous, question)
    assert followed.merged
    assert followed.question == expected


def test_a_follow_up_carries_the_documents_and_changes_the_cycle(parts):
    followed = _follow(
        parts, "Theo HD 25, kiểm điểm cuối năm phải xong trước ngày nào?", "thế năm 2025?"
    )
    assert followed.merged
    assert followed.frame.time is Period.NEW
    assert followed.frame.asked.value == "deadline"


def test_a_form_code_follow_up_swaps_the_code(parts):
    followed = _follow(parts, "mau 02A dung cho ai", "con mau 2C thi sao")
    assert followed.merged
    assert "2C" in followed.question and "02A" not in followed.question.upper()
    assert followed.frame.premise is not None and followed.frame.premise.value == "2c"


@pytest.mark.parametrize(
    "question",
    [
        "Thời tiết Hà Nội hôm nay thế nào?",  # off-topic after an in-domain turn
        "Ai quyết định xếp loại chi bộ cơ sở?",  # whole by itself
        "vậy hướng dẫn đi kèm bây giờ là văn bản nào?",  # a document fact needs nothing before
    ],
)
def test_a_question_that_is_not_elliptical_is_judged_on_its_own(parts, question):
    followed = _follow(parts, "Quy định 124 còn hiệu lực không?", question)
    assert not followed.merged
    assert followed.question == question


def test_without_history_nothing_is_merged(parts):
    pack, words, known = parts
    assert not is_elliptical("Ai quyết định xếp loại chi bộ?", known, words)
    assert not follow("Còn tập thể thì sao?", [], pack, known, words).merged
