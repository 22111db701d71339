"""The answering core on the real pipeline: for each asked type, three questions that are in
neither dev file; the lead (what a user reads first) holds the span asked for. Placeholders
give `not_covered`; questions about now lead with the 2025 rule; bad input gets a notice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant import prompts

EVALS = Path(__file__).resolve().parents[1] / "evals"


# (asked type, question, fragments the lead must hold — each a tuple of alternatives)
CASES = [
    (
        "body",
        "Ban Tổ chức Trung ương làm gì với kết quả xếp loại của các tổ chức thuộc thẩm quyền "
        "Trung ương?",
        [("tổng hợp, thẩm định",)],
    ),
    (
        "body",
        "Theo QĐ 124, cấp nào có trách nhiệm quyết định và giám sát kết quả đánh giá, xếp loại?",
        [("cấp ủy cấp trên trực tiếp",)],
    ),
    (
        "body",
        "ai xem xet quyet dinh xep loai dang uy co so truc thuoc tinh uy",
        [("ban thường vụ cấp ủy cấp tỉnh",)],
    ),
    ("deadline", "Trường học xếp loại xong trước ngày nào theo HD 25?", [("31/12",)]),
    ("deadline", "ho so gui ban to chuc trung uong truoc ngay nao", [("15/02",)]),
    (
        "deadline",
        "Theo Hướng dẫn 25, đơn vị đặc thù phải xong việc xếp loại trước ngày nào?",
        [("15/01",)],
    ),
    ("count", "quy trinh danh gia xep loai theo qd 124 co may buoc", [("3 bước",)]),
    ("count", "Khung tiêu chí của Quy định 366 có mấy nhóm?", [("2 nhóm", "hai nhóm")]),
    ("count", "Theo QĐ 366, việc kiểm điểm, đánh giá có mấy kỳ?", [("nhiệm kỳ",), ("hằng quý",)]),
    ("number", "Theo QĐ 366, bao nhiêu điểm thì được Hoàn thành tốt nhiệm vụ?", [("70",), ("90",)]),
    ("number", "nhom tieu chi chung duoc bao nhieu diem theo qd 366", [("30 điểm",)]),
    (
        "number",
        "Tỷ lệ Hoàn thành xuất sắc nhiệm vụ tối đa theo Quy định 124 là bao nhiêu phần trăm?",
        [("20%",)],
    ),
    (
        "level",
        "Theo QĐ 366, đạt 95 điểm và đủ điều kiện thì được xếp mức nào?",
        [("Hoàn thành xuất sắc nhiệm vụ",)],
    ),
    ("level", "Theo Quy định 366 được 75 điểm thì xếp loại gì?", [("Hoàn thành tốt nhiệm vụ",)]),
    ("level", "dat 60 diem theo qd 366 thi xep muc nao", [('"Hoàn thành nhiệm vụ"',)]),
    (
        "form",
        "Đảng viên không làm việc trong hệ thống chính trị dùng mẫu nào theo HD 43?",
        [("2C",)],
    ),
    (
        "form",
        "Theo HD 25, người không giữ chức vụ lãnh đạo làm bản kiểm điểm theo mẫu nào?",
        [("02A",)],
    ),
    ("form", "bao cao kiem diem tap the lam theo mau nao theo hd 43", [("Mẫu 01",)]),
    ("yesno", "Mẫu 2C có trong Hướng dẫn 25 không?", [("Không.",)]),
    ("yesno", "QĐ 124 còn hiệu lực không?", [("Không.",), ("366",)]),
    (
        "yesno",
        "Theo HD 43, mỗi cuộc kiểm điểm tối thiểu 3 ngày phải không?",
        [("Không.",), ("01 ngày",)],
    ),
    (
        "list",
        "Theo QĐ 124, những đảng viên nào được miễn kiểm điểm?",
        [("đình chỉ sinh hoạt",), ("chưa đủ 6 tháng",)],
    ),
    (
        "list",
        "Tập thể theo QĐ 366 gồm những loại nào?",
        [("cấp ủy, tổ chức đảng",), ("tập thể lãnh đạo, quản lý",)],
    ),
    (
        "list",
        "cac ky kiem diem danh gia theo qd 366 gom nhung ky nao",
        [("hằng quý",), ("khi cần thiết",)],
    ),
    ("comparison", "Cách chấm tiêu chí của QĐ 366 khác QĐ 124 thế nào?", [("100 điểm",)]),
    ("comparison", "So sánh kỳ kiểm điểm giữa Quy định 124 và Quy định 366", [("hằng quý",)]),
    ("comparison", "QĐ 366 so với QĐ 124 thay đổi gì về kỳ đánh giá?", [("hằng quý",)]),
    # No topic named: the main changes, not the topic "số điểm" that "so với" folds into.
    (
        "comparison",
        "QĐ 366 có những điểm mới nào so với QĐ 124?",
        [("hằng quý",), ("chấm điểm 100", "100 điểm")],
    ),
    (
        "purpose",
        "Mục đích của kiểm điểm, đánh giá, xếp loại theo QĐ 124 là gì?",
        [("tự phê bình",)],
    ),
    (
        "purpose",
        "ket qua xep loai theo qd 124 dung de lam gi",
        [("công tác tổ chức, cán bộ", "cán bộ")],
    ),
    ("purpose", "Theo Quy định 124, kiểm điểm nhằm mục đích gì?", [("tự soi, tự sửa",)]),
    (
        "procedure",
        "Các bước đánh giá, xếp loại theo Quy định 124 là gì?",
        [("Tự đánh giá",), ("Thẩm định",)],
    ),
    (
        "procedure",
        "Theo QĐ 124, thứ tự đánh giá giữa tập thể và cá nhân ra sao?",
        [("đánh giá trước",)],
    ),
    ("procedure", "quy trinh xep loai theo qd 124 gom nhung buoc nao", [("Tự đánh giá",)]),
    # A plain line answers when no span of the wanted kind does.
    (
        "procedure",
        "Theo QĐ 124, tập thể và cá nhân thì ai kiểm điểm trước?",
        [("Tập thể kiểm điểm trước",)],
    ),
    ("doc_fact", "Quy định 366 do ai ban hành?", [("Bộ Chính trị",)]),
    ("doc_fact", "Văn bản nào thay thế Hướng dẫn 25?", [("43-HD/BTCTW",)]),
    ("doc_fact", "HD 43 ký ngày nào?", [("31/10/2025",)]),
]


def test_the_cases_are_not_dev_questions():
    dev = set()
    for name in ("questions.yaml", "dev_extra.yaml", "dev_extra2.yaml", "dev_extra3.yaml"):
        dev |= {
            c["question"].strip().lower() for c in yaml.safe_load((EVALS / name).read_text("utf-8"))
        }
    assert not [q for _, q, _ in CASES if q.strip().lower() in dev]
    kinds = {}
    for kind, _, _ in CASES:
        kinds[kind] = kinds.get(kind, 0) + 1
    assert all(n >= 3 for n in kinds.values()) and len(kinds) == 12


@pytest.mark.parametrize(
    ("asked", "question", "fragments"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_the_lead_holds_the_span_asked_for(assistant, asked, question, fragments):
    answer = assistant.answer(question)
    assert answer.outcome == "answered", answer.lead_text
    lead = answer.lead_text.lower()
    for alternatives in fragments:
        assert any(a.lower() in lead for a in alternatives), (alternatives, answer.lead_text)
    # The lead cites what it says, and only provisions that were retrieved.
    assert "[1]" in answer.lead_text
    assert {c.id for c in answer.citations} <= {h.id for h in answer.hits}


@pytest.mark.parametrize(
    ("question", "placeholder"),
    [
        ("Điều 16 Quy định 124 nói gì?", "Điều 16 — Quy định 124-QĐ/TW"),
        ("Nội dung khoản 4 Điều 11 Quy định 366 là gì?", "Điều 11, khoản 4 — Quy định 366-QĐ/TW"),
        (
            "Chức năng của đảng bộ, chi bộ cơ sở trong đơn vị sự nghiệp công lập là gì?",
            "Mục II — Quy định 125-QĐ/TW",
        ),
    ],
)
def test_a_placeholder_is_not_covered_and_no_neighbour_is_quoted(assistant, question, placeholder):
    answer = assistant.answer(question)
    assert answer.outcome == "not_covered"
    assert answer.lead_text.startswith(f"Bản tóm lược chưa có nội dung của {placeholder}")
    assert "văn bản chính thức" in answer.lead_text


@pytest.mark.parametrize(
    ("question", "new_rule", "old_rule"),
    [
        ("Bây giờ mức Hoàn thành xuất sắc nhiệm vụ cần bao nhiêu điểm?", "90 điểm", None),
        ("hien nay ca nhan lam ban kiem diem theo nhung mau nao", "2A, 2B, 2C", "02A"),
        (
            "Hiện nay ai quyết định mức xếp loại tổ chức đảng?",
            "Ban thường vụ cấp ủy cấp trên trực tiếp",
            None,
        ),
    ],
)
def test_a_question_about_now_leads_with_the_2025_rule(assistant, question, new_rule, old_rule):
    answer = assistant.answer(question)
    first = answer.lead[0].text
    assert first.startswith("Từ kỳ năm 2025"), answer.lead_text
    assert new_rule in first
    if old_rule:
        assert any(
            s.text.startswith("Kỳ 2023–2024") and old_rule in s.text for s in answer.lead[1:]
        )


def test_a_question_about_2024_leads_with_the_2023_rule(assistant):
    answer = assistant.answer("Năm 2024 cá nhân làm bản kiểm điểm theo mẫu nào?")
    assert answer.lead[0].text.startswith(("Kỳ 2023–2024", "Theo Hướng dẫn 25-HD/BTCTW"))
    assert "02A" in answer.lead[0].text


def test_a_false_premise_gets_no_and_the_value_the_pack_gives(assistant):
    answer = assistant.answer("Theo Hướng dẫn 43, mỗi cuộc kiểm điểm tối thiểu 3 ngày đúng không?")
    assert answer.lead_text.startswith("Không.")
    assert "01 ngày" in answer.lead[0].text and "[1]" in answer.lead[0].text


def test_a_mixed_question_answers_the_first_part_and_names_the_uncovered_one(assistant):
    answer = assistant.answer(
        "Hồ sơ kiểm điểm gửi về Ban Tổ chức Trung ương trước ngày nào và phụ cấp cấp ủy viên là "
        "bao nhiêu?"
    )
    assert answer.outcome == "answered"
    assert "15/02" in answer.lead[0].text
    assert answer.lead[-1].role == "uncovered"
    assert "Phụ cấp cấp ủy viên là bao nhiêu" in answer.lead[-1].text
    assert prompts.UNCOVERED_PART.split("{")[0] in answer.text


def test_an_english_question_gets_a_frame_and_a_vietnamese_answer(assistant):
    answer = assistant.answer(
        "Which form does a party member outside the political system use under HD 43?"
    )
    assert answer.frame.english and answer.frame.asked.value == "form"
    assert prompts.ENGLISH_NOTICE in answer.notices
    assert "2C" in answer.lead_text


@pytest.mark.parametrize(
    ("question", "notice"),
    [
        ("Ai đánh giá, xếp loại chi bộ? " * 1400, "chỉ 2000 ký tự đầu"),
        ("Ai\x00 đánh\x07 giá\u202e xếp loại chi bộ?", prompts.CONTROL_NOTICE),
        (
            "<script>alert(1)</script> **Ai** đánh giá [xếp loại](http://x.example) chi bộ?",
            prompts.MARKUP_NOTICE,
        ),
    ],
    ids=["40k-characters", "control-characters", "markup"],
)
def test_bad_input_gets_a_notice_and_a_normal_answer(assistant, question, notice):
    assert len(question) < 50_000
    answer = assistant.answer(question)
    assert any(notice in n for n in answer.notices)
    assert answer.outcome in ("answered", "refused", "not_covered")
    assert "<script>" not in answer.understood and "http://x.example" not in answer.understood
    assert "\x00" not in answer.understood and "\u202e" not in answer.understood
