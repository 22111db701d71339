"""The canonical format parsed into provisions: ids, labels, tree and coverage."""

from __future__ import annotations

import pytest

from knowledge.errors import KnowledgeError
from knowledge.parser import parse_file, parse_text
from knowledge.types import Coverage, ProvisionKind


def test_synthetic_regulation_in_official_layout(data_dir):
    tree = parse_file(data_dir / "synthetic" / "qd-900-2024.md")
    by_id = {p.id: p for p in tree.provisions}
    assert tree.document.name == "Quy định 900-QĐ/TW"
    assert list(by_id) == [
        "qd-900-2024/thong-tin",
        "qd-900-2024/chuong-i",
        "qd-900-2024/dieu-1",
        "qd-900-2024/dieu-2",
        "qd-900-2024/dieu-2/khoan-1",
        "qd-900-2024/dieu-2/khoan-2",
        "qd-900-2024/dieu-2/khoan-2/diem-2.1",
        "qd-900-2024/dieu-2/khoan-2/diem-2.2",
        "qd-900-2024/dieu-2/khoan-2/diem-2.2/tiet-a",
        "qd-900-2024/dieu-2/khoan-2/diem-2.2/tiet-b",
        "qd-900-2024/dieu-2/khoan-2/diem-2.2/tiet-c",
        "qd-900-2024/dieu-2/khoan-3",
        "qd-900-2024/chuong-ii",
        "qd-900-2024/dieu-3",
        "qd-900-2024/dieu-4",
    ]
    tiet = by_id["qd-900-2024/dieu-2/khoan-2/diem-2.2/tiet-b"]
    assert tiet.citation == "Điều 2, khoản 2, điểm 2.2, tiết b — Quy định 900-QĐ/TW"
    assert tiet.text == "chi bộ trường học;"
    assert tiet.ancestor_ids == (
        "qd-900-2024/chuong-i",
        "qd-900-2024/dieu-2",
        "qd-900-2024/dieu-2/khoan-2",
        "qd-900-2024/dieu-2/khoan-2/diem-2.2",
    )
    assert tiet.kind is ProvisionKind.SUBPOINT
    article = by_id["qd-900-2024/dieu-2"]
    assert article.title == "Nguyên tắc"
    assert "2.2. Chi bộ được cấp ủy cấp trên chọn, gồm:\na) chi bộ cơ quan;" in article.full_text
    assert article.full_text.endswith(
        "3. Biên bản sinh hoạt gửi cấp ủy cấp trên trong 05 ngày làm việc."
    )
    not_covered = by_id["qd-900-2024/dieu-3"]
    assert not_covered.coverage is Coverage.NONE
    assert not_covered.coverage_note == "văn bản thử không có điều này."
    assert by_id["qd-900-2024/dieu-4"].notes == ("ghi chú cho người đọc.",)
    assert by_id["qd-900-2024/chuong-ii"].coverage is Coverage.PARTIAL


def test_info_provision_carries_the_metadata(data_dir):
    tree = parse_file(data_dir / "synthetic" / "qd-900-2024.md")
    info = tree.provisions[0]
    assert info.citation == "Thông tin văn bản — Quy định 900-QĐ/TW"
    assert "Ngày ký: 01/03/2024." in info.text
    assert "Người ký: Nguyễn Văn Thử." in info.text
    assert "Tình trạng: còn hiệu lực." in info.text


HEADER = """---
id: qd-901-2024
number: 901-QĐ/TW
kind: Quy định
title: Thử
issuer: Ban Thử
signer: null
signed: 2024-01-01
effective: null
status: in_force
applies_to: Thử.
text: official
---
"""


