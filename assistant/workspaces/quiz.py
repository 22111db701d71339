"""The quiz of the lesson kit: multiple-choice questions whose wrong options are sibling
values of the pack (forms, rating levels, score ranges, deadlines, durations, deciding
bodies, steps), and true/false questions whose statement is a sentence of the pack with its
own value or a sibling's. Reproducible: the same document, count and seed give the same quiz.
"""

from __future__ import annotations

import random

from pydantic import BaseModel, Field

from assistant.cited import Section, Statement
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    Context,
    Progress,
    WorkspaceError,
    caveat_of,
    no_progress,
    resolve_document,
    text_kind,
    weak_label,
)
from assistant.workspaces.blanks import Blank, Option, blanks_of, wrong_options

MIN_QUESTIONS, MAX_QUESTIONS = 1, 50
MAX_OPTIONS = 4
MULTIPLE_CHOICE_SHARE = 0.7
LETTERS = "ABCDEFGH"


class QuizQuestion(BaseModel):
    """One question. `--json` prints question, options, answer (one of the options) and
    citations (the provision that decides the answer first, then those of the options)."""

    question: str
    options: list[str]
    answer: str
    citations: list[str]
    kind: str = Field("choice", exclude=True)  # "choice" | "true_false"
    basis: str = Field("", exclude=True)  # the sentence of the pack that decides it
    source: str = Field("", exclude=True)  # the provision that decides it
    caveat: str = Field("", exclude=True)

    @property
    def letter(self) -> str:
        return LETTERS[self.options.index(self.answer)]


class Quiz(BaseModel):
    document: str
    seed: int
    questions: list[QuizQuestion]
    notices: list[str] = Field(default_factory=list)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _single_source(ctx: Context, blank: Blank) -> str:
    label = weak_label(ctx.pack, blank.provision)
    return phrases.SINGLE_SOURCE.format(label=label) if label else ""


def multiple_choice(ctx: Context, blank: Blank, wrong: list[Option], rng: random.Random):
    """A question with the blank's answer and up to three sibling values, shuffled."""
    picked = rng.sample(wrong, min(len(wrong), MAX_OPTIONS - 1))
    choices = [(_capital(blank.answer), blank.provision.id)] + [
        (_capital(o.text), o.provision.id) for o in picked
    ]
    rng.shuffle(choices)
    text = phrases.QUESTION[blank.kind].format(citation=blank.provision.citation, stem=blank.stem)
    return QuizQuestion(
        question=text + _single_source(ctx, blank),
        options=[c[0] for c in choices],
        answer=_capital(blank.answer),
        citations=list(dict.fromkeys([blank.provision.id] + [c[1] for c in choices])),
        kind="choice",
        basis=blank.sentence,
        source=blank.provision.id,
        caveat=caveat_of(ctx.pack, blank.provision),
    )


def true_false(ctx: Context, blank: Blank, wrong: list[Option], rng: random.Random):
    """The blank filled with its own value (true) or with a sibling's (false)."""
    truthful = not wrong or rng.random() < 0.5
    option = None if truthful else rng.choice(wrong)
    sentence = blank.filled(blank.answer if option is None else option.text)
    text = phrases.TRUE_FALSE.format(citation=blank.provision.citation, sentence=sentence)
    cited = [blank.provision.id] + ([option.provision.id] if option else [])
    return QuizQuestion(
        question=text + _single_source(ctx, blank),
        options=[phrases.TRUE, phrases.FALSE],
        answer=phrases.TRUE if truthful else phrases.FALSE,
        citations=list(dict.fromkeys(cited)),
        kind="true_false",
        basis=blank.sentence,
        source=blank.provision.id,
        caveat=caveat_of(ctx.pack, blank.provision),
    )


def check_count(n: int) -> None:
    """Raises WorkspaceError for a count outside 1…50."""
    if not MIN_QUESTIONS <= n <= MAX_QUESTIONS:
        raise WorkspaceError(
            phrases.QUIZ_RANGE.format(low=MIN_QUESTIONS, high=MAX_QUESTIONS, given=n)
        )


