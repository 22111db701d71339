"""Shared by the ingest tests: a second synthetic regulation (QĐ 900, the parser's test
document) in the official layout, and the check that a refused file changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from test_ingest import OfficialDoc, official_dir, qd_124, snapshot, write_txt

from assistant.cli import main
from assistant.settings import Settings
from knowledge.pack import SHIPPED_DOCUMENTS

SYNTHETIC_DIGEST = Path(__file__).parent / "data" / "synthetic" / "qd-900-2024.md"

# Longer than the digest's tiết, so that a character-level accuracy means something.
TIET_900 = {
    "a": "a) chi bộ cơ quan đảng, cơ quan nhà nước, Mặt trận Tổ quốc và các đoàn thể chính trị "
    "- xã hội ở cấp tỉnh;",
    "b": "b) chi bộ trường học, gồm trường đại học, cao đẳng, trung học phổ thông có từ 15 đảng "
    "viên trở lên;",
    "c": "c) chi bộ bệnh viện và trung tâm y tế có tổ chức sinh hoạt chuyên đề ít nhất hai lần "
    "trong năm.",
}
IDS_900 = [
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


def qd_900() -> OfficialDoc:
    """tests/data/synthetic/qd-900-2024.md as its official text would be printed."""
    return OfficialDoc(
        header_left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN THỬ NGHIỆM", "*", "Số 900-QĐ/TW"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 01 tháng 3 năm 2024"],
        title=["QUY ĐỊNH", "thử nghiệm về sinh hoạt chi bộ mẫu"],
        preamble=["- Căn cứ Điều lệ Đảng;", "Ban Thử nghiệm quy định như sau:"],
        body=[
            "Chương I",
            "QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi điều chỉnh",
            "Quy định này quy định việc sinh hoạt chi bộ mẫu.",
            "Điều 2. Nguyên tắc",
            "1. Sinh hoạt chi bộ mẫu được tổ chức mỗi quý một lần.",
            "2. Chi bộ mẫu gồm:",
            "2.1. Chi bộ có từ 7 đảng viên trở lên;",
            "2.2. Chi bộ được cấp ủy cấp trên chọn, gồm:",
            *TIET_900.values(),
            "3. Biên bản sinh hoạt gửi cấp ủy cấp trên trong 05 ngày làm việc.",
            "Chương II",
            "TỔ CHỨC THỰC HIỆN",
            "Điều 3. Trách nhiệm",
            "Chi ủy các chi bộ mẫu chịu trách nhiệm thực hiện Quy định này.",
            "Điều 4. Hiệu lực thi hành",
            "Quy định có hiệu lực từ ngày 01/4/2024.",
        ],
        closing_left=["Nơi nhận:", "- Các chi bộ mẫu,", "- Lưu Ban Thử nghiệm."],
        closing_right=["T/M BAN THỬ NGHIỆM", "TRƯỞNG BAN", "Nguyễn Văn Thử"],
    )


def digest_dir_with_900(tmp_path: Path) -> Path:
    """The shipped digests plus QĐ 900, so that QĐ 900 can be ingested."""
    folder = tmp_path / "digests"
    shutil.copytree(SHIPPED_DOCUMENTS, folder)
    shutil.copy(SYNTHETIC_DIGEST, folder)
    return folder


def refused(
    args: list[str],
    tmp_path: Path,
    capsys,
    code: int = 1,
    then: Callable[[], object] | None = None,
) -> str:
    """Run `quydinh ingest …` after an earlier ingest and with an index folder in place (and
    after `then()`, e.g. a rebuild starting); check it exits with `code`, prints one error and
    no traceback, and changes no file of the official folder, the index or the shipped
    digests. Returns what it printed on stderr."""
    assert main(["ingest", str(write_txt(qd_124(), tmp_path / "old.txt"))]) == 0
    index = Settings().index_path
    index.mkdir(parents=True, exist_ok=True)
    (index / "chroma.sqlite3").write_bytes(b"index")
    if then is not None:
        then()
    before = snapshot(official_dir(), index, SHIPPED_DOCUMENTS)
    capsys.readouterr()

    assert main(args) == code

    err = capsys.readouterr().err
    assert err.count("Lỗi:") == 1, err
    assert "Traceback" not in err
    assert snapshot(official_dir(), index, SHIPPED_DOCUMENTS) == before
    return err
