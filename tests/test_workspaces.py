"""The workspaces on the shipped pack: every statement cited, every citation in the pack, every
word from the cited provision (apart from the fixed phrases), and what each workspace says."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from assistant.cited import CitedDocument, Section, Statement
from assistant.workspaces import (
    WorkspaceError,
    build_brief,
    build_comparison,
    build_guide,
    build_lesson,
    context,
    phrases,
)
from assistant.workspaces.cases import ORGS, ROLES
from assistant.workspaces.check import problems, unsupported
from knowledge.pack import load_pack
from knowledge.types import Coverage

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def ctx():
    return context(load_pack(), today=TODAY)


def texts(doc: CitedDocument) -> list[str]:
    return [s.text for s in doc.statements()]


def titles(doc: CitedDocument) -> list[str]:
    out, stack = [], list(doc.sections)
    while stack:
        section = stack.pop(0)
        out.append(section.title)
        stack = section.subsections + stack
    return out


@pytest.fixture(scope="module")
def documents(ctx) -> list[CitedDocument]:
    return list(all_documents(ctx))


def all_documents(ctx):
    ids = [d.id for d in ctx.pack.documents]
    yield from (build_brief(ctx, [d]) for d in ids)
    yield build_brief(ctx, ["qd-124-2023", "hd-25-2023"], ["bieu-mau", "thời hạn"])
    yield from (build_lesson(ctx, d, 50, seed)[1] for d in ids for seed in (0, 1))
    yield build_comparison(ctx, "qd-124-2023", "qd-366-2025")[1]
    yield build_comparison(ctx, "hd-25-2023", "hd-43-2025")[1]
    for org, role, year in itertools.product(ORGS, ROLES, (2024, 2025)):
        yield build_guide(ctx, org.id, role.id, year, public_unit=True).document


# --- the rule every workspace keeps ------------------------------------------------------------


def test_every_statement_is_cited_to_the_pack_in_the_words_of_the_cited_provision(ctx, documents):
    checked = 0
    for doc in documents:
        assert doc.statements(), doc.title
        assert problems(doc, ctx.pack) == [], doc.title
        checked += len(doc.statements())
    assert checked > 3000


def test_no_section_says_the_same_thing_twice(documents):
    """(Quiz options excepted: "A. Đúng" is an option of many questions.)"""
    for doc in documents:
        stack = [s for s in doc.sections if s.title != phrases.QUIZ]
        while stack:
            section = stack.pop(0)
            said = [(s.kind, s.text, tuple(s.citations)) for s in section.statements]
            twice = {x[1] for x in said if said.count(x) > 1}
            assert not twice, (doc.title, section.title, twice)
            stack += section.subsections


def test_every_cited_provision_is_listed_once_as_a_source_with_its_validity(ctx, documents):
    for doc in documents:
        ids = [s.id for s in doc.sources]
        assert ids == doc.cited_ids()
        for source in doc.sources:
            document = ctx.pack.document(ctx.pack[source.id].doc_id)
            assert source.label == ctx.pack[source.id].citation
            assert bool(source.validity) == (
                not document.is_notes and document.status.value != "in_force"
            )


def test_the_check_rejects_words_the_cited_provision_does_not_hold(ctx):
    invented = Statement(
        text="Đảng viên được miễn kiểm điểm khi có 10 năm tuổi đảng.",
        citations=["qd-124-2023/dieu-5/khoan-2/diem-2.1"],
    )
    assert unsupported(invented, ctx.pack)
    wrong_source = Statement(
        text="Mẫu 2C dành cho đảng viên không làm việc trong hệ thống chính trị",
        citations=["hd-25-2023/muc-2"],
    )
    assert unsupported(wrong_source, ctx.pack)
    right = wrong_source.model_copy(update={"citations": ["hd-43-2025/noi-dung-2"]})
    assert unsupported(right, ctx.pack) == []
    doc = CitedDocument(
        title="x", sections=[Section(title="y", statements=[Statement(text="Không."), invented])]
    )
    found = problems(doc, ctx.pack)
    assert any("không có trích dẫn" in p for p in found)
    assert any("10 năm tuổi đảng" in p for p in found)


# --- Bản tin ----------------------------------------------------------------------------------


def test_briefing_says_what_the_document_is_its_validity_and_what_changed(ctx):
    doc = build_brief(ctx, ["qd-124-2023"])
    assert titles(doc)[:1] == [phrases.BRIEF_ABOUT]
    for wanted in (phrases.BRIEF_POINTS, phrases.BRIEF_NUMBERS, phrases.BRIEF_CHANGES):
        assert wanted in titles(doc)
    shown = texts(doc)
    assert "Tình trạng: đã được thay thế bởi 366-QĐ/TW ngày 30/08/2025." in shown
    assert any(t.startswith("Khung tiêu chí đánh giá: Chuyển sang chấm điểm 100") for t in shown)
    assert any("đã được thay thế bởi Quy định 366-QĐ/TW" in n for n in doc.notices)
    quotes = [s for s in doc.statements() if s.kind == "quote"]
    assert quotes and all(s.text_kind == "digest" for s in quotes)
    weak = [s for s in quotes if "20%" in s.text]
    assert weak and weak[0].caveat.startswith("một nguồn, bản dịch")


def test_briefing_on_a_topic_keeps_to_the_topic(ctx):
    doc = build_brief(ctx, ["hd-25-2023"], ["bieu-mau"])
    assert doc.subtitle == "Chủ đề: Biểu mẫu bản kiểm điểm"
    points = next(s for s in doc.sections if s.title == phrases.BRIEF_POINTS)
    cited = {c for s in points.subsections[0].statements for c in s.citations}
    assert cited == {"hd-25-2023/muc-2"}


def test_briefing_on_a_document_without_a_successor_says_it_is_not_in_the_map(ctx):
    doc = build_brief(ctx, ["qd-125-2023"])
    assert "Quy định 125-QĐ/TW không có trong bản đồ cũ→mới." in texts(doc)


def test_briefing_refuses_unknown_documents_and_topics_with_the_known_ones(ctx):
    with pytest.raises(WorkspaceError, match="Không có văn bản 'qd-999'.*qd-124-2023"):
        build_brief(ctx, ["qd-999"])
    with pytest.raises(WorkspaceError, match="Không có chủ đề 'xổ số'.*bieu-mau"):
        build_brief(ctx, ["qd-366-2025"], ["xổ số"])
    with pytest.raises(WorkspaceError, match="ít nhất một văn bản"):
        build_brief(ctx, [])


def test_a_document_can_be_named_by_its_number(ctx):
    assert build_brief(ctx, ["QĐ 366"]).title == "Bản tin: Quy định 366-QĐ/TW"
    assert build_brief(ctx, ["43"]).title == "Bản tin: Hướng dẫn 43-HD/BTCTW"


# --- Bài giảng: the outline ---------------------------------------------------------------------


def test_outline_goes_by_chapter_and_article_and_says_what_the_digest_lacks(ctx):
    _, doc = build_lesson(ctx, "qd-366-2025", 5, 0)
    outline = doc.sections[0]
    assert outline.title == phrases.OUTLINE
    assert [s.title for s in outline.subsections] == [
        "Chương I",
        "Chương II",
        "Chương III",
        "Chương IV",
    ]
    chapter_two = outline.subsections[1]
    assert chapter_two.statements[0].text.startswith("Chương II — Quy định 366-QĐ/TW — chưa có")
    articles = [s.title for s in outline.subsections[2].subsections]
    assert "Điều 11" in articles
    placeholder = "qd-366-2025/dieu-11/khoan-4"
    said = [s for s in doc.statements() if placeholder in s.citations]
    assert [s.kind for s in said] == ["note"]
    assert ctx.pack[placeholder].coverage is Coverage.NONE


# --- So sánh -------------------------------------------------------------------------------------


def test_comparison_rows_have_both_sides_cited_and_say_chua_xac_minh(ctx):
    comparison, doc = build_comparison(ctx, "qd-124-2023", "qd-366-2025")
    assert len(comparison.rows) == len(doc.sections) >= 15
    row = next(r for r in comparison.rows if r.topic_id == "hoan-thanh-xuat-sac")
    assert "qd-124-2023/dieu-12/khoan-1" in row.citations
    assert "qd-366-2025/dieu-11/khoan-1" in row.citations
    assert row.new.startswith("Từ 90 điểm trở lên")
    unconfirmed = next(r for r in comparison.rows if r.topic_id == "quy-trinh")
    assert unconfirmed.new.startswith("Chưa xác minh:")
    section = doc.sections[comparison.rows.index(unconfirmed)]
    assert any(s.kind == "note" and "Chưa xác minh" in s.text for s in section.statements)


def test_comparison_in_the_wrong_order_is_turned_round_and_an_unmapped_pair_refused(ctx):
    comparison, doc = build_comparison(ctx, "hd-43-2025", "hd-25-2023")
    assert doc.title == "So sánh Hướng dẫn 25-HD/BTCTW và Hướng dẫn 43-HD/BTCTW"
    assert doc.notices[0].startswith("Hướng dẫn 43-HD/BTCTW là văn bản mới")
    with pytest.raises(WorkspaceError, match="không so sánh Quy định 124-QĐ/TW với Hướng dẫn 43"):
        build_comparison(ctx, "qd-124-2023", "hd-43-2025")


# --- Trường hợp của tôi ---------------------------------------------------------------------------


def test_my_case_in_2025_uses_the_2025_documents_first_and_says_what_they_lack(ctx):
    guide = build_guide(ctx, "chi-bo-truc-thuoc", "dang-vien", 2025, public_unit=True)
    doc = guide.document
    assert guide.case["documents"] == ["qd-366-2025", "hd-43-2025"]
    shown = texts(doc)
    assert shown[0].startswith("Kỳ kiểm điểm, đánh giá, xếp loại năm 2025 trở đi dùng Quy định 366")
    assert "Mỗi cá nhân làm bản tự kiểm điểm theo một trong các mẫu 2A, 2B, 2C." in shown
    assert any("chưa xác minh được mỗi mẫu 2A, 2B dùng cho nhóm cá nhân nào" in t for t in shown)
    assert (
        "Ban thường vụ cấp ủy cấp trên trực tiếp xem xét, quyết định mức xếp loại tổ chức đảng."
        in shown
    )
    # The annual deadline of 2025 is not in the digest: said, then 2023–2024 for reference only.
    assert any(t.startswith("Từ kỳ 2025: Chưa xác minh: Thời hạn hoàn thành") for t in shown)
    assert phrases.GUIDE_REFERENCE.format(year=2025) in titles(doc)
    # The 2025 level "Không hoàn thành nhiệm vụ" has no content: no 2023 cases put in its place.
    levels = titles(doc)
    assert levels.count("Không hoàn thành nhiệm vụ") == 2
    assert not any("qd-124-2023/dieu-12" in c for s in doc.statements() for c in s.citations)
    # Public service unit: QĐ 125, with its validity.
    assert any("Quy định 125-QĐ/TW: Chưa tìm thấy văn bản thay thế" in n for n in doc.notices)


def test_my_case_in_2024_uses_the_2023_documents_with_their_validity(ctx):
    guide = build_guide(ctx, "chi bộ trực thuộc đảng ủy cơ sở", "đảng viên", "2024")
    doc = guide.document
    shown = texts(doc)
    form = (
        "Mẫu 02A (ký hiệu 02A-HD KĐ.ĐG 2023) là bản kiểm điểm cá nhân dành cho người không giữ "
        "chức vụ lãnh đạo, quản lý."
    )
    assert form in shown
    assert not any(t.startswith("Mẫu 02B") for t in shown)  # that form is for leaders
    # The branch's own case of HD 25 Mục 3, not the other two.
    assert any(t.startswith("Đảng ủy bộ phận, chi ủy trực thuộc đảng ủy cơ sở") for t in shown)
    assert not any(t.startswith("Cấp ủy cơ sở trực thuộc trực tiếp tỉnh ủy") for t in shown)
    assert not any("hd-43-2025" in c for s in doc.statements() for c in s.citations)
    assert any("Hướng dẫn 25-HD/BTCTW đã được thay thế" in n for n in doc.notices)
    assert guide.questions[0] == (
        "Tôi là đảng viên không giữ chức vụ lãnh đạo, quản lý ở chi bộ trực thuộc đảng ủy cơ "
        "sở, kỳ năm 2024 ai quyết định xếp loại tôi?"
    )


def test_my_case_for_a_leader_shows_the_leaders_form_and_criteria(ctx):
    doc = build_guide(ctx, "chi-bo-co-so", "bí thư chi bộ", 2024).document
    shown = texts(doc)
    assert any(t.startswith("Mẫu 02B") for t in shown)
    assert not any(t.startswith("Mẫu 02A") for t in shown)
    assert any(t.startswith("Với cán bộ lãnh đạo, quản lý: ngoài các yêu cầu chung") for t in shown)


def test_my_case_refuses_what_the_documents_do_not_describe(ctx):
    with pytest.raises(WorkspaceError, match="không mô tả vai trò 'tài xế'.*dang-vien"):
        build_guide(ctx, "chi-bo-co-so", "tài xế", 2025)
    with pytest.raises(WorkspaceError, match="không mô tả loại tổ chức 'công đoàn'"):
        build_guide(ctx, "công đoàn", "dang-vien", 2025)
    with pytest.raises(WorkspaceError, match="chỉ có quy định cho các kỳ từ năm 2023"):
        build_guide(ctx, "chi-bo-co-so", "dang-vien", 2020)
    with pytest.raises(WorkspaceError, match="Năm 2030 chưa tới"):
        build_guide(ctx, "chi-bo-co-so", "dang-vien", 2030)
    with pytest.raises(WorkspaceError, match="không hợp lệ"):
        build_guide(ctx, "chi-bo-co-so", "dang-vien", "năm ngoái nữa")


def test_my_case_now_means_this_year(ctx):
    assert build_guide(ctx, "chi-bo-co-so", "dang-vien", "nay").case["year"] == TODAY.year
