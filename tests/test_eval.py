"""The evaluation runner: the project set meets the thresholds; bad files are refused."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from evals import runner

SMALL = """
- id: t-001
  question: "Những đảng viên nào không phải kiểm điểm?"
  answerable: true
  gold: ["qd-124-2023/dieu-5/khoan-2"]
  facts: [["miễn công tác"], ["chưa đủ 6 tháng"]]
  tags: [member, list]
- id: t-002
  question: "han gui ho so ve ban to chuc trung uong"
  answerable: true
  gold: ["hd-25-2023/muc-5/muc-5.2"]
  facts: [["15/02"]]
  tags: [member, date, unaccented]
- id: t-003
  question: "Giá vàng hôm nay bao nhiêu?"
  answerable: false
  gold: []
  facts: []
  tags: [reporter, out_of_scope]
- id: t-004
  question: "Còn đảng viên bị đình chỉ sinh hoạt thì sao?"
  history:
    - {role: user, content: "Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?"}
    - {role: assistant, content: "Không phải kiểm điểm."}
  answerable: true
  gold: ["qd-124-2023/dieu-5/khoan-2"]
  facts: [["đình chỉ sinh hoạt"]]
  tags: [member, followup]
"""


@pytest.fixture
def data_env(pack_retriever, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(pack_retriever.settings.data_dir))
    return pack_retriever.settings


def test_the_frozen_test_split_holds_its_floors_and_the_report_shows_both_splits(
    data_env, tmp_path
):
    results = runner.evaluate_splits(data_env)
    test, dev = results["test"]["summary"], results["dev"]["summary"]
    assert test["n_cases"] >= 150 and dev["n_cases"] >= 300
    assert runner.failures(test, runner.FLOORS) == [], runner.splits_table(results)
    for case in results["test"]["cases"]:
        assert case["lead"] and case["outcome"] in ("answered", "not_covered", "refused")
        assert case["frame"]["asked"]
    paths = runner.write_split_reports(results, tmp_path)
    report = (tmp_path / "eval.md").read_text(encoding="utf-8")
    assert "test (kiểm tra (đóng băng))" in report and "dev (phát triển)" in report
    assert "Theo loại câu hỏi" in report
    assert {p.name for p in paths} >= {"eval-test.json", "eval-dev.json", "eval.md", "eval.png"}


def test_cli_eval_writes_json_report_and_chart_with_baselines(
    data_env, tmp_path, capsys, monkeypatch
):
    questions = tmp_path / "q.yaml"
    questions.write_text(SMALL, encoding="utf-8")
    out_json = tmp_path / "reports" / "out.json"
    assert (
        main(["eval", "--questions", str(questions), "--json", str(out_json), "--baselines"]) == 0
    )
    printed = capsys.readouterr().out
    for column in ("hệ thống", "keyword-only", "dense-only", "plain-langchain-rag"):
        assert column in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["summary"]["settings_hash"] == data_env.short_hash()
    assert set(data["baselines"]) == {"keyword-only", "dense-only", "plain-langchain-rag"}
    case = {c["id"]: c for c in data["cases"]}
    assert case["t-003"]["refused"] is True
    assert case["t-001"]["metrics"]["fact_recall"] == 1.0
    assert case["t-004"]["understood"].startswith("Đảng viên bị đình chỉ sinh hoạt")
    for key in ("id", "retrieved", "cited", "answer", "refused", "latency_ms", "metrics"):
        assert key in case["t-002"]
    assert (tmp_path / "reports" / "eval.md").read_text(encoding="utf-8").startswith("# Báo cáo")
    assert (tmp_path / "reports" / "eval.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            lambda s: s.replace('  question: "Giá vàng hôm nay bao nhiêu?"\n', ""),
            "t-003 thiếu trường 'question'",
        ),
        (
            lambda s: s.replace("hd-25-2023/muc-5/muc-5.2", "hd-25-2023/muc-9"),
            "t-002, trường 'gold'",
        ),
        (lambda s: s.replace("id: t-004", "id: t-001"), "'t-001' bị trùng"),
        (lambda s: s.replace("tags: [member, list]", "tags: [member, list"), "YAML không hợp lệ"),
    ],
)
def test_a_bad_question_file_names_the_case_and_field_and_writes_nothing(
    data_env, tmp_path, capsys, edit, fragment
):
    questions = tmp_path / "q.yaml"
    questions.write_text(edit(SMALL), encoding="utf-8")
    out_json = tmp_path / "out.json"
    assert main(["eval", "--questions", str(questions), "--json", str(out_json)]) == 2
    assert fragment in capsys.readouterr().err
    assert not out_json.exists()
