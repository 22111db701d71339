"""Suggested next questions, derived deterministically from what an answer cited.

For an answer: the cited provisions' siblings (the other clauses of the same article), then
the neighbouring articles of the same document, taken in turn from each cited provision so
that the suggestions cover more than one place. For a refusal: the nearest provisions
themselves. Each provision becomes a question about its title ("Quan điểm, nguyên tắc theo
Điều 3 của Quy định 124-QĐ/TW là gì?") or, without one, about its label.
"""

from __future__ import annotations

import re
from itertools import zip_longest

from assistant import prompts
from assistant.types import Answer
from knowledge.pack import Pack
from knowledge.types import Coverage, Provision, ProvisionKind

TOPIC_MAX_CHARS = 70  # a first line longer than this is not used as a topic
PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def question_for(provision: Provision, pack: Pack) -> str:
    """A question about one provision, in words the retriever resolves back to it."""
    document = pack.document(provision.doc_id)
    topic = _topic(provision)
    if topic:
        return prompts.SUGGEST_TOPIC.format(
            topic=topic, label=provision.label, document=document.name
        )
    return prompts.SUGGEST_PROVISION.format(label=provision.label, document=document.name)


def suggest(answer: Answer, pack: Pack, n: int = 3) -> list[str]:
    """Up to `n` follow-up questions for an answer, the same every time for the same answer.

    Args:
        answer: the answer just given (its citations, or its hits for a refusal).
        pack: the knowledge pack the answer was made from.
        n: how many questions at most.

    Returns:
        Distinct questions, none equal to the question just asked.
    """
    if answer.refused or not answer.citations:
        candidates = [pack[h.id] for h in answer.hits[:n] if h.id in pack]
        exclude: set[str] = set()
    else:
        cited = [pack[c.id] for c in answer.citations if c.id in pack]
        exclude = {c.id for c in cited} | {a for c in cited for a in c.ancestor_ids}
        # Round robin over the cited provisions: the first candidate near each, then the
        # second…; then the rest of the cited documents, in reading order.
        rows = zip_longest(*(_around(p, pack) for p in cited))
        candidates = [p for row in rows for p in row if p is not None]
        for doc_id in dict.fromkeys(p.doc_id for p in cited):
            candidates += pack.trees[doc_id].units()
    asked = {answer.question.strip(), answer.understood.strip()}
    questions: list[str] = []
    for provision in candidates:
        if provision.id in exclude or provision.kind is ProvisionKind.INFO:
            continue
        if provision.coverage is Coverage.NONE:
            continue
        question = question_for(provision, pack)
        if question not in asked and question not in questions:
            questions.append(question)
        if len(questions) == n:
            break
    return questions


def _around(provision: Provision, pack: Pack) -> list[Provision]:
    """Candidates near a cited provision: its siblings, its article's clauses, then the
    articles before and after it in the same document."""
    article = pack.article_of(provision)
    out: list[Provision] = []
    if provision.parent_id and provision.id != article.id:
        out += pack.children(pack[provision.parent_id])
    out += pack.children(article)
    units = pack.trees[provision.doc_id].units()
    ids = [u.id for u in units]
    if article.id in ids:
        i = ids.index(article.id)
        out += [units[j] for j in (i + 1, i - 1) if 0 <= j < len(units)]
    return out


def _topic(provision: Provision) -> str:
    """The provision's title, or its first line when that line is a short heading; without
    asides in parentheses, and none when it already refers elsewhere ("… theo khoản 2")."""
    topic = provision.title or provision.text.split("\n", 1)[0]
    if not provision.title and (topic.startswith(("-", "(", ">")) or topic.rstrip().endswith(":")):
        return ""
    topic = PARENTHESIS.sub("", topic).strip().rstrip(".:;").strip()
    if len(topic) > TOPIC_MAX_CHARS or " theo " in f" {topic.lower()} ":
        return ""
    return topic
