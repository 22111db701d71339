"""`quydinh brief | quiz | compare | guide`, as a user runs them: text, --json, --out, progress
on stderr and clear messages for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from assistant.cli import main
from knowledge.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def statements(data: dict) -> list[dict]:
    out, stack = [], list(data["sections"])
    while stack:
        section = stack.pop(0)
        out += section["statements"]
        stack = section["subsections"] + stack
    return out


def test_brief_prints_a_cited_briefing_with_progress_on_stderr(capsys):
    code, out, err = run(capsys, "brief", "qd-366-2025")
    assert code == 0
    assert out.startswith("BẢN TIN: QUY ĐỊNH 366-QĐ/TW")
    assert "■ Những gì thay đổi từ 2023 đến 2025" in out
    assert "Nguồn trích dẫn:" in out and "[1] Thông tin văn bản — Quy định 366-QĐ/TW" in out
    assert "… Câu trích dẫn (5/5)" in err


def test_brief_json_gives_every_statement_its_citations(capsys):
    code, out, err = run(capsys, "brief", "qd-124-2023", "hd-25-2023", "--json")
    assert code == 0
    data = json.loads(out)  # progress went to stderr, not into the JSON
    pack = load_pack()
    said = statements(data)
    assert len(said) > 50
    assert all(s["citations"] and all(c in pack for c in s["citations"]) for s in said)
    assert {s["id"] for s in data["sources"]} == {c for s in said for c in s["citations"]}


def test_quiz_json_is_questions_with_options_answer_and_citations(capsys):
    code, out, _ = run(capsys, "quiz", "qd-124-2023", "-n", "6", "--seed", "5", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["document"] == "qd-124-2023" and data["seed"] == 5
    assert len(data["questions"]) == 6
    for q in data["questions"]:
        assert set(q) == {"question", "options", "answer", "citations"}
        assert q["answer"] in q["options"] and q["citations"]
    again = json.loads(run(capsys, "quiz", "qd-124-2023", "-n", "6", "--seed", "5", "--json")[1])
    assert again == data


def test_quiz_text_shows_the_questions_then_the_answer_key(capsys):
    code, out, _ = run(capsys, "quiz", "hd-25-2023", "-n", "3", "--seed", "2")
    assert code == 0
    assert out.index("■ Câu hỏi kiểm tra") < out.index("■ Đáp án")
    assert "  Câu 1. Theo " in out and "  ✔ Câu 3: " in out


def test_compare_json_is_rows_of_topic_old_new_and_citations(capsys):
    code, out, _ = run(capsys, "compare", "qd-124-2023", "qd-366-2025", "--json")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert len(rows) >= 15
    for row in rows:
        assert {"topic", "old", "new", "citations"} <= set(row)
        assert row["citations"]
    assert any(r["new"].startswith("Chưa xác minh") for r in rows)


def test_guide_prints_the_case_and_how_to_ask_the_chat(capsys):
    code, out, _ = run(
        capsys, "guide", "--org", "chi bộ trực thuộc đảng ủy cơ sở", "--role", "đảng viên",
        "--year", "2025", "--public-unit", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["case"] == {
        "org": "chi-bo-truc-thuoc",
        "role": "dang-vien",
        "year": 2025,
        "public_unit": True,
        "documents": ["qd-366-2025", "hd-43-2025"],
    }
    assert data["questions"][0].startswith("Tôi là đảng viên không giữ chức vụ lãnh đạo")
    assert all(s["citations"] for s in statements(data))


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_out_writes_the_document(capsys, tmp_path, suffix):
    target = tmp_path / f"so-sanh{suffix}"
    code, _, err = run(capsys, "compare", "hd-25-2023", "hd-43-2025", "--out", str(target))
    assert code == 0
    assert f"Đã ghi {target}." in err
    assert target.stat().st_size > 1000
    if suffix == ".docx":
        assert docx.Document(str(target)).paragraphs[0].text.startswith("So sánh Hướng dẫn 25")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["brief", "qd-999-2030"], "Không có văn bản 'qd-999-2030' trong bộ văn bản"),
        (["brief", "qd-366-2025", "--topic", "xổ số"], "Không có chủ đề 'xổ số'"),
        (["quiz", "qd-124-2023", "-n", "0"], "Số câu hỏi phải từ 1 đến 50 (đã nhập 0)"),
        (["quiz", "qd-124-2023", "-n", "500"], "Số câu hỏi phải từ 1 đến 50 (đã nhập 500)"),
        (["compare", "qd-124-2023", "hd-43-2025"], "Bản đồ cũ→mới không so sánh"),
        (["guide", "--org", "chi-bo-co-so", "--role", "thủ quỹ"], "không mô tả vai trò 'thủ quỹ'"),
        (
            ["guide", "--org", "hội cựu chiến binh", "--role", "dang-vien"],
            "không mô tả loại tổ chức",
        ),
        (["brief", "qd-366-2025", "--out", "ban-tin.txt"], "phải có đuôi .md, .docx hoặc .pdf"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: ") and message in err
    assert "Traceback" not in err


def test_an_output_path_that_cannot_be_written_is_exit_1_with_nothing_left(capsys, tmp_path):
    target = tmp_path / "khong-co" / "ban-tin.pdf"
    code, out, err = run(capsys, "brief", "qd-366-2025", "--out", str(target))
    assert code == 1
    assert out == ""  # refused before any work
    assert f"Không ghi được tệp {target}: thư mục không tồn tại" in err
    assert not target.parent.exists()


def test_the_installed_command_runs_a_workspace(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "quiz", "hd-43-2025", "-n", "2", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "QUYDINH_DATA_DIR": str(tmp_path), "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["questions"]) == 2
