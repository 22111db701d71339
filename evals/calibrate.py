"""Fit the answerability decision (assistant/stages/decide.py) on development questions only.

The development data are evals/questions.yaml, evals/dev_extra.yaml and evals/dev_extra2.yaml
(the dev split; their `outcome` says answered, not_covered or refused) and evals/gate_dev.yaml,
evals/gate_dev_extra.yaml (in- and out-of-scope questions, with hard near-domain negatives).
The frozen test split, evals/test_questions.yaml, is never read here.

.venv/bin/python -m evals.calibrate           # print features, fit, report
.venv/bin/python -m evals.calibrate --write   # also write assistant/data/decide.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import yaml

from assistant.answering import Assistant
from assistant.gate import NAMES
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.stages.decide import PLAN_FEATURES, WEIGHTS_FILE

ROOT = Path(__file__).parent
QUESTION_FILES = tuple(ROOT / f for f in ("questions.yaml", "dev_extra.yaml", "dev_extra2.yaml"))
GATE_FILES = (ROOT / "gate_dev.yaml", ROOT / "gate_dev_extra.yaml")
DEV_FILES = (*QUESTION_FILES, *GATE_FILES)
FEATURES = (*NAMES, *PLAN_FEATURES)


def dev_cases() -> list[tuple[str, list[dict], int]]:
    """(question, history, 1 = in scope / 0 = out of scope) for every dev question."""
    cases = []
    for path in QUESTION_FILES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            outcome = case.get("outcome", "answered" if case["answerable"] else "refused")
            cases.append((case["question"], case.get("history") or [], int(outcome != "refused")))
    for path in GATE_FILES:
        gate = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases += [(q, [], 1) for q in gate["in_scope"]]
        cases += [(q, [], 0) for q in gate["out_of_scope"]]
    return cases


def collect(assistant: Assistant):
    rows, labels, questions = [], [], []
    for question, history, label in dev_cases():
        _, _, _, _, decision = assistant.run(question, history)
        if decision.by != "model":
            continue  # decided outright (a named document, a request): not the model's to learn
        rows.append([decision.features.get(n, 0.0) for n in FEATURES])
        labels.append(label)
        questions.append(question)
    return np.array(rows, dtype=float), np.array(labels), questions


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
    raw = w[1:] / std
    bias = w[0] - (w[1:] * mean / std).sum()
    return np.r_[bias, raw]


def out_of_fold(x: np.ndarray, y: np.ndarray, l2: float, folds: int = 5) -> np.ndarray:
    """Each question's probability from a model fitted without it (fixed, interleaved folds)."""
    probs = np.zeros(len(y))
    for k in range(folds):
        test = np.arange(len(y)) % folds == k
        w = fit(x[~test], y[~test], l2=l2, steps=6000)
        probs[test] = 1 / (1 + np.exp(-(w[0] + x[test] @ w[1:])))
    return probs


def choose_l2(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The regularisation with the lowest out-of-fold log loss, and its probabilities."""
    best = None
    for l2 in (0.01, 0.05, 0.2, 0.5):
        probs = np.clip(out_of_fold(x, y, l2), 1e-6, 1 - 1e-6)
        loss = float(-(y * np.log(probs) + (1 - y) * np.log(1 - probs)).mean())
        print(f"l2 {l2}: out-of-fold log loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, l2, probs)
    assert best is not None
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    settings = Settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
    assistant = Assistant(Retriever.load(settings))
    x, y, questions = collect(assistant)
    # Regularisation and threshold are chosen on out-of-fold probabilities (5 folds), so the
    # threshold is not set on the very questions the weights were fitted to.
    l2, folded = choose_l2(x, y)
    w = fit(x, y, l2=l2)
    for q, label, p in zip(questions, y, folded, strict=True):
        if (p >= 0.5) != bool(label):
            print(f"  sai (ngoài fold): {label} {p:.2f} {q[:80]}")
    accuracy = float(((folded >= 0.5) == y.astype(bool)).mean())
    print(f"out-of-fold accuracy at 0.5: {accuracy:.3f} ({len(y)} questions, l2 {l2})")
    # The targets bound both errors (refusal recall ≥ 0.92, false refusals ≤ 0.04), so a missed
    # refusal and a false one cost the same; the threshold minimises their sum on the
    # out-of-fold probabilities.
    grid = [round(0.3 + 0.05 * i, 2) for i in range(13)]
    cost = {
        t: int(((folded >= t) & (y == 0)).sum()) + int(((folded < t) & (y == 1)).sum())
        for t in grid
    }
    threshold = min(grid, key=lambda t: (cost[t], abs(t - 0.5)))
    weights = {"bias": round(float(w[0]), 4)} | {
        n: round(float(v), 4) for n, v in zip(FEATURES, w[1:], strict=True)
    }
    print(f"threshold {threshold} (cost {cost[threshold]}); weights {json.dumps(weights)}")
    if args.write:
        WEIGHTS_FILE.write_text(
            json.dumps(
                {
                    "weights": weights,
                    "threshold": threshold,
                    "out_of_fold_accuracy_at_0.5": round(accuracy, 4),
                    "l2": l2,
                    "dev_size": len(y),
                    "fitted_on": [str(p.relative_to(ROOT.parent)) for p in DEV_FILES],
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
