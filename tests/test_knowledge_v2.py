"""Knowledge pack v2: the audit's fixes, caveats as data, commentary apart, the old→new map."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from knowledge.caveats import render_trust, trust_summary
from knowledge.notes import SHIPPED_NOTES
from knowledge.pack import load_pack
from knowledge.succession import SHIPPED_MAP
from knowledge.types import Confidence, ProvisionKind


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def trust(pack, pid: str) -> str:
    provision = pack[pid]
    return render_trust(trust_summary(provision, pack.document(provision.doc_id)))


# --- the digest fixes -----------------------------------------------------------------------


def test_article_12_clause_4_lists_collectives_and_the_individual_apart(pack):
    text = pack["qd-124-2023/dieu-12/khoan-4"].text
    collectives, individual = text.split("Trường hợp đối với cá nhân:")
    assert "Các trường hợp đối với tập thể:" in collectives
    assert "vi phạm những điều đảng viên không được làm" in individual
    assert "vi phạm những điều đảng viên không được làm" not in collectives
    cases = [line for line in collectives.splitlines() if line.startswith("- ")]
    assert len(cases) == 6
    # "mất đoàn kết nội bộ; có thành viên suy thoái…" is one case, not two
    assert sum("mất đoàn kết nội bộ" in c for c in cases) == 1
    assert any("mất đoàn kết nội bộ; có thành viên suy thoái" in c for c in cases)


def test_article_10_clause_1_follows_the_vietnamese_wording(pack):
    text = pack["qd-124-2023/dieu-10/khoan-1/diem-1.1"].text
    assert "thanh tra, kiểm tra, giám sát, kỷ luật" in text
    assert "quy chế, nội quy" in text


@pytest.mark.parametrize(
    ("pid", "kind", "fragment"),
    [
        ("qd-124-2023/dieu-9/khoan-1", Confidence.SINGLE, "một nguồn (Điều 9)"),
        ("qd-124-2023/dieu-15/khoan-2", Confidence.SINGLE, "một nguồn (Điều 15)"),
        ("qd-124-2023/dieu-12/khoan-1", Confidence.SINGLE_TRANSLATED, "trần 20%"),
        ("qd-124-2023/dieu-12/khoan-2", Confidence.SINGLE_TRANSLATED, "bản dịch"),
        ("qd-124-2023/dieu-12/khoan-3", Confidence.SINGLE_TRANSLATED, "bản dịch"),
        ("qd-124-2023/dieu-13", Confidence.SINGLE_TRANSLATED, "Điều 13"),
        ("qd-125-2023/muc-iii/nhiem-vu-1", Confidence.SINGLE, "sáu nhóm nhiệm vụ"),
        ("hd-25-2023/muc-3", Confidence.SINGLE, "Mục 3"),
        ("hd-25-2023/muc-5/muc-5.2", Confidence.SINGLE, "15/02"),
        ("qd-366-2025/dieu-11/khoan-2", Confidence.SINGLE_TRANSLATED, "tiếng Nhật"),
        ("qd-366-2025/dieu-11/khoan-3", Confidence.SINGLE_TRANSLATED, "tiếng Nhật"),
    ],
)
def test_single_source_facts_carry_their_caveat(pack, pid, kind, fragment):
    assert pack[pid].confidence is kind
    line = trust(pack, pid)
    assert line.startswith("Bản tóm lược · ")
    assert fragment in line, line


def test_well_attested_provisions_show_no_single_source_caveat(pack):
    assert pack["qd-124-2023/dieu-5/khoan-2/diem-2.1"].confidence is Confidence.MULTI
    assert "một nguồn" not in trust(pack, "qd-124-2023/dieu-5/khoan-2/diem-2.1")
    # a child with two sources under a section whose title rests on one
    assert pack["hd-25-2023/muc-5/muc-5.1"].confidence is Confidence.MULTI


def test_a_parent_shows_the_caveats_of_its_parts(pack):
    line = trust(pack, "qd-124-2023/dieu-12")
    assert "(Điều 12, khoản 2)" in line and "(Điều 12, khoản 1)" in line


def test_front_matter_facts_from_one_source_say_so_in_the_info_block(pack):
    info = pack["qd-125-2023/thong-tin"].text
    assert "Người ký: Trương Thị Mai (một nguồn)." in info
    assert "Thay thế: Quy định 97-QĐ/TW ngày 22/3/2004 của Ban Bí thư khóa IX (một nguồn)." in info
    assert "15 điều" in info and "(một nguồn)." in info.split("Bố cục:")[1].splitlines()[0]
    assert "Người ký: Hoàng Đăng Quang (một nguồn)." in pack["hd-25-2023/thong-tin"].text


@pytest.mark.parametrize(
    "pid",
    [
        "hd-25-2023/muc-1/muc-1.1",
        "hd-25-2023/muc-1/muc-1.2",
        "hd-25-2023/muc-1/muc-1.3",
        "hd-25-2023/muc-5/muc-5.1",
        "hd-25-2023/muc-5/muc-5.2",
        "hd-25-2023/muc-7/muc-7.5",
        "qd-124-2023/dieu-6/khoan-1/diem-1.3",
    ],
)
def test_descriptive_labels_are_never_shown_as_official_titles(pack, pid):
    provision = pack[pid]
    assert provision.title and provision.title_descriptive
    article = pack.article_of(provision)
    assert f"{provision.title} (tên do bản tóm lược đặt)" in article.full_text


def test_qd_366_coverage_is_counted_out_of_its_19_articles(pack):
    coverage = pack.coverage("qd-366-2025")
    assert (coverage.with_content, coverage.total, coverage.unit) == (1, 19, "điều")
    assert coverage.unnumbered == 8
    assert "Chương II" in coverage.not_covered
    articles = [p for p in pack.trees["qd-366-2025"].provisions if p.kind is ProvisionKind.ARTICLE]
    assert [a.number for a in articles] == ["11"]  # the only confirmed number: none guessed


def test_hd_43_keeps_the_confirmed_number_7_12_and_counts_at_least_7_sections(pack):
    assert "hd-43-2025/muc-7/muc-7.12" in pack
    coverage = pack.coverage("hd-43-2025")
    assert coverage.at_least and coverage.total == 7
    assert "thay thế Hướng dẫn 25-HD/BTCTW" in pack["hd-43-2025/muc-7/muc-7.12"].text


def test_no_commentary_sits_under_a_document_id(pack):
    for pid, provision in pack.provisions.items():
        if pid.startswith("ghi-chu/"):
            continue
        text = provision.full_text
        assert "Kết luận 198-KL/TW ngày 08/10/2025 của Bộ Chính trị:" not in text, pid
        assert "Công văn 10072-CV/BTCTW ngày 06/11/2025" not in text, pid
        assert "bảng so sánh do dự án tổng hợp" not in " ".join(provision.notes), pid
    assert "qd-366-2025/chuong-iv/noi-dung-2" not in pack
    assert "hd-43-2025/noi-dung-6" not in pack


def test_companion_documents_are_notes_cited_as_the_digests_notes(pack):
    kl = pack["ghi-chu/kl-198-2025"]
    assert kl.kind is ProvisionKind.NOTE
    assert (
        kl.citation
        == "Kết luận 198-KL/TW ngày 08/10/2025 của Bộ Chính trị — Ghi chú của bản tóm lược"
    )
    assert "trước ngày 15 của tháng cuối mỗi quý" in kl.text
    cv = pack["ghi-chu/cv-10072-2025"]
    assert cv.confidence is Confidence.SINGLE
    assert "ghi-chu" not in [d.id for d in pack.documents]


# --- the old→new map ----------------------------------------------------------------------


def test_map_json_has_at_least_12_topics_with_both_sides_or_not_confirmed(capsys):
    assert main(["map", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    topics = data["topics"]
    assert len(topics) >= 12
    ids = {t["id"] for t in topics}
    for required in ("doi-tuong-kiem-diem", "noi-dung-kiem-diem", "cach-thuc-kiem-diem"):
        assert required in ids
    for required in ("khung-tieu-chi", "muc-xep-loai", "ty-le", "tham-quyen", "quy-trinh"):
        assert required in ids
    for required in ("thoi-han", "bieu-mau", "khieu-nai", "ho-so"):
        assert required in ids
    for topic in topics:
        for side in ("old", "new"):
            s = topic[side]
            assert (s["confirmed"] and s["provisions"] and s["summary"]) or (
                not s["confirmed"] and s["note"]
            ), (topic["id"], side)
    by_id = {t["id"]: t for t in topics}
    assert by_id["khieu-nai"]["new"]["confirmed"] is False
    # the score bands carry their caveat wherever they appear
    assert by_id["hoan-thanh-tot"]["new"]["caveats"]


def test_map_text_names_both_sides_and_says_it_is_a_note(capsys):
    assert main(["map"]) == 0
    out = capsys.readouterr().out
    assert "Điều 11, khoản 1 — Quy định 366-QĐ/TW" in out
    assert "ghi chú của bản tóm lược" in out


def test_each_topic_is_a_comparison_note(pack):
    note = pack["ghi-chu/so-sanh-hoan-thanh-xuat-sac"]
    assert note.citation.endswith("— Ghi chú của bản tóm lược")
    assert "Kỳ 2023–2024 (Điều 12, khoản 1 — Quy định 124-QĐ/TW)" in note.text
    assert "90 điểm" in note.text
    topics = pack.succession.topics_for("qd-124-2023/dieu-12/khoan-1/diem-1.1")
    assert topics[0].new.provisions[0] in (
        "qd-366-2025/dieu-11/khoan-1",
        "qd-366-2025/chuong-iii/noi-dung-3",
    )


# --- quydinh check on bad input -----------------------------------------------------------


def _copy_map(tmp_path: Path, edit) -> Path:
    target = tmp_path / "succession.yaml"
    target.write_text(edit(SHIPPED_MAP.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def _one_problem(capsys, path: Path) -> str:
    err = capsys.readouterr().err
    problems = [e for e in err.splitlines() if re.match(rf"{re.escape(str(path))}:\d+: ", e)]
    assert len(problems) == 1, err
    assert "Cách sửa:" in problems[0]
    assert "Traceback" not in err
    return problems[0]


def test_check_names_a_map_id_that_does_not_exist(tmp_path, capsys):
    path = _copy_map(
        tmp_path, lambda s: s.replace("[qd-124-2023/dieu-1]\n", "[qd-124-2023/dieu-99]\n", 1)
    )
    assert main(["check", "--map", str(path)]) == 1
    problem = _one_problem(capsys, path)
    assert f":{_line_of(path, '- id: ky-danh-gia')}: " in problem
    assert "'qd-124-2023/dieu-99' không có trong bộ văn bản" in problem


def test_check_names_a_topic_mapped_twice(tmp_path, capsys):
    path = _copy_map(tmp_path, lambda s: s.replace("- id: muc-dich", "- id: ky-danh-gia", 1))
    assert main(["check", "--map", str(path)]) == 1
    problem = _one_problem(capsys, path)
    assert "chủ đề 'ky-danh-gia' bị lặp" in problem
    assert f":{_line_of(path, '- id: ky-danh-gia') + 0}" in problem or "dòng" in problem


def test_check_names_an_unknown_caveat_kind_in_the_map(tmp_path, capsys):
    path = _copy_map(
        tmp_path,
        lambda s: s.replace(
            "      summary: Từ 70 đến dưới 90 điểm",
            '      caveat: "tin đồn — nghe nói"\n      summary: Từ 70 đến dưới 90 điểm',
            1,
        ),
    )
    assert main(["check", "--map", str(path)]) == 1
    assert "mức xác minh 'tin đồn'" in _one_problem(capsys, path)


def test_check_names_an_unknown_caveat_kind_in_a_document(tmp_path, capsys, data_dir):
    doc = tmp_path / "qd-900-2024.md"
    text = (data_dir / "synthetic" / "qd-900-2024.md").read_text(encoding="utf-8")
    doc.write_text(re.sub(r"(### Điều 1\..*\n)", r"\1> Mức xác minh: đồn đại\n", text, count=1))
    assert main(["check", str(doc)]) == 1
    problem = _one_problem(capsys, doc)
    assert "mức xác minh 'đồn đại' không có trong danh sách" in problem
    assert "nhiều nguồn | một nguồn | một nguồn, bản dịch" in problem


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            lambda s: s.replace("id: kl-198-2025", "id: qd-366-2025/chuong-iv/noi-dung-2"),
            "mang mã như một quy định của văn bản",
        ),
        (
            lambda s: s.replace(
                "Kết luận 198-KL/TW ngày 08/10/2025 của Bộ Chính trị về",
                "### Điều 5. Kết luận 198-KL/TW về",
            ),
            "ghi chú có dòng mang dạng điều, khoản, mục",
        ),
        (lambda s: s.replace("kind: companion", "kind: provision"), "loại ghi chú 'provision'"),
    ],
)
def test_check_refuses_a_note_that_claims_to_be_a_provision(tmp_path, capsys, edit, fragment):
    notes = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, notes)
    note = notes / "kl-198-2025.md"
    note.write_text(edit(note.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["check", "--notes", str(notes)]) == 1
    err = capsys.readouterr().err
    assert fragment in err
    assert re.search(rf"{re.escape(str(note))}:\d+: ", err)
    assert "Cách sửa:" in err and "Traceback" not in err


def test_check_passes_on_the_shipped_pack_with_notes_and_map(capsys):
    assert main(["check"]) == 0
    assert "ghi chú và bản đồ cũ→mới" in capsys.readouterr().out


def test_docs_shows_coverage_against_the_real_document_with_caveat_counts(capsys):
    assert main(["docs", "-v"]) == 0
    out = capsys.readouterr().out
    assert "Quy định 366-QĐ/TW: 1/19 điều có nội dung · 8 nội dung chưa rõ số điều" in out
    assert "Có ý chỉ dựa trên một nguồn:" in out
    assert "10/11 điều" not in out
