"""Trường hợp của tôi (my case): for a kind of party organisation, a member's role and a review
year, who reviews, who rates and decides, which form, the deadlines and the criteria of each
rating level, each line cited with its validity. From 2025 the 2025 documents come first;
where their digest lacks the content the guide says so, and the 2023–2024 rule is shown for
reference only (never for the rating levels, as the old→new map forbids it)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.cited import CitedDocument, Section, Statement
from assistant.workspaces import phrases
from assistant.workspaces.base import (
    ROLE_TAGS,
    Context,
    Line,
    Progress,
    finish,
    gap,
    lines_of,
    no_progress,
    statement,
    tags_of,
    walk,
)
from assistant.workspaces.blanks import level_head
from assistant.workspaces.cases import Case, kinds_named, resolve_case
from knowledge.text import fold
from knowledge.types import Coverage, Provision, SpanKind
from knowledge.vocabulary import LEVEL_NAMES, vocabulary

GUIDE_FILE = Path(__file__).resolve().parents[1] / "data" / "guide.yaml"
SUBJECTS = frozenset({"collective", "individual"})
# Where the subject of a line ends: before what the subject does.
SUBJECT_END = re.compile(r" (tự|do|xem xét|có trách nhiệm|phải|kiểm điểm)\b|; |: ")
APPLIES_NOTE = "ghi-chu/van-ban-ky-2025"
PART_TITLES = {
    "you": "Đối với bạn: {role}",
    "org": "Đối với tổ chức của bạn: {org}",
    "unit": "Đơn vị sự nghiệp công lập",
}


@dataclass(frozen=True)
class Aspect:
    id: str
    part: str  # you | org | unit
    title: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    lines: re.Pattern | None = None
    spans: frozenset[SpanKind] = frozenset()
    levels: bool = False
    gaps: bool = False
    topic: str | None = None
    reference: bool = False  # from 2025, always show the 2023–2024 rule for reference


@functools.cache
def aspects() -> tuple[Aspect, ...]:
    raw = yaml.safe_load(GUIDE_FILE.read_text(encoding="utf-8"))
    return tuple(
        Aspect(
            id=a["id"],
            part=a["part"],
            title=a["title"],
            old=tuple(a.get("old", ())),
            new=tuple(a.get("new", ())),
            lines=re.compile(a["lines"]) if a.get("lines") else None,
            spans=frozenset(SpanKind(s) for s in a.get("spans", ())),
            levels=bool(a.get("levels")),
            gaps=bool(a.get("gaps")),
            topic=a.get("topic"),
            reference=bool(a.get("reference")),
        )
        for a in raw["aspects"]
    )


class Guide(BaseModel):
    """The case as understood, the cited guide, and questions to ask the chat next."""

    case: dict
    questions: list[str]
    document: CitedDocument = Field(exclude=True)


# --- which lines concern the case --------------------------------------------------------------


class Selector:
    def __init__(self, ctx: Context, case: Case, part: str):
        self.ctx, self.case, self.part = ctx, case, part

    def _subjects(self, line: Line) -> frozenset[str]:
        subjects = line.tags & SUBJECTS
        if not subjects:
            profile = self.ctx.spans.profiles.get(line.provision.id)
            subjects = (profile.subjects & SUBJECTS) if profile else frozenset()
        return subjects

    def about_case(self, line: Line) -> bool:
        """The line is about the member's role (part "you") or the chosen kind of
        organisation (part "org"), or names neither."""
        subjects = self._subjects(line)
        words = fold(line.text)
        vocab = vocabulary()
        if "provincial" in line.tags and self.case.org.id not in kinds_named(line.text):
            return False  # a rule for provincial committees, not for a grassroots organisation
        # An unlabelled line may name both: "người đứng đầu … báo cáo của tập thể".
        loose = not line.labelled
        if self.part == "you":
            names_individual = loose and any(p.search(words) for p in vocab.individual)
            if subjects == {"collective"} and not names_individual:
                return False
            return not line.roles or bool(line.roles & self.case.role.tags)
        if self.part == "org":
            names_collective = loose and any(p.search(words) for p in vocab.collective)
            if subjects == {"individual"} and not names_collective:
                return False
            named = kinds_named(SUBJECT_END.split(line.text, maxsplit=1)[0])
            return not named or self.case.org.id in named
        return True

    def provision_about_case(self, provision: Provision) -> bool:
        """A provision whose title (or an ancestor's) names other roles is left out of part
        "you" ("Đánh giá hằng quý đối với cán bộ lãnh đạo, quản lý" for a member without a
        post)."""
        if self.part != "you":
            return True
        pack = self.ctx.pack
        titles = [pack[a].title for a in provision.ancestor_ids] + [provision.title]
        roles = tags_of(" ".join(t for t in titles if t)) & ROLE_TAGS
        return not roles or bool(roles & self.case.role.tags)

    def matches(self, aspect: Aspect, line: Line) -> bool:
        if aspect.lines is not None and not aspect.lines.search(fold(line.sentence)):
            return False
        if aspect.spans:
            here = {s.kind for s in self.ctx.spans.of(line.provision.id) if s.line == line.index}
            return bool(here & aspect.spans)
        return True

    def select(self, aspect: Aspect, ids: tuple[str, ...]) -> list[Statement]:
        """The lines of these provisions (and their parts) that answer the aspect for the case:
        a lead-in with the items kept under it, a line on its own otherwise."""
        pack = self.ctx.pack
        out: list[Statement] = []
        for pid in ids:
            if pid not in pack:
                continue
            for p in walk(pack, pack[pid]):
                if p.coverage is Coverage.NONE or not self.provision_about_case(p):
                    continue
                out += self._lines(aspect, p)
                if aspect.gaps and p.coverage is Coverage.PARTIAL and p.coverage_note:
                    out.append(gap(pack, p))
        return out

    def _lines(self, aspect: Aspect, p: Provision, skip_first: bool = False) -> list[Statement]:
        pack = self.ctx.pack
        lines = lines_of(p)[1 if skip_first else 0 :]
        out: list[Statement] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            items = []
            j = i + 1
            while j < len(lines) and lines[j].bullet and lines[j].lead == line.text:
                items.append(lines[j])
                j += 1
            if items:
                lead_matches = self.matches(aspect, line)
                kept = [
                    b
                    for b in items
                    if self.about_case(b) and (lead_matches or self.matches(aspect, b))
                ]
                if kept and (self.about_case(line) or self.part == "org"):
                    out.append(statement(pack, p, line.text))
                    out += [statement(pack, p, b.text, kind="item") for b in kept]
            elif self.about_case(line) and self.matches(aspect, line):
                out.append(statement(pack, p, line.text, kind="item" if line.bullet else "text"))
            i = j
        return out

    def levels(self, aspect: Aspect, ids: tuple[str, ...]) -> list[Section]:
        """One subsection per rating level: the line naming it, its criteria for the case,
        and what the digest lacks (a placeholder says so)."""
        pack = self.ctx.pack
        found: dict[str, list[Statement]] = {}
        for pid in ids:
            if pid not in pack:
                continue
            for p in walk(pack, pack[pid]):
                head = level_head(self.ctx, p) if p.coverage is not Coverage.NONE else None
                if head is not None:
                    span, _ = head
                    statements = [statement(pack, p, lines_of(p)[0].text)]
                    statements += self._lines(aspect, p, skip_first=True)
                    for part in list(walk(pack, p))[1:]:
                        if part.coverage is Coverage.NONE and self._placeholder_for_case(part):
                            statements.append(gap(pack, part))
                        elif part.coverage is not Coverage.NONE:
                            statements += self._lines(aspect, part)
                    if p.coverage is Coverage.PARTIAL and p.coverage_note:
                        statements.append(gap(pack, p))
                    found.setdefault(span.value, statements)
                elif p.coverage is Coverage.NONE:
                    for key, name in LEVEL_NAMES.items():
                        if key not in found and f'"{fold(name)}"' in fold(p.coverage_note):
                            found[key] = [gap(pack, p)]
        return [
            Section(title=LEVEL_NAMES[key], statements=found[key])
            for key in LEVEL_NAMES
            if key in found
        ]

    def _placeholder_for_case(self, provision: Provision) -> bool:
        profile = self.ctx.spans.profiles.get(provision.id)
        subjects = (profile.subjects & SUBJECTS) if profile else frozenset()
        if self.part == "you":
            return subjects != {"collective"}
        return subjects != {"individual"}


# --- the guide -----------------------------------------------------------------------------------


def _applies(ctx: Context, case: Case) -> list[Statement]:
    """Which documents the year's cycle uses, in the words of the project's note (else of each
    document's information block)."""
    pack = ctx.pack
    names = [pack.document(d).name for d in case.documents]
    if APPLIES_NOTE in pack:
        note = pack[APPLIES_NOTE]
        for line in lines_of(note):
            if names and all(n in line.text for n in names):
                return [statement(pack, note, line.text)]
    out = []
    for doc_id in case.documents:
        info = pack.trees[doc_id].provisions[0]
        out += [
            statement(pack, info, line.text) for line in lines_of(info) if "Phạm vi" in line.text
        ]
    return out


def _missing(ctx: Context, case: Case) -> Statement:
    pack = ctx.pack
    names = "; ".join(pack.document(d).name for d in case.documents)
    infos = [pack.trees[d].provisions[0].id for d in case.documents]
    return Statement(
        text=phrases.MISSING.format(documents=names),
        citations=infos,
        kind="note",
        text_kind="digest",
    )


def _aspect_section(ctx: Context, case: Case, aspect: Aspect) -> Section:
    pack = ctx.pack
    selector = Selector(ctx, case, aspect.part)
    ids = aspect.new if case.new_rules else aspect.old
    section = Section(title=aspect.title)
    if aspect.levels:
        section.subsections = selector.levels(aspect, ids)
        if not section.subsections:
            section.statements.append(_missing(ctx, case))
        return section
    section.statements = selector.select(aspect, ids)
    topic = pack.succession.topic(aspect.topic) if aspect.topic else None
    unconfirmed = bool(case.new_rules and topic and not topic.new.confirmed)
    if unconfirmed and topic.note_id in pack:
        text = phrases.NEW_SIDE.format(text=topic.new.text())
        section.statements.append(statement(pack, pack[topic.note_id], text, kind="note"))
    has_rule = any(s.kind != "note" for s in section.statements)
    if not section.statements:
        section.statements.append(_missing(ctx, case))
    wanted = unconfirmed or not has_rule or aspect.reference
    if case.new_rules and wanted and aspect.part != "unit":
        reference = selector.select(aspect, aspect.old)
        if reference:
            title = phrases.GUIDE_REFERENCE.format(year=case.year)
            section.subsections.append(Section(title=title, statements=reference))
    return section


def build_guide(
    ctx: Context,
    org: str,
    role: str,
    year: str | int | None = None,
    *,
    public_unit: bool = False,
    progress: Progress = no_progress,
) -> Guide:
    """The guide for one case.

    Raises:
        WorkspaceError: for a kind of organisation or a role the documents do not describe,
        or a year outside the documents' cycles.
    """
    pack = ctx.pack
    case = resolve_case(ctx, org, role, year, public_unit=public_unit)
    names = ", ".join(pack.document(d).name for d in case.documents)
    org_label = case.org.label + (f" {phrases.PUBLIC_UNIT}" if case.public_unit else "")
    sections = [Section(title=phrases.GUIDE_APPLIES, statements=_applies(ctx, case))]
    chosen = [a for a in aspects() if a.part != "unit" or case.public_unit]
    parts: dict[str, Section] = {}
    for done, aspect in enumerate(chosen, start=1):
        progress(aspect.title, done, len(chosen))
        title = PART_TITLES[aspect.part].format(role=case.role.label, org=org_label)
        part = parts.setdefault(aspect.part, Section(title=title))
        part.subsections.append(_aspect_section(ctx, case, aspect))
    sections += list(parts.values())
    template = phrases.GUIDE_NEW_FIRST if case.new_rules else phrases.GUIDE_OLD
    doc = CitedDocument(
        title=phrases.GUIDE_TITLE,
        subtitle=phrases.GUIDE_SUBTITLE.format(role=case.role.label, org=org_label, year=case.year),
        sections=sections,
        notices=[template.format(year=case.year, documents=names)],
    )
    questions = [
        q.format(role=case.role.label, org=org_label, year=case.year)
        for q in phrases.GUIDE_QUESTIONS
    ]
    return Guide(
        case={
            "org": case.org.id,
            "role": case.role.id,
            "year": case.year,
            "public_unit": case.public_unit,
            "documents": list(case.documents),
        },
        questions=questions,
        document=finish(pack, doc),
    )
