"""`quydinh eval`: run a question set through the same `answer()` the UI uses, score it, and
compare with baselines (keyword-only, dense-only, plain LangChain RAG) in the same run."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.answering import Assistant
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Asked
from evals import metrics
from knowledge.pack import Pack, load_pack

ROOT = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = ROOT / "questions.yaml"  # the dev split: tune on it
DEV_EXTRA = ROOT / "dev_extra.yaml"  # more dev questions, written later, also tuned on
DEV_EXTRA2 = ROOT / "dev_extra2.yaml"  # a third dev file, measured once before tuning on it
DEV_EXTRA3 = ROOT / "dev_extra3.yaml"  # a fourth, likewise
TEST_QUESTIONS = ROOT / "test_questions.yaml"  # the frozen test split: never tune on it
# The splits, test first: the targets apply to it; the dev figures are for comparison only.
SPLITS = {
    "test": (TEST_QUESTIONS,),
    "dev": (DEFAULT_QUESTIONS, DEV_EXTRA, DEV_EXTRA2, DEV_EXTRA3),
}
SPLIT_NAMES = {"test": "kiểm tra (đóng băng)", "dev": "phát triển"}
REPORTS = ROOT / "reports"
REQUIRED = ("id", "question", "answerable", "gold", "facts", "tags")
OUTCOMES = ("answered", "not_covered", "refused")
ASKED = tuple(a.value for a in Asked)
TIMES = ("now", "2023-2024", "2025+")
# The project's set is about 100 kB; a file far larger is a mistake, not a question set.
MAX_QUESTION_FILE_BYTES = 5_000_000

# The targets of the answering issue, checked by `make test` on the test split.
THRESHOLDS = {
    "lead_fact_recall": 0.85,
    "fact_recall": 0.93,
    "refusal_recall": 0.92,
    "false_refusal_rate": 0.04,
    "hit@5": 0.95,
    "citation_validity": 1.0,
    "lead_accent_gap": 0.03,
}
# What `make test` holds the test split to: the figures this wave reached, less a small margin,
# so a change that loses ground fails CI. Where a target above is not reached yet, the report
# and the closing note say so; the floor is not the target.
FLOORS = {
    "lead_fact_recall": 0.83,
    "fact_recall": 0.93,
    "refusal_recall": 0.85,
    "false_refusal_rate": 0.06,
    "hit@5": 0.90,
    "citation_validity": 1.0,
    "lead_accent_gap": 0.03,
}
LOWER_IS_BETTER = ("accent_gap", "lead_accent_gap", "false_refusal_rate")


class QuestionFileError(Exception):
    """The question file cannot be used; the message names the case and the field."""


class ReportPathError(Exception):
    """The reports cannot be written where asked; found before the run, not after it."""


def load_cases(path: Path, pack: Pack) -> list[dict]:
    """Read and validate a question file against the pack.

    Raises:
        QuestionFileError: invalid YAML, a missing field, a duplicate id, an unknown gold id.
    """
    if path.is_dir():
        raise QuestionFileError(f"{path} là thư mục, không phải tệp câu hỏi. Chỉ rõ một tệp YAML.")
    try:
        size = path.stat().st_size
        if size > MAX_QUESTION_FILE_BYTES:
            raise QuestionFileError(
                f"{path}: tệp câu hỏi lớn {size / 1e6:.1f} MB, vượt giới hạn "
                f"{MAX_QUESTION_FILE_BYTES // 1_000_000} MB. Cách sửa: chia thành nhiều tệp nhỏ."
            )
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuestionFileError(f"Không tìm thấy tệp câu hỏi {path}.") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark else ""
        raise QuestionFileError(
            f"{path}{where}: YAML không hợp lệ ({exc.__class__.__name__})."
        ) from None
    except OSError as exc:
        raise QuestionFileError(f"Không đọc được tệp câu hỏi {path} ({exc.strerror}).") from None
    if not isinstance(raw, list):
        raise QuestionFileError(f"{path}: tệp phải là một danh sách các trường hợp ('- id: …').")
    seen: set[str] = set()
    ids = list(pack.provisions)
    for index, case in enumerate(raw, start=1):
        if not isinstance(case, dict):
            raise QuestionFileError(f"{path}: trường hợp #{index} không phải một ánh xạ.")
        name = case["id"] if isinstance(case.get("id"), str) else f"#{index}"

        def bad(field: str, what: str, name: str = name) -> QuestionFileError:
            return QuestionFileError(f"{path}: trường hợp {name}, trường '{field}': {what}.")

        for field in REQUIRED:
            if field not in case:
                raise QuestionFileError(f"{path}: trường hợp {name} thiếu trường '{field}'.")
        if not isinstance(case["id"], str) or not case["id"].strip():
            raise bad("id", f"phải là một chuỗi, ví dụ 'q-124-001' (đang là {case['id']!r})")
        if not isinstance(case["question"], str):
            raise bad("question", f"phải là một chuỗi (đang là {case['question']!r})")
        if not case["question"].strip():
            raise QuestionFileError(f"{path}: trường hợp {name}: trường 'question' trống.")
        if not isinstance(case["answerable"], bool):
            raise bad("answerable", "phải là true hoặc false")
        if name in seen:
            raise QuestionFileError(f"{path}: mã trường hợp '{name}' bị trùng.")
        seen.add(name)
        gold = case["gold"] or []
        if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
            raise bad("gold", "phải là danh sách mã quy định, ví dụ [qd-124-2023/dieu-5]")
        for item in gold:
            if not any(metrics.matches(item, pid) for pid in ids):
                raise bad("gold", f"mã '{item}' không có trong bộ văn bản")
        facts = case["facts"] or []
        if not isinstance(facts, list) or not all(
            isinstance(f, list) and f and all(isinstance(a, str) for a in f) for f in facts
        ):
            raise bad("facts", 'phải là danh sách các danh sách chuỗi, ví dụ [["15/02"]]')
        if not isinstance(case["tags"] or [], list):
            raise bad("tags", "phải là một danh sách")
        history = case.get("history") or []
        if not isinstance(history, list) or not all(
            isinstance(turn, dict)
            and turn.get("role") in ("user", "assistant")
            and isinstance(turn.get("content"), str)
            for turn in history
        ):
            raise bad("history", "mỗi lượt cần role user|assistant và content")
        for field, allowed in (("outcome", OUTCOMES), ("asked", ASKED), ("time", TIMES)):
            if field in case and case[field] not in allowed:
                raise bad(
                    field, f"'{case[field]}' không hợp lệ (dùng một trong: {', '.join(allowed)})"
                )
    return raw


def ensure_writable(json_path: Path) -> None:
    """Fail before a run, not after it, when the reports cannot be written.

    Raises:
        ReportPathError: the folder cannot be made or written, or the path is a folder.
    """
    folder = json_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if json_path.is_dir():
            raise IsADirectoryError(21, "là một thư mục")
        fd, probe = tempfile.mkstemp(prefix=".eval-", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
        if json_path.exists() and not os.access(json_path, os.W_OK):
            raise PermissionError(13, "không có quyền ghi")
    except OSError as exc:
        raise ReportPathError(
            f"Không ghi được báo cáo vào {json_path} ({exc.strerror or type(exc).__name__}). "
            "Cách sửa: chọn --json ở một thư mục ghi được."
        ) from None


def _record(case: dict, answer: Answer) -> dict[str, Any]:
    record = {
        "id": case["id"],
        "question": case["question"],
        "understood": answer.understood,
        "answerable": bool(case["answerable"]),
        "refused": answer.refused,
        "retrieved": [h.id for h in answer.hits],
        "cited": [c.id for c in answer.citations],
        "answer": answer.text,
        "lead": answer.lead_text,
        "outcome": answer.outcome,
        "expected_outcome": case.get("outcome") or "",
        "asked": case.get("asked") or "",
        "frame_asked": answer.frame.asked.value if answer.frame else "",
        "frame_polar": bool(answer.frame and answer.frame.polar),
        "frame": answer.frame.model_dump(mode="json") if answer.frame else None,
        "latency_ms": answer.elapsed_ms,
        "gold": list(case["gold"] or []),
        "facts": [list(f) for f in case["facts"] or []],
        "tags": list(case["tags"] or []),
    }
    per_case: dict[str, float | None] = {}
    if record["gold"] and record["answerable"]:
        per_case["hit@5"] = metrics.hit_at_k(record["retrieved"], record["gold"], 5)
        per_case["rr@10"] = metrics.reciprocal_rank(record["retrieved"], record["gold"], 10)
        if not answer.refused:
            per_case["citation_precision"] = metrics.citation_precision(
                record["cited"], record["gold"]
            )
    expected = metrics.CaseResult.from_mapping(record).expected
    if record["facts"] and answer.outcome == "answered":
        per_case["fact_recall"] = metrics.fact_recall(answer.text, record["facts"])
        per_case["lead_fact_recall"] = metrics.fact_recall(answer.lead_text, record["facts"])
    per_case["correct_outcome"] = float(answer.outcome == expected)
    per_case["correct_refusal"] = float(
        (answer.outcome in metrics.ABSTAIN) == (expected in metrics.ABSTAIN)
    )
    record["metrics"] = per_case
    return record


def run_system(
    cases: list[dict],
    answer_fn: Callable[[dict], Answer],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    records = []
    for i, case in enumerate(cases, start=1):
        records.append(_record(case, answer_fn(case)))
        if progress:
            progress(i, len(cases))
    return records


def split_files(split: str) -> list[Path]:
    """The question files of a split that exist (the dev split's extra file is optional)."""
    files = [p for p in SPLITS[split] if p.exists() or p == SPLITS[split][0]]
    return files


def load_split(paths: Path | list[Path], pack: Pack) -> list[dict]:
    """The cases of one or more question files, with ids unique across them."""
    cases: list[dict] = []
    seen: set[str] = set()
    for path in [paths] if isinstance(paths, Path) else paths:
        for case in load_cases(path, pack):
            if case["id"] in seen:
                raise QuestionFileError(f"{path}: mã trường hợp '{case['id']}' bị trùng.")
            seen.add(case["id"])
            cases.append(case)
    return cases


def evaluate(
    settings: Settings,
    questions: Path | list[Path] = DEFAULT_QUESTIONS,
    *,
    engine: str | None = None,
    baselines: bool = False,
    chat_model=None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Run the system (and optionally the baselines) over a question file.

    Raises:
        QuestionFileError: before anything runs, when the file is not usable.
    """
    pack = load_pack(settings.official_path, settings.documents_dir)
    cases = load_split(questions, pack)  # before the index is loaded or built
    retriever = Retriever.load(settings, pack=pack)
    known = set(retriever.pack.provisions)
    assistant = Assistant(retriever)

    def step(name: str):
        return (lambda i, n: progress(name, i, n)) if progress else None

    def system(case: dict) -> Answer:
        return assistant.answer(
            case["question"], case.get("history") or [], engine=engine, chat_model=chat_model
        )

    records = run_system(cases, system, step("hệ thống"))
    result: dict[str, Any] = {
        "summary": {
            **metrics.summarize(records, known_ids=known),
            "settings_hash": settings.short_hash(),
            "engine": engine or settings.engine,
            "questions": ", ".join(
                str(p) for p in ([questions] if isinstance(questions, Path) else questions)
            ),
            "date": dt.datetime.now().isoformat(timespec="seconds"),
        },
        "cases": records,
    }
    if baselines:
        result["baselines"] = {}
        for mode in ("keyword", "dense"):
            variant = Assistant(_with_mode(retriever, mode))
            recs = run_system(
                cases,
                lambda c, v=variant: v.answer(c["question"], c.get("history") or []),
                step(mode),
            )
            result["baselines"][f"{mode}-only"] = metrics.summarize(recs, known_ids=known)
        from evals.baselines import PlainRag

        rag = PlainRag(retriever)
        recs = run_system(cases, lambda c: rag.answer(c["question"]), step("plain-rag"))
        result["baselines"]["plain-langchain-rag"] = metrics.summarize(recs, known_ids=known)
    return result


def _with_mode(retriever: Retriever, mode: str) -> Retriever:
    from dataclasses import replace

    return replace(retriever, mode=mode)


# --- thresholds, tables, reports -----------------------------------------------------------


def flat(summary: dict) -> dict[str, float | None]:
    """The headline metrics of a summary, flat."""
    r = summary["retrieval"]
    return {
        "lead_fact_recall": summary.get("lead_fact_recall"),
        "lead_accent_gap": summary.get("lead_accent_gap"),
        "asked_type_accuracy": summary.get("asked_type_accuracy"),
        "outcome_accuracy": summary.get("outcome_accuracy"),
        "hit@1": r["hit@1"],
        "hit@5": r["hit@5"],
        "article_hit@5": r["article_hit@5"],
        "mrr@10": r["mrr@10"],
        "ndcg@10": r["ndcg@10"],
        "hit@5_accented": summary["hit@5_accented"],
        "hit@5_unaccented": summary["hit@5_unaccented"],
        "accent_gap": summary["accent_gap"],
        "fact_recall": summary["fact_recall"],
        "citation_validity": summary["citation_validity"],
        "citation_precision": summary["citation_precision"],
        "citation_recall": summary["citation_recall"],
        "refusal_recall": summary["refusal_recall"],
        "false_refusal_rate": summary["false_refusal_rate"],
        "latency_p50_ms": summary["latency_ms"]["p50"],
        "latency_p95_ms": summary["latency_ms"]["p95"],
    }


def failures(summary: dict, limits: dict[str, float] | None = None) -> list[str]:
    """Thresholds (the targets, or `limits`) the summary misses, in Vietnamese."""
    values = flat(summary)
    out = []
    for name, limit in (limits or THRESHOLDS).items():
        value = values[name]
        if value is None:
            continue
        lower_is_better = name in LOWER_IS_BETTER
        ok = value <= limit if lower_is_better else value >= limit
        if not ok:
            sign = "≤" if lower_is_better else "≥"
            out.append(f"{name} = {value:.3f} (cần {sign} {limit})")
    return out


def table(result: dict) -> str:
    columns = {"hệ thống": result["summary"]} | result.get("baselines", {})
    rows = [["chỉ số", *columns]]
    for name in flat(result["summary"]):
        cells = [name]
        for summary in columns.values():
            value = flat(summary)[name]
            cells.append("—" if value is None else f"{value:.3f}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def write_reports(result: dict, json_path: Path) -> list[Path]:
    """The JSON result, and beside it a Markdown report and a PNG chart."""
    report_dir = json_path.parent
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    summary = result["summary"]
    md = report_dir / "eval.md"
    lines = [
        "# Báo cáo đánh giá — Trợ lý Quy định",
        "",
        f"- Ngày chạy: {summary['date']}; bộ câu hỏi: `{summary['questions']}` "
        f"({summary['n_cases']} trường hợp, {summary['n_unanswerable']} ngoài phạm vi)",
        f"- Mã cài đặt: `{summary['settings_hash']}`; bộ soạn câu trả lời: {summary['engine']}",
        "",
        "```",
        table(result),
        "```",
        "",
    ]
    missed = failures(summary)
    lines.append("Ngưỡng: " + ("đạt tất cả." if not missed else "chưa đạt: " + "; ".join(missed)))
    wrong = [c for c in result["cases"] if c["metrics"].get("correct_refusal") == 0.0]
    if wrong:
        lines += ["", "## Từ chối sai / không từ chối khi cần", ""]
        lines += [f"- `{c['id']}` {c['question']}" for c in wrong]
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    png = report_dir / "eval.png"
    _chart(result, png)
    return [json_path, md, png]


def _chart(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [
        "hit@1",
        "article_hit@5",
        "mrr@10",
        "fact_recall",
        "refusal_recall",
        "false_refusal_rate",
    ]
    columns = {"hệ thống": result["summary"]} | result.get("baselines", {})
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / len(columns)
    for i, (label, summary) in enumerate(columns.items()):
        values = [flat(summary)[n] or 0.0 for n in names]
        ax.bar([x + i * width for x in range(len(names))], values, width, label=label)
    ax.set_xticks([x + width * (len(columns) - 1) / 2 for x in range(len(names))], names)
    ax.set_ylim(0, 1.05)
    ax.set_title("Trợ lý Quy định — hệ thống và các phương án so sánh")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- both splits ---------------------------------------------------------------------------


def evaluate_splits(
    settings: Settings,
    splits: tuple[str, ...] = ("test", "dev"),
    *,
    engine: str | None = None,
    baselines: bool = False,
    chat_model=None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each split's result (test first). Baselines run on the test split only."""
    results = {}
    for split in splits:

        def step(name: str, i: int, n: int, split: str = split) -> None:
            if progress:
                progress(f"{split}: {name}", i, n)

        results[split] = evaluate(
            settings,
            split_files(split),
            engine=engine,
            baselines=baselines and split == "test",
            chat_model=chat_model,
            progress=step,
        )
        results[split]["summary"]["split"] = split
    return results


HEADLINE = (
    "lead_fact_recall",
    "fact_recall",
    "refusal_recall",
    "false_refusal_rate",
    "hit@5",
    "citation_validity",
    "lead_accent_gap",
    "outcome_accuracy",
    "asked_type_accuracy",
    "mrr@10",
    "latency_p50_ms",
    "latency_p95_ms",
)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def splits_table(results: dict[str, dict[str, Any]]) -> str:
    """Metric | each split | target, as aligned text."""
    rows = [["chỉ số", *(f"{s} ({SPLIT_NAMES.get(s, s)})" for s in results), "mục tiêu"]]
    for name in HEADLINE:
        cells = [name] + [_cell(flat(r["summary"])[name]) for r in results.values()]
        limit = THRESHOLDS.get(name)
        sign = "≤" if name in LOWER_IS_BETTER else "≥"
        cells.append("" if limit is None else f"{sign} {limit}")
        rows.append(cells)
    rows.append(["số câu hỏi"] + [str(r["summary"]["n_cases"]) for r in results.values()] + [""])
    return _aligned(rows)


def asked_table(results: dict[str, dict[str, Any]]) -> str:
    """Per asked type: lead fact recall and asked-type accuracy on each split."""
    kinds = sorted({k for r in results.values() for k in r["summary"]["by_asked"]})
    header = ["loại câu hỏi"]
    for split in results:
        header += [f"{split}: n", f"{split}: câu dẫn", f"{split}: nhận loại"]
    rows = [header]
    for kind in kinds:
        cells = [kind]
        for r in results.values():
            block = r["summary"]["by_asked"].get(kind, {})
            cells += [
                str(block.get("n", 0)),
                _cell(block.get("lead_fact_recall")),
                _cell(block.get("asked_type_accuracy")),
            ]
        rows.append(cells)
    return _aligned(rows)


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def write_split_reports(
    results: dict[str, dict[str, Any]], report_dir: Path = REPORTS
) -> list[Path]:
    """eval-<split>.json for each split, and eval.md / eval.png with the splits side by side.

    Each file is written whole to a temporary name first, so a crash leaves the old report."""
    report_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for split, result in results.items():
        path = report_dir / f"eval-{split}.json"
        _write_atomic(path, json.dumps(result, ensure_ascii=False, indent=2))
        paths.append(path)
    first = next(iter(results.values()))["summary"]
    lines = [
        "# Báo cáo đánh giá — Trợ lý Quy định",
        "",
        f"- Ngày chạy: {first['date']}; mã cài đặt `{first['settings_hash']}`; bộ soạn câu "
        f"trả lời: {first['engine']}",
        "- Bộ kiểm tra (test) được viết và đóng băng trước khi viết bộ soạn câu trả lời; không "
        "bao giờ tinh chỉnh trên nó. Mục tiêu áp dụng cho bộ kiểm tra. Bộ phát triển (dev) là "
        "bộ đã dùng để tinh chỉnh: con số trên đó không phải bằng chứng.",
        "",
        "```",
        splits_table(results),
        "```",
        "",
    ]
    if "test" in results:
        missed = failures(results["test"]["summary"])
        lines.append(
            "Mục tiêu trên bộ kiểm tra: "
            + ("đạt tất cả." if not missed else "chưa đạt: " + "; ".join(missed))
        )
        if results["test"].get("baselines"):
            lines += [
                "",
                "## Phương án so sánh (bộ kiểm tra)",
                "",
                "```",
                table(results["test"]),
                "```",
            ]
    lines += ["", "## Theo loại câu hỏi", "", "```", asked_table(results), "```"]
    for split, result in results.items():
        wrong = [c for c in result["cases"] if c["metrics"].get("correct_outcome") == 0.0]
        if wrong:
            lines += ["", f"## Kết cục sai — {split} ({len(wrong)})", ""]
            lines += [
                f"- `{c['id']}` cần {c['expected_outcome']}, được {c['outcome']}: {c['question']}"
                for c in wrong
            ]
    md = report_dir / "eval.md"
    _write_atomic(md, "\n".join(lines) + "\n")
    png = report_dir / "eval.png"
    _splits_chart(results, png)
    return [*paths, md, png]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _splits_chart(results: dict[str, dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = ["lead_fact_recall", "fact_recall", "refusal_recall", "false_refusal_rate", "hit@5"]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / max(len(results), 1)
    for i, (split, result) in enumerate(results.items()):
        values = [flat(result["summary"])[n] or 0.0 for n in names]
        ax.bar([x + i * width for x in range(len(names))], values, width, label=split)
    ax.set_xticks([x + width * (len(results) - 1) / 2 for x in range(len(names))], names)
    ax.set_ylim(0, 1.05)
    ax.set_title("Trợ lý Quy định — bộ kiểm tra và bộ phát triển")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(path)
