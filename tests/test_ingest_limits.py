"""Limits and bad input: each refusal is one Vietnamese message, nothing is written and the
index is unchanged (checked by `refused`), and the limit is stated in the message."""

from __future__ import annotations

import pytest
from ingest_support import refused
from test_ingest import numbered, official_dir, qd_124, write_txt

from knowledge.ingest import IngestError, IngestFailure, Limits, ingest_file
from knowledge.ingest.ocrfix import fix_structural_words


def test_a_300_page_pdf_is_refused_before_it_is_read(tmp_path, capsys):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(300):
        writer.add_blank_page(width=595, height=842)
    source = tmp_path / "luu-tru.pdf"
    writer.write(str(source))

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "có 300 trang, vượt giới hạn 200 trang cho một văn bản" in err
    assert "nhận dạng chữ" not in err  # refused before any page was recognised


def test_a_50_mb_text_is_refused_before_it_is_read(tmp_path, capsys):
    source = tmp_path / "khong-lo.txt"
    with source.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "nặng 50,0 MB, vượt giới hạn 20 MB" in err
    assert "tối đa 200 trang, 1.000.000 ký tự, 5.000 quy định" in err
    assert "chưa đọc nội dung tệp" in err


def test_too_many_characters_are_refused_before_the_layout_is_read(tmp_path, capsys):
    doc = qd_124()
    doc.body.insert(4, "Lời văn rất dài. " * 70_000)  # 1.2 million characters, 1.2 MB
    source = write_txt(doc, tmp_path / "dai.txt")

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "có 1.192.536 ký tự, vượt giới hạn 1.000.000 ký tự cho một văn bản" in err


def test_too_many_provisions_are_refused(tmp_path, capsys):
    doc = qd_124()
    at = doc.body.index("Điều 4. Căn cứ đánh giá")
    doc.body[at:at] = [f"{n}. Khoản thứ {n}." for n in range(3, 5_100)]
    source = write_txt(doc, tmp_path / "nhieu.txt")

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "quy định (điều, khoản, điểm, tiết), vượt giới hạn 5.000 quy định" in err


def test_limits_are_settings_of_the_library(tmp_path):
    source = write_txt(qd_124(), tmp_path / "qd124.txt")

    with pytest.raises(IngestError) as caught:
        ingest_file(source, official_dir=official_dir(), limits=Limits(max_provisions=10))

    assert caught.value.failure is IngestFailure.TOO_LARGE
    assert "vượt giới hạn 10 quy định" in str(caught.value)


def test_a_text_with_no_mark_of_a_party_document_is_refused(tmp_path, capsys):
    source = tmp_path / "thu.txt"
    source.write_text(
        "Kính gửi anh chị,\nCuộc họp phụ huynh sẽ diễn ra vào thứ bảy.\nTrân trọng.\n",
        encoding="utf-8",
    )

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "không phải văn bản của Đảng" in err


def test_a_number_alone_still_names_the_document(tmp_path, capsys):
    # Not the "not a party document" refusal: a number is a mark of one.
    err = refused(
        ["ingest", str(write_txt(numbered("999-QĐ/TW"), tmp_path / "a.txt"))], tmp_path, capsys
    )
    assert "Văn bản số 999-QĐ/TW" in err and "không phải văn bản của Đảng" not in err


def test_ocr_accent_errors_are_fixed_only_where_the_layout_expects_the_word():
    lines = [
        "Diều 5. Đối tượng kiểm điểm",  # article heading
        "ĐIÊU 12. TIÊU CHÍ XẾP LOẠI",
        "Chuong lII",  # chapter with a misread numeral
        "Khoàn 2. Nội dung",
        "Tiêt a) chi bộ cơ quan;",
        "Noi nhận:",
        "QUY ĐINH",
        "ĐẲNG CỘNG SẢN VIỆT NAM",
        "Hà Nội, ngảy 04 thảng 10 nàm 2023",
        "Số 124-QĐĐ/TW",
        # Running text keeps what the scan says:
        "khoàn 2 Điều 3 của Quy định này;",
        "Khoán 5 triệu đồng cho mỗi chi bộ",
        "Diều 5 của Điều lệ Đảng",
        "ngày 04 thảng 10 năm 2023 theo đề nghị",
    ]

    fixed, count = fix_structural_words(lines)

    assert fixed == [
        "Điều 5. Đối tượng kiểm điểm",
        "ĐIỀU 12. TIÊU CHÍ XẾP LOẠI",
        "Chương III",
        "Khoản 2. Nội dung",
        "Tiết a) chi bộ cơ quan;",
        "Nơi nhận:",
        "QUY ĐỊNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Hà Nội, ngày 04 tháng 10 năm 2023",
        "Số 124-QĐ/TW",
        *lines[10:],
    ]
    assert count == 10
