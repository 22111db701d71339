"""Elliptical follow-up questions rewritten with the previous turns.

"Còn đảng viên dự bị thì sao?" after "Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm
không?" becomes "đảng viên dự bị có phải kiểm điểm không?"; the document named earlier is
carried over when the new question names none.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.text import fold

# Openers and closers that mark a question as continuing the previous one (folded forms).
OPENERS = ("the con ", "vay con ", "con ", "the ", "vay ", "va ", "nhung ", "neu la ", "neu ")
CLOSERS = (
    " thi sao",
    " thi the nao",
    " thi nhu the nao",
    " thi ra sao",
    " the nao",
    " thi sao a",
    " thi",
)
PRONOUNS = (" do", " nay", " ay", " tren", " kia")
# Where the subject of a question usually ends and its predicate begins (folded).
PREDICATE_MARKERS = (
    " can bao nhieu ",
    " can ",
    " bao nhieu ",
    " khi nao ",
    " o dau ",
    " nhu the nao ",
    " the nao ",
    " co phai ",
    " co duoc ",
    " co bi ",
    " co can ",
    " co ",
    " phai ",
    " duoc ",
    " bi ",
    " do ai ",
    " ai ",
    " la ",
    " gom ",
    " kiem diem ",
    " xep loai ",
    " danh gia ",
    " thi ",
)
# Subjects that stand in for one another in a follow-up ("còn tập thể thì sao?" after a
# question on "cá nhân"), folded. Within a group, the follow-up's subject replaces the other.
CONTRASTS = (
    (
        "can bo lanh dao, quan ly",
        "can bo lanh dao",
        "nguoi dung dau",
        "ca nhan",
        "tap the lanh dao, quan ly",
        "tap the",
        "cap uy",
        "to chuc dang",
        "chi bo",
        "dang bo",
    ),
    (
        "hoan thanh xuat sac nhiem vu",
        "hoan thanh xuat sac",
        "xuat sac",
        "htxsnv",
        "hoan thanh tot nhiem vu",
        "hoan thanh tot",
        "httnv",
        "khong hoan thanh nhiem vu",
        "khong hoan thanh",
        "khtnv",
        "hoan thanh nhiem vu",
        "htnv",
    ),
)


def _contrast(subject: str, previous: str) -> str | None:
    """The previous question with its subject swapped for the follow-up's, when both come
    from one group of interchangeable subjects and differ."""
    folded_subject = re.sub(r"^muc\s+", "", fold(subject))
    folded_prev = fold(previous)
    for group in CONTRASTS:
        mine = next((g for g in group if folded_subject.startswith(g)), None)
        if mine is None:
            continue
        for other in group:
            if mine.startswith(other) or other.startswith(mine):
                continue
            m = re.search(rf"(?<!\w){re.escape(other)}(?!\w)", folded_prev)
            if m:
                replacement = subject[len(subject) - len(folded_subject) :]
                return previous[: m.start()] + replacement + previous[m.end() :]
    return None


DOC_MENTION = re.compile(
    r"\b(quy\s*dinh|qd|huong\s*dan|hd)\s*(?:so\s*)?-?\s*\d{2,4}\b|\b\d{2,4}\s*-\s*(qd|hd)\b"
)


def _strip(question: str) -> str:
    return re.sub(r"[?!.…\s]+$", "", question.strip())


NEWER = (" moi", " hien nay", " hien hanh", " bay gio", " nam 2025", " nam 2026", " nam nay")


def is_elliptical(question: str, vocabulary: set[str] | None = None) -> bool:
    """True when a question leans on the previous turn to be understood.

    Args:
        question: the new question.
        vocabulary: folded syllable bigrams ("chi bo") of the documents: a short question
            that names none of them has no topic of its own.
    """
    text = " " + fold(_strip(question)) + " "
    words = text.split()
    if text.lstrip().startswith(OPENERS) or text.rstrip().endswith(CLOSERS):
        return True
    if any(p + " " in text for p in PRONOUNS) and len(words) <= 10:
        return True
    if len(words) <= 6:
        bigrams = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
        return not (vocabulary and bigrams & vocabulary)
    return False


def _subject(question: str) -> str:
    """The new subject of an elliptical question: openers and closers removed."""
    text = _strip(question)
    folded = fold(text)
    for opener in OPENERS:
        if folded.startswith(opener):
            text, folded = text[len(opener) :], folded[len(opener) :]
            break
    for closer in CLOSERS:
        if folded.endswith(closer):
            text, folded = text[: -len(closer)], folded[: -len(closer)]
            break
    return text.strip(" ,")


def rewrite(
    question: str,
    history: list[dict],
    vocabulary: set[str] | None = None,
    successors: dict[str, str] | None = None,
) -> str:
    """Rewrite an elliptical question with the previous user turn; others are returned as is.

    Args:
        question: the new question.
        history: earlier turns, oldest first: [{"role": "user"|"assistant", "content": …}].
        vocabulary: see `is_elliptical`.
        successors: a replaced document's mention ("124") -> its successor's name, used when
            the follow-up asks about the new or current rules.
    """
    previous = next(
        (t["content"] for t in reversed(history or []) if t.get("role") == "user"), None
    )
    if not previous or not is_elliptical(question, vocabulary):
        return question
    previous = unicodedata.normalize("NFC", _strip(previous))
    subject = _subject(question)
    folded_prev = " " + fold(previous) + " "
    rewritten = _contrast(subject, previous) if subject else None
    if rewritten is None and subject and fold(question).lstrip().startswith(OPENERS):
        # "Còn X thì sao?": put X in place of the previous question's subject.
        cut = min(
            (folded_prev.find(m) for m in PREDICATE_MARKERS if folded_prev.find(m) > 1),
            default=-1,
        )
        if cut > 0:
            rewritten = f"{subject} {previous[cut:].strip()}"
    if rewritten is None:
        # A new predicate about the same topic: keep both. Asked about the present, a replaced
        # document in the earlier question stands for its successor.
        context = previous
        if successors and any(n in " " + fold(question) for n in NEWER):
            for m in DOC_MENTION.finditer(fold(previous)):
                number = re.search(r"\d{2,4}", m.group(0)).group(0)
                if number in successors:
                    context = previous[: m.start()] + successors[number] + previous[m.end() :]
                    break
        rewritten = f"{_strip(question)} ({context})"
    folded_q = " " + fold(question)
    if not DOC_MENTION.search(fold(question)):
        doc = DOC_MENTION.search(fold(previous))
        if doc and not DOC_MENTION.search(fold(rewritten)):
            mention = previous[doc.start() : doc.end()]
            number = re.search(r"\d{2,4}", mention).group(0)
            if successors and number in successors and any(n in folded_q for n in NEWER):
                mention = successors[number]
            rewritten += f" — {mention}"
    return rewritten[:1].upper() + rewritten[1:] + "?"
