"""Blanks for the quiz: a sentence of the pack with one typed span taken out (a form, a rating
level, a score range, a deadline, a duration, the body that decides, a step of a procedure),
and the sibling values the pack gives to something else, which make decidably wrong options.

Only lines with content are used (never a placeholder, never a line the digest marks as
incomplete), and only lines that hold exactly one value of the kind, so the sentence decides
the answer. A form, score, deadline or duration is offered as a wrong option only if the pack
states what it is for elsewhere (it has a blank of its own); the four rating levels exclude
each other, so any other level is wrong for a line that defines one level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.workspaces import phrases
from assistant.workspaces.base import Context, Line, has_content, lines_of
from knowledge.text import fold
from knowledge.types import Provision, ProvisionKind, Span, SpanKind
from knowledge.vocabulary import vocabulary

KINDS = {
    SpanKind.FORM: "form",
    SpanKind.LEVEL: "level",
    SpanKind.SCORE: "score",
    SpanKind.DEADLINE: "deadline",
    SpanKind.DURATION: "duration",
    SpanKind.GRADE: "grade",
}
# Kinds whose values exclude each other: any other value is wrong, wherever the pack names it.
EXCLUSIVE = {"level": SpanKind.LEVEL, "grade": SpanKind.GRADE}
DEADLINE_VERB = re.compile(r"^(hoàn thành|kết thúc|xong) (?=trước)", re.IGNORECASE)
SIMILAR = 0.7  # a criterion this close to one of a sibling level's is not asked
DECIDES = re.compile(r"^ (xem xét|quyết định)\b")
STEP = re.compile(r"^(Bước \d+) — ([^:.]+)")
LOOSE_FORM = re.compile(r"(?<!\w)0?\d{1,2}[A-Ca-c](?!\w)")
MIN_WORDS = 5


@dataclass(frozen=True)
class Blank:
    """A sentence with one value taken out."""

    kind: str  # form | level | score | deadline | duration | body | step
    value: str  # normalised ("2a", "htxsnv", "90", "31/12 hang nam", …)
    answer: str  # the value as written
    stem: str  # the sentence with BLANK in place of the answer
    sentence: str  # the sentence as written
    provision: Provision
    line: int
    group: str  # siblings share it: the document, or the provision for bodies and steps

    def filled(self, option: str) -> str:
        """The sentence with `option` in the blank, marked as the part to judge."""
        return self.stem.replace(phrases.BLANK, phrases.FILLED.format(value=option), 1)


@dataclass(frozen=True)
class Option:
    """A wrong option: a sibling value and the provision that gives it to something else."""

    value: str
    text: str
    provision: Provision


def _base(line: Line) -> str:
    """The sentence a blank is cut from: a labelled line stands alone, an item keeps a
    lead-in that ends with ':'."""
    if line.lead and line.lead.endswith(":") and not re.match(r"^[^:]{2,80}: ", line.text):
        return line.sentence
    return line.text


def _drop_parentheses_with(text: str, needle: str) -> str:
    """'Mẫu 02A (ký hiệu 02A-HD …) là …' without the parenthesis that repeats the value."""
    return re.sub(r"\s*\([^()]*" + re.escape(needle) + r"[^()]*\)", "", text)


def _cut(base: str, spans: list[Span], main: str) -> tuple[str, str] | None:
    """The stem and the answer for one value, or None when the sentence would still show
    it (or say too little). A repeat of the value in parentheses is dropped; a repeat in
    another '; ' part of the sentence drops that part."""
    if main not in base:
        return None
    stem = base.replace(main, phrases.BLANK, 1)
    for other in spans[1:]:
        if other.text in stem:
            stem = _drop_parentheses_with(stem, other.text)
        if other.text in stem and "; " in stem:
            stem = next(part for part in stem.split("; ") if phrases.BLANK in part)
        if other.text in stem:
            return None
    words = len(stem.replace(phrases.BLANK, " ").split())
    return (stem, main) if words >= MIN_WORDS else None


def _value_blanks(line: Line, spans: list[Span], kind: SpanKind, group: str) -> Blank | None:
    values = {s.value for s in spans}
    if len(values) != 1:
        return None
    first = spans[0]
    base = _base(line)
    if kind is SpanKind.FORM and not fold(first.text).startswith("mau"):
        spans = sorted(spans, key=lambda s: not fold(s.text).startswith("mau"))
        if not fold(spans[0].text).startswith("mau"):
            return None
    if kind is SpanKind.SCORE and not fold(first.text).startswith("tu "):
        return None
    if kind is SpanKind.DEADLINE and not re.search(r"\d", first.value):
        return None
    if kind is SpanKind.LEVEL:
        # Only a line that defines the level ('Mức "…": …', '…: đạt …').
        at = base.find(first.text)
        if at < 0 or at > 6 or ":" not in base[at + len(first.text) : at + len(first.text) + 3]:
            return None
    if kind is SpanKind.GRADE:
        at = base.find(first.text)
        if "trở lên" in base[at : at + len(first.text) + 12]:
            return None  # "đạt mức Tốt trở lên" is also true of a lower grade
    main = first.text
    if kind is SpanKind.DEADLINE:
        main = DEADLINE_VERB.sub("", main)
    cut = _cut(base, spans, main)
    if cut is None:
        return None
    stem, answer = cut
    if kind is SpanKind.FORM and LOOSE_FORM.search(stem):
        return None  # another form code the spans did not name ("2A, 2B, 2C")
    if kind is SpanKind.LEVEL and first.value in vocabulary().level_of(fold(stem)):
        return None
    return Blank(KINDS[kind], first.value, answer, stem, base, line.provision, line.index, group)


def _decider(line: Line, spans: list[Span]) -> Blank | None:
    """The body that reviews and decides ('… ; đảng ủy cơ sở xem xét, …')."""
    found = []
    for span in spans:
        for m in re.finditer(re.escape(span.text), line.text):
            if DECIDES.match(line.text[m.end() :]):
                found.append((m.start(), m.end(), span))
    if len({f[2].value for f in found}) != 1:
        return None
    start, end, span = found[0]
    stem = line.text[:start] + phrases.BLANK + line.text[end:]
    return Blank(
        "body", span.value, span.text, stem, line.text, line.provision, line.index,
        line.provision.id,
    )  # fmt: skip


def _step(line: Line) -> Blank | None:
    """'Bước 2 — Thẩm định, đề xuất: …' asks for the name of step 2."""
    m = STEP.match(line.text)
    if not m or not line.lead:
        return None
    stem = f"{line.lead} {m.group(1)} — {phrases.BLANK}"
    return Blank(
        "step", fold(m.group(2)), m.group(2).strip(), stem, line.sentence, line.provision,
        line.index, line.provision.id,
    )  # fmt: skip


def _words(text: str) -> set[str]:
    return set(fold(text).replace(",", " ").replace(".", " ").split())


def _similar(a: str, b: str) -> bool:
    """Most words of the shorter text are in the other (one criterion implies the other)."""
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= SIMILAR


def level_head(ctx: Context, provision: Provision) -> tuple[Span, str] | None:
    """The level a clause defines ('Mức "…".', '…: đạt …'), when its first line opens with
    exactly one level; and that line, cut after the level when it is long."""
    lines = lines_of(provision)
    spans = [s for s in ctx.spans.of(provision.id) if s.kind is SpanKind.LEVEL and s.line == 0]
    if not lines or len({s.value for s in spans}) != 1:
        return None
    first = lines[0].text
    at = first.find(spans[0].text)
    end = at + len(spans[0].text)
    if at < 0 or at > 6 or not re.match(r'^"?[:.]', first[end:]):
        return None
    if len(first.split()) > 12:  # keep 'Hoàn thành xuất sắc nhiệm vụ:' of a long line
        first = first[: end + (2 if first[end : end + 1] == '"' else 1)]
    return spans[0], first


def _in_context(ctx: Context, provision: Provision, line: Line, text: str) -> str:
    """A line of a level's clause, after the line naming the level."""
    head = level_head(ctx, provision)
    if head is None or line.index == 0:
        return text
    return f"{head[1]} {text}"


