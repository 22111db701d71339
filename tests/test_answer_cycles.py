"""What a user reads for questions this wave's dev review found answered wrongly, on the real
pipeline: which cycle a question asks for, who does what, counts stated elsewhere, opinions,
topics outside the documents, and follow-ups typed without diacritics."""

from __future__ import annotations

import pytest

from assistant import prompts
from assistant.stages.followup import follow, known_tokens
from assistant.stages.words import Words
from knowledge.text import fold
from knowledge.vocabulary import VOCABULARY_FILE, phrase


def _first(answer) -> str:
    return answer.lead[0].text if answer.lead else ""


@pytest.mark.parametrize(
    "question",
    [
        "hạn chót hoàn thành kiểm điểm, đánh giá năm 2025 là ngày nào",
        "Hiện nay đảng viên dự bị có phải kiểm điểm không?",
    ],
)
def test_a_question_that_says_2025_is_not_covered_where_the_digest_lacks_the_2025_rule(
    assistant, question
):
    answer = assistant.answer(question)
    assert answer.outcome == "not_covered", answer.lead_text
    assert _first(answer).startswith("Bản tóm lược chưa có quy định của văn bản áp dụng từ kỳ")
    # The 2023–2024 rule follows, labelled as the previous cycle's, with its citation.
    assert "Kỳ 2023–2024, theo" in answer.lead_text
    assert answer.citations


def test_unsaid_now_gets_the_2023_rule_with_the_gap_said_after_it(assistant):
    answer = assistant.answer("Đảng viên dự bị có phải kiểm điểm không?")
    assert answer.outcome == "answered", answer.lead_text
    assert "Kỳ 2023–2024, theo Quy định 124-QĐ/TW" in _first(answer)
    assert any(s.role == "gap" for s in answer.lead)


def test_a_count_is_read_where_it_is_stated_not_where_it_is_referred_to(assistant):
    # Điều 11 says "1 trong 4 mức xếp loại ở Điều 12"; the count is Điều 11 of QĐ 366 / Điều 12.
    answer = assistant.answer("Có tất cả mấy mức xếp loại chất lượng?")
    assert answer.outcome == "answered"
    assert _first(answer).count("Hoàn thành") >= 3, answer.lead_text
    assert "3 bước" not in _first(answer)


def test_a_list_whose_lead_in_ends_mid_line_gives_its_items(assistant):
    answer = assistant.answer("Theo QĐ 124, mức đạt của mỗi tiêu chí gồm những cấp độ nào?")
    lead = _first(answer)
    for grade in ("Xuất sắc", "Tốt", "Trung bình", "Kém"):
        assert grade in lead, lead


def test_who_rates_a_cell_names_the_body_that_does_it(assistant):
    answer = assistant.answer("Chi bộ trực thuộc đảng ủy cơ sở thì ai đánh giá, xếp loại?")
    assert "đảng ủy cơ sở xem xét, đánh giá, xếp loại" in answer.lead_text, answer.lead_text
    assert "phải kiểm điểm, theo thứ tự" not in answer.lead_text


def test_a_level_read_from_a_score_has_no_2023_line(assistant):
    answer = assistant.answer("Năm 2025 tôi tự chấm được 75 điểm thì xếp loại gì?")
    assert 'mức xếp loại "Hoàn thành tốt nhiệm vụ"' in _first(answer), answer.lead_text
    assert "Kỳ 2023–2024" not in answer.lead_text


@pytest.mark.parametrize(
    "question",
    [
        "Theo bạn, năm 2026 Bộ Chính trị có ban hành quy định mới thay Quy định 366 không?",
        "du bao nam sau ty le dang vien xuat sac se tang hay giam",
    ],
)
def test_an_opinion_or_a_forecast_is_refused_with_its_reason(assistant, question):
    answer = assistant.answer(question)
    assert answer.outcome == "refused"
    assert answer.text.startswith(prompts.REQUESTS["opinion"])


def test_a_topic_outside_the_documents_is_refused(assistant):
    answer = assistant.answer("Đảng viên bao nhiêu tuổi thì được miễn đóng đảng phí?")
    assert answer.outcome == "refused", answer.lead_text


def test_the_outside_topics_are_words_the_pack_does_not_have(pack_retriever):
    import yaml

    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    text = fold(
        " ".join(f"{p.title} {p.full_text}" for p in pack_retriever.pack.provisions.values())
    )
    assert raw["outside"]
    assert [t for t in raw["outside"] if phrase(t).search(text)] == []


