"""`make bench`: build, start, search and answer timings, and memory, on this machine.

Cold build and warm start are measured in fresh processes (imports and model loading
included); search and ask latencies over every question of evals/questions.yaml, warm.
Writes evals/reports/bench.json and prints a table with the targets; then the scale
benchmark (evals/scale.py: 10,000 and 100,000 provisions, embedded and server, 1, 4 and 20
clients), which writes evals/reports/scale.json. The 100,000 run takes many minutes;
`python -m evals.bench --no-scale` skips it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from evals.metrics import percentile
from evals.runner import DEFAULT_QUESTIONS, REPORTS

TARGETS = {
    "cold_build_s": 60.0,
    "warm_start_s": 3.0,
    "search_p95_ms": 50.0,
    "ask_p95_ms": 150.0,
    "peak_rss_mb": 800.0,
}

STARTUP = """
import json, resource, time
t0 = time.perf_counter()
from assistant.answering import Assistant
from assistant.retrieval import Retriever
from assistant.settings import Settings
retriever = Retriever.load(Settings(data_dir={data!r}))
assistant = Assistant(retriever)
ready = time.perf_counter() - t0
report = retriever.build_report
print(json.dumps({{
    "seconds": round(ready, 3),
    "embedded": report.embedded if report else 0,
    "records": report.total if report else None,
    "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}}))
"""


def _fresh_process(data_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STARTUP.format(data=str(data_dir))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(scale_too: bool = True) -> None:
    from assistant.answering import Assistant
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        cold = _fresh_process(data)
        warm = _fresh_process(data)

        settings = Settings(data_dir=data)
        assistant = Assistant(Retriever.load(settings))
        cases = yaml.safe_load(DEFAULT_QUESTIONS.read_text(encoding="utf-8"))
        questions = [c["question"] for c in cases]
        assistant.retriever.search(questions[0])  # warm-up
        search_ms, ask_ms = [], []
        for q in questions:
            t = time.perf_counter()
            assistant.retriever.search(q)
            search_ms.append((time.perf_counter() - t) * 1000)
        for case in cases:
            t = time.perf_counter()
            assistant.answer(case["question"], case.get("history") or [])
            ask_ms.append((time.perf_counter() - t) * 1000)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    result = {
        "cold_build_s": cold["seconds"],
        "cold_build_records": cold["records"],
        "warm_start_s": warm["seconds"],
        "search_p50_ms": round(percentile(search_ms, 50), 2),
        "search_p95_ms": round(percentile(search_ms, 95), 2),
        "ask_p50_ms": round(percentile(ask_ms, 50), 2),
        "ask_p95_ms": round(percentile(ask_ms, 95), 2),
        "peak_rss_mb": round(max(rss, cold["rss_mb"], warm["rss_mb"]), 1),
        "questions": len(questions),
        "engine": settings.embedding,
        "settings_hash": settings.short_hash(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / "bench.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'chỉ số':<16}{'đo được':>12}{'mục tiêu':>12}  đạt")
    for name in (
        "cold_build_s",
        "warm_start_s",
        "search_p50_ms",
        "search_p95_ms",
        "ask_p50_ms",
        "ask_p95_ms",
        "peak_rss_mb",
    ):
        target = TARGETS.get(name)
        ok = "" if target is None else ("✓" if result[name] <= target else "✗")
        shown = "" if target is None else f"≤ {target:g}"
        print(f"{name:<16}{result[name]:>12}{shown:>12}  {ok}")
    print(f"Đã ghi {path} ({len(questions)} câu hỏi).")

    if not scale_too:
        return
    from evals import scale

    scale.main()


if __name__ == "__main__":
    # `--no-scale`: only this pack's timings (the scale run takes many minutes).
    main(scale_too="--no-scale" not in sys.argv[1:])
