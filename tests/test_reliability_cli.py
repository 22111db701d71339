"""The reliability battery's input cases for the command line: every bad input gets a message
and an exit code, never a traceback; nothing a user typed comes back as a raw terminal escape."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from evals.runner import MAX_QUESTION_FILE_BYTES

ROOT = Path(__file__).resolve().parents[1]
QUYDINH = Path(sys.executable).with_name("quydinh")

GOOD_CASE = """
- id: t-001
  question: "Những đảng viên nào không phải kiểm điểm?"
  answerable: true
  gold: ["qd-124-2023/dieu-5/khoan-2"]
  facts: [["miễn công tác"]]
  tags: [member, list]
"""


@pytest.fixture
def pack_env(pack_retriever, monkeypatch):
    """The shipped pack, indexed once per session, as the data folder of the CLI."""
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(pack_retriever.settings.data_dir))
    return pack_retriever.settings


def _run(*args: str | bytes, env: dict | None = None) -> subprocess.CompletedProcess:
    """`quydinh …` in its own process: what a user's terminal receives, as bytes."""
    return subprocess.run(
        [str(QUYDINH), *args],
        cwd=ROOT,
        env=os.environ | (env or {}),
        capture_output=True,
        timeout=600,
    )


# --- questions ------------------------------------------------------------------------------


def test_a_question_with_bytes_that_are_not_utf8_gets_a_message_under_json(pack_env):
    # A terminal in another encoding hands Python a lone surrogate for the byte 0xff.
    done = _run("ask", "--json", b"chi b\xff l\xe0 g\xec?")
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert "không phải UTF-8" in err
    assert done.stdout == b""


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize(
    "question", ["\x01\x02\x03", "\u200b\u200b\u200b", "\u200b \x7f \u2060\ufeff", "\x1b[2J"]
)
def test_a_question_of_control_or_zero_width_characters_is_empty(
    pack_env, command, question, capsys
):
    assert main([command, question]) == 2
    captured = capsys.readouterr()
    assert "Câu hỏi trống" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    "args",
    [
        ["search", "\x1b[31mĐiều 2\x1b[0m khoản 1"],
        ["search", "Điều 4 \x1b]8;;http://127.0.0.1/\x07hiệu lực\x1b]8;;\x07"],
        ["ask", "\x1b[2JĐiều 12 khoản 1 nói gì?\x1b[0m"],
        ["ask", "Ai đánh giá chi bộ?\r\x1b[1A\x1b[2KĐã xóa"],
        ["check", "\x1b[2Jkhong-co-tep.md"],
    ],
)
def test_terminal_escapes_in_a_question_are_never_echoed_raw(pack_env, args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert code in (0, 2)
    assert "\x1b" not in printed and "\x07" not in printed and "\r" not in printed
    assert printed.strip()


def test_terminal_escapes_never_reach_the_terminal_through_a_real_process(pack_env):
    done = _run("search", "\x1b]0;pwned\x07chi bộ \x1b[31mđảng viên\x1b[0m")
    assert done.returncode == 0, done.stderr.decode()
    assert b"\x1b" not in done.stdout
    assert "Tìm theo: chi bộ đảng viên" in done.stdout.decode()


def test_a_40000_character_question_gets_a_notice_and_a_normal_answer(pack_env, capsys):
    question = ("Ai quyết định xếp loại chi bộ? " * 1300)[:40_000]
    assert main(["ask", question]) == 0
    out = capsys.readouterr().out
    assert "Lưu ý: Câu hỏi dài 40000 ký tự; chỉ 2000 ký tự đầu được dùng để tìm kiếm." in out
    assert "Nguồn:" in out or "không có nội dung trả lời" in out


# --- question files -------------------------------------------------------------------------

BAD_FILES = {
    "gold-is-a-number": (
        GOOD_CASE.replace('gold: ["qd-124-2023/dieu-5/khoan-2"]', "gold: 5"),
        "trường hợp t-001, trường 'gold': phải là danh sách mã quy định",
    ),
    "id-is-a-list": (
        GOOD_CASE.replace("id: t-001", "id: [1, 2]"),
        "trường hợp #1, trường 'id': phải là một chuỗi",
    ),
    "question-is-a-number": (
        GOOD_CASE.replace('"Những đảng viên nào không phải kiểm điểm?"', "12345"),
        "trường hợp t-001, trường 'question': phải là một chuỗi",
    ),
    "history-turn-without-content": (
        GOOD_CASE.replace("  answerable", "  history:\n    - {role: user}\n  answerable"),
        "trường hợp t-001, trường 'history': mỗi lượt cần role user|assistant và content",
    ),
    "facts-not-lists": (
        GOOD_CASE.replace('facts: [["miễn công tác"]]', "facts: [miễn công tác]"),
        "trường hợp t-001, trường 'facts'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_question_file_gets_a_message_before_anything_runs(
    pack_env, tmp_path, case, capsys
):
    text, fragment = BAD_FILES[case]
    questions = tmp_path / "q.yaml"
    questions.write_text(text, encoding="utf-8")
    out_json = tmp_path / "out.json"
    assert main(["eval", "--questions", str(questions), "--json", str(out_json)]) == 2
    err = capsys.readouterr().err
    assert fragment in err, err
    assert "Traceback" not in err
    assert not out_json.exists()


def test_a_directory_as_the_question_file_gets_a_message(pack_env, tmp_path, capsys):
    assert main(["eval", "--questions", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} là thư mục, không phải tệp câu hỏi" in err


def test_a_question_file_over_the_size_limit_is_refused_with_the_limit(pack_env, tmp_path, capsys):
    questions = tmp_path / "q.yaml"
    filler = "# " + "x" * 1000 + "\n"
    questions.write_text(GOOD_CASE + filler * (MAX_QUESTION_FILE_BYTES // 1000 + 1))
    assert main(["eval", "--questions", str(questions)]) == 2
    err = capsys.readouterr().err
    limit_mb = MAX_QUESTION_FILE_BYTES // 1_000_000
    assert f"vượt giới hạn {limit_mb} MB" in err


def test_eval_to_a_path_that_cannot_be_written_fails_before_the_run(tmp_path, capsys):
    # A fresh data folder: had the run started, it would have built an index there first.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "eval.json"
    questions = tmp_path / "q.yaml"
    questions.write_text(GOOD_CASE, encoding="utf-8")
    code = main(["eval", "--questions", str(questions), "--json", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"Không ghi được báo cáo vào {target}" in err
    assert not (tmp_path / "data" / "index").exists()  # nothing ran


# --- folders --------------------------------------------------------------------------------


def test_a_data_dir_that_is_a_file_gets_a_message(tmp_path, capsys):
    path = tmp_path / "data.txt"
    path.write_text("không phải thư mục")
    assert main(["--data-dir", str(path), "ask", "Ai đánh giá chi bộ?"]) == 2
    err = capsys.readouterr().err
    assert f"{path} là một tệp, không phải thư mục" in err
    assert "Traceback" not in err


def test_check_on_an_empty_folder_fails_with_a_clear_message(tmp_path, capsys):
    empty = tmp_path / "trong"
    empty.mkdir()
    assert main(["check", str(empty)]) == 1
    err = capsys.readouterr().err
    assert f"Không có văn bản nào (tệp .md) trong {empty}" in err
