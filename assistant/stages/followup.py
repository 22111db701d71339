"""Follow-ups by frame: an elliptical question inside the domain takes the previous
question's slots (documents, subject, topic, time) and changes only what it names.

"Còn đảng viên thì sao?" after "Ai đánh giá xếp loại chi bộ?" becomes "Ai đánh giá xếp loại
đảng viên?": the subject is swapped in the previous question's own words, so the rewrite
shown is a grammatical question. "Hạn chót gửi là khi nào?" after a question on the records
becomes "Hạn chót gửi hồ sơ kiểm điểm… là khi nào?": the previous topic goes before the
question words. A question with a topic of its own ("Thời tiết Hà Nội hôm nay thế nào?"),
or one that is whole by itself, is not elliptical, whatever came before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.stages.frame import (
    NEW_YEAR,
    OLD,
    PRESENT,
    TIME_LABELS,
    build_frame,
    detect_asked,
)
from assistant.stages.words import COMMON, QUESTION_PHRASES, Words
from assistant.types import Asked, Frame, Period
from knowledge.pack import Pack
from knowledge.text import abbreviations, expand_shorthand, fold, has_diacritics, normalize
from knowledge.vocabulary import LEVEL_NAMES, vocabulary

Restore = Callable[[str], str]  # puts diacritics back on unaccented text
LEAD_WORD = re.compile(r"(?i)^(thế|vậy|the|vay)(\s+(thì|thi))?\s+")

OPENERS = (
    "the con ",
    "vay con ",
    "con ",
    "the ",
    "vay thi ",
    "vay ",
    "va ",
    "nhung ",
    "neu la ",
    "neu ",
    "rieng ",
    "so voi ",
)
CLOSERS = (
    " thi co khac khong",
    " co khac khong",
    " co khac gi khong",
    " thi khac gi",
    " khac gi",
    " thi sao",
    " thi the nao",
    " thi nhu the nao",
    " thi ra sao",
    " the nao",
    " thi sao a",
    " thi",
    " nhi",
    " a",
)
PRONOUNS = (" do", " nay", " ay", " tren", " kia", " no")
# Subjects that stand in for one another in a follow-up, folded, most specific first.
CONTRASTS = (
    (
        "can bo lanh dao, quan ly",
        "ca nhan khong giu chuc vu",
        "nguoi khong giu chuc vu",
        "can bo lanh dao",
        "nguoi dung dau",
        "dang vien du bi",
        "dang vien",
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
DOC_MENTION = re.compile(
    r"\b(quy\s*dinh|qd|huong\s*dan|hd)\s*(?:so\s*)?-?\s*\d{2,4}(?:-\S+)?\b|\b\d{2,4}\s*-\s*(qd|hd)\b"
)
FORM_CODE = re.compile(r"(?i)\b(?:mẫu|mau)\s*0?\d{1,2}[abc]?\b|\b0?\d{1,2}[abc]\b")
# Where the question words of a question start: the topic of a follow-up goes before them.
QUESTION_START = re.compile(
    r"(?<![\w])(là khi nào|khi nào|là ngày nào|ngày nào|là bao nhiêu|bao nhiêu|là gì|là ai|"
    r"ở đâu|thế nào|như thế nào|ra sao|mấy|những gì|ai|gì|nào)(?![\w])"
)
# Where a question's topic ends and its predicate begins (folded), for "hồ sơ … làm theo mẫu
# nào?" -> "hồ sơ …".
PREDICATE = re.compile(
    r"(?<![\w])(lam theo|theo mau|dung mau|la gi|la ai|la khi nao|gom|do ai|ai|co phai|"
    r"phai|duoc|khi nao|bao nhieu|may|o dau|nhu the nao|the nao|ra sao|nao)(?![\w])"
)


@dataclass(frozen=True)
class FollowUp:
    frame: Frame
    question: str  # the question as understood (rewritten when elliptical)
    merged: bool


def _strip(question: str) -> str:
    return re.sub(r"[?!.…\s]+$", "", question.strip())


def _cut(text: str, folded: str) -> tuple[str, bool]:
    """Openers and closers removed (from text and its folded twin, kept aligned)."""
    marked = False
    for opener in OPENERS:
        if folded.startswith(opener):
            text, folded, marked = text[len(opener) :], folded[len(opener) :], True
            break
    for closer in CLOSERS:
        if folded.endswith(closer):
            text, folded, marked = text[: -len(closer)], folded[: -len(closer)], True
            break
    return text.strip(" ,"), marked


def core_of(question: str) -> tuple[str, bool]:
    """The follow-up without its openers and closers (with its own diacritics)."""
    text = _strip(expand_shorthand(normalize(question)))
    return _cut(text, fold(text))


def known_tokens(pack: Pack, words: Words) -> frozenset[str]:
    """The documents' words (as `Words` reads them) and the ways questions are asked: a
    follow-up made only of these has no topic of its own."""
    known = set()
    for provision in pack.provisions.values():
        known |= words(" ".join([provision.title, provision.full_text]))
    from assistant.stages.decide import vocabulary_text

    extra = " ; ".join(
        [
            vocabulary_text(),  # the roles and subjects the frame knows ("đảng viên dự bị")
            "thì sao thế nào như vậy còn nữa ạ nhỉ vậy sao cái đó bây giờ hiện nay năm nay",
            "hiện tại lúc này trước đây rồi chưa nhé hạn chót gửi nộp hôm",
            *LEVEL_NAMES.values(),
            *QUESTION_PHRASES,
        ]
    )
    return frozenset(known | words(extra))


def _topic_nouns(folded: str) -> bool:
    """Whether a question names something to be about (a body, a subject, a document…)."""
    vocab = vocabulary()
    return bool(vocab.subjects_of(folded) or vocab.in_domain(folded) or DOC_MENTION.search(folded))


def is_elliptical(
    question: str, known: frozenset[str], words: Words, restore: Restore | None = None
) -> bool:
    """True when a question leans on the previous turn: it opens or closes like a follow-up
    ("còn … thì sao"), points back ("điều đó"), or is short without a topic; and every word
    it has of its own is a word of the documents (read with its diacritics put back when it
    was typed without them: "dang uy bo phan" is "đảng ủy bộ phận")."""
    core, marked = core_of(question)
    core = _accented(core, restore)
    folded = fold(core)
    n = len(folded.split())
    # "năm nay", "hiện nay" say a time; only "điều này", "cái đó" point back.
    untimed = _untimed(folded)
    pointing = any(f"{p} " in f" {untimed} " for p in PRONOUNS)
    short = n <= 6 and not _topic_nouns(folded)
    if not (marked or pointing or short or n <= 3):
        return False
    if n > (12 if marked else 9):
        return False
    own = words(core) - COMMON
    return all(_known(token, known) for token in own)


def _untimed(folded: str) -> str:
    """Folded text without the times it names ("năm nay", "kỳ 2024", "hiện nay")."""
    for said_time in (PRESENT, OLD, NEW_YEAR):
        folded = said_time.sub(" ", folded)
    return folded


def _accented(text: str, restore: Restore | None) -> str:
    """Text typed without diacritics, with them put back (when a restorer is given)."""
    return restore(text) if restore is not None and not has_diacritics(text) else text


def _known(token: str, known: frozenset[str]) -> bool:
    """A word of the documents, or an abbreviation of one ("btv")."""
    return token in known or token in abbreviations()


def _swap(previous: str, subject: str) -> str | None:
    """The previous question with its subject swapped for the follow-up's, when both come
    from one group of interchangeable subjects and differ."""
    folded_subject = fold(subject)
    folded_prev = fold(previous)
    for group in CONTRASTS:
        mine = next(
            (g for g in group if re.search(rf"(?<!\w){re.escape(g)}(?!\w)", folded_subject)), None
        )
        if mine is None:
            continue
        start = folded_subject.find(mine)
        replacement = subject[start : start + len(mine)]
        for other in group:
            if mine.startswith(other) or other.startswith(mine):
                continue
            m = re.search(rf"(?<!\w){re.escape(other)}(?!\w)", folded_prev)
            if m:
                return previous[: m.start()] + replacement + previous[m.end() :]
    return None


def _topic(previous: str) -> str:
    """The previous question's topic: its words before the predicate ("Hồ sơ kiểm điểm…
    theo HD 25" of "Hồ sơ kiểm điểm… theo HD 25 làm theo mẫu nào?")."""
    folded = fold(previous)
    m = PREDICATE.search(folded, 3)
    topic = previous[: m.start()] if m else previous
    return topic.strip(" ,").rstrip(" ,")


