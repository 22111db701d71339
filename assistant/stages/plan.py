"""The plan: which provision answers, which span to lead with, and which cycle applies.

The planner scores (provision, span) pairs from the search hits, the provisions inside them
and their counterparts on the old→new map: the span must be of the asked type, about the
asked subject (collective or individual, the role, the rating level), from the documents the
question names or the cycle it means, and close in words to the question. It then decides the
outcome (`answered`, `not_covered`) and, for questions about now, puts the 2025 rule first and
the 2023–2024 rule after it (the reverse for questions about 2023 or 2024).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.stages.cues import (
    ASKS_LEVEL,
    CHANGE_WORDS,
    COMPARING_WORDS,
    COUNTED_NOUN,
    FOR_WHOM,
    META_ONLY,
    QUESTION_SCORE,
    USERS_SAID,
    appendix_detail,
    asks_meaning_of,
    counted_noun,
    defined_term,
    refers_elsewhere,
)
from assistant.stages.guides import add_guided
from assistant.stages.scoring import (
    NEW_DOCS,
    OLD_DOCS,
    WANTED,
    Choice,
    Scorer,
    _fits,
    _other_cycle,
)
from assistant.stages.words import COMMON, Words
from assistant.types import Asked, Frame, Hit, Period
from knowledge.pack import Pack
from knowledge.spans import SpanIndex, _lines, sentence
from knowledge.succession import Topic
from knowledge.text import abbreviations, fold
from knowledge.types import Coverage, Provision, ProvisionKind, SpanKind
from knowledge.vocabulary import vocabulary

COUNTED_PRIOR = 0.45  # the prior of a provision found by the noun it counts
DEFINED_PRIOR = 0.8  # the prior of a provision that defines the term a question asks about
STATED_MARGIN = 0.5  # how far behind the best line a span of the asked type may score
UNSTATED_OVERLAP = 0.5  # how much of what the chosen line lacks a provision's title must name
UNIT_WORDS = "phần trăm điểm ngày tháng năm người số lượng bao nhiêu tối đa tối thiểu"
NOT_THIS_POINT = "bản tóm lược chưa có quy định của văn bản mới về đúng điểm này"
# Asked types whose answer is a typed span: without one, the digest does not state it.
# "Khi nào …?" without a date word asks when in words as often as by date ("khi cần
# thiết", "sau khi đã đánh giá cấp dưới"): a line that says it answers.
SOFT_WHEN = re.compile(r"^(?!.*\b(ngay|han|thoi han|truoc ngay|thang)\b).*\b(khi nao|luc nao)\b")
STATED = {
    Asked.DEADLINE: "thời hạn, thời điểm",
    Asked.NUMBER: "con số",
    Asked.FORM: "biểu mẫu",
    Asked.COUNT: "số lượng",
}
# How much of the old rule's overlap with the question the successor's line must keep.
ANSWERS_LIKE = 0.5


@dataclass
class Plan:
    outcome: str  # "answered" | "not_covered"
    primary: Choice | None = None
    secondary: Choice | None = None  # the other cycle's rule
    gap: str = ""  # the applicable cycle's rule is not confirmed in the digest
    gap_topic: Topic | None = None
    placeholder: Provision | None = None  # the provision without content, for not_covered
    missing: str = (
        ""  # what was asked and no covered provision states ("thời hạn"), for not_covered
    )
    nearest: Choice | None = None  # the closest provision, which does not state it
    nearest_says: bool = False  # its line is worth saying ("Phụ lục 4: cá nhân …")
    by_score: bool = False  # the level whose score range holds the points the question gives
    added: list[Hit] = field(default_factory=list)  # provisions found inside hits or by the map
    topics: list[Topic] = field(default_factory=list)  # for comparisons: the map's topics
    related: list[str] = field(default_factory=list)  # sources listed after the chosen ones
    absent: str = ""  # a part the question names that the pack does not have, in words


class Planner(Scorer):
    """Plans answers over one pack; built once per loaded assistant."""

    def __init__(self, pack: Pack, spans: SpanIndex, idf: Callable[[str], float], words: Words):
        super().__init__(pack, spans, idf, words)
        self.placeholders = [p for p in pack.provisions.values() if p.coverage is Coverage.NONE]
        self.counted = counted_provisions(pack, spans)
        self.defining = defining_provisions(pack)

    # --- candidates ---------------------------------------------------------------------

    def _subtree(self, provision: Provision) -> list[Provision]:
        out, stack = [], [provision]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(self.pack[c] for c in reversed(node.children_ids))
        return out

    def candidates(self, hits: list[Hit], frame: Frame) -> dict[str, tuple[Provision, float]]:
        """Provisions worth planning with, each with a prior from its rank: the hits, the
        provisions inside them, and their counterparts on the old→new map."""
        found: dict[str, tuple[Provision, float]] = {}

        def add(provision: Provision, prior: float) -> None:
            if provision.id not in found or found[provision.id][1] < prior:
                found[provision.id] = (provision, prior)

        for rank, hit in enumerate(hits[:8]):
            if hit.id not in self.pack:
                continue
            prior = 1.0 / (1.0 + 0.35 * rank)
            provision = self.pack[hit.id]
            for node in self._subtree(provision)[:40]:
                add(node, prior * (1.0 if node is provision else 0.92))
            if rank < 5:
                for other in self.counterparts(provision):
                    for node in self._subtree(other)[:40]:
                        add(node, prior * 0.85)
        noun = counted_noun(frame.question) if frame.asked is Asked.COUNT else None
        if noun:
            # "Có mấy mức xếp loại?": the provisions that state a count of that noun, which a
            # short question may not bring up by search.
            # What the question says of the noun ("mức xếp loại", "bước chuẩn bị") must be
            # in the provision too.
            folded = fold(frame.question)
            asked_count = COUNTED_NOUN.search(folded)
            after = folded[asked_count.end() :].split()[:2] if asked_count else []
            said = [w for w in after if w not in COMMON]
            for provision in self.counted.get(noun, ()):
                text = fold(f"{provision.title} {provision.full_text}")
                if all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in said):
                    add(provision, COUNTED_PRIOR)
        for term, provisions in self.defining.items():
            # "Tập thể gồm những ai?": the provisions that define the term, which search
            # may rank below the many lines that only use it.
            if asks_meaning_of(term, frame.question):
                for provision in provisions:
                    add(provision, DEFINED_PRIOR)
        return found

    def counterparts(self, provision: Provision) -> list[Provision]:
        """The provisions on the other side of the old→new map."""
        succession = self.pack.succession
        out: list[Provision] = []
        for side, other in (("old", "new"), ("new", "old")):
            for topic in succession.topics_for(provision.id, side)[:2]:
                for pid in getattr(topic, other).provisions:
                    if pid in self.pack and self.pack[pid].coverage is not Coverage.NONE:
                        out.append(self.pack[pid])
        for topic in succession.topics:
            if topic.note_id == provision.id:
                # A comparison note found ("so sánh … nguyên tắc"): the rules it compares.
                for pid in (*topic.new.provisions, *topic.old.provisions):
                    if pid in self.pack and self.pack[pid].coverage is not Coverage.NONE:
                        out.append(self.pack[pid])
        return out

    def best(
        self,
        pool: dict[str, tuple[Provision, float]],
        frame: Frame,
        question: str,
        restrict: Callable[[Provision], bool] | None = None,
        spans_only: bool = False,
        units: bool = True,
    ) -> Choice | None:
        wanted = self.wanted(frame, question, units)
        question_terms = self.words(question)
        best: Choice | None = None
        for provision, prior in pool.values():
            if restrict and not restrict(provision):
                continue
            for choice in self.score(provision, prior, frame, question_terms, wanted):
                if spans_only and not _fits(choice, wanted, question):
                    continue
                if best is None or choice.score > best.score:
                    best = choice
        return best

    # --- the plan -----------------------------------------------------------------------

    def plan(
        self,
        frame: Frame,
        question: str,
        hits: list[Hit],
        references: list[str],
        unresolved: list[str] | None = None,
    ) -> Plan:
        pool = self.candidates(hits, frame)
        if unresolved:
            # "Điều 30 của Quy định 124", "khoản 9 Điều 12": the pack has no such part; its
            # neighbours are not the answer.
            return Plan("not_covered", absent=unresolved[0], added=self._added(pool, hits))
        named = [self.pack[r] for r in references if r in self.pack]
        # A provision the question names and the digest has no content for: say so.
        if named and named[0].coverage is Coverage.NONE:
            return Plan("not_covered", placeholder=named[0], added=self._added(pool, hits))
        if named and frame.asked is Asked.CONTENT and named[0].kind is not ProvisionKind.INFO:
            # "Điều 11 Quy định 366 nói gì?": the named provision itself, in brief.
            first = named[0]
            plan = Plan(
                "answered",
                primary=Choice(first, None, 10.0, first.text, overview=True),
                added=self._added(pool, hits),
            )
            self._cycle(plan, pool, frame, question)
            return plan
        if named and named[0].kind is not ProvisionKind.INFO:
            # A named provision ("Điều 12"): answer from it. A named document alone is the
            # frame's document filter, not a provision to answer from.
            first = named[0]
            pool = {
                pid: value
                for pid, value in pool.items()
                if pid == first.id
                or pid.startswith(first.id + "/")
                or value[0].kind is ProvisionKind.INFO
            } or pool
        appendix = self._appendix(frame, question)
        if appendix is not None:
            # The digest says whom each appendix is for, not the criteria and points in it.
            return Plan(
                "not_covered",
                missing=f"các tiêu chí và số điểm cụ thể trong phụ lục {appendix[0]}",
                nearest=appendix[1],
                nearest_says=True,
                added=self._added(pool, hits),
            )
        if frame.asked is Asked.COMPARISON:
            topics = self._topics(frame, question, hits)
            if topics:
                for topic in topics:
                    if topic.note_id in self.pack:
                        note = self.pack[topic.note_id]
                        pool.setdefault(note.id, (note, 0.9))
                first = self.pack[topics[0].note_id]
                return Plan(
                    "answered",
                    primary=Choice(first, None, 0.0, first.text),
                    topics=topics,
                    added=self._added(pool, hits),
                )
        if frame.premise is not None and frame.premise.kind == "form":
            holder = self._form_holder(frame, question)
            if holder is not None:
                pool.setdefault(holder.provision.id, (holder.provision, 0.9))
                if FOR_WHOM.search(fold(question)) and not USERS_SAID.search(holder.clause):
                    # "Mẫu 2A dành cho ai?": the line only lists the codes; who uses which
                    # is not in the digest.
                    return Plan(
                        "not_covered",
                        missing="nhóm người dùng của mẫu này",
                        nearest=holder,
                        added=self._added(pool, hits),
                    )
                return Plan("answered", primary=holder, added=self._added(pool, hits))
        by_score = self._level_by_score(frame, question)
        primary = by_score or self.best(pool, frame, question)
        top = self.pack[hits[0].id] if hits and hits[0].id in self.pack else None
        if top is not None and top.coverage is Coverage.NONE and _other_cycle(top, frame):
            top = None  # "năm 2024 …": a 2025 provision without content is not the gap
        if primary is None or (
            top is not None and top.coverage is Coverage.NONE and primary.score < 3.0 * 0.55 + 1.2
        ):
            if top is not None and top.coverage is Coverage.NONE:
                return Plan("not_covered", placeholder=top, added=self._added(pool, hits))
            if primary is None:
                return Plan("not_covered", placeholder=top, added=self._added(pool, hits))
        placeholder = (
            None if named else self._named_placeholder(pool, hits, frame, question, primary)
        )
        if placeholder is None and META_ONLY.match(primary.clause):
            # "Tiểu mục này có hướng dẫn về …": the digest knows the topic, not the rule.
            placeholder = primary.provision
        if placeholder is not None:
            return Plan("not_covered", placeholder=placeholder, added=self._added(pool, hits))
        asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
        soft_when = asked is Asked.DEADLINE and SOFT_WHEN.search(fold(question)) is not None
        if asked in STATED and not frame.polar and not named and not soft_when:
            wanted = self.wanted(frame, question) & WANTED[asked]
            if not _fits(primary, wanted, question):
                # A span of the asked type close behind the best line answers instead.
                stated = self.best(pool, frame, question, spans_only=True)
                if stated is not None and stated.score >= primary.score - STATED_MARGIN:
                    primary = stated
            if not _fits(primary, wanted, question) and primary.doc_id in OLD_DOCS:
                # "Bây giờ … cần bao nhiêu điểm": the 2023 rule counts no points; the rule
                # that applies now may state them.
                if frame.time in (Period.NOW, Period.NEW) and not set(frame.documents) & set(
                    OLD_DOCS
                ):
                    stated = self.best(pool, frame, question, restrict=_is_new, spans_only=True)
                    primary = stated or primary
            if not _fits(primary, wanted, question):
                # A deadline, a number, a form or a count no covered provision states: say so,
                # rather than lead with a line that does not hold it.
                return Plan(
                    "not_covered",
                    missing=STATED[asked],
                    nearest=primary,
                    added=self._added(pool, hits),
                )
        if asked in STATED and not frame.polar and not named:
            about = self._unstated(primary, frame, question, hits, pool)
            if about is not None:
                # The provision titled with what was asked ("Tỷ lệ xếp loại …") does not give
                # the value: the value found answers something else.
                return Plan(
                    "not_covered",
                    missing=STATED[asked],
                    nearest=about,
                    added=self._added(pool, hits),
                )
        plan = Plan("answered", primary=primary, by_score=by_score is not None)
        self._cycle(plan, pool, frame, question)
        if (
            by_score is not None
            and plan.secondary is not None
            and plan.secondary.doc_id in OLD_DOCS
        ):
            plan.secondary = None  # the 2023–2024 levels were not given by a score
        add_guided(self, plan, pool, frame, question)
        plan.added = self._added(pool, hits)
        return plan

    def _appendix(self, frame: Frame, question: str) -> tuple[str, Choice] | None:
        """The appendix a question asks the contents of, with the line that only says whom
        it is for ("Phụ lục 4: cá nhân không giữ chức vụ …")."""
        number = appendix_detail(fold(question))
        if number is None:
            return None
        label = re.compile(rf"^-?\s*phu luc {number}\s*:")
        for provision in self.pack.provisions.values():
            if frame.documents and provision.doc_id not in frame.documents:
                continue
            for line in _lines(provision):
                if label.match(fold(line)):
                    return number, Choice(provision, None, 1.0, line.lstrip("- ").strip())
        return None

    def _residual(self, question_terms: frozenset[str], primary: Choice) -> frozenset[str]:
        """What the question names beyond the chosen line, its provision's title and
        headings, and the documents' everyday words."""
        from assistant.stages.decide import generic_words

        own = primary.provision
        said = self.words(" ".join([primary.clause, own.title, *own.heading_path]))
        return question_terms - said - generic_words(self.words)

    def _unstated(
        self, primary: Choice, frame: Frame, question: str, hits: list[Hit], pool
    ) -> Choice | None:
        """A partly covered provision among the top hits whose title names what the
        question asks beyond the chosen line ("tỷ lệ" in "tỷ lệ … tối đa bao nhiêu phần
        trăm"), with no span of the asked type: the digest lacks that value."""
        asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
        wanted = WANTED.get(asked, set())
        own = primary.provision
        residual = self._residual(self.words(question), primary) - self.words(UNIT_WORDS)
        if not residual:
            return None
        for hit in hits[:6]:
            provision = self.pack.provisions.get(hit.id)
            if provision is None or provision.id == own.id or not provision.title:
                continue
            if provision.coverage is not Coverage.PARTIAL:
                continue
            if any(s.kind in wanted for s in self.spans.of(provision.id)):
                continue
            if provision.doc_id != own.doc_id and not _same_cycle(provision, own, frame):
                continue  # the other cycle's gap: said after the rule the digest has
            if self._overlap(residual, provision.title) >= UNSTATED_OVERLAP:
                prior = pool.get(provision.id, (provision, 0.5))[1]
                return Choice(provision, None, 3.0 * prior, provision.title)
        return None

    def _named_placeholder(
        self, pool, hits: list[Hit], frame: Frame, question: str, primary: Choice
    ) -> Provision | None:
        """A provision without content that the question names by its topic ("nhiệm vụ
        lãnh đạo công tác kiểm tra, giám sát" is nhiệm vụ 4, which the digest lacks), better
        than the covered provision the planner would answer from."""
        question_terms = self.words(question)
        chosen = self._overlap(question_terms, primary.clause + " " + primary.provision.title)
        residual = self._residual(question_terms, primary)
        seen = [self.pack.provisions.get(h.id) for h in hits[:6]]
        seen += [p for p, prior in pool.values() if prior >= 0.5]
        # Placeholders have little text, so search rarely ranks them: every placeholder of
        # the documents the top hits come from is a candidate too.
        searched = {p.id for p in seen if p is not None}
        top_docs = {h.doc_id for h in hits[:3]}
        seen += [p for p in self.placeholders if p.doc_id in top_docs]
        # Titles the question names by an everyday name ("công đoàn": "các tổ chức chính trị
        # - xã hội").
        implied = [fold(m) for m in vocabulary().related_to(fold(question))]
        chosen_says = any(m in fold(primary.clause) for m in implied)
        best, best_overlap = None, 0.0
        for provision in dict.fromkeys(p for p in seen if p is not None):
            if provision.coverage is not Coverage.NONE:
                continue
            if frame.documents and provision.doc_id not in frame.documents:
                continue
            if _other_cycle(provision, frame):
                continue  # "năm 2024 …": the 2025 rule's gap is not this question's
            about = " ".join([provision.title, provision.coverage_note])
            overlap = self._overlap(question_terms, about)
            level = self._level(provision, None, frame)
            if level < 0:
                continue  # about another rating level than the one asked
            # What the question asks beyond what the chosen line says ("chức năng") is what
            # the placeholder is about.
            # What the placeholder is about: its title, else its note's first clause unless
            # that only says the content is missing.
            named_as = provision.title or re.split(r"[;,(]", provision.coverage_note)[0]
            if not provision.title and fold(named_as).startswith("ban tom luoc"):
                named_as = ""
            beyond = self._overlap(residual, named_as) if residual else 0.0
            found = provision.id in searched
            titled = any(m in fold(named_as) for m in implied)
            if titled and not chosen_says:
                overlap += 1.0  # before any placeholder found by its words alone
            if (
                titled
                or (found and residual and overlap >= 0.35 and overlap > chosen)
                or (found and level > 0 and overlap >= 0.25)
                or (beyond >= 0.6 and overlap >= 0.2)
            ):
                if overlap > best_overlap:
                    best, best_overlap = provision, overlap
        return best

    def _cycle(self, plan: Plan, pool, frame: Frame, question: str) -> None:
        """Which cycle's rule leads, and the other cycle's rule after it."""
        primary = plan.primary
        assert primary is not None
        doc = primary.doc_id
        succession = self.pack.succession
        wants_new = frame.time in (Period.NOW, Period.NEW) and not (
            set(frame.documents) & set(OLD_DOCS)
        )
        wants_old = frame.time is Period.OLD or bool(set(frame.documents) & set(OLD_DOCS))
        if frame.asked in (Asked.DOC_FACT, Asked.COMPARISON):
            return
        if wants_new and doc in OLD_DOCS:
            topics = succession.topics_for(primary.provision.id, "old")
            if not topics:
                return
            topic = topics[0]
            new_ids = topic.new.provisions
            placeholders = [
                self.pack[p]
                for p in new_ids
                if p in self.pack and self.pack[p].coverage is Coverage.NONE
            ]
            if not topic.new.confirmed and placeholders:
                plan.outcome = "not_covered"
                plan.placeholder = placeholders[0]
                plan.secondary, plan.primary = primary, None
                return
            if not topic.new.confirmed or not new_ids:
                self._gap(plan, frame, topic.new.note or topic.new.text(), topic)
                return
            new_choice = self._on_side(new_ids, frame, question, primary.score)
            if new_choice is not None and self._answers_like(new_choice, primary, frame):
                plan.primary, plan.secondary = new_choice, primary
            else:
                self._gap(plan, frame, topic.new.note or NOT_THIS_POINT, topic)
            return
        if doc in NEW_DOCS or (wants_old and doc in OLD_DOCS) or (wants_new and doc in NEW_DOCS):
            side, other = ("new", "old") if doc in NEW_DOCS else ("old", "new")
            topics = succession.topics_for(primary.provision.id, side)
            if not topics:
                return
            topic = topics[0]
            other_side = getattr(topic, other)
            if not other_side.confirmed or not other_side.provisions:
                return
            leads = wants_old and doc in NEW_DOCS
            choice = self._on_side(other_side.provisions, frame, question, None, units=leads)
            if choice is None:
                return
            if leads:
                plan.primary, plan.secondary = choice, primary
            else:
                plan.secondary = choice

    @staticmethod
    def _gap(plan: Plan, frame: Frame, gap: str, topic: Topic) -> None:
        """The 2025 rule is not in the digest. A question that asks for it in so many words
        ("năm 2025", "hiện nay", "theo HD 43") is not covered: the 2023–2024 rule follows as
        the previous cycle's, not as the answer. Unsaid, "now" is answered by the 2023 rule
        with the gap said after it."""
        plan.gap, plan.gap_topic = gap, topic
        # The sources for what the digest does say of the 2025 side: the map's comparison
        # row and the successor's provisions on the topic.
        plan.related = [topic.note_id, *topic.new.provisions]
        if asks_new(frame):
            plan.outcome = "not_covered"
            plan.nearest, plan.secondary, plan.primary = plan.primary, plan.primary, None

    def _topics(self, frame: Frame, question: str, hits: list[Hit]) -> list[Topic]:
        """The map's topics a comparison question is about; the main changes when it names
        none ("Quy định 366 khác gì Quy định 124?")."""
        succession = self.pack.succession
        # "Điểm mới", "điểm khác", "thay đổi" ask what changed, not about scores.
        question = CHANGE_WORDS.sub(" ", question)
        asked_terms = self.words(question) - self.words(
            " ".join(self.pack.document(d).name for d in frame.documents)
            + " "
            + " ".join(self.pack.document(d).number.split("-")[0] for d in frame.documents)
            + COMPARING_WORDS
        )
        # An abbreviation the search expanded ("htxsnv (hoàn thành xuất sắc nhiệm vụ)") counts
        # once, by its expansion.
        short = abbreviations()
        asked_terms = frozenset(
            t for t in asked_terms if not any(fold(p) in short for p in t.split("_"))
        )
        hit_rank = {h.id: r for r, h in enumerate(hits[:10])}
        scored = []
        for topic in succession.topics:
            about = " ".join([topic.title, topic.old.text(), topic.new.text(), topic.change])
            score = self._overlap(asked_terms, topic.title) + 0.5 * self._overlap(
                asked_terms, about
            )
            if topic.note_id in hit_rank:
                score += 0.3 / (1 + hit_rank[topic.note_id])
            docs = {p.split("/")[0] for s in (topic.old, topic.new) for p in s.provisions}
            if frame.documents and not set(frame.documents) & docs:
                score -= 0.5
            scored.append((score, topic))
        scored.sort(key=lambda st: -st[0])
        if not scored:
            return []
        if scored[0][0] < 0.35:
            return [t for t in succession.topics if t.headline][:4]
        return [scored[0][1]]

    def _level_by_score(self, frame: Frame, question: str) -> Choice | None:
        """ "Được 75 điểm thì xếp loại gì?": the level whose score range holds the number."""
        folded = fold(question)
        if frame.asked is not Asked.LEVEL and not (
            frame.asked is Asked.NUMBER and ASKS_LEVEL.search(folded)
        ):
            return None
        m = QUESTION_SCORE.search(folded)
        if m is None:
            return None
        score = int(m.group(1))
        docs = frame.documents or list(OLD_DOCS if frame.time is Period.OLD else NEW_DOCS)
        for provision in self.pack.provisions.values():
            if provision.doc_id not in docs or provision.coverage is Coverage.NONE:
                continue
            for span in self.spans.of(provision.id):
                if span.kind is not SpanKind.SCORE:
                    continue
                low, _, high = span.value.partition("-")
                # A range: "từ 70 đến dưới 90 điểm", "từ 90 điểm trở lên" (not "30 điểm").
                ranged = high or "tro len" in fold(span.text)
                if not low.isdigit() or not ranged:
                    continue
                if int(low) <= score and (not high or score < int(high)):
                    return Choice(provision, span, 10.0, span.clause)
        return None

    def _form_holder(self, frame: Frame, question: str) -> Choice | None:
        """The provision that names the form a question asserts ("Mẫu 2C"), wherever it is:
        the document the question names first, then any other."""
        premise = frame.premise
        assert premise is not None
        found = [
            (provision, span)
            for provision in self.pack.provisions.values()
            for span in self.spans.of(provision.id)
            if span.kind is SpanKind.FORM and span.value == premise.value
        ]
        if not found:
            return None
        question_terms = self.words(question)
        wants_old = frame.time is Period.OLD
        for_whom = FOR_WHOM.search(fold(question)) is not None

        def rank(ps) -> tuple:
            provision, span = ps
            if premise.doc_id:
                named = provision.doc_id == premise.doc_id
            else:
                named = provision.doc_id in (OLD_DOCS if wants_old else NEW_DOCS)
            # The line that says who uses the form ("Mẫu 2C dành cho …") over a list of codes;
            # asked for whom, unsaid which cycle, it comes first of all.
            says = 1 if re.search(r"dành cho|là bản|dùng cho", span.clause) else 0
            overlap = self._overlap(question_terms, span.clause)
            if for_whom and not frame.time_explicit and not premise.doc_id:
                return (says, named, overlap)
            return (named, says, overlap)

        provision, span = max(found, key=rank)
        return Choice(provision, span, 0.0, span.clause)

    def _answers_like(self, new: Choice, old: Choice, frame: Frame) -> bool:
        """Whether the successor's provision answers the question as the old one did: a span
        of the asked type, and a score not far below the old rule's."""
        wanted = WANTED.get(frame.focus if frame.asked is Asked.YESNO else frame.asked, set())
        if wanted and old.span is not None and old.span.kind in wanted:
            if new.span is None or new.span.kind not in wanted:
                return False
        asked_terms = self.words(frame.question)
        old_overlap = self._overlap(asked_terms, old.clause)
        new_overlap = self._overlap(asked_terms, new.clause)
        return new.score >= old.score - 1.2 and new_overlap >= ANSWERS_LIKE * old_overlap

    def _on_side(
        self,
        ids: tuple[str, ...],
        frame: Frame,
        question: str,
        floor: float | None,
        units: bool = True,
    ) -> Choice | None:
        pool = {}
        for pid in ids:
            if pid in self.pack:
                for node in self._subtree(self.pack[pid])[:40]:
                    pool[node.id] = (node, 0.9)
        neutral = frame.model_copy(update={"documents": []})
        return self.best(pool, neutral, question, units=units)

    def _added(self, pool, hits: list[Hit]) -> list[Hit]:
        """Provisions the plan may cite that are not search hits themselves."""
        have = {h.id for h in hits}
        return [
            provision_hit(
                provision,
                round(prior, 4),
                ["within" if any(pid.startswith(h + "/") for h in have) else "map"],
            )
            for pid, (provision, prior) in pool.items()
            if pid not in have
        ]


