"""`quydinh check` and `quydinh docs`, as a user runs them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from knowledge.notes import SHIPPED_NOTES
from knowledge.pack import SHIPPED_DOCUMENTS, load_pack

BAD_CASES = {
    "no_front_matter": (1, "thiếu phần đầu YAML"),
    "malformed_front_matter": (5, "phần đầu YAML sai cú pháp"),
    "missing_field": (1, "thiếu trường 'issuer'"),
    "unknown_status": (10, "trạng thái 'expired' không hợp lệ"),
    "skipped_number": (32, "số thứ tự không liên tục: gặp '4.', chờ '3.'"),
    "non_utf8": (21, "không phải UTF-8"),
    "duplicate_id": (1, "mã văn bản 'qd-900-2024' trùng với tệp a.md"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_check_reports_one_clear_message_with_file_and_line(case, data_dir, capsys):
    line, fragment = BAD_CASES[case]
    code = main(["check", str(data_dir / "bad" / case)])
    err = capsys.readouterr().err
    assert code == 1
    problems = [e for e in err.splitlines() if re.match(r".+\.md:\d+: ", e)]
    assert len(problems) == 1, err
    assert f".md:{line}: " in problems[0]
    assert fragment in problems[0]
    assert "Cách sửa:" in problems[0]
    assert "Traceback" not in err


def test_check_accepts_the_synthetic_regulation(data_dir, capsys):
    assert main(["check", str(data_dir / "synthetic")]) == 0
    assert "Bộ văn bản hợp lệ: 1 văn bản, 15 quy định." in capsys.readouterr().out


def test_check_on_a_missing_path_is_a_usage_error(capsys):
    assert main(["check", "khong-co-tep-nay.md"]) == 2
    assert "Không tìm thấy: khong-co-tep-nay.md" in capsys.readouterr().err


def test_check_passes_on_the_shipped_pack(capsys):
    assert main(["check"]) == 0
    assert "Bộ văn bản hợp lệ: 5 văn bản" in capsys.readouterr().out


def test_docs_lists_five_documents_with_validity_and_coverage(capsys):
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == {"qd-124-2023", "qd-125-2023", "hd-25-2023", "qd-366-2025", "hd-43-2025"}
    assert "Đã bị thay thế bởi 366-QĐ/TW ngày 30/08/2025" in rows["qd-124-2023"]
    assert "Đã bị thay thế bởi 43-HD/BTCTW ngày 31/10/2025" in rows["hd-25-2023"]
    assert "Một phần không còn áp dụng" in rows["qd-125-2023"]
    assert "Còn hiệu lực" in rows["qd-366-2025"]
    assert re.search(r"\b\d+/19\b", rows["qd-124-2023"]), rows["qd-124-2023"]
    assert "bản tóm lược" in rows["qd-124-2023"]


def test_console_script_and_module_run_the_same_cli():
    bin_dir = Path(sys.executable).parent
    for cmd in ([str(bin_dir / "quydinh"), "docs"], [sys.executable, "-m", "assistant", "docs"]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "qd-124-2023" in done.stdout


def test_unknown_command_exits_2(capsys):
    assert main(["khong-co-lenh"]) == 2


# --- the pack itself ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack():
    return load_pack(None, SHIPPED_DOCUMENTS)


def test_qd_124_keeps_all_19_articles(pack):
    articles = [p for p in pack.trees["qd-124-2023"].provisions if p.kind == "article"]
    assert [a.number for a in articles] == [str(n) for n in range(1, 20)]


def test_no_unverified_item_reaches_content():
    """Unverified points may be named in markers and notes ("> …"), never in content lines;
    square brackets only ever mark a descriptive title ("### 1.1. [Tên mô tả]")."""
    for path in [*SHIPPED_DOCUMENTS.glob("*.md"), *SHIPPED_NOTES.glob("*.md")]:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for line in body.splitlines():
            if line.startswith(">"):
                continue
            lowered = line.lower()
            assert "chưa xác minh" not in lowered, (path.name, line)
            assert "dự kiến" not in lowered, (path.name, line)
            descriptive = re.match(r"^(#{2,3} [\d.]+\.|\d+(\.\d+)?\.) \[[^\]]+\]$", line)
            assert "[" not in line or descriptive, (path.name, line)


def test_every_article_and_item_names_its_sources(pack):
    for provision in pack.provisions.values():
        if provision.kind in ("article", "item"):
            assert provision.sources, provision.id
            assert all(s.startswith("http") or "(" in s for s in provision.sources)


def test_replaced_documents_name_their_successor(pack):
    qd124, hd25 = pack.document("qd-124-2023"), pack.document("hd-25-2023")
    assert (qd124.replaced_by.id, str(qd124.replaced_by.date)) == ("qd-366-2025", "2025-08-30")
    assert (hd25.replaced_by.id, str(hd25.replaced_by.date)) == ("hd-43-2025", "2025-10-31")
    assert pack.document("qd-125-2023").status == "partly_inapplicable"


def test_provision_ids_follow_the_agreed_scheme(pack):
    pattern = re.compile(
        r"^(qd|hd)-\d+-\d{4}(/thong-tin|(/(chuong|muc)-[ivx]+)?(/(dieu-\d+|muc-\d+(\.\d+)?|"
        r"nhiem-vu-\d+|quan-he-\d+|noi-dung-\d+|khoan-\d+|diem-\d+\.\d+|tiet-[a-z]{1,2}))*)$"
    )
    for pid in pack.provisions:
        if pid.startswith("ghi-chu/"):
            assert re.match(r"^ghi-chu/[a-z0-9]+(-[a-z0-9]+)*$", pid), pid
        else:
            assert pattern.match(pid), pid
