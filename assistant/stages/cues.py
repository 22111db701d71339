"""What a question's words and a line's words say to each other, beyond word overlap: who
does the action asked, a count stated or only referred to, a run of the question's own words,
the item asked by rank, the words of asking for a comparison. Pure functions over folded text,
used by the planner (assistant/stages/plan.py) and the lead (assistant/stages/lead.py)."""

from __future__ import annotations

import functools
import re

from assistant.stages.words import COMMON
from assistant.types import Asked, Frame
from knowledge.spans import COUNT
from knowledge.text import fold
from knowledge.types import Span, SpanKind

PHRASE_MIN, PHRASE_STEP, PHRASE_CAP = 4, 0.4, 1.6  # a run of the question's words in a line
PUNCTUATION = re.compile(r"[^\w\s]")

ASKS_LEVEL = re.compile(r"(?<![\w])(muc nao|loai gi|loai nao|xep loai gi|xep muc|muc gi)(?![\w])")
QUESTION_SCORE = re.compile(r"(?<![\w.,/])(\d{1,3})\s*diem(?![\w])")
# "Mẫu 2A dành cho ai / đối tượng nào?", and a line that says who uses a form.
FOR_WHOM = re.compile(
    r"(?<![\w])(danh cho|cho ai|doi tuong nao|ai dung|dung cho ai|ai lam)(?![\w])"
)
USERS_SAID = re.compile(r"dành cho|là bản|dùng cho|đối với|người (không )?giữ", re.IGNORECASE)
# "Phụ lục 4 … mỗi tiêu chí bao nhiêu điểm": what is inside an appendix, not whom it is for.
APPENDIX = re.compile(r"(?<![\w])phu luc (\d{1,2})(?![\w])")
APPENDIX_DETAIL = re.compile(
    r"(?<![\w])(tieu chi|bao nhieu diem|cham diem|cham the nao|thang diem|noi dung|cu the)(?![\w])"
)
APPENDIX_USERS = re.compile(r"(?<![\w])(doi tuong|ap dung cho|nhom nao)(?![\w])")
META_ONLY = re.compile(r"^(Tiểu mục|Mục|Điều|Nhóm|Phần|Khoản) này có (hướng dẫn|giao)\b")
PLACE = re.compile(r"(?<![\w])((o|ve|tai|den) dau|noi nao|o noi nao)(?![\w])")
PROCEDURE_LEAD = re.compile(r"(?<![\w])(cach|quy trinh|trinh tu|thu tu|cac buoc|buoc)(?![\w])")
BODY_LEAD = re.compile(r"(?<![\w])(nguoi|chu the|co quan|ai)(?![\w])")


# The words of asking for a comparison, which say nothing of its topic.
COMPARING_WORDS = " khác so sánh mới so với giữa khác nhau nhau và hay ra sao thế nào"
CHANGE_WORDS = re.compile(
    r"(?i)\b(điểm mới|điểm khác|những điểm|thay đổi|khác biệt|diem moi|diem khac|thay doi|"
    r"khac biet)\b"
)


def lead_in_fits(lead_in: str, frame: Frame) -> float:
    """A list whose lead-in says what kind of list it is ("Cách đánh giá theo quý:")."""
    folded = fold(lead_in)
    asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
    if asked is Asked.PROCEDURE and PROCEDURE_LEAD.search(folded):
        return 1.0
    if asked is Asked.BODY and BODY_LEAD.search(folded):
        return 1.0
    return 0.0


COUNTED_NOUN = re.compile(
    r"(?:may|bao nhieu)\s+(nhom nhiem vu|noi dung|truong hop|phu luc|nhiem vu|yeu cau|"
    r"doi tuong|tieu chi|hinh thuc|cap do|chuong|buoc|nhom|loai|muc|noi|mau|dieu|mat|ky)"
    r"(?![\w])"
)


REFERENCE_AFTER = re.compile(
    r"^[^.;:]{0,40}?(?<!\w)(o|tai|theo|neu tai|quy dinh tai)\s+(dieu|khoan|diem|muc|tiet)\s+\d"
)


# What a body does, in the question and right after a body in a line ("đảng ủy cơ sở xem
# xét, đánh giá, xếp loại …"). After "mức", "kết quả", "việc" the same words name a thing.
ACTION = (
    r"(danh gia|xep loai|kiem diem|quyet dinh|tham dinh|huy bo|huy|chi dao|lap|tong hop|"
    r"thong bao|phe duyet|de xuat|xem xet)"
)
ACTIONS = re.compile(rf"(?<![\w])(?<!muc )(?<!ket qua )(?<!viec )(?<!quy trinh ){ACTION}(?![\w])")
ACTION_CHAIN = re.compile(rf"^{ACTION}(?:(?:\s*,\s*|\s+va\s+|\s+roi\s+){ACTION})*(?![\w])")
OBJECT_SKIP = re.compile(r"^[\s,]*(?:cho|doi voi|ve|cac|nhung|mot)?\s*")
AGENT_LINK = re.compile(
    r"^[\s,]*(?:tu|se|duoc|co trach nhiem(?:, tham quyen)?|co tham quyen)?\s*:?\s*(?:tu\s+)?"
)