def _is_new(provision: Provision) -> bool:
    return provision.doc_id in NEW_DOCS


def defining_provisions(pack: Pack) -> dict[str, list[Provision]]:
    """The provisions with a line that defines a term, by the term folded ("tap the")."""
    found: dict[str, list[Provision]] = {}
    for provision in pack.provisions.values():
        lines = _lines(provision)
        for index in range(len(lines)):
            term = defined_term(sentence(lines, index))
            if term and provision not in found.setdefault(term, []):
                found[term].append(provision)
    return found


def counted_provisions(pack: Pack, spans: SpanIndex) -> dict[str, list[Provision]]:
    """Folded counted noun ("muc", "buoc") → the covered provisions stating such a count in
    their own words (not pointing at another provision)."""
    out: dict[str, list[Provision]] = {}
    for provision in pack.provisions.values():
        if provision.coverage is Coverage.NONE:
            continue
        lines = _lines(provision)
        for span in spans.of(provision.id):
            if span.kind is not SpanKind.COUNT or refers_elsewhere(span, lines):
                continue
            noun = span.value.split(" ", 1)[-1]
            if provision not in out.setdefault(noun, []):
                out[noun].append(provision)
    return out


def asks_new(frame: Frame) -> bool:
    """The question asks for the 2025 rule in so many words ("năm 2025", "hiện nay", "theo
    HD 43"), not by default."""
    said = frame.time_explicit and frame.time in (Period.NOW, Period.NEW)
    return said or bool(set(frame.documents) & set(NEW_DOCS))


def _same_cycle(provision: Provision, other: Provision, frame: Frame) -> bool:
    """Whether a provision belongs to the cycle the question asks about as much as the
    other does: a 2025 provision is, against a 2023 one, only when the question says 2025."""
    if provision.doc_id in NEW_DOCS and other.doc_id in OLD_DOCS:
        return asks_new(frame)
    return not (provision.doc_id in OLD_DOCS and other.doc_id in NEW_DOCS)


def provision_hit(provision: Provision, score: float, retrievers: list[str]) -> Hit:
    """A provision as a source the answer lists, when search did not return it."""
    return Hit(
        id=provision.id,
        doc_id=provision.doc_id,
        citation=provision.citation,
        score=score,
        retrievers=retrievers,
    )
