"""A case of "Trường hợp của tôi": the kind of party organisation, the member's role and the
review year, read from what a user typed (an id, or words the documents use), and the
documents that apply to that year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.workspaces import phrases
from assistant.workspaces.base import Context, WorkspaceError
from knowledge.text import fold
from knowledge.vocabulary import vocabulary

FIRST_YEAR = 2023
NEW_RULES_FROM = 2025
NOW_WORDS = {"nay", "hien nay", "bay gio", "now", "nam nay"}
PUBLIC_UNIT = re.compile(
    r"don vi su nghiep|cong lap|benh vien|truong hoc|truong dai hoc|dai hoc|truong cao dang|"
    r"truong thpt|trung tam y te|vien nghien cuu|\btruong\b"
)
# A kind named right after "trực thuộc" is the parent ("chi ủy trực thuộc đảng ủy cơ sở").
PARENT = re.compile(r"(truc thuoc|thuoc)\s+$")


@dataclass(frozen=True)
class OrgKind:
    id: str
    label: str
    terms: tuple[str, ...]  # folded phrases naming this kind, in users' and documents' words


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    tags: frozenset[str]  # role tags of knowledge/data/vocabulary.yaml


ORGS = (
    OrgKind(
        "chi-bo-truc-thuoc",
        "chi bộ trực thuộc đảng ủy cơ sở",
        ("chi bo truc thuoc", "chi uy truc thuoc"),
    ),
    OrgKind("chi-bo-co-so", "chi bộ cơ sở", ("chi bo co so", "chi uy co so", "cap uy co so")),
    OrgKind("dang-bo-bo-phan", "đảng bộ bộ phận", ("dang bo bo phan", "dang uy bo phan")),
    OrgKind(
        "dang-bo-co-so",
        "đảng bộ cơ sở",
        ("dang bo co so", "dang uy co so", "cap uy co so", "cap uy o co so"),
    ),
)
ROLES = (
    Role("dang-vien", "đảng viên không giữ chức vụ lãnh đạo, quản lý", frozenset({"no_post"})),
    Role("lanh-dao", "người giữ chức vụ lãnh đạo, quản lý", frozenset({"leader"})),
    Role(
        "dien-trung-uong",
        "cán bộ thuộc diện Trung ương quản lý",
        frozenset({"central_cadre", "leader"}),
    ),
    Role(
        "ngoai-he-thong",
        "đảng viên không làm việc trong hệ thống chính trị",
        frozenset({"outside_system"}),
    ),
    Role("du-bi", "đảng viên dự bị", frozenset({"probationary", "no_post"})),
    Role(
        "moi-ket-nap",
        "đảng viên mới kết nạp chưa đủ 6 tháng",
        frozenset({"new_member", "no_post"}),
    ),
)
# Which role a user's words mean when they name several (the most specific first).
ROLE_ORDER = ("outside_system", "central_cadre", "new_member", "probationary", "leader", "no_post")
ROLE_OF_TAG = {
    "outside_system": "ngoai-he-thong",
    "central_cadre": "dien-trung-uong",
    "new_member": "moi-ket-nap",
    "probationary": "du-bi",
    "leader": "lanh-dao",
    "no_post": "dang-vien",
}


@dataclass(frozen=True)
class Case:
    org: OrgKind
    role: Role
    year: int
    public_unit: bool
    documents: tuple[str, ...]  # the documents of the year's cycle, the Quy định first

    @property
    def new_rules(self) -> bool:
        return self.year >= NEW_RULES_FROM


def kinds_named(text: str) -> set[str]:
    """The kinds of organisation a text names as a subject (not as a parent after
    "trực thuộc")."""
    folded = fold(text)
    found = set()
    for org in ORGS:
        for term in org.terms:
            for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", folded):
                if not PARENT.search(folded[: m.start()]):
                    found.add(org.id)
    return found


def resolve_org(given: str) -> tuple[OrgKind, bool]:
    """The kind of organisation and whether it is in a public service unit.

    Raises:
        WorkspaceError: when the words name no kind the documents describe.
    """
    by_id = {o.id: o for o in ORGS}
    text = (given or "").strip()
    folded = fold(text)
    public = bool(PUBLIC_UNIT.search(folded))
    if text in by_id:
        return by_id[text], False
    best: tuple[int, int, OrgKind] | None = None
    for order, org in enumerate(ORGS):
        for term in org.terms:
            m = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded)
            if m and (best is None or (m.start(), order) < best[:2]):
                best = (m.start(), order, org)
    if best is None:
        known = "; ".join(f"{o.id} ({o.label})" for o in ORGS)
        raise WorkspaceError(phrases.UNKNOWN_ORG.format(given=given, known=known))
    return best[2], public


def resolve_role(given: str) -> Role:
    """The member's role, from its id or the documents' words ("bí thư", "giáo viên").

    Raises:
        WorkspaceError: for a role the documents do not describe.
    """
    by_id = {r.id: r for r in ROLES}
    text = (given or "").strip()
    if text in by_id:
        return by_id[text]
    folded = fold(text)
    tags = set(vocabulary().roles_of(folded))
    for tag in ROLE_ORDER:
        if tag in tags:
            return by_id[ROLE_OF_TAG[tag]]
    if re.search(r"(?<!\w)dang vien(?!\w)", folded):
        return by_id["dang-vien"]  # a member with none of the roles above
    known = "; ".join(f"{r.id} ({r.label})" for r in ROLES)
    raise WorkspaceError(phrases.UNKNOWN_ROLE.format(given=given, known=known))


def resolve_year(given: str | int | None, today: dt.date) -> int:
    """A four-digit year, or "nay" (this year).

    Raises:
        WorkspaceError: for something that is not a year, a year before 2023 (no document the
        assistant has applies) or a year after the next one.
    """
    if given is None or (isinstance(given, str) and fold(given).strip() in NOW_WORDS | {""}):
        return today.year
    text = str(given).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise WorkspaceError(phrases.BAD_YEAR.format(given=given))
    year = int(text)
    if year < FIRST_YEAR:
        raise WorkspaceError(phrases.YEAR_TOO_OLD.format(year=year))
    if year > today.year + 1:
        raise WorkspaceError(phrases.YEAR_TOO_NEW.format(year=year, last=today.year + 1))
    return year


def resolve_case(
    ctx: Context, org: str, role: str, year: str | int | None, *, public_unit: bool = False
) -> Case:
    """The case a user describes, with the documents its year's cycle uses (from the
    old→new map: the old side for 2023–2024, the new side from 2025)."""
    kind, public = resolve_org(org)
    chosen_role = resolve_role(role)
    chosen_year = resolve_year(year, ctx.today)
    side = 1 if chosen_year >= NEW_RULES_FROM else 0
    documents = tuple(
        pair[side] for pair in ctx.pack.succession.pairs if pair[side] in ctx.pack.trees
    )
    return Case(kind, chosen_role, chosen_year, public or public_unit, documents)