def test_guidance_sections_and_items_get_section_scoped_ids(tmp_path):
    text = HEADER.replace("Quy định", "Hướng dẫn").replace("qd-901", "hd-901") + (
        "## 1. Về đối tượng (Điều 5)\n\n### 1.1. Cấp ủy ở cơ sở\n\nNội dung.\n\n"
        "### 1.2. Trách nhiệm\n\n1. Khoản một.\na) Tiết a.\n\n"
        "## 2.\n\n> Chưa có nội dung: chưa có.\n"
    )
    tree = parse_text(text, tmp_path / "hd-901-2024.md")
    ids = [p.id for p in tree.provisions]
    assert ids == [
        "hd-901-2024/thong-tin",
        "hd-901-2024/muc-1",
        "hd-901-2024/muc-1/muc-1.1",
        "hd-901-2024/muc-1/muc-1.2",
        "hd-901-2024/muc-1/muc-1.2/khoan-1",
        "hd-901-2024/muc-1/muc-1.2/khoan-1/tiet-a",
        "hd-901-2024/muc-2",
    ]
    assert tree.provisions[2].citation == "Mục 1, tiểu mục 1.1 — Hướng dẫn 901-QĐ/TW"


def test_sections_with_ordinal_items(tmp_path):
    text = HEADER + (
        "## Mục III. Nhiệm vụ\n\n### Nhiệm vụ 1. Lãnh đạo A\n\nA.\n\n"
        "### Nhiệm vụ 2. Lãnh đạo B\n\n> Chưa đầy đủ: thiếu chi tiết.\nB.\n\n"
        "## Chương I.\n\n### Nội dung 1. Phạm vi\n\nC.\n"
    )
    # Mục III must be preceded by Mục I and II: numbering is checked.
    with pytest.raises(KnowledgeError) as exc:
        parse_text(text, tmp_path / "qd-901-2024.md")
    assert "Mục III" in str(exc.value)
    fixed = text.replace("## Mục III.", "## Mục I.")
    tree = parse_text(fixed, tmp_path / "qd-901-2024.md")
    by_id = {p.id: p for p in tree.provisions}
    item = by_id["qd-901-2024/muc-i/nhiem-vu-2"]
    assert item.citation == "Mục I, nhiệm vụ thứ 2 — Quy định 901-QĐ/TW"
    assert item.coverage is Coverage.PARTIAL
    assert item.coverage_note == "thiếu chi tiết."
    assert "qd-901-2024/chuong-i/noi-dung-1" in by_id


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("### Điều 1. A\n\nA.\n\n### Điều 3. C\n\nC.\n", 19, "chờ 'Điều 2'"),
        ("### Điều 1. A\n\n1. Một.\n1.2. Điểm sai.\n", 18, "chờ '1.1.'"),
        ("### Điều 1. A\n\n1. Một.\nb) Tiết sai.\n", 18, "chờ 'a)'"),
        ("### Điều 1. A\n\n### Điều 2. B\n\nB.\n", 15, "Điều 1 không có nội dung"),
        ("### Điều 1. A\n\nA.\n> Lời trích không rõ loại\n", 18, "không rõ loại"),
        ("Nội dung trước tiêu đề.\n", 15, "trước tiêu đề đầu tiên"),
        ("#### Điều 1. Sai cấp\n", 15, "tiêu đề không đúng định dạng"),
    ],
)
def test_body_problems_name_the_line_and_the_fix(tmp_path, body, line, fragment):
    with pytest.raises(KnowledgeError) as exc:
        parse_text(HEADER + "\n" + body, tmp_path / "qd-901-2024.md")
    problems = exc.value.problems
    assert len(problems) == 1
    assert problems[0].line == line
    assert fragment in problems[0].message
    assert "Cách sửa:" in str(problems[0])


def test_digest_articles_need_sources(tmp_path):
    text = HEADER.replace("text: official", "text: digest\nsources:\n  - https://a.example/x")
    with pytest.raises(KnowledgeError) as exc:
        parse_text(text + "\n### Điều 1. A\n\nA.\n", tmp_path / "qd-901-2024.md")
    assert "Điều 1 không có nguồn" in str(exc.value)
    tree = parse_text(
        text + "\n### Điều 1. A\n> Nguồn: https://a.example/y\n\nA.\n",
        tmp_path / "qd-901-2024.md",
    )
    assert tree.provisions[1].sources == ("https://a.example/y",)
