"""Evaluation metrics: pure functions over provision ids, answers and per-case records.

Provision ids are paths ("qd-124-2023/dieu-12/khoan-4/diem-4.3"). A gold id matches a provision
when the gold's path segments are a prefix of the provision's segments, so the gold
"qd-124-2023/dieu-12" matches "qd-124-2023/dieu-12/khoan-1" but "qd-124-2023/dieu-1" does not
match "qd-124-2023/dieu-12".

Conventions for empty or undefined cases:

- Per-case functions raise `ValueError` when the metric is undefined for the case: retrieval
  metrics and citation precision/recall need a non-empty gold list, fact recall needs a
  non-empty fact list. `summarize` leaves such cases out of the metric instead.
- `citation_validity` of an answer with no citations is 1.0 (nothing cited, nothing invalid);
  `summarize` pools validity over all citations of all cases (micro average).
- `citation_precision` and `citation_recall` of an answer with no citations are 0.0: an
  answer that cites nothing supports none of its claims.
- Aggregates over a group of cases (`refusal_recall`, `false_refusal_rate`, `accent_gap`, the
  means in `summarize`) are `None` when no case qualifies.
- In `summarize`, answer-quality metrics (citation precision/recall, fact recall) are computed
  over answerable cases that were *not* refused; false refusals are measured separately by
  `false_refusal_rate`. Cases without gold (out of scope) are excluded from retrieval and
  citation precision/recall; cases without facts (out of scope, `not_covered`) are excluded
  from fact recall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from knowledge.text import fold, normalize

# Path segments that name an article-level unit (a unit that cannot hold another such unit).
_UNIT_PREFIXES = ("dieu-", "nhiem-vu-", "quan-he-", "noi-dung-")
# Path segments that name a container: a unit on their own, unless a unit segment follows.
_CONTAINER_PREFIXES = ("muc-", "chuong-")
_INFO_SEGMENT = "thong-tin"

UNACCENTED_TAG = "unaccented"
NOT_COVERED_TAG = "not_covered"


def _segments(provision_id: str) -> list[str]:
    return [s for s in provision_id.strip().strip("/").split("/") if s]


def matches(gold_id: str, provision_id: str) -> bool:
    """True when the gold id's path segments are a prefix of the provision id's segments.

    >>> matches("qd-124-2023/dieu-12", "qd-124-2023/dieu-12/khoan-1")
    True
    >>> matches("qd-124-2023/dieu-1", "qd-124-2023/dieu-12")
    False
    """
    gold = _segments(gold_id)
    provision = _segments(provision_id)
    return bool(gold) and len(gold) <= len(provision) and provision[: len(gold)] == gold


def _matches_any(provision_id: str, gold: Iterable[str]) -> bool:
    return any(matches(g, provision_id) for g in gold)


def _related(a: str, b: str) -> bool:
    """True when one id is a prefix of the other (the two lie on one branch of the tree)."""
    return matches(a, b) or matches(b, a)


def _require_gold(gold: Sequence[str]) -> None:
    if not gold:
        raise ValueError("metric undefined for a case without gold provisions")


def hit_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1.0 when any of the first `k` retrieved ids matches a gold id, else 0.0.

    Raises:
        ValueError: when `gold` is empty.
    """
    _require_gold(gold)
    return 1.0 if any(_matches_any(r, gold) for r in retrieved[:k]) else 0.0