def _criteria(ctx: Context, provision: Provision, doc_id: str) -> list[Blank]:
    """'Mức "____". <a criterion of that level>': which level a criterion belongs to. A
    criterion close to one of a sibling level's is left out (it would fit both)."""
    head = level_head(ctx, provision)
    if head is None:
        return []
    span, first = head
    siblings = []
    parent = ctx.pack[provision.parent_id] if provision.parent_id else None
    for other in ctx.pack.children(parent) if parent else []:
        if other.id != provision.id and level_head(ctx, other):
            siblings += [line.text for line in lines_of(other) if line.bullet]
    levelled = {s.line for s in ctx.spans.of(provision.id) if s.kind is SpanKind.LEVEL}
    head_stem = first.replace(span.text, phrases.BLANK, 1)
    lines = lines_of(provision)
    out = []
    for line in lines[1:]:
        if not line.bullet or not line.complete or line.index in levelled:
            continue
        if len(line.text.split()) < 6 or any(_similar(line.text, s) for s in siblings):
            continue
        tail = line.text if line.lead == lines[0].text else line.sentence
        out.append(
            Blank(
                "level",
                span.value,
                span.text,
                f"{head_stem} {tail}",
                f"{first} {tail}",
                provision,
                line.index,
                doc_id,
            )  # fmt: skip
        )
    return out


