"""The quiz: its JSON shape, answer keys that match the pack, no wrong option that the pack makes
true, no question from a placeholder, single-source questions flagged, reproducible by seed.

The checks read the pack's own lines: a question's blank filled with its answer must be what the
cited provision says, and filled with any other option must be said nowhere in the document."""

from __future__ import annotations

import re

import pytest

from assistant.cli_workspaces import render_text
from assistant.workspaces import WorkspaceError, build_lesson, build_quiz, context, phrases
from assistant.workspaces.check import normal
from knowledge.pack import load_pack
from knowledge.types import Coverage

DOCUMENTS = ("qd-124-2023", "qd-366-2025", "hd-25-2023", "hd-43-2025")
QUOTED = re.compile(r"“(.*)”")
FILLED = re.compile(r"\[(.+?)\]")


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture(scope="module")
def ctx(pack):
    return context(pack)


@pytest.fixture(scope="module")
def quizzes(ctx):
    return [build_quiz(ctx, d, 50, seed) for d in DOCUMENTS for seed in range(4)]


def around(stem: str, value: str) -> str:
    """The clause of the stem that holds the blank, with `value` in it: what the pack must (or
    must not) say. It runs from the punctuation before the blank to the punctuation after."""
    before, after = normal(stem).split(normal(phrases.BLANK), 1)
    before = re.split(r"[.;:]", before)[-1]
    stop = re.search(r"[.;:]", after)
    after = after[: stop.end()] if stop else after
    return (before + normal(value) + after).strip()


def said_in(text: str, basis: str) -> bool:
    """`text` is in the basis, as written or without a parenthesis the stem leaves out
    ("Mẫu 02A (ký hiệu 02A-HD KĐ.ĐG 2023) là …")."""
    basis = normal(basis)
    return text in basis or text in re.sub(r"\s*\([^()]*\)", "", basis)


def stem_of(question: str) -> str:
    return QUOTED.search(question).group(1)


def test_quiz_json_has_question_options_answer_and_citations(ctx):
    quiz = build_quiz(ctx, "qd-124-2023", 10, 3)
    assert len(quiz.questions) == 10
    for q in quiz.questions:
        data = q.model_dump()
        assert set(data) == {"question", "options", "answer", "citations"}
        assert data["answer"] in data["options"]
        assert len(set(data["options"])) == len(data["options"]) >= 2
        assert data["citations"] and all(c in ctx.pack for c in data["citations"])


def test_each_answer_key_is_what_the_cited_provision_says(pack, quizzes):
    checked = 0
    for quiz in quizzes:
        for q in quiz.questions:
            source = pack[q.citations[0]]
            provision_text = normal(source.full_text)
            stem = stem_of(q.question)
            if q.options == [phrases.TRUE, phrases.FALSE]:
                value = FILLED.search(stem).group(1)
                stem = FILLED.sub(phrases.BLANK, stem, count=1)
                said = said_in(around(stem, value), q.basis)
                assert said == (q.answer == phrases.TRUE), q.question
            else:
                assert said_in(around(stem, q.answer), q.basis), q.question
            # The basis is the provision's own words (a list item may carry its lead-in).
            for piece in re.split(r"[.;:“”\"]|(?<=\S) (?=Mức)", normal(q.basis)):
                assert piece.strip() in provision_text, (piece, q.source)
            checked += 1
    assert checked > 200


def said_by_document(pack, doc_id: str, stem: str, option: str) -> bool:
    """Some provision of the document says the stem with `option` in the blank: it holds the
    words around the blank with the option, and every other part of the stem."""
    others = [
        piece.strip()
        for piece in re.split(r"[.;:]", normal(stem))
        if piece.strip() and normal(phrases.BLANK) not in piece
    ]
    local = around(stem, option)
    for p in pack.trees[doc_id].provisions:
        lines = document_lines_of(p)
        text = normal(p.full_text)
        if local in lines and all(piece in text for piece in others):
            return True
    return False


def document_lines_of(provision) -> str:
    """A provision's lines, normalised: each as written and without its parentheses, a list
    item also with its lead-in."""
    out, lead = [], ""
    for line in provision.text.splitlines():
        text = line.removeprefix("- ").strip()
        forms = [text, f"{lead} {text}"] if line.startswith("- ") else [text]
        out += [normal(f) for f in forms]
        out += [normal(re.sub(r"\s*\([^()]*\)", "", f)) for f in forms]
        lead = lead if line.startswith("- ") else text
    return "\n".join(out)


