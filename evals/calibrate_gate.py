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
from assistant.gate import WEIGHTS_FILE, features
from assistant.settings import Settings

DEV = Path(__file__).parent / "gate_dev.yaml"
NAMES = ("coverage", "dense", "keyword", "agree")


def collect(assistant) -> tuple[np.ndarray, np.ndarray, list[str]]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    rows, labels, questions = [], [], []
    for label, key in ((1, "in_scope"), (0, "out_of_scope")):
        for question in data[key]:
            understood = assistant.understand(question, [])
            result = assistant.retriever.search(understood)
            f = features(result.query, result, assistant.retriever.keyword, assistant.passages)
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
    print(f"accuracy on the development set: {accuracy:.3f} ({len(y)} questions)")
    print(json.dumps(weights))
    if args.write:
        WEIGHTS_FILE.write_text(
            json.dumps({"weights": weights, "dev_accuracy": accuracy, "dev_size": len(y)}, indent=2)
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