def _action(said: str) -> str:
    return "huy" if said == "huy bo" else said


def actions_in(text: str) -> set[str]:
    return {_action(m) for m in re.findall(ACTION, text)}


@functools.lru_cache(maxsize=2_000)
def asked_action(question: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The actions a question asks who does ("ai đánh giá, xếp loại …"), and the words of
    what it is done to ("chi bộ trực thuộc …"); read once per question, not per line."""
    folded = fold(question)
    found = list(ACTIONS.finditer(folded))
    if not found:
        return frozenset(), ()
    rest = ACTION_CHAIN.sub("", folded[found[0].start() :], count=1)
    done_to = tuple(OBJECT_SKIP.sub("", rest, count=1).split())
    return frozenset(_action(m.group(1)) for m in found), done_to


def agent_score(span: Span, lines: list[str], question: str) -> float:
    """Whether a body in a line does what the question asks ("ai đánh giá chi bộ?"): a
    body followed by that action is the one doing it; one followed by another action
    ("… chi bộ trực thuộc phải kiểm điểm"), or the one the action is done to, is not."""
    asked, done_to = asked_action(question)
    line = fold(lines[span.line]) if 0 <= span.line < len(lines) else ""
    body = fold(span.text)
    at = line.find(body)
    if not asked or at < 0:
        return 0.0
    # What the question's action is done to ("ai đánh giá chi bộ" → "chi bộ"): a body that
    # names it is the object, not the one who acts.
    head = tuple(body.split()[:2])
    if done_to and done_to[: len(head)] == head:
        return -1.0
    chain = ACTION_CHAIN.match(AGENT_LINK.sub("", line[at + len(span.text) :], count=1))
    if chain is None:
        return 0.0
    return 1.0 if actions_in(chain.group(0)) & asked else -0.8


@functools.lru_cache(maxsize=20_000)
def phrase_bonus(question: str, text: str) -> float:
    """A line that has a run of four or more of the question's words in a row ("Ban Bí thư
    Trung ương Đoàn"), which word overlap alone does not see."""
    asked = PUNCTUATION.sub(" ", fold(question)).split()
    line = " " + " ".join(PUNCTUATION.sub(" ", fold(text)).split()) + " "
    everyday = everyday_syllables()
    best = 0
    for start in range(len(asked)):
        for end in range(start + PHRASE_MIN, min(len(asked), start + 10) + 1):
            run = asked[start:end]
            if f" {' '.join(run)} " not in line:
                break
            # A run of only the documents' everyday words ("các tập thể phải kiểm điểm") is in
            # many lines; one that names something ("Ban Bí thư Trung ương Đoàn") is not.
            if sum(s not in everyday for s in run) >= 1:
                best = max(best, end - start)
    return min(PHRASE_STEP * (best - PHRASE_MIN + 1), PHRASE_CAP) if best >= PHRASE_MIN else 0.0


@functools.cache
def everyday_syllables() -> frozenset[str]:
    from assistant.stages.decide import generic_text

    return frozenset(PUNCTUATION.sub(" ", fold(generic_text())).split()) | {
        w for w in COMMON if "_" not in w
    }


def refers_elsewhere(span: Span, lines: list[str]) -> bool:
    """A count that points at the provision that states it ("tự xếp mình vào 1 trong 4 mức
    xếp loại ở Điều 12"), rather than stating it."""
    line = fold(lines[span.line]) if 0 <= span.line < len(lines) else ""
    at = line.find(fold(span.text))
    return at >= 0 and REFERENCE_AFTER.search(line[at + len(span.text) :]) is not None


def counts_noun(span: Span, noun: str) -> bool:
    """Whether a count or a list counts the asked noun: "3 bước" counts "buoc"; a list by
    the count its lead-in states ("gồm 3 bước:"), else by the words just before its colon."""
    if span.kind is SpanKind.COUNT:
        named = span.value
    else:
        folded = fold(span.text)
        stated = COUNT.search(folded)
        named = stated.group(2) if stated else folded[-40:]
    return re.search(rf"(?<!\w){noun}(?!\w)", named) is not None


def counted_noun(question: str) -> str | None:
    """The folded noun a "có mấy / bao nhiêu …" question counts ("muc", "buoc")."""
    m = COUNTED_NOUN.search(fold(question))
    return m.group(1) if m else None


def lists_levels(span: Span) -> bool:
    return sum("hoan thanh" in fold(item) for item in span.items) >= 3


def appendix_detail(folded_question: str) -> str | None:
    """The appendix whose contents the question asks about ("phu luc 4 … moi tieu chi bao
    nhieu diem" → "4"), not for whom it is ("phụ lục 3 dành cho ai")."""
    named = APPENDIX.findall(folded_question)
    if len(named) != 1 or not APPENDIX_DETAIL.search(folded_question):
        return None
    if FOR_WHOM.search(folded_question) or APPENDIX_USERS.search(folded_question):
        return None
    return named[0]


def said_whole(title: str, question: str) -> bool:
    """Whether the question says a title of three syllables or more whole, in its order
    ("Thứ tự kiểm điểm" in "thứ tự kiểm điểm giữa các thành viên")."""
    words = PUNCTUATION.sub(" ", fold(title)).split()
    if len(words) < 3:
        return False
    return f" {' '.join(words)} " in _spaced(question)


@functools.lru_cache(maxsize=64)
def _spaced(question: str) -> str:
    """A question folded, without punctuation, one space between words and at both ends;
    read once per question, not once per provision scored."""
    return f" {' '.join(PUNCTUATION.sub(' ', fold(question)).split())} "


# The unit a number question asks for: a length of time ("tối thiểu bao nhiêu ngày", "bao
# lâu"), a share, points. A span of that unit answers it, not another number nearby.
ASKS_DAYS = re.compile(r"(?<![\w])((bao nhieu|may)\s+(ngay|thang|buoi)|bao lau|thoi luong)(?![\w])")
# "gửi trước bao nhiêu ngày", "trước bao lâu": how long before, not how long.
ASKS_BEFORE = re.compile(
    r"(?<![\w])(truoc(\s+\w+){0,2}\s+((bao nhieu|may)\s+ngay|bao lau)|bao lau truoc)(?![\w])"
)
ASKS_SHARE = re.compile(r"(?<![\w])(ty le|phan tram)(?![\w])|%")
ASKS_POINTS = re.compile(r"(?<![\w])((bao nhieu|may|so)\s+diem|nguong diem)(?![\w])")


def asked_units(question: str) -> set[SpanKind]:
    """The span kinds a number question's unit allows ("tối thiểu bao nhiêu ngày" → a
    duration, "cần bao nhiêu điểm" → points); empty when it names no unit."""
    folded = fold(question)
    units = {
        SpanKind.DURATION: ASKS_DAYS,
        SpanKind.PERCENT: ASKS_SHARE,
        SpanKind.SCORE: ASKS_POINTS,
    }
    return {kind for kind, pattern in units.items() if pattern.search(folded)}


def lead_time_mismatch(span: Span, question: str) -> bool:
    """A duration that says how long before ("trước ít nhất 03 ngày làm việc") for a question
    on how long ("hội nghị kéo dài tối thiểu bao nhiêu ngày"), or the reverse."""
    if span.kind is not SpanKind.DURATION:
        return False
    clause, text = fold(span.clause), fold(span.text)
    at = clause.find(text)
    before = text.startswith("truoc") or (at >= 0 and "truoc" in clause[max(0, at - 14) : at])
    return before != bool(ASKS_BEFORE.search(fold(question)))


# A line that says what a term covers ('"Tập thể" là cách gọi chung cho: …'), and a question
# on what a term means or covers ("tập thể được hiểu là gồm những ai", "tập thể là gì").
DEFINITION = re.compile(r'^-?\s*"([^"]{2,40})"\s+là\s+(cách gọi|tên gọi)\s+chung\b', re.IGNORECASE)
ASKS_MEANING = re.compile(
    r"(?<![\w])(duoc hieu|hieu la|la gi|gom nhung|bao gom nhung|khai niem|"
    r"dinh nghia|la nhung ai|goi chung)(?![\w])"
)
# What may come before the term that heads a clause: the document named, a greeting.
LEADING = re.compile(
    r"^((cho (em|toi|minh) hoi|xin hoi|trong|theo)\s+)?((quy dinh|qd|huong dan|hd)\s*\d+"
    r"(-qd/tw|-hd/btctw)?\s*)?"
)


def defined_term(text: str) -> str | None:
    """The term a line defines, folded ("tap the"), if it defines one."""
    m = DEFINITION.match(text)
    return fold(m.group(1)) if m else None


def asks_meaning_of(term: str, question: str) -> bool:
    """Whether the question asks what a term (folded) means or covers, the term heading a
    clause ("tập thể được hiểu là …", "theo qd 366 tap the gom nhung loai nao", "thế nào là
    tập thể"), not naming whose thing is asked about ("hồ sơ kiểm điểm của tập thể gồm …")."""
    for clause in re.split(r"[,.;:?!]", fold(question)):
        clause = " ".join(clause.split())
        clause = LEADING.sub("", clause)
        if clause.startswith(f"{term} ") and ASKS_MEANING.match(clause[len(term) + 1 :]):
            return True
        if re.search(rf"(?<![\w])(the nao la|khai niem|dinh nghia) {re.escape(term)}$", clause):
            return True
        said = re.search(rf"(?<![\w])la {re.escape(term)} ", clause)  # "… là tập thể gồm …"
        if said and ASKS_MEANING.match(clause[said.end() :]):
            return True
    return False


def defines_asked(text: str, question: str) -> bool:
    """Whether a line defines a term the question asks the meaning or extent of."""
    term = defined_term(text)
    return term is not None and asks_meaning_of(term, question)