def test_no_wrong_option_is_said_by_the_pack(pack, quizzes):
    checked = 0
    for quiz in quizzes:
        for q in quiz.questions:
            stem = stem_of(q.question)
            if q.options == [phrases.TRUE, phrases.FALSE]:
                if q.answer == phrases.FALSE:  # the sentence shown is a wrong one
                    value = FILLED.search(stem).group(1)
                    stem = FILLED.sub(phrases.BLANK, stem, count=1)
                    assert not said_by_document(pack, quiz.document, stem, value), q.question
                    checked += 1
                continue
            assert said_by_document(pack, quiz.document, stem, q.answer), q.question
            for option in q.options:
                if option == q.answer:
                    continue
                assert normal(option) != normal(q.answer)
                assert not said_by_document(pack, quiz.document, stem, option), (q.question, option)
                checked += 1
    assert checked > 300


def test_no_question_is_built_from_a_placeholder_or_an_incomplete_line(pack, quizzes):
    for quiz in quizzes:
        for q in quiz.questions:
            assert pack[q.source].coverage is not Coverage.NONE
            assert "chưa được xác minh" not in q.basis and "…" not in q.basis


def test_a_question_on_a_single_source_fact_says_so(pack, quizzes):
    weak = strong = 0
    for quiz in quizzes:
        for q in quiz.questions:
            flagged = "(Lưu ý: ý này chỉ dựa trên một nguồn" in q.question
            confidence = pack[q.source].confidence.value
            if confidence.startswith("single"):
                assert flagged, q.question
                weak += 1
            elif not any(c.weak and c.scope == q.source for c in pack[q.source].caveats):
                assert not flagged, q.question
                strong += 1
    assert weak and strong


def test_the_same_seed_gives_the_same_quiz_and_another_seed_another(ctx):
    first = build_quiz(ctx, "hd-25-2023", 8, 42)
    assert build_quiz(ctx, "hd-25-2023", 8, 42) == first
    other = build_quiz(ctx, "hd-25-2023", 8, 43)
    assert [q.question for q in other.questions] != [q.question for q in first.questions]


def test_both_kinds_of_question_come_from_sibling_values(ctx):
    quiz = build_quiz(ctx, "hd-25-2023", 30, 1)
    choice = [q for q in quiz.questions if q.kind == "choice"]
    true_false = [q for q in quiz.questions if q.kind == "true_false"]
    assert choice and true_false
    forms = [q for q in choice if q.answer.startswith("Mẫu")]
    assert forms and all(all(o.startswith("Mẫu") for o in q.options) for q in forms)
    bodies = [q for q in choice if q.question.startswith("Theo Mục 3 —")]
    assert bodies and all("ban thường vụ" in " ".join(q.options).lower() for q in bodies)


@pytest.mark.parametrize("n", [0, 500, -3])
def test_a_count_outside_one_to_fifty_is_refused(ctx, n):
    with pytest.raises(WorkspaceError, match=f"Số câu hỏi phải từ 1 đến 50 \\(đã nhập {n}\\)"):
        build_quiz(ctx, "qd-124-2023", n)


def test_a_document_with_too_little_content_says_so_instead_of_filling_the_gap(ctx):
    quiz = build_quiz(ctx, "hd-43-2025", 50)
    assert 0 < len(quiz.questions) < 50
    assert quiz.notices[0].startswith(f"Bản tóm lược chỉ đủ nội dung cho {len(quiz.questions)}")
    empty = build_quiz(ctx, "qd-125-2023", 5)
    assert empty.questions == []
    assert empty.notices[0].startswith("Bản tóm lược của Quy định 125-QĐ/TW không có nội dung")


MARKERS = re.compile(r"((?:\[\d+\])+)$")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_printed_questions_do_not_point_at_the_answer_by_their_citations(pack, ctx, seed):
    """A learner reads the questions without the key: a question shows the marks of all its
    options' provisions, in the order of the sources list, and no option has a mark of its own
    that would single out the right one."""
    quiz, doc = build_lesson(ctx, "qd-366-2025", 12, seed, outline=False)
    printed = render_text(doc)
    asked = printed.split(f"■ {phrases.QUIZ}", 1)[1].split(f"■ {phrases.ANSWER_KEY}", 1)[0]
    blocks = re.findall(r"  Câu \d+\. .*?(?=\n  Câu \d+\. |\Z)", asked, flags=re.S)
    assert len(blocks) == len(quiz.questions) == 12
    numbers = {s.id: n for n, s in enumerate(doc.sources, start=1)}
    choice = 0
    for block, q in zip(blocks, quiz.questions, strict=True):
        question, *rest = [line.strip() for line in block.splitlines() if line.strip()]
        options = [line for line in rest if line.startswith("• ")]
        assert [o.removeprefix("• ")[3:] for o in options] == q.options
        assert not any(MARKERS.search(o) for o in options), block
        shown = [int(n) for n in re.findall(r"\[(\d+)\]", MARKERS.search(question).group(1))]
        assert shown == sorted(numbers[c] for c in q.citations), block
        choice += q.kind == "choice"
    assert choice
