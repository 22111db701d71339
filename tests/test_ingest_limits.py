"""Limits and bad input: each refusal is one Vietnamese message, nothing is written and the
index is unchanged (checked by `refused`), and the limit is stated in the message."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_support import refused
from test_ingest import numbered, official_dir, qd_124, write_txt

from assistant.cli import main
from assistant.settings import Settings
from knowledge.ingest import (
    IngestError,
    IngestFailure,
    Limits,
    build_lock_holder,
    build_lock_path,
    ingest_file,
)
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


def test_a_number_of_one_document_with_the_title_of_another_is_refused(tmp_path, capsys):
    doc = qd_124()  # Số 124-QĐ/TW …
    doc.title = [
        "QUY ĐỊNH",
        "về chức năng, nhiệm vụ, mối quan hệ công tác của đảng bộ, chi bộ cơ sở",
        "trong các đơn vị sự nghiệp công lập",
    ]  # … with the title of QĐ 125
    source = write_txt(doc, tmp_path / "nham.txt")

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "ghi số 124-QĐ/TW (qd-124-2023)" in err
    assert "là tên của Quy định 125-QĐ/TW (qd-125-2023)" in err
    assert "số hiệu hoặc tên văn bản bị nhầm" in err


def test_a_successor_with_nearly_the_same_title_is_not_a_mismatch(tmp_path):
    # QĐ 124's and QĐ 366's titles differ by two words: the number decides, not the title.
    doc = qd_124()
    doc.title = [
        "QUY ĐỊNH",
        "về kiểm điểm và đánh giá, xếp loại chất lượng",
        "đối với tập thể, cá nhân trong hệ thống chính trị",
    ]
    report = ingest_file(write_txt(doc, tmp_path / "qd124.txt"), official_dir=official_dir())
    assert report.doc_id == "qd-124-2023"


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


def hold_build_lock(index: Path):
    """Hold the index build lock as a rebuild in another process would (flock)."""
    index.mkdir(parents=True, exist_ok=True)
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(build_lock_path(index))!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, b'pid %d quydinh index --rebuild' % os.getpid())\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_ingest_and_remove_are_refused_while_the_index_is_being_rebuilt(tmp_path, capsys):
    holders = []
    try:
        start = lambda: holders.append(hold_build_lock(Settings().index_path))  # noqa: E731
        source = write_txt(qd_124(), tmp_path / "moi.txt")
        err = refused(["ingest", str(source)], tmp_path, capsys, then=start)
        assert "Chỉ mục tìm kiếm đang được xây dựng lại" in err
        assert f"pid {holders[0].pid} quydinh index --rebuild" in err
        assert main(["ingest", "--remove", "qd-124-2023"]) == 1
        assert "đang được xây dựng lại" in capsys.readouterr().err
        assert (official_dir() / "qd-124-2023.md").is_file()
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()


def test_a_lock_file_left_by_a_crashed_build_does_not_block(tmp_path):
    index = Settings().index_path
    index.mkdir(parents=True)
    build_lock_path(index).write_text("pid 999999999 quydinh index --rebuild", encoding="utf-8")

    report = ingest_file(
        write_txt(qd_124(), tmp_path / "qd124.txt"), official_dir=official_dir(), index_dir=index
    )

    assert report.path.is_file()


@pytest.mark.slow
def test_an_upload_during_a_real_rebuild_is_refused(tmp_path):
    # A one-document pack (the synthetic QĐ 900) keeps the build short.
    synthetic = Path(__file__).parent / "data" / "synthetic"
    env = {
        **os.environ,
        "QUYDINH_DATA_DIR": str(Settings().data_dir),
        "QUYDINH_DOCUMENTS_DIR": str(synthetic),
    }
    build = subprocess.Popen(
        [sys.executable, "-m", "assistant", "index", "--rebuild"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Until the rebuild holds the lock (a lock file left by an earlier build is not held).
        while build.poll() is None and build_lock_holder(Settings().index_path) is None:
            time.sleep(0.05)
        with pytest.raises(IngestError) as caught:
            ingest_file(
                write_txt(qd_124(), tmp_path / "qd124.txt"),
                official_dir=official_dir(),
                index_dir=Settings().index_path,
            )
        assert build.wait() == 0
        assert caught.value.failure is IngestFailure.INDEX_BUSY
    finally:
        build.kill()
        build.wait()


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


def test_a_picture_too_big_for_a_page_is_refused(tmp_path, capsys):
    from PIL import Image

    source = tmp_path / "khong-lo.png"
    Image.new("1", (20_000, 10_000), 1).save(source)  # 200 million pixels, a few kB

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "quá lớn cho một trang văn bản" in err and "300 dpi" in err