def build_quiz(
    ctx: Context,
    document: str,
    n: int = 10,
    seed: int = 0,
    *,
    progress: Progress = no_progress,
) -> Quiz:
    """`n` questions on one document, the same for the same seed.

    Each blank gives at most one multiple-choice and one true/false question; when the
    document's content allows fewer than `n`, the quiz says so instead of filling the gap.

    Raises:
        WorkspaceError: for an unknown document or a count outside 1…50.
    """
    check_count(n)
    pack = ctx.pack
    doc_id = resolve_document(pack, document)
    name = pack.document(doc_id).name
    rng = random.Random(f"{doc_id}:{seed}")
    blanks = blanks_of(ctx, doc_id)
    usable = [(b, wrong_options(ctx, b, blanks)) for b in blanks]
    usable = [(b, w) for b, w in usable if w]
    rng.shuffle(usable)
    questions: list[QuizQuestion] = []
    second: list[tuple[Blank, list[Option], str]] = []
    for blank, wrong in usable:
        if len(questions) >= n:
            break
        choice = len(wrong) >= 2 and rng.random() < MULTIPLE_CHOICE_SHARE
        if choice:
            questions.append(multiple_choice(ctx, blank, wrong, rng))
            second.append((blank, wrong, "true_false"))
        else:
            questions.append(true_false(ctx, blank, wrong, rng))
            if len(wrong) >= 2:
                second.append((blank, wrong, "choice"))
        progress(phrases.QUIZ, len(questions), n)
    for blank, wrong, kind in second:
        if len(questions) >= n:
            break
        make = multiple_choice if kind == "choice" else true_false
        questions.append(make(ctx, blank, wrong, rng))
        progress(phrases.QUIZ, len(questions), n)
    notices = []
    if not questions:
        notices.append(phrases.QUIZ_NONE.format(document=name))
    elif len(questions) < n:
        notices.append(phrases.QUIZ_SHORT.format(made=len(questions), document=name, asked=n))
    if any(weak_label(pack, pack[q.source]) for q in questions):
        notices.append(phrases.QUIZ_SINGLE)
    return Quiz(document=doc_id, seed=seed, questions=questions, notices=notices)


# --- as sections of a cited document -------------------------------------------------------------


def quiz_sections(ctx: Context, quiz: Quiz) -> list[Section]:
    """The questions with lettered options, then the answer key, each statement cited."""
    pack = ctx.pack
    asked, key = [], []
    for number, q in enumerate(quiz.questions, start=1):
        source = pack[q.source]
        kind = text_kind(pack, source)
        # The questions are for the learners: a question (and each of its options, whose marks
        # are shown once, on the question) cites all the provisions of the options in a fixed
        # order, so no citation points at the answer; the answer key cites the one deciding.
        cited = sorted(q.citations)
        asked.append(
            Statement(
                text=phrases.QUESTION_NUMBER.format(n=number, question=q.question),
                citations=cited,
                kind="question",
                caveat=q.caveat,
                text_kind=kind,
            )
        )
        for letter, option in zip(LETTERS, q.options, strict=False):
            asked.append(
                Statement(
                    text=phrases.OPTION.format(letter=letter, option=option),
                    citations=cited,
                    kind="option",
                    text_kind=kind,
                )
            )
        key.append(
            Statement(
                text=phrases.ANSWER.format(
                    n=number,
                    letter=q.letter,
                    answer=q.answer,
                    citation=source.citation,
                    sentence=q.basis,
                ),
                citations=[q.source],
                kind="answer",
                caveat=q.caveat,
                text_kind=kind,
            )
        )
    return [
        Section(title=phrases.QUIZ, statements=asked),
        Section(title=phrases.ANSWER_KEY, statements=key),
    ]