def blanks_of(ctx: Context, doc_id: str) -> list[Blank]:
    """Every blank a document's content allows, in reading order."""
    out: list[Blank] = []
    for provision in ctx.pack.trees[doc_id].provisions:
        if provision.kind is ProvisionKind.INFO or not has_content(provision):
            continue
        spans = ctx.spans.of(provision.id)
        for line in lines_of(provision):
            if not line.complete or (line.is_lead_in and line.text.endswith(":")):
                continue
            here = [s for s in spans if s.line == line.index]
            for kind in KINDS:
                of_kind = [s for s in here if s.kind is kind]
                if of_kind:
                    blank = _value_blanks(line, of_kind, kind, doc_id)
                    if blank is not None:
                        out.append(
                            replace(
                                blank,
                                stem=_in_context(ctx, provision, line, blank.stem),
                                sentence=_in_context(ctx, provision, line, blank.sentence),
                            )
                        )
            bodies = [s for s in here if s.kind is SpanKind.BODY]
            blank = _decider(line, bodies) if bodies else None
            if blank is not None:
                out.append(blank)
            blank = _step(line)
            if blank is not None:
                out.append(blank)
        out += _criteria(ctx, provision, doc_id)
    return out


def wrong_options(ctx: Context, blank: Blank, blanks: list[Blank]) -> list[Option]:
    """The sibling values that make decidably wrong options for `blank`, one per value."""
    found: dict[str, Option] = {}
    for other in blanks:
        if other.kind != blank.kind or other.group != blank.group or other.value == blank.value:
            continue
        if blank.kind == "duration" and _unit(other.value) != _unit(blank.value):
            continue
        found.setdefault(other.value, Option(other.value, other.answer, other.provision))
    if blank.kind in EXCLUSIVE:
        for provision in ctx.pack.trees[blank.provision.doc_id].provisions:
            for span in ctx.spans.of(provision.id):
                if span.kind is EXCLUSIVE[blank.kind] and span.value != blank.value:
                    found.setdefault(span.value, Option(span.value, span.text, provision))
    return list(found.values())


def _unit(value: str) -> str:
    """'3 ngay lam viec' -> 'ngay lam viec'."""
    return value.split(" ", 1)[-1]
