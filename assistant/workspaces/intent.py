"""Which workspace a chat message asks for: a quiz or an outline (Bài giảng), a briefing (Bản
tin), a comparison (So sánh) or "tôi là … thì …" (Trường hợp của tôi). The chat offers the
workspace, with what the message names filled in, instead of quoting an unrelated provision.

Matching is on the accent-folded message, so "soan cau hoi trac nghiem" counts too; "học
viên" (students) is not "Học viện" here because no pattern names either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.pack import Pack
from knowledge.text import fold

BRIEF, LESSON, COMPARE, GUIDE = "ban-tin", "bai-giang", "so-sanh", "truong-hop"
W, E = r"(?<![\w])", r"(?![\w])"
PATTERNS = (
    (
        LESSON,
        rf"{W}(trac nghiem|cau hoi (kiem tra|on tap|thi|dung sai)|de (thi|kiem tra)|quiz|"
        rf"dan y|de cuong|bai giang|giao an|trinh chieu|slide|tai lieu (tap huan|hoc tap)|"
        rf"soan (bai|cau hoi)|on tap){E}",
    ),
    (BRIEF, rf"{W}(ban tin|thong cao|diem tin|tin bai|bai bao|tom tat (cho|de viet) bao){E}"),
    (
        GUIDE,
        rf"(^|[.!?]\s*){W}(toi|em|minh)\s+(la|lam|dang la|dang lam|hien la|giu chuc)\b.{{2,200}}"
        rf"{W}(thi|vay|nen|can|phai|co phai|duoc|dung|ai|nao|khi nao|bao gio){E}"
        rf"|{W}truong hop cua (toi|em|minh){E}",
    ),
    (
        COMPARE,
        rf"{W}(so sanh|khac (gi|nhau|nhu the nao|the nao|ra sao|biet)|diem moi|co gi moi|"
        rf"thay doi (gi|nhung gi|the nao|nhu the nao|ra sao)|doi chieu){E}",
    ),
)
# These the chat cannot do itself: the offer takes the answer's place. A comparison or a case
# question is answered too, with the offer beside it.
REPLACES_ANSWER = frozenset({BRIEF, LESSON})
COUNT = re.compile(rf"{W}(\d{{1,3}})\s+cau{E}")
YEAR = re.compile(rf"{W}(20\d\d){E}")


def workspace_for(question: str) -> str | None:
    """The workspace a message asks for ("bai-giang", "ban-tin", "so-sanh", "truong-hop"), or
    None for an ordinary question."""
    folded = fold(question or "")
    for slug, pattern in PATTERNS:
        if re.search(pattern, folded):
            return slug
    return None


@dataclass(frozen=True)
class Offer:
    """A workspace to offer for a message, and what to fill in on its page."""

    slug: str
    query: dict[str, str] = field(default_factory=dict)

    @property
    def replaces_answer(self) -> bool:
        return self.slug in REPLACES_ANSWER


def offer(question: str, pack: Pack | None = None) -> Offer | None:
    """The workspace for a message with the documents, count, year, organisation and role it
    names (those the pack and the case vocabulary know)."""
    slug = workspace_for(question)
    if slug is None:
        return None
    query: dict[str, str] = {}
    documents = _documents(question, pack)
    if slug in (LESSON, BRIEF) and documents:
        query["doc"] = documents[0] if slug == LESSON else ",".join(documents)
    count = COUNT.search(fold(question))
    if slug == LESSON and count:
        query["n"] = count.group(1)
    if slug == COMPARE and pack is not None:
        query |= _pair(pack, documents)
    if slug == GUIDE:
        query |= _case(question)
    return Offer(slug, query)


def _documents(question: str, pack: Pack | None) -> list[str]:
    if pack is None:
        return []
    from assistant.references import find_documents

    return find_documents(question, pack)


def _pair(pack: Pack, documents: list[str]) -> dict[str, str]:
    for old, new in pack.succession.pairs:
        if old in documents or new in documents:
            return {"old": old, "new": new}
    return {}


def _case(question: str) -> dict[str, str]:
    """The organisation, role and year a "tôi là … thì …" message names (what is not
    understood is left for the page)."""
    from assistant.workspaces.base import WorkspaceError
    from assistant.workspaces.cases import resolve_org, resolve_role

    query: dict[str, str] = {}
    try:
        org, public = resolve_org(question)
        query["org"] = org.id
        if public:
            query["public"] = "1"
    except WorkspaceError:
        pass
    try:
        query["role"] = resolve_role(question).id
    except WorkspaceError:
        pass
    year = YEAR.search(question)
    if year:
        query["year"] = year.group(1)
    return query
