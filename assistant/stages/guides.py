"""A document and the one it guides, named together ("Theo Quy định 124 và Hướng dẫn 05 của
Tỉnh ủy Đồng Nai …"): the answer leads with one and quotes the other's rule after it.

The relation is the front matter's `guides:` (knowledge.registry), so it holds for any
document a user ingested, not for a list of ids; the shipped digests state none, and their
answers are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.types import Frame
from knowledge.registry import related_by_guidance

if TYPE_CHECKING:
    from assistant.stages.plan import Plan, Planner

# Provisions of the guided document that search did not return are still candidates.
UNSEARCHED_PRIOR = 0.4


def add_guided(planner: Planner, plan: Plan, pool: dict, frame: Frame, question: str) -> None:
    """When the question names the primary's document and a document related to it by
    guidance, make that document's best provision the secondary (in place of another
    cycle's rule the question did not name)."""
    primary = plan.primary
    pack = planner.pack
    if primary is None or len(frame.documents) < 2:
        return
    if plan.secondary is not None and plan.secondary.doc_id in frame.documents:
        return
    own = pack.document(primary.doc_id)
    related = [
        d
        for d in frame.documents
        if d != primary.doc_id and d in pack.trees and related_by_guidance(own, pack.document(d))
    ]
    if not related:
        return
    other = related[0]
    wider = dict(pool)
    for provision in pack.trees[other].provisions:
        wider.setdefault(provision.id, (provision, UNSEARCHED_PRIOR))
    choice = planner.best(wider, frame, question, restrict=lambda p: p.doc_id == other)
    if choice is not None:
        plan.secondary = choice
        if choice.provision.id not in pool:
            pool[choice.provision.id] = (choice.provision, UNSEARCHED_PRIOR)