def reciprocal_rank(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """1 / rank of the first retrieved id (within the first `k`) matching a gold id; 0.0 if none.

    Raises:
        ValueError: when `gold` is empty.
    """
    _require_gold(gold)
    for rank, provision_id in enumerate(retrieved[:k], start=1):
        if _matches_any(provision_id, gold):
            return 1.0 / rank
    return 0.0


def ndcg_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """Normalized DCG at `k` with binary relevance by prefix matching.

    Each gold id is credited at most once: a retrieved id earns gain 1 when it matches a gold id
    not yet credited (when it matches several, the most specific one is credited, which leaves
    the broader gold free for later hits), otherwise gain 0. DCG = sum of gain / log2(rank + 1);
    the ideal DCG places min(len(gold), k) relevant ids at the top ranks.

    Raises:
        ValueError: when `gold` is empty.
    """
    _require_gold(gold)
    pending = list(dict.fromkeys(gold))
    dcg = 0.0
    for rank, provision_id in enumerate(retrieved[:k], start=1):
        candidates = [g for g in pending if matches(g, provision_id)]
        if candidates:
            pending.remove(max(candidates, key=lambda g: len(_segments(g))))
            dcg += 1.0 / math.log2(rank + 1)
    ideal_hits = min(len(set(gold)), k)
    idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal_hits + 1))
    return dcg / idcg if idcg else 0.0


def to_article(provision_id: str) -> str:
    """The article- or section-level id a provision belongs to.

    The id is cut after the first segment (after the document) that names a unit: `dieu-*`,
    `nhiem-vu-*`, `quan-he-*`, `noi-dung-*` or `thong-tin`. A container segment (`muc-*`,
    `chuong-*`) is kept and the walk goes on when a unit segment follows it; otherwise the
    container is the unit:

    - "qd-124-2023/dieu-12/khoan-4/diem-4.3" -> "qd-124-2023/dieu-12"
    - "hd-25-2023/muc-5/muc-5.1" -> "hd-25-2023/muc-5"
    - "qd-125-2023/muc-iii/nhiem-vu-3" -> "qd-125-2023/muc-iii/nhiem-vu-3"
    - "qd-366-2025/chuong-i/noi-dung-1" -> "qd-366-2025/chuong-i/noi-dung-1"
    """
    segments = _segments(provision_id)
    if len(segments) <= 1:
        return "/".join(segments)
    kept = [segments[0]]
    rest = segments[1:]
    for index, segment in enumerate(rest):
        kept.append(segment)
        if segment == _INFO_SEGMENT or segment.startswith(_UNIT_PREFIXES):
            break
        if segment.startswith(_CONTAINER_PREFIXES):
            following = rest[index + 1] if index + 1 < len(rest) else ""
            if following.startswith(_UNIT_PREFIXES):
                continue
            break
        # An unknown segment: keep it as the unit rather than guess further.
        break
    return "/".join(kept)


def to_articles(ids: Iterable[str]) -> list[str]:
    """`to_article` of every id, duplicates removed, first occurrence order kept."""
    return list(dict.fromkeys(to_article(i) for i in ids))


def citation_validity(cited: Sequence[str], known_ids: Iterable[str]) -> float:
    """Share of cited ids that are real provision ids; 1.0 when nothing is cited."""
    if not cited:
        return 1.0
    known = set(known_ids)
    return sum(c in known for c in cited) / len(cited)


def citation_precision(cited: Sequence[str], gold: Sequence[str]) -> float:
    """Share of distinct cited ids on the branch of a gold id (either one a prefix of the other).

    Citing the gold article when the gold is one of its clauses counts as correct, as does
    citing a clause of a gold article. An answer with no citations scores 0.0.

    Raises:
        ValueError: when `gold` is empty.
    """
    _require_gold(gold)
    distinct = list(dict.fromkeys(cited))
    if not distinct:
        return 0.0
    return sum(any(_related(c, g) for g in gold) for c in distinct) / len(distinct)


def citation_recall(cited: Sequence[str], gold: Sequence[str]) -> float:
    """Share of distinct gold ids with at least one citation on their branch; 0.0 if none cited.

    Raises:
        ValueError: when `gold` is empty.
    """
    _require_gold(gold)
    distinct = list(dict.fromkeys(gold))
    return sum(any(_related(c, g) for c in cited) for g in distinct) / len(distinct)


def _fold(text: str) -> str:
    return fold(normalize(text))