def _replace_topic(previous: str, subject: str) -> str | None:
    """The previous question with `subject` in place of its topic, when it has a predicate."""
    m = PREDICATE.search(fold(previous), 3)
    if m is None or not subject.strip():
        return None
    return f"{subject.strip()} {previous[m.start() :]}"


def _with_topic(core: str, topic: str) -> str:
    """The follow-up with the previous topic put before its question words."""
    if not topic or fold(topic) in fold(core):
        return core
    m = QUESTION_START.search(core.lower())
    if m is None:
        return f"{core} {_lower_first(topic)}"
    head, tail = core[: m.start()].rstrip(), core[m.start() :]
    return f"{head} {_lower_first(topic)} {tail}".strip()


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        if not text.startswith(("Quy định", "Hướng dẫn", "Ban ", "Bộ ", "Mẫu", "Kết luận")):
            return text[0].lower() + text[1:]
    return text


def _previous(history: list[dict]) -> list[str]:
    return [t["content"] for t in history if t.get("role") == "user" and t.get("content")]


def follow(
    question: str,
    history: list[dict],
    pack: Pack,
    known: frozenset[str],
    words: Words,
    restore: Restore | None = None,
) -> FollowUp:
    """The frame of a question in its conversation, and the question as understood."""
    frame = build_frame(question, pack)
    previous = _previous(history or [])
    if not previous or not is_elliptical(question, known, words, restore):
        return FollowUp(frame, question, False)
    whole = frame.asked is Asked.DOC_FACT and bool(frame.documents or frame.doc_fact)
    if whole:  # "vậy hướng dẫn đi kèm bây giờ là văn bản nào?" needs nothing from before
        return FollowUp(frame, question, False)
    # The previous question as it was understood (itself possibly a follow-up).
    before = follow(
        previous[-1],
        [{"role": "user", "content": q} for q in previous[:-1]],
        pack,
        known,
        words,
        restore,
    )
    base = before.frame
    prev_text = normalize(_strip(before.question))
    core, _ = core_of(question)
    core = _accented(core, restore)  # the rewrite shown is read with its diacritics
    update: dict = {}
    if base.asked is Asked.DOC_FACT and len(base.documents) == 1 and not frame.documents:
        # "Thế ai ký?" after a question on a document asks another fact of that document.
        asked, fact = detect_asked(fold(core), True)
        if asked is Asked.DOC_FACT and fact is not None:
            name = pack.document(base.documents[0]).name
            own = LEAD_WORD.sub("", _strip(normalize(question)))  # "còn hiệu lực không" keeps "còn"
            own = _accented(own, restore)
            said = f"{name} do {own}" if fold(own).startswith("ai ") else f"{name} {own}"
            merged = build_frame(said, pack)
            shown = _strip(said)
            return FollowUp(
                merged.model_copy(update={"question": normalize(question)}), shown + "?", True
            )
    rewritten = _swap(prev_text, core)
    if frame.premise is not None and frame.premise.kind == "form":
        if frame.premise.doc_id is None and len(base.documents) == 1 and not frame.documents:
            # "vậy có mẫu 2C không" after a question on HD 25: the form is asked of HD 25.
            frame = frame.model_copy(
                update={"premise": frame.premise.model_copy(update={"doc_id": base.documents[0]})}
            )
        code = f"Mẫu {frame.premise.value.upper()}"
        rewritten = FORM_CODE.sub(code, rewritten or prev_text, count=1)
        update["premise"] = frame.premise
    if rewritten is None and frame.level:
        rewritten = _swap(prev_text, LEVEL_NAMES[frame.level])
    untimed = _untimed(fold(core))  # "kỳ này", "năm 2024": a slot, not a topic
    own = words(untimed) - words(" ".join([*QUESTION_PHRASES, "năm nay hiện nay", *TIME_WORDS]))
    own -= COMMON
    only_slots = not own - _slot_words(frame, pack, words)
    if rewritten is None and only_slots:
        rewritten = prev_text  # only a cycle or a document is new: the same question
    comparing = frame.asked is Asked.COMPARISON and base.asked is not Asked.COMPARISON
    if comparing:
        # "So với trước đây thì khác gì?": the previous topic, compared across the cycles.
        rewritten = f"{_topic(prev_text)} so với trước đây khác gì"
    if rewritten is None and not QUESTION_START.search(core.lower()):
        # "Còn đảng viên bị đình chỉ sinh hoạt thì sao?": a bare subject takes the place of
        # the previous question's topic, before its predicate; "riêng ban thường vụ tỉnh ủy
        # có khác không" after a question with no topic before its predicate asks it of them.
        said = _spelled_out(core)
        rewritten = _replace_topic(prev_text, said) or f"{prev_text} đối với {_lower_first(said)}"
    if rewritten is None:
        rewritten = _with_topic(core, _topic(prev_text))
    if frame.documents:
        update["documents"] = frame.documents
        name = pack.document(frame.documents[0]).name
        m = DOC_MENTION.search(fold(rewritten))
        if m:
            rewritten = rewritten[: m.start()] + name + rewritten[m.end() :]
        elif fold(name) not in fold(rewritten):
            rewritten += f" theo {name}"
    elif base.documents and not DOC_MENTION.search(fold(rewritten)):
        rewritten += f" theo {pack.document(base.documents[0]).name}"
    if frame.time_explicit and not comparing:
        update["time"], update["time_explicit"] = frame.time, True
        if not frame.documents:
            label = TIME_LABELS[frame.time] if frame.time is not Period.NOW else "hiện nay"
            # The previous question's own time ("Năm 2024 …") gives way to the new one.
            said, n = TIME_SAID.subn(label, rewritten, count=1)
            rewritten = said if n else f"{rewritten} ({label})"
    if comparing:
        update["time"], update["time_explicit"] = Period.NOW, False
    if frame.subject.kind or frame.subject.roles:
        update["subject"] = frame.subject
    if frame.level:
        update["level"] = frame.level
    if frame.asked is not Asked.CONTENT and (not only_slots or comparing):
        # "thế năm 2025?" only sets the cycle: what is asked stays the previous question's.
        update["asked"], update["focus"], update["polar"] = frame.asked, frame.focus, frame.polar
        update["doc_fact"], update["doc_facts"] = frame.doc_fact, frame.doc_facts
        if frame.premise is not None:
            update["premise"] = frame.premise
    merged = base.model_copy(update=update | {"question": normalize(question)})
    rewritten = _strip(rewritten)
    shown = rewritten[:1].upper() + rewritten[1:] + "?"
    return FollowUp(merged.model_copy(update={"shown": merged.shown}), shown, True)


# A time the previous question names, in its own words.
TIME_SAID = re.compile(
    r"(?i)(?<![\w])((?:năm|kỳ|kỳ năm)\s+20\d\d(?:\s*[–-]\s*20\d\d)?|năm nay|hiện nay|"
    r"trước đây|bây giờ)(?![\w])"
)


def _spelled_out(core: str) -> str:
    """A follow-up's own words with the documents' abbreviations spelled out ("btv tỉnh
    ủy" → "ban thường vụ tỉnh ủy")."""
    table = abbreviations()
    out = []
    for word in core.split():
        expansion = table.get(fold(word))
        out.append(expansion.lower() if expansion and len(word) > 2 else word)
    return " ".join(out)


# Not "kỳ": words are compared without diacritics, and it would take "ký" too.
TIME_WORDS = ("năm 2023", "năm 2024", "năm 2025", "năm 2026", "trước đây", "cũ", "mới")


def _slot_words(frame: Frame, pack: Pack, words: Words) -> frozenset[str]:
    """The words of a follow-up that only set a slot (a document's name)."""
    names = " ".join(pack.document(d).name for d in frame.documents)
    return words(names + " quy định hướng dẫn qđ hd") if names else frozenset()
