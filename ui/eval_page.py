"""The Đo lường page: the latest evaluation reports (`evals/reports/eval-test.json` and
`eval-dev.json`, written by `make eval` or from this page), the frozen test split with the dev
split beside it, each metric with a Vietnamese name and a one-line explanation, and every
case, filterable by tag. Without a usable report, it says so and offers to run the evaluation
here, with a progress bar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import prompts
from assistant.export import escape_markdown
from evals import runner
from knowledge.errors import BackendUnavailable, IndexNotReady, KnowledgeError
from ui import widgets

UI = prompts.UI
SPLITS = ("test", "dev")
ROW_HEIGHT = 35  # st.dataframe's row height in pixels: the summary is shown whole
SHOWN = (*runner.HEADLINE[:9], "hit@1", "ndcg@10", "citation_precision", *runner.HEADLINE[9:])
CHART = ("lead_fact_recall", "fact_recall", "refusal_recall", "hit@5", "outcome_accuracy")
CASE_METRICS = ("lead_fact_recall", "fact_recall", "hit@5", "citation_precision")


class ReportProblem(Exception):
    """A report is missing or cannot be read; the message (Markdown, its path and error
    escaped) says which and why."""


def render() -> None:
    st.title(f":material/monitoring: {UI.PAGE_EVAL}")
    st.caption(UI.EVAL_INTRO)
    results: dict[str, dict] = {}
    problems: list[str] = []
    for split in SPLITS:
        try:
            results[split] = load_report(runner.REPORTS / f"eval-{split}.json")
        except ReportProblem as exc:
            problems.append(str(exc))
    if "test" not in results:
        st.info(problems[0], icon=":material/info:")
        _run_button(UI.EVAL_RUN, primary=True)
        return
    for problem in problems:
        st.warning(problem, icon=":material/warning:")
    for split, result in results.items():
        summary = result["summary"]
        st.caption(
            escape_markdown(
                UI.EVAL_STAMP.format(
                    split=UI.EVAL_SPLITS[split],
                    date=_date(summary.get("date")),
                    engine=summary.get("engine", "—"),
                    settings_hash=summary.get("settings_hash", "—"),
                    n=len(result.get("cases", [])),
                )
            )
        )
    _targets(results["test"]["summary"])
    _summary(results)
    _cases(results)
    _run_button(UI.EVAL_RUN_AGAIN, primary=False)


def load_report(path: Path) -> dict:
    """A split's report, checked enough to be shown.

    Raises:
        ReportProblem: the file is missing, unreadable, not JSON or not a report.
    """
    if not path.exists():
        raise ReportProblem(UI.EVAL_MISSING.format(path=escape_markdown(str(path))))
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        runner.flat(result["summary"])  # every headline metric is there
        if not isinstance(result.get("cases", []), list):
            raise TypeError("cases")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        error = escape_markdown(f"{type(exc).__name__}: {exc}")
        path_shown = escape_markdown(str(path))
        raise ReportProblem(UI.EVAL_BROKEN.format(path=path_shown, error=error)) from None
    return result


def _date(value) -> str:
    try:
        return f"{dt.datetime.fromisoformat(str(value)):%d/%m/%Y %H:%M}"
    except ValueError:
        return "—"


def metric_name(key: str) -> str:
    return UI.EVAL_METRICS.get(key, (key, ""))[0]


def _targets(summary: dict) -> None:
    values = runner.flat(summary)
    missed = []
    for key, limit in runner.THRESHOLDS.items():
        value = values.get(key)
        if value is None:
            continue
        lower = key in runner.LOWER_IS_BETTER
        if (value > limit) if lower else (value < limit):
            missed.append(f"{metric_name(key)} = {value:.3f} (cần {_target(key)})")
    if missed:
        st.warning(UI.EVAL_FAIL.format(items="; ".join(missed)), icon=":material/warning:")
    else:
        st.success(UI.EVAL_PASS, icon=":material/check_circle:")


def _target(key: str) -> str:
    limit = runner.THRESHOLDS.get(key)
    if limit is None:
        return ""
    return f"{'≤' if key in runner.LOWER_IS_BETTER else '≥'} {limit}"


def _summary(results: dict[str, dict]) -> None:
    st.subheader(UI.EVAL_SUMMARY)
    flats = {split: runner.flat(r["summary"]) for split, r in results.items()}
    rows = []
    for key in SHOWN:
        row = {UI.EVAL_METRIC: metric_name(key)}
        for split, values in flats.items():
            row[UI.EVAL_SPLITS[split]] = _cell(key, values.get(key))
        row[UI.EVAL_TARGET] = _target(key)
        rows.append(row)
    table = pd.DataFrame(rows).set_index(UI.EVAL_METRIC)
    st.dataframe(table, width="stretch", height=ROW_HEIGHT * (len(table) + 1) + 3)
    st.markdown(
        "\n".join(
            f"- **{UI.EVAL_METRICS[key][0]}**: {UI.EVAL_METRICS[key][1]}"
            for key in SHOWN
            if key in UI.EVAL_METRICS
        )
    )
    st.subheader(UI.EVAL_CHART)
    chart = pd.DataFrame(
        {
            UI.EVAL_SPLITS[split]: [values.get(k) or 0.0 for k in CHART]
            for split, values in flats.items()
        },
        index=[metric_name(k) for k in CHART],
    )
    st.bar_chart(chart, stack=False, horizontal=True)


def _cell(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"


def _cases(results: dict[str, dict]) -> None:
    st.subheader(UI.EVAL_CASES)
    split = st.segmented_control(
        UI.EVAL_CASES_SPLIT,
        list(results),
        default="test",
        format_func=lambda s: UI.EVAL_SPLITS[s],
        key="eval-cases-split",
    )
    cases = results[split or "test"].get("cases", [])
    tags = sorted({t for case in cases for t in case.get("tags", [])})
    chosen = st.multiselect(UI.EVAL_TAGS, tags, placeholder=UI.EVAL_TAGS_PLACEHOLDER)
    rows = [
        {
            "id": case.get("id"),
            "question": case.get("question"),
            "tags": ", ".join(case.get("tags", [])),
            "answerable": case.get("answerable"),
            "outcome": case.get("outcome"),
            **{m: case.get("metrics", {}).get(m) for m in CASE_METRICS},
            "correct_refusal": case.get("metrics", {}).get("correct_refusal"),
            "latency_ms": case.get("latency_ms"),
            "cited": ", ".join(case.get("cited", [])),
        }
        for case in cases
        if not chosen or set(chosen) & set(case.get("tags", []))
    ]
    frame = pd.DataFrame(rows, columns=list(UI.EVAL_COLUMNS)).rename(columns=UI.EVAL_COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch")


def _run_button(label: str, *, primary: bool) -> None:
    """Run both splits here, with a progress bar, and write the reports `make eval` writes."""
    kind = "primary" if primary else "secondary"
    if not st.button(label, type=kind, icon=":material/play_arrow:", key="eval-run"):
        return
    bar = st.progress(0.0, text=UI.EVAL_RUN)

    def progress(name: str, done: int, total: int) -> None:
        text = UI.EVAL_RUNNING.format(name=name, done=done, total=total)
        bar.progress(done / total if total else 1.0, text=escape_markdown(text))

    try:
        results = runner.evaluate_splits(widgets.settings(), SPLITS, progress=progress)
        runner.write_split_reports(results, runner.REPORTS)
    except (
        runner.QuestionFileError,
        KnowledgeError,
        BackendUnavailable,
        IndexNotReady,
        OSError,
    ) as exc:
        st.error(escape_markdown(UI.EVAL_RUN_FAILED.format(error=exc)), icon=":material/error:")
        return
    st.success(UI.EVAL_DONE, icon=":material/check_circle:")
    st.rerun()
