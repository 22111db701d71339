"""Is the question answerable from the pack? Decided from the frame and the plan.

The search evidence (assistant/gate.py: term coverage, dense and keyword scores, the rarest
missing word, another document named) is joined by what the planner found: whether the
chosen provision has a span of the asked type, how much of the question the chosen provision
covers, and whether the question is in the documents' domain at all. A logistic model over
these, fitted by evals/calibrate.py on development questions only, gives the probability;
requests the chat cannot do (a quiz, a draft) are refused outright.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.stages.plan import Plan
from assistant.stages.scoring import WANTED
from assistant.stages.words import COMMON, QUESTION_PHRASES
from assistant.types import Asked, Frame
from knowledge.text import fold
from knowledge.vocabulary import VOCABULARY_FILE, vocabulary

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "decide.json"
# Words of the documents' domain and of the way questions are asked ("hạn chót", "hôm nào"):
# they say how to answer, not what the question is about.
GENERIC_EXTRA = (
    "cuối năm",
    "hằng năm",
    "theo",
    "năm nay",
    "hiện nay",
    "hiện hành",
    "hiện tại",
    "gồm",
    "bao gồm",
    "thế nào là",
    "văn bản",
    "trường hợp",
    "thế nào",
    "như thế nào",
    "quy định mới",
    "bây giờ",
    "hiện giờ",
    "lúc này",
    "trước đây",
    "so với",
    "khác gì",
    "khác nhau",
    "có khác",
    "nữa",
    *QUESTION_PHRASES,
)
PLAN_FEATURES = (
    "span_found",
    "lead_coverage",
    "in_domain",
    "named",
    "specific_coverage",
    "specific_missing",
    "outside",
)


@dataclass(frozen=True)
class Decision:
    answerable: bool
    probability: float
    features: dict[str, float]
    reason: str = ""  # why a question was refused outright
    by: str = "model"  # "model", or what decided outright: "request", "reference"


def plan_features(
    frame: Frame, plan: Plan, question: str, words, idf, references: list[str]
) -> dict:
    """What the plan says about answerability."""
    asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
    wanted = WANTED.get(asked, set())
    primary = plan.primary or plan.nearest
    span_found = 1.0
    coverage = specific = 0.0
    missing = 1.0
    if primary is not None:
        context = " ".join(
            [primary.clause, primary.provision.title, *primary.provision.heading_path]
            + ([primary.span.text, *primary.span.items] if primary.span else [])
        )
        asked_terms = words(question)
        total = sum(idf(t) for t in asked_terms) or 1.0
        found = words(context)
        coverage = sum(idf(t) for t in asked_terms & found) / total
        if wanted and (primary.span is None or primary.span.kind not in wanted):
            # A plain line answers in words when it says nearly all the question asks.
            span_found = 1.0 if primary.span is None and coverage >= 0.7 else 0.0
        # The words that say what this question is about, beyond the documents' everyday
        # vocabulary ("cảnh cáo" in "kỷ luật cảnh cáo do cấp nào quyết định"), must be in the
        # provision that answers, not just somewhere in the pack.
        own = primary.provision
        whole = words(" ".join([own.full_text, own.title, *own.heading_path, own.coverage_note]))
        specific_terms = _specific(asked_terms, words)
        if specific_terms:
            weights = {t: idf(t) for t in specific_terms}
            specific = sum(w for t, w in weights.items() if t in whole) / sum(weights.values())
            absent = [w for t, w in weights.items() if t not in whole]
            missing = max(absent, default=0.0) / max(weights.values())
        else:
            specific, missing = 1.0, 0.0
    elif plan.outcome == "not_covered" and plan.placeholder is not None:
        # What the question asks must be what the provision without content is about.
        own = plan.placeholder
        about = words(" ".join([own.title, own.coverage_note, *own.heading_path]))
        asked_terms = words(question)
        specific_terms = _specific(asked_terms, words)
        weights = {t: idf(t) for t in specific_terms}
        if weights:
            specific = sum(w for t, w in weights.items() if t in about) / sum(weights.values())
            absent = [w for t, w in weights.items() if t not in about]
            missing = max(absent, default=0.0) / max(weights.values())
        else:
            specific, missing = 1.0, 0.0
        coverage = specific
    return {
        "span_found": span_found,
        "lead_coverage": round(coverage, 4),
        "in_domain": min(vocabulary().in_domain(fold(question)), 3) / 3,
        # As typed (the searched query may have had its diacritics put back).
        "outside": min(vocabulary().outside_in(frame.question), 2) / 2,
        "named": 1.0 if (references or frame.documents) else 0.0,
        "specific_coverage": round(specific, 4),
        "specific_missing": round(missing, 4),
    }


@functools.cache
def generic_text() -> str:
    """The documents' everyday words and the ways questions ask, as one text."""
    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    terms = list(raw["domain"]) + list(raw["subjects"]["collective"])
    terms += list(raw["subjects"]["individual"]) + [t for ts in raw["levels"].values() for t in ts]
    return " ; ".join(terms + list(GENERIC_EXTRA))


@functools.cache
def vocabulary_text() -> str:
    """Every term of the closed vocabulary: subjects, roles, levels, domain words."""
    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    terms = list(raw["domain"]) + [t for ts in raw["levels"].values() for t in ts]
    for group in ("subjects", "roles"):
        for values in raw[group].values():
            terms += [v for v in values if isinstance(v, str)]
    return " ; ".join(terms)


def _specific(terms: frozenset[str], words) -> frozenset[str]:
    """The terms that say what a question is about: not the documents' everyday words, nor
    a pair of syllables of two such words side by side ("loại cuối" of "xếp loại cuối
    năm", "giờ so" of "bây giờ so với")."""
    generic = generic_words(words)
    common = _generic_syllables(generic)
    return frozenset(
        t
        for t in terms - generic
        if not ("_" in t and all(part in common or part in COMMON for part in t.split("_")))
    )


@functools.cache
def _generic_syllables(generic: frozenset[str]) -> frozenset[str]:
    return frozenset(part for term in generic for part in term.split("_"))


def generic_words(words) -> frozenset[str]:
    """The documents' everyday words (kiểm điểm, đảng viên, xếp loại…)."""
    return words(generic_text())


@functools.cache
def fitted() -> tuple[dict[str, float], float]:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return data["weights"], data["threshold"]


def decide(
    features: dict[str, float],
    frame: Frame,
    weights: dict[str, float] | None = None,
    threshold: float | None = None,
) -> Decision:
    if frame.request is not None:
        return Decision(False, 0.0, features, reason=frame.request, by="request")
    w, t = fitted()
    w, t = weights or w, t if threshold is None else threshold
    z = w["bias"] + sum(w.get(name, 0.0) * value for name, value in features.items())
    p = 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
    return Decision(p >= t, round(p, 4), features)
