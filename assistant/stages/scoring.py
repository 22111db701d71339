"""Scoring a provision's spans and lines against a question's frame: the span kind asked,
the subject, the rating level, the document or cycle, the words, and the lines that only head
or introduce others. The planner (assistant/stages/plan.py) chooses among what this scores."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from assistant.stages.cues import (
    META_ONLY,
    PLACE,
    agent_score,
    asked_units,
    counted_noun,
    counts_noun,
    defines_asked,
    lead_in_fits,
    lead_time_mismatch,
    lists_levels,
    phrase_bonus,
    refers_elsewhere,
    said_whole,
)
from assistant.stages.words import Words
from assistant.types import Asked, Frame, Period
from knowledge.pack import Pack
from knowledge.spans import LEAD_IN, SpanIndex, _lines, label_tags, sentence
from knowledge.text import fold
from knowledge.types import NOTES_DOC_ID, Coverage, Provision, ProvisionKind, Span, SpanKind

OLD_DOCS = ("qd-124-2023", "hd-25-2023")
OTHER_LABEL = -1.5  # a list or line labelled for the other subject ("… đối với tập thể: …")
BARE_LABEL = -2.0  # a line that only heads what follows says nothing itself
DEFINES = 3.0  # the line that defines the term asked about ('"Tập thể" là cách gọi chung …')
TITLE_SAID = 1.0  # a provision whose whole title (three syllables or more) the question says
NEW_DOCS = ("qd-366-2025", "hd-43-2025")
GENERIC_BODIES = {"cap co tham quyen", "cap tren", "cap tren truc tiep", "tap the"}
WANTED = {
    Asked.BODY: {SpanKind.BODY},
    Asked.DEADLINE: {SpanKind.DEADLINE, SpanKind.DATE},
    Asked.COUNT: {SpanKind.ENUMERATION, SpanKind.COUNT},
    Asked.NUMBER: {SpanKind.PERCENT, SpanKind.SCORE, SpanKind.DURATION, SpanKind.COUNT},
    # A level question is answered by the case a level provision describes, in its words.
    Asked.FORM: {SpanKind.FORM},
    Asked.LIST: {SpanKind.ENUMERATION},
    Asked.PROCEDURE: {SpanKind.ENUMERATION},
    Asked.PURPOSE: {SpanKind.ENUMERATION},
}
PREMISE_KINDS = {
    "form": {SpanKind.FORM},
    "duration": {SpanKind.DURATION},
    "score": {SpanKind.SCORE},
    "percent": {SpanKind.PERCENT},
}
ROLE_CONFLICTS = {
    "leader": {"no_post", "outside_system"},
    "no_post": {"leader", "central_cadre"},
    "outside_system": {"leader", "central_cadre"},
    "central_cadre": {"no_post", "outside_system"},
}


@dataclass
class Choice:
    """A provision with the span (or line) that answers from it."""

    provision: Provision
    span: Span | None
    score: float
    clause: str  # the document's words to lead with
    overview: bool = False  # the whole provision, for "Điều 11 nói gì?"

    @property
    def doc_id(self) -> str:
        return self.provision.doc_id


class Scorer:
    """Scores every (span or line) choice in a provision for a question."""

    def __init__(self, pack: Pack, spans: SpanIndex, idf: Callable[[str], float], words: Words):
        self.pack = pack
        self.spans = spans
        self.idf = idf
        self.words = words

    def _overlap(self, question_terms: frozenset[str], text: str) -> float:
        line_terms = self.words(text)
        total = self._total(question_terms)
        return sum(self.idf(t) for t in question_terms & line_terms) / total

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one Scorer per assistant, kept for its life
    def _total(self, question_terms: frozenset[str]) -> float:
        """The question's weight, read once per question, not once per line scored."""
        return sum(self.idf(t) for t in question_terms) or 1.0

    def _subject(self, tags: frozenset[str], frame: Frame) -> float:
        subject = frame.subject
        score = 0.0
        if subject.kind and not subject.both:
            other = "individual" if subject.kind == "collective" else "collective"
            if subject.kind in tags:
                score += 0.6
            elif other in tags:
                score -= 1.6
        for role in subject.roles:
            if role in tags:
                score += 1.0
            elif tags & ROLE_CONFLICTS.get(role, set()):
                score -= 1.6
        return score

    def _level(self, provision: Provision, span: Span | None, frame: Frame) -> float:
        if not frame.level:
            return 0.0
        profile = self.spans.profiles.get(provision.id)
        # The level a provision is about (its title or first line), not the levels a line
        # happens to name ("… không quá 20% số được xếp loại Hoàn thành tốt nhiệm vụ").
        level = profile.level if profile else None
        if level is None and span is not None and span.kind is SpanKind.LEVEL:
            level = span.value
        if level is None:
            return 0.0
        return 2.0 if level == frame.level else -2.5

    def _document(self, provision: Provision, frame: Frame) -> float:
        doc = provision.doc_id
        if provision.kind is ProvisionKind.INFO and frame.asked is not Asked.DOC_FACT:
            return -1.5  # the document's own data answers questions about the document only
        if provision.id.startswith("ghi-chu/so-sanh-"):
            # A comparison row answers "what changed", not the rule itself.
            return 1.5 if frame.asked is Asked.COMPARISON else -1.6
        if doc == NOTES_DOC_ID and any("người soạn" in n for n in provision.notes):
            return -1.2  # an editor's note is context, not the rule asked for
        if frame.documents:
            if doc in frame.documents:
                return 1.5
            return -0.4 if doc == NOTES_DOC_ID else -1.2
        if frame.time is Period.OLD and doc in NEW_DOCS:
            return -0.8
        if frame.time in (Period.NOW, Period.NEW) and doc in NEW_DOCS:
            return 0.35
        return 0.0

    def score(
        self,
        provision: Provision,
        prior: float,
        frame: Frame,
        question_terms: frozenset[str],
        wanted: set[SpanKind],
    ) -> list[Choice]:
        """Every (span or line) choice in one provision, scored."""
        if provision.coverage is Coverage.NONE or provision.kind is ProvisionKind.CHAPTER:
            return []
        profile = self.spans.profiles.get(provision.id)
        base_tags = profile.subjects if profile else frozenset()
        base = 3.0 * prior + self._document(provision, frame)
        # The title (and the headings above) say what the whole provision is about.
        title = 1.4 * self._overlap(
            question_terms, " ".join([provision.title, *provision.heading_path])
        )
        lines = _lines(provision)
        # A khoản's heading may be its first line ("Thứ tự kiểm điểm.").
        heading = provision.title or (lines[0] if len(lines) > 1 and len(lines[0]) <= 40 else "")
        if said_whole(heading, frame.question):
            title += TITLE_SAID  # "thứ tự kiểm điểm giữa …": the part titled "Thứ tự kiểm điểm"
        choices = []
        more = len(lines) > 1 or bool(provision.children_ids)  # a first line may head them
        noun = counted_noun(frame.question) if frame.asked is Asked.COUNT else None
        asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
        listing = asked in (Asked.LIST, Asked.PROCEDURE, Asked.PURPOSE)
        level_case = asked is Asked.LEVEL and profile is not None and profile.level is not None
        for span in self.spans.of(provision.id):
            fits = span.kind in wanted and not lead_time_mismatch(span, frame.question)
            kind = 1.8 if fits else (-0.6 if wanted else 0.0)
            if not fits and not level_case and _heads(lines, span.line, span.sentence, more):
                kind += BARE_LABEL  # a heading holds the span, but says nothing of it
            if listing and not fits and _introduces(lines, span.line):
                kind += BARE_LABEL
            if span.kind is SpanKind.ENUMERATION:
                kind += lead_in_fits(span.text, frame)
            if noun and span.kind in (SpanKind.COUNT, SpanKind.ENUMERATION):
                kind += 1.4 if counts_noun(span, noun) else -2.0
            if span.kind is SpanKind.COUNT and refers_elsewhere(span, lines):
                kind = -2.0  # "1 trong 4 mức xếp loại ở Điều 12": counted elsewhere
            if span.kind is SpanKind.ENUMERATION and _labelled_other(span.text, frame):
                kind += OTHER_LABEL  # "Các trường hợp đối với tập thể:" for a person
            if frame.level and span.kind is SpanKind.ENUMERATION and lists_levels(span):
                kind -= 1.5  # the list of the four levels does not answer about one level
            premise = 0.0
            if frame.premise and span.kind in PREMISE_KINDS.get(frame.premise.kind, set()):
                premise = 0.8 + (0.6 if span.value == frame.premise.value else 0.0)
            text = span.clause if span.kind is not SpanKind.ENUMERATION else span.text
            if span.kind is SpanKind.ENUMERATION:
                # A list answers by its lead-in; its items count for less.
                overlap = 0.75 * self._overlap(question_terms, text) + 0.5 * self._overlap(
                    question_terms, " ".join(span.items)
                )
                if asked is Asked.COUNT:
                    kind += 0.6  # a list gives the items as well as their number
                if span.kind in wanted and overlap < 0.3:
                    # A list of the wanted kind that shares almost nothing with the question
                    # ("Thời lượng và nơi kiểm điểm:" for "bên nào kiểm điểm trước") is not it.
                    kind -= 1.8 * (1 - overlap / 0.3)
            elif span.kind is SpanKind.BODY:
                # A body answers for the case its whole line describes ("chi ủy trực thuộc
                # đảng ủy cơ sở …; đảng ủy cơ sở xem xét"), not only the words after it.
                overlap = self._overlap(question_terms, span.sentence or text)
            else:
                overlap = self._overlap(question_terms, text)
            if span.kind is SpanKind.BODY and fold(span.text) in GENERIC_BODIES:
                kind -= 0.8  # "cấp có thẩm quyền" names nobody
            if span.kind is SpanKind.BODY and asked is Asked.BODY and wanted:
                kind += agent_score(span, lines, frame.question)
            total = (
                base
                + kind
                + (DEFINES if defines_asked(text, frame.question) else 0.0)
                + phrase_bonus(frame.question, text)
                + premise
                + self._subject(span.subjects or base_tags, frame)
                + self._level(provision, span, frame)
                + 3.2 * overlap
                + title
            )
            choices.append(Choice(provision, span, total, text))
        # Plain lines compete too, behind the wanted spans: a line that answers in words
        # ("Tập thể kiểm điểm trước, cá nhân kiểm điểm sau.") has no span of its own.
        for index in range(len(lines)):
            text = sentence(lines, index)
            total = (
                base
                + phrase_bonus(frame.question, text)
                + (-0.5 if wanted else 0.0)
                + (-1.5 if META_ONLY.match(text) else 0.0)  # says what a part is about, only
                + (DEFINES if defines_asked(text, frame.question) else 0.0)
                + (BARE_LABEL if _heads(lines, index, text, more) else 0.0)  # "Đối với tập thể."
                + (BARE_LABEL if listing and _introduces(lines, index) else 0.0)
                + (OTHER_LABEL if _labelled_other(text, frame) else 0.0)
                + (1.5 if level_case else 0.0)
                + self._subject(base_tags, frame)
                + self._level(provision, None, frame)
                + 3.2 * self._overlap(question_terms, text)
                + title
            )
            choices.append(Choice(provision, None, total, text))
        return choices

    @staticmethod
    def wanted(frame: Frame, question: str, units: bool = True) -> set[SpanKind]:
        """The span kinds that answer what the question asks; `units` narrows a number
        question to the unit it names (not for the other cycle's rule, said after the
        answer, which may count in another unit: levels by points from 2025, not before)."""
        asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
        wanted = set(WANTED.get(asked, set()))
        if asked is Asked.BODY and PLACE.search(fold(question)):
            wanted = set()  # "kiểm điểm ở đâu": a place, said in words, not a body's name
        if asked is Asked.NUMBER and units:
            # "tối thiểu bao nhiêu ngày" asks a duration, not a share or points.
            wanted &= asked_units(question) or wanted
        if frame.premise and frame.premise.kind in PREMISE_KINDS:
            wanted |= PREMISE_KINDS[frame.premise.kind]
        return wanted