def fact_found(answer_text: str, alternatives: Sequence[str]) -> bool:
    """True when any alternative occurs in the answer, case- and diacritic-insensitively."""
    answer = _fold(answer_text)
    return any(alt.strip() and _fold(alt) in answer for alt in alternatives)


def fact_recall(answer_text: str, facts: Sequence[Sequence[str]]) -> float:
    """Share of required facts found in the answer; each fact is a list of alternatives.

    Raises:
        ValueError: when `facts` is empty.
    """
    if not facts:
        raise ValueError("fact recall undefined for a case without facts")
    return sum(fact_found(answer_text, alternatives) for alternatives in facts) / len(facts)


def refusal_recall(cases: Iterable[tuple[bool, bool]]) -> float | None:
    """Share of unanswerable cases that were refused, over (answerable, refused) pairs.

    None when there is no unanswerable case.
    """
    refused = [r for answerable, r in cases if not answerable]
    return sum(refused) / len(refused) if refused else None


def false_refusal_rate(cases: Iterable[tuple[bool, bool]]) -> float | None:
    """Share of answerable cases that were refused, over (answerable, refused) pairs.

    None when there is no answerable case.
    """
    refused = [r for answerable, r in cases if answerable]
    return sum(refused) / len(refused) if refused else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0 <= p <= 100), linear interpolation between closest ranks.

    Same as numpy's default: the value at fractional rank (n - 1) * p / 100 of the sorted values.

    Raises:
        ValueError: when `values` is empty or `p` is outside [0, 100].
    """
    if not values:
        raise ValueError("percentile of an empty list")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile p must be within [0, 100], got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class CaseResult:
    """What one evaluation case produced, with its expectations."""

    answerable: bool
    refused: bool
    retrieved: list[str] = field(default_factory=list)  # ranked provision ids
    cited: list[str] = field(default_factory=list)  # provision ids the answer cites
    gold: list[str] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    answer: str = ""
    latency_ms: float = 0.0
    tags: list[str] = field(default_factory=list)
    id: str = ""
    lead: str = ""  # the answer's lead as shown
    outcome: str = ""  # answered | not_covered | refused (the system's)
    expected_outcome: str = ""  # the case's
    asked: str = ""  # the case's asked type
    frame_asked: str = ""  # the frame's
    frame_polar: bool = False

    @property
    def expected(self) -> str:
        """The expected outcome; older files say it through `answerable` and tags."""
        if self.expected_outcome:
            return self.expected_outcome
        if not self.answerable:
            return "refused"
        return "not_covered" if NOT_COVERED_TAG in self.tags else "answered"

    @property
    def got(self) -> str:
        return self.outcome or ("refused" if self.refused else "answered")

    @classmethod
    def from_mapping(cls, record: Mapping[str, Any]) -> CaseResult:
        return cls(
            answerable=bool(record["answerable"]),
            refused=bool(record.get("refused", False)),
            retrieved=list(record.get("retrieved") or []),
            cited=list(record.get("cited") or []),
            gold=list(record.get("gold") or []),
            facts=[list(f) for f in record.get("facts") or []],
            answer=str(record.get("answer") or ""),
            latency_ms=float(record.get("latency_ms") or 0.0),
            tags=list(record.get("tags") or []),
            id=str(record.get("id") or ""),
            lead=str(record.get("lead") or ""),
            outcome=str(record.get("outcome") or ""),
            expected_outcome=str(record.get("expected_outcome") or ""),
            asked=str(record.get("asked") or ""),
            frame_asked=str(record.get("frame_asked") or ""),
            frame_polar=bool(record.get("frame_polar", False)),
        )


def _as_case(record: CaseResult | Mapping[str, Any]) -> CaseResult:
    return record if isinstance(record, CaseResult) else CaseResult.from_mapping(record)


def _has_gold(case: CaseResult) -> bool:
    return case.answerable and bool(case.gold)


def accent_gap(case_results: Iterable[CaseResult | Mapping[str, Any]], k: int = 5) -> float | None:
    """Mean Hit@k of accented minus unaccented answerable cases (those with gold).

    A case counts as unaccented when tagged `unaccented`. A positive gap means questions typed
    without diacritics retrieve worse. None when either group is empty.
    """
    accented: list[float] = []
    unaccented: list[float] = []
    for case in map(_as_case, case_results):
        if not _has_gold(case):
            continue
        group = unaccented if UNACCENTED_TAG in case.tags else accented
        group.append(hit_at_k(case.retrieved, case.gold, k))
    if not accented or not unaccented:
        return None
    return sum(accented) / len(accented) - sum(unaccented) / len(unaccented)


ABSTAIN = ("refused", "not_covered")


def outcome_block(cases: Sequence[CaseResult]) -> dict[str, float | None]:
    """Lead and outcome metrics over the cases' expected outcomes.

    - `lead_fact_recall`: facts found in the lead alone, over cases expected and given as
      answered (false refusals are counted apart, as for `fact_recall`);
    - `refusal_recall`: cases expected refused or not covered that the system refused or
      said were not covered; `false_refusal_rate`: cases expected answered that it refused
      or said were not covered;
    - `outcome_accuracy`: the exact outcome; `asked_type_accuracy`: the frame's asked type
      (a yes/no question counts when the frame took its yes/no form);
    - the accent gap in lead fact recall (accented minus unaccented).
    """
    answered = [c for c in cases if c.expected == "answered" and c.got == "answered" and c.facts]
    unacc = [c for c in answered if UNACCENTED_TAG in c.tags]
    acc = [c for c in answered if UNACCENTED_TAG not in c.tags]
    abstain = [c for c in cases if c.expected in ABSTAIN]
    expected_answered = [c for c in cases if c.expected == "answered"]
    labelled = [c for c in cases if c.asked and c.frame_asked]
    lead_acc = _mean([fact_recall(c.lead, c.facts) for c in acc])
    lead_unacc = _mean([fact_recall(c.lead, c.facts) for c in unacc])
    return {
        "lead_fact_recall": _mean([fact_recall(c.lead, c.facts) for c in answered]),
        "lead_fact_recall_accented": lead_acc,
        "lead_fact_recall_unaccented": lead_unacc,
        "lead_accent_gap": (lead_acc - lead_unacc)
        if lead_acc is not None and lead_unacc is not None
        else None,
        "refusal_recall": _mean([float(c.got in ABSTAIN) for c in abstain]),
        "false_refusal_rate": _mean([float(c.got in ABSTAIN) for c in expected_answered]),
        "outcome_accuracy": _mean([float(c.got == c.expected) for c in cases]),
        "asked_type_accuracy": _mean(
            [
                float(c.frame_asked == c.asked or (c.asked == "yesno" and c.frame_polar))
                for c in labelled
            ]
        ),
    }


def _retrieval_block(cases: Sequence[CaseResult]) -> dict[str, float | int | None]:
    scored = [c for c in cases if _has_gold(c)]
    gold_articles = [to_articles(c.gold) for c in scored]
    return {
        "n": len(scored),
        "hit@1": _mean([hit_at_k(c.retrieved, c.gold, 1) for c in scored]),
        "hit@3": _mean([hit_at_k(c.retrieved, c.gold, 3) for c in scored]),
        "hit@5": _mean([hit_at_k(c.retrieved, c.gold, 5) for c in scored]),
        "hit@10": _mean([hit_at_k(c.retrieved, c.gold, 10) for c in scored]),
        "mrr@10": _mean([reciprocal_rank(c.retrieved, c.gold, 10) for c in scored]),
        "ndcg@10": _mean([ndcg_at_k(c.retrieved, c.gold, 10) for c in scored]),
        "article_hit@5": _mean(
            [
                hit_at_k(to_articles(c.retrieved), g, 5)
                for c, g in zip(scored, gold_articles, strict=True)
            ]
        ),
    }


def summarize(
    case_results: Iterable[CaseResult | Mapping[str, Any]],
    known_ids: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Every metric over a list of per-case records (`CaseResult` or mappings with its fields).

    Returns a dict with counts, retrieval metrics (`retrieval`: Hit@1/3/5/10, MRR@10, nDCG@10,
    and `article_hit@5`: Hit@5 over the first five distinct articles retrieved, against the
    gold's articles), answer metrics (citation validity when `known_ids` is given, citation
    precision and recall, fact recall), refusal metrics, the accent gap, latency percentiles and
    a per-tag breakdown (`by_tag`: count, Hit@5, fact recall). Means are None when no case
    qualifies; see the module docstring for which cases each metric covers.
    """
    cases = [_as_case(c) for c in case_results]
    answered = [c for c in cases if c.expected == "answered" and c.got == "answered"]
    with_gold = [c for c in cases if c.got != "refused" and c.gold]
    with_facts = [c for c in answered if c.facts]
    latencies = [c.latency_ms for c in cases]

    validity: float | None = None
    if known_ids is not None:
        known = set(known_ids)
        all_cited = [pid for c in cases for pid in c.cited]
        validity = sum(pid in known for pid in all_cited) / len(all_cited) if all_cited else None

    tags = sorted({t for c in cases for t in c.tags})
    by_tag: dict[str, dict[str, float | int | None]] = {}
    for tag in tags:
        tagged = [c for c in cases if tag in c.tags]
        tagged_gold = [c for c in tagged if _has_gold(c)]
        tagged_facts = [
            c for c in tagged if c.expected == "answered" and c.got == "answered" and c.facts
        ]
        by_tag[tag] = {
            "n": len(tagged),
            "hit@5": _mean([hit_at_k(c.retrieved, c.gold, 5) for c in tagged_gold]),
            "fact_recall": _mean([fact_recall(c.answer, c.facts) for c in tagged_facts]),
            "lead_fact_recall": _mean([fact_recall(c.lead, c.facts) for c in tagged_facts]),
        }
    by_asked: dict[str, dict[str, float | int | None]] = {}
    for asked in sorted({c.asked for c in cases if c.asked}):
        group = [c for c in cases if c.asked == asked]
        with_lead = [
            c for c in group if c.expected == "answered" and c.got == "answered" and c.facts
        ]
        by_asked[asked] = {
            "n": len(group),
            "lead_fact_recall": _mean([fact_recall(c.lead, c.facts) for c in with_lead]),
            "outcome_accuracy": _mean([float(c.got == c.expected) for c in group]),
            "asked_type_accuracy": _mean(
                [
                    float(c.frame_asked == asked or (asked == "yesno" and c.frame_polar))
                    for c in group
                ]
            ),
        }

    unaccented = [c for c in cases if _has_gold(c) and UNACCENTED_TAG in c.tags]
    accented = [c for c in cases if _has_gold(c) and UNACCENTED_TAG not in c.tags]
    return {
        "n_cases": len(cases),
        "n_answerable": sum(c.answerable for c in cases),
        "n_unanswerable": sum(not c.answerable for c in cases),
        "retrieval": _retrieval_block(cases),
        "citation_validity": validity,
        "citation_precision": _mean([citation_precision(c.cited, c.gold) for c in with_gold]),
        "citation_recall": _mean([citation_recall(c.cited, c.gold) for c in with_gold]),
        "fact_recall": _mean([fact_recall(c.answer, c.facts) for c in with_facts]),
        **outcome_block(cases),
        "hit@5_accented": _mean([hit_at_k(c.retrieved, c.gold, 5) for c in accented]),
        "hit@5_unaccented": _mean([hit_at_k(c.retrieved, c.gold, 5) for c in unaccented]),
        "accent_gap": accent_gap(cases),
        "latency_ms": {
            "p50": percentile(latencies, 50) if latencies else None,
            "p95": percentile(latencies, 95) if latencies else None,
            "mean": _mean(latencies),
        },
        "by_tag": by_tag,
        "by_asked": by_asked,
    }