def test_a_named_chapter_is_answered_not_a_traceback(assistant):
    answer = assistant.answer("Chương IV Quy định 366 quy định gì?")
    assert answer.outcome == "answered"
    assert "Quy định 366-QĐ/TW" in answer.lead_text


@pytest.fixture(scope="module")
def parts(pack_retriever):
    words = Words(pack_retriever.keyword.segmenter)
    return pack_retriever.pack, words, known_tokens(pack_retriever.pack, words)


@pytest.mark.parametrize(
    ("previous", "question", "shown"),
    [
        (
            "Năm nay cấp ủy cơ sở có phải kiểm điểm không?",
            "the con dang uy bo phan?",
            "Đảng ủy bộ phận có phải kiểm điểm không?",
        ),
        ("Quy định 366 ban hành ngày nào?", "thế ai ký?", "Quy định 366-QĐ/TW do ai ký?"),
        (
            "Năm 2024 đảng viên bị đình chỉ sinh hoạt đảng có phải kiểm điểm không?",
            "thế năm nay thì sao?",
            "Hiện nay đảng viên bị đình chỉ sinh hoạt đảng có phải kiểm điểm không?",
        ),
        (
            "HD 43 quy định mỗi cuộc kiểm điểm kéo dài tối thiểu bao lâu?",
            "riêng btv tỉnh ủy có khác không",
            "HD 43 quy định mỗi cuộc kiểm điểm kéo dài tối thiểu bao lâu đối với ban thường vụ "
            "tỉnh ủy?",
        ),
    ],
)
def test_a_follow_up_is_shown_as_a_whole_question(parts, pack_retriever, previous, question, shown):
    pack, words, known = parts
    history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]
    followed = follow(question, history, pack, known, words, pack_retriever.restorer.restore)
    assert followed.merged
    assert followed.question == shown


def test_a_signer_asked_in_a_follow_up_is_answered(assistant):
    history = [
        {"role": "user", "content": "Quy định 366 ban hành ngày nào?"},
        {"role": "assistant", "content": "…"},
    ]
    answer = assistant.answer("thế ai ký?", history)
    assert answer.understood == "Quy định 366-QĐ/TW do ai ký?"
    assert "Trần Cẩm Tú" in answer.lead_text


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("Điều 30 Quy định 124 nói gì?", "Điều 30 của Quy định 124-QĐ/TW"),
        ("khoan 9 dieu 12 qd 124 quy dinh gi", "khoản 9 Điều 12 của Quy định 124-QĐ/TW"),
    ],
)
def test_a_part_the_pack_does_not_have_is_said_so_not_answered_by_a_neighbour(
    assistant, question, absent
):
    answer = assistant.answer(question)
    assert answer.outcome == "not_covered"
    assert answer.lead_text.startswith(f"Bản tóm lược không có {absent}.")
    assert not answer.citations  # nothing of Điều 12 is quoted as if it were khoản 9


def test_a_document_fact_the_digest_has_not_verified_is_not_covered(assistant):
    answer = assistant.answer("QĐ 125 có hiệu lực từ ngày nào?")
    assert answer.outcome == "not_covered"
    assert "chưa xác minh trong bản tóm lược" in answer.lead_text
    known = assistant.answer("QĐ 124 có hiệu lực từ ngày nào?")
    assert known.outcome == "answered" and "04/10/2023" in known.lead_text


def test_who_uses_a_form_is_said_only_where_the_digest_says_it(assistant):
    listed = assistant.answer("Mẫu 2A theo HD 43 dành cho đối tượng nào?")
    assert listed.outcome == "not_covered"
    assert listed.lead_text.startswith("Bản tóm lược không nêu nhóm người dùng của mẫu này")
    said = assistant.answer("mau 2b danh cho ai")
    assert said.outcome == "answered"
    assert "dành cho người giữ chức vụ lãnh đạo, quản lý" in said.lead_text
    assert "Kỳ 2023–2024" in said.lead_text


def test_an_item_asked_by_its_rank_is_that_item(assistant):
    answer = assistant.answer("buoc thu 2 cua quy trinh danh gia xep loai la gi")
    assert "Thẩm định, đề xuất" in _first(answer), answer.lead_text
    assert "Tự đánh giá, xếp loại" not in _first(answer)
    # "thứ tự" (order) is not "thứ tư" (fourth).
    order = assistant.answer("Thứ tự đánh giá, xếp loại giữa tập thể cấp dưới và cấp trên ra sao?")
    assert "— thứ 4:" not in order.lead_text


