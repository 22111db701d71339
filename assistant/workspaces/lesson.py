"""Bài giảng (lesson kit): the outline by chapter and article with key points, the numbers
and deadlines to remember, a quiz and its answer key, as one cited document."""

from __future__ import annotations

from assistant import prompts
from assistant.cited import CitedDocument, Section
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    Context,
    Progress,
    finish,
    no_progress,
    resolve_document,
)
from assistant.workspaces.brief import numbers
from assistant.workspaces.outline import outline_sections
from assistant.workspaces.quiz import Quiz, build_quiz, check_count, quiz_sections


def build_lesson(
    ctx: Context,
    document: str,
    n: int = 10,
    seed: int = 0,
    *,
    outline: bool = True,
    progress: Progress = no_progress,
) -> tuple[Quiz, CitedDocument]:
    """The lesson kit of one document; `outline=False` leaves out the outline and the key
    numbers (the quiz and its answer key only).

    Raises:
        WorkspaceError: for an unknown document or a question count outside 1…50.
    """
    check_count(n)
    pack = ctx.pack
    doc_id = resolve_document(pack, document)
    name = pack.document(doc_id).name
    sections: list[Section] = []
    if outline:
        progress(phrases.OUTLINE, 1, 3)
        sections.append(Section(title=phrases.OUTLINE, subsections=outline_sections(ctx, doc_id)))
        progress(phrases.KEY_NUMBERS, 2, 3)
        key = numbers(ctx, [doc_id], None)
        if key.subsections:
            sections.append(key.model_copy(update={"title": phrases.KEY_NUMBERS}))
    quiz = build_quiz(ctx, doc_id, n, seed)
    progress(phrases.QUIZ, 3, 3)
    if quiz.questions:
        sections += quiz_sections(ctx, quiz)
    coverage = prompts.coverage_line(pack.coverage(doc_id))
    doc = CitedDocument(
        title=(phrases.LESSON_TITLE if outline else phrases.QUIZ_TITLE).format(document=name),
        subtitle=phrases.QUIZ_SUBTITLE.format(n=len(quiz.questions), seed=seed),
        sections=sections,
        notices=[phrases.COVERAGE_NOTICE.format(document=name, coverage=coverage), *quiz.notices],
    )
    doc = finish(pack, doc)
    return quiz.model_copy(update={"notices": doc.notices}), doc
