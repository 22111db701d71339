"""Fit the refusal gate's weights on evals/gate_dev.yaml (kept apart from the evaluation set).

.venv/bin/python -m evals.calibrate_gate           # print features, fit, report
.venv/bin/python -m evals.calibrate_gate --write   # also write assistant/data/gate.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import yaml

from assistant.answering import get_assistant
from assistant.gate import NAMES, WEIGHTS_FILE
from assistant.settings import Settings

DEV = Path(__file__).parent / "gate_dev.yaml"


def collect(assistant) -> tuple[np.ndarray, np.ndarray, list[str]]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    rows, labels, questions = [], [], []
    for label, key in ((1, "in_scope"), (0, "out_of_scope")):
        for question in data[key]:
            understood = assistant.understand(question, [])
            result = assistant.retriever.search(understood)
            f = assistant.gate_features(result)
            rows.append([f[n] for n in NAMES])
            labels.append(label)
            questions.append(question)
    return np.array(rows), np.array(labels), questions


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.05, steps: int = 20000) -> np.ndarray:
    """Logistic regression by gradient descent on standardised features (numpy only)."""
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1] + 1)
    zb = np.hstack([np.ones((len(z), 1)), z])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-zb @ w))
        grad = zb.T @ (p - y) / len(y) + l2 * np.r_[0, w[1:]]
        w -= 0.5 * grad
    # Back to raw feature units.
    raw = w[1:] / std
    bias = w[0] - (w[1:] * mean / std).sum()
    return np.r_[bias, raw]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    assistant = get_assistant(Settings())
    x, y, questions = collect(assistant)
    w = fit(x, y)
    probs = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
    for q, label, p, row in zip(questions, y, probs, x, strict=True):
        flag = "" if (p >= 0.5) == bool(label) else "  <-- sai"
        print(f"{label} {p:.2f} {np.round(row, 3)} {q[:60]}{flag}")
    accuracy = float(((probs >= 0.5) == y.astype(bool)).mean())
    weights = {"bias": round(float(w[0]), 4)} | {
        n: round(float(v), 4) for n, v in zip(NAMES, w[1:], strict=True)
    }
    print(f"accuracy on the development set at 0.5: {accuracy:.3f} ({len(y)} questions)")
    # Answering an out-of-scope question with unrelated provisions misleads; refusing an
    # in-scope one still lists the nearest provisions. So a missed refusal costs twice as
    # much as a false one; the threshold minimises that cost on the development set.
    grid = [round(0.3 + 0.05 * i, 2) for i in range(13)]
    cost = {
        t: 2 * int(((probs >= t) & (y == 0)).sum()) + int(((probs < t) & (y == 1)).sum())
        for t in grid
    }
    threshold = min(grid, key=lambda t: (cost[t], abs(t - 0.5)))
    print(f"threshold {threshold} (cost {cost[threshold]}; cost by threshold {cost})")
    print(json.dumps(weights))
    if args.write:
        WEIGHTS_FILE.write_text(
            json.dumps(
                {
                    "weights": weights,
                    "threshold": threshold,
                    "dev_accuracy_at_0.5": accuracy,
                    "dev_size": len(y),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