def test_a_short_provision_is_said_whole_for_a_question_on_what_it_says(assistant):
    # Điều 1 of QĐ 124 has three lines: the scope, who it applies to, what "tập thể" means.
    first = _first(assistant.answer("Phạm vi điều chỉnh của Quy định 124 là gì?"))
    for said in ("hằng năm", "hệ thống chính trị", "cấp ủy, tổ chức đảng"):
        assert said in first, first


def test_a_short_count_question_finds_the_provisions_that_state_the_count(assistant):
    answer = assistant.answer("có mấy mức xếp loại")
    assert answer.outcome == "answered"
    assert _first(answer).count("Hoàn thành") >= 3, answer.lead_text
    # A count the pack states of another thing ("3 bước" of the rating procedure) does not
    # answer "mấy bước chuẩn bị".
    other = assistant.answer("Kiểm điểm cuối năm gồm mấy bước chuẩn bị?")
    assert "có 3 bước" not in _first(other), other.lead_text


def test_this_year_is_a_time_not_a_pointer_back(parts, pack_retriever):
    pack, words, known = parts
    history = [
        {"role": "user", "content": "ai danh gia xep loai chi bo cua toi?"},
        {"role": "assistant", "content": "…"},
    ]
    question = "năm nay đảng viên dùng mẫu kiểm điểm nào"
    followed = follow(question, history, pack, known, words, pack_retriever.restorer.restore)
    assert not followed.merged
    assert followed.question == question


@pytest.mark.parametrize(
    ("question", "part"),
    [
        (
            "Theo QĐ 125, đảng ủy trường đại học lãnh đạo hội cựu chiến binh ra sao?",
            "nhiệm vụ thứ 5",
        ),
        ("qd 125 noi gi ve quy hoach can bo o benh vien cong", "nhiệm vụ thứ 3"),
    ],
)
def test_a_part_named_by_an_everyday_name_is_the_part_the_digest_lacks(assistant, question, part):
    # "hội cựu chiến binh" is one of "các tổ chức chính trị - xã hội", the title of a task
    # group of Quy định 125 that the digest has no content for: that is said, not a neighbour.
    answer = assistant.answer(question)
    assert answer.outcome == "not_covered", answer.lead_text
    assert _first(answer).startswith(f"Bản tóm lược chưa có nội dung của Mục III, {part}")


def test_the_related_phrases_are_titles_in_the_pack(pack_retriever):
    import yaml

    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    text = fold(
        " ".join(p.title + " " + p.coverage_note for p in pack_retriever.pack.provisions.values())
    )
    assert raw["related"]
    assert [m for m in raw["related"] if phrase(m).search(text) is None] == []


def test_what_is_inside_an_appendix_is_not_covered_and_whom_it_is_for_is_said(assistant):
    inside = assistant.answer("Phụ lục 5 Quy định 366 có những tiêu chí nào, chấm điểm thế nào?")
    assert inside.outcome == "not_covered", inside.lead_text
    assert _first(inside).startswith(
        "Bản tóm lược chỉ nêu phụ lục 5 dành cho đảng viên không làm việc trong hệ thống chính"
    )
    assert "không nêu các tiêu chí và số điểm cụ thể trong phụ lục 5" in _first(inside)
    whom = assistant.answer("Phụ lục 4 của QĐ 366 áp dụng cho đối tượng nào?")
    assert whom.outcome == "answered"
    assert "cá nhân không giữ chức vụ lãnh đạo, quản lý" in whom.lead_text


def test_a_khoan_whose_heading_the_question_says_is_the_one_answered(assistant):
    # Khoản 3 Điều 7 opens with its heading "Thứ tự kiểm điểm." and has no title of its own.
    answer = assistant.answer(
        "Theo QĐ 124, thứ tự kiểm điểm giữa cấp ủy và tập thể lãnh đạo chính quyền thế nào?"
    )
    assert _first(answer).startswith(
        "Theo Quy định 124-QĐ/TW (dùng cho kỳ 2023–2024): Tập thể lãnh đạo, quản lý của chính "
        "quyền, chuyên môn, đoàn thể kiểm điểm trước; cấp ủy, tổ chức đảng kiểm điểm sau [1]"
    ), answer.lead_text