def _heads(lines: list[str], index: int, text: str, more: bool) -> bool:
    """A line that only heads what follows: one or two words ("Tập thể."), or a short first
    line without a colon above the provision's other lines or parts ("Đối với tập thể.",
    'Mức "Hoàn thành xuất sắc nhiệm vụ".'); `more` says there are such."""
    if len(text.split()) < 3:
        return True
    return index == 0 and more and len(text) <= 40 and ":" not in text


def _labelled_other(text: str, frame: Frame) -> bool:
    """A list or line whose label ("Các trường hợp đối với tập thể: …") names the other
    subject than the question's, and not its own."""
    subject = frame.subject
    if not subject.kind or subject.both:
        return False
    other = "individual" if subject.kind == "collective" else "collective"
    tags = label_tags(text)
    return other in tags and subject.kind not in tags


def _introduces(lines: list[str], index: int) -> bool:
    """A line that introduces parts with their own lead-ins ('Mức "Không hoàn thành nhiệm
    vụ": áp dụng khi … một trong các trường hợp dưới đây.' above "Các trường hợp đối với tập
    thể:", "Trường hợp đối với cá nhân:"): what a list question asks is in those parts."""
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(LEAD_IN.search(lines[index])) and bool(following) and not following.startswith("- ")


def _other_cycle(provision: Provision, frame: Frame) -> bool:
    """A provision of the cycle the question says it is not about ("năm 2024" and QĐ 366)."""
    if frame.time is Period.OLD and frame.time_explicit:
        return provision.doc_id in NEW_DOCS
    if frame.time is Period.NEW and frame.time_explicit:
        return provision.doc_id in OLD_DOCS
    return False


def _fits(choice: Choice, wanted: set[SpanKind], question: str) -> bool:
    """Whether a choice leads with a span of a kind asked for, in the sense asked."""
    span = choice.span
    return span is not None and span.kind in wanted and not lead_time_mismatch(span, question)
