"""The Đo lường page: the latest evaluation report (`make eval`): the summary of the system
and its baselines, the chart, and every case, filterable by tag."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from assistant import prompts
from assistant.export import escape_markdown
from evals import runner

UI = prompts.UI
ROW_HEIGHT = 35  # st.dataframe's row height in pixels: the summary is shown whole
CASE_METRICS = ("hit@5", "rr@10", "fact_recall", "citation_precision", "correct_refusal")


def render() -> None:
    st.title(f":material/monitoring: {UI.PAGE_EVAL}")
    st.caption(UI.EVAL_INTRO)
    path = runner.REPORTS / "eval.json"
    if not path.exists():
        st.info(UI.EVAL_MISSING.format(path=escape_markdown(str(path))), icon=":material/info:")
        return
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        summary = result["summary"]
        flat = {UI.EVAL_SYSTEM: runner.flat(summary)} | {
            name: runner.flat(s) for name, s in result.get("baselines", {}).items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        st.error(
            escape_markdown(UI.EVAL_BROKEN.format(path=path, error=error)), icon=":material/error:"
        )
        return
    cases = result.get("cases", [])

    st.caption(
        UI.EVAL_STAMP.format(
            date=summary.get("date", "—"),
            engine=summary.get("engine", "—"),
            settings_hash=summary.get("settings_hash", "—"),
            n=len(cases),
        )
    )
    missed = runner.failures(summary)
    if missed:
        st.warning(
            escape_markdown(UI.EVAL_FAIL.format(items="; ".join(missed))), icon=":material/warning:"
        )
    else:
        st.success(UI.EVAL_PASS, icon=":material/check_circle:")

    st.subheader(UI.EVAL_SUMMARY)
    # Three decimals, "—" where a baseline has no value (as in eval.md).
    table = pd.DataFrame(flat).map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.3f}")
    table.index.name = UI.EVAL_METRIC
    st.dataframe(table, width="stretch", height=ROW_HEIGHT * (len(table) + 1) + 3)

    chart = runner.REPORTS / "eval.png"
    if chart.exists():
        st.subheader(UI.EVAL_CHART)
        st.image(str(chart))

    st.subheader(UI.EVAL_CASES)
    tags = sorted({t for case in cases for t in case.get("tags", [])})
    chosen = st.multiselect(UI.EVAL_TAGS, tags, placeholder=UI.EVAL_TAGS_PLACEHOLDER)
    rows = [
        {
            "id": case.get("id"),
            "question": case.get("question"),
            "tags": ", ".join(case.get("tags", [])),
            "answerable": case.get("answerable"),
            "refused": case.get("refused"),
            **{m: case.get("metrics", {}).get(m) for m in CASE_METRICS},
            "latency_ms": case.get("latency_ms"),
            "cited": ", ".join(case.get("cited", [])),
        }
        for case in cases
        if not chosen or set(chosen) & set(case.get("tags", []))
    ]
    frame = pd.DataFrame(rows, columns=list(UI.EVAL_COLUMNS)).rename(columns=UI.EVAL_COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch")
