"""The old→new map: for each topic of QĐ 124 / HD 25, where it sits in QĐ 366 / HD 43.

`knowledge/data/succession.yaml` lists topics; each has the provision ids on both sides, a
summary of each side and what changed, in the project's own words, and its sources. A side
the notes cannot confirm says so (`confirmed: false` with a note). `quydinh check`
validates the file against the shipped digests (ids that exist, on the right side, no topic
twice, known caveat kinds); answers use it to say "this 2023 rule became that 2025 rule";
each topic also becomes a comparison note (`ghi-chu/so-sanh-<topic>`), so a question about
what changed finds it and cites it as the project's note, never as a document's provision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.caveats import KINDS_HELP, UnknownCaveatKind, parse_confidence, weakest
from knowledge.errors import Problem
from knowledge.front_matter import URL_RE
from knowledge.types import (
    NOTES_DOC_ID,
    Caveat,
    Confidence,
    Coverage,
    Provision,
    ProvisionKind,
)

SHIPPED_MAP = Path(__file__).resolve().parent / "data" / "succession.yaml"
NOT_CONFIRMED = "chưa xác minh"


@dataclass(frozen=True)
class Side:
    """One side of a topic: the provisions, or an explicit "not confirmed"."""

    provisions: tuple[str, ...]
    summary: str
    confirmed: bool
    note: str = ""
    caveat: Caveat | None = None

    def text(self) -> str:
        if self.confirmed:
            return f"{self.summary} {self.note}".strip()
        return f"{NOT_CONFIRMED.capitalize()}: {self.note}" if self.note else NOT_CONFIRMED


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    old: Side
    new: Side
    change: str
    sources: tuple[str, ...]
    line: int
    headline: bool = False  # one of the main changes, shown for "QĐ 366 khác gì QĐ 124?"

    @property
    def note_id(self) -> str:
        return f"{NOTES_DOC_ID}/so-sanh-{self.id}"


@dataclass(frozen=True)
class Succession:
    pairs: tuple[tuple[str, str], ...]  # (old doc id, new doc id)
    topics: tuple[Topic, ...]
    notices: tuple[str, ...] = field(default=())

    def successor_of(self, doc_id: str) -> str | None:
        return next((new for old, new in self.pairs if old == doc_id), None)

    def predecessor_of(self, doc_id: str) -> str | None:
        return next((old for old, new in self.pairs if new == doc_id), None)

    def topics_for(self, provision_id: str, side: str = "old") -> list[Topic]:
        """Topics whose `side` holds the provision, an ancestor or a descendant of it;
        the most specific mapping first."""

        def depth(topic: Topic) -> int:
            ids = getattr(topic, side).provisions
            best = -1
            for pid in ids:
                if provision_id == pid or provision_id.startswith(pid + "/"):
                    best = max(best, pid.count("/") * 2 + 1)
                elif pid.startswith(provision_id + "/"):
                    best = max(best, 0)
            return best

        scored = [(depth(t), i, t) for i, t in enumerate(self.topics)]
        return [t for d, _, t in sorted(scored, key=lambda x: (-x[0], x[1])) if d >= 0]

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def for_pair(self, old_doc: str, new_doc: str) -> list[Topic]:
        """Topics touching this pair of documents, on either side."""

        def touches(side: Side, doc: str) -> bool:
            return any(p.split("/")[0] == doc for p in side.provisions)

        return [t for t in self.topics if touches(t.old, old_doc) or touches(t.new, new_doc)]


# --- reading the file, with line numbers ---------------------------------------------------


def _attach_lines(node: yaml.Node, data) -> None:
    """Record each mapping's line (1-based) as '__line__', for messages that name it."""
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        data["__line__"] = node.start_mark.line + 1
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in data:
                _attach_lines(value, data[key.value])
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for item_node, item in zip(node.value, data, strict=False):
            _attach_lines(item_node, item)


def read_map(path: Path) -> tuple[dict | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except FileNotFoundError:
        return None, [Problem(path, 0, "không tìm thấy bản đồ cũ→mới", "khôi phục tệp này")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [
            Problem(
                path,
                (mark.line + 1) if mark else 1,
                "bản đồ cũ→mới sai cú pháp YAML",
                "sửa thụt lề và dấu ':' ở dòng này",
            )
        ]
    if node is not None:
        _attach_lines(node, data)
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "bản đồ phải có 'pairs' và 'topics'", "xem đầu tệp")]
    return data, []


def _side(
    raw, where: str, line: int, path: Path, problems: list[Problem], topic_id: str
) -> Side | None:
    if not isinstance(raw, dict):
        problems.append(
            Problem(path, line, f"chủ đề '{topic_id}' thiếu phía '{where}'", "thêm '{where}:'")
        )
        return None
    line = raw.get("__line__", line)
    caveat = None
    if "caveat" in raw:
        try:
            kind, note = parse_confidence(str(raw["caveat"]))
            caveat = Caveat(kind, note, f"{topic_id}#{where}", "")
        except UnknownCaveatKind as exc:
            problems.append(
                Problem(
                    path,
                    line,
                    f"mức xác minh '{exc}' của chủ đề '{topic_id}' không có trong danh sách",
                    f"dùng một trong: {KINDS_HELP}",
                )
            )
    if raw.get("confirmed") is False:
        return Side(
            tuple(raw.get("provisions") or ()),
            str(raw.get("summary") or ""),
            False,
            str(raw.get("note") or ""),
            caveat,
        )
    provisions = raw.get("provisions")
    summary = raw.get("summary")
    if not isinstance(provisions, list) or not provisions or not summary:
        problems.append(
            Problem(
                path,
                line,
                f"phía '{where}' của chủ đề '{topic_id}' cần 'provisions' và 'summary'",
                "nêu các mã quy định và tóm tắt, hoặc ghi 'confirmed: false' với 'note'",
            )
        )
        return None
    return Side(tuple(str(p) for p in provisions), str(summary).strip(), True, "", caveat)


def parse_map(data: dict, path: Path) -> tuple[Succession, list[Problem]]:
    problems: list[Problem] = []
    pairs = []
    for raw in data.get("pairs") or []:
        if isinstance(raw, dict) and "old" in raw and "new" in raw:
            pairs.append((str(raw["old"]), str(raw["new"])))
        else:
            line = raw.get("__line__", 1) if isinstance(raw, dict) else 1
            problems.append(Problem(path, line, "cặp văn bản cần 'old' và 'new'", "sửa dòng này"))
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    titles: dict[str, str] = {}
    for raw in data.get("topics") or []:
        if not isinstance(raw, dict):
            problems.append(Problem(path, 1, "mỗi chủ đề phải là một ánh xạ", "viết '- id: …'"))
            continue
        line = raw["__line__"]
        topic_id = str(raw.get("id") or "")
        missing = [k for k in ("id", "title", "old", "new", "change", "sources") if k not in raw]
        if missing:
            problems.append(
                Problem(
                    path,
                    line,
                    f"chủ đề '{topic_id or '?'}' thiếu trường {', '.join(missing)}",
                    "mỗi chủ đề có id, title, old, new, change, sources",
                )
            )
            continue
        if topic_id in seen:
            problems.append(
                Problem(
                    path,
                    line,
                    f"chủ đề '{topic_id}' bị lặp (đã có ở dòng {seen[topic_id]})",
                    "mỗi chủ đề một lần; gộp hai mục này",
                )
            )
            continue
        seen[topic_id] = line
        title = str(raw["title"]).strip()
        if title in titles:
            problems.append(
                Problem(
                    path,
                    line,
                    f"chủ đề '{topic_id}' trùng tên với chủ đề '{titles[title]}'",
                    "mỗi chủ đề một lần; gộp hai chủ đề hoặc đặt tên khác",
                )
            )
        titles[title] = topic_id
        old = _side(raw["old"], "old", line, path, problems, topic_id)
        new = _side(raw["new"], "new", line, path, problems, topic_id)
        sources = raw["sources"] if isinstance(raw["sources"], list) else []
        if not sources or not all(isinstance(s, str) and URL_RE.match(s) for s in sources):
            problems.append(
                Problem(path, line, f"chủ đề '{topic_id}': 'sources' phải là danh sách URL", "sửa")
            )
        if old is None or new is None:
            continue
        topics.append(
            Topic(
                topic_id,
                str(raw["title"]).strip(),
                old,
                new,
                str(raw["change"]).strip(),
                tuple(sources),
                line,
                bool(raw.get("headline", False)),
            )
        )
    return Succession(tuple(pairs), tuple(topics)), problems


def check_against(succession: Succession, known: dict[str, Provision], path: Path) -> list[Problem]:
    """Problems where the map names an id the pack lacks, or an id on the wrong side."""
    problems = []
    old_docs = {old for old, _ in succession.pairs}
    new_docs = {new for _, new in succession.pairs}
    for topic in succession.topics:
        for where, side, docs in (("old", topic.old, old_docs), ("new", topic.new, new_docs)):
            for pid in side.provisions:
                if pid not in known:
                    problems.append(
                        Problem(
                            path,
                            topic.line,
                            f"chủ đề '{topic.id}': mã '{pid}' không có trong bộ văn bản",
                            "sửa mã cho đúng (xem quydinh docs -v) hoặc bỏ mã này",
                        )
                    )
                elif pid.split("/")[0] not in docs:
                    problems.append(
                        Problem(
                            path,
                            topic.line,
                            f"chủ đề '{topic.id}': mã '{pid}' không thuộc văn bản phía '{where}'",
                            "phía old là văn bản cũ (QĐ 124, HD 25), phía new là văn bản mới",
                        )
                    )
    return problems


def keep_known(succession: Succession, known: dict[str, Provision]) -> Succession:
    """The map without ids a loaded official text no longer has, with a notice for each."""
    notices = []

    def side(topic: Topic, s: Side) -> Side:
        kept = tuple(p for p in s.provisions if p in known)
        for p in s.provisions:
            if p not in known:
                notices.append(
                    f"Bản đồ cũ→mới, chủ đề '{topic.title}': không còn quy định {p} trong văn "
                    "bản đã nạp; bỏ qua mã này."
                )
        if s.confirmed and not kept:
            return Side((), "", False, "quy định tương ứng không có trong văn bản đã nạp.")
        return Side(kept, s.summary, s.confirmed, s.note, s.caveat)

    topics = tuple(
        Topic(
            t.id, t.title, side(t, t.old), side(t, t.new), t.change, t.sources, t.line, t.headline
        )
        for t in succession.topics
    )
    return Succession(succession.pairs, topics, tuple(notices))


def side_caveats(side: Side, known: dict[str, Provision]) -> list[Caveat]:
    caveats = [c for pid in side.provisions if pid in known for c in known[pid].caveats if c.weak]
    if side.caveat is not None and side.caveat.weak:
        caveats.append(side.caveat)
    return list(dict.fromkeys(caveats))


def comparison_notes(
    succession: Succession, known: dict[str, Provision], names: dict[str, str]
) -> list[Provision]:
    """One note per topic: both sides in words, what changed, and their caveats."""
    notes = []
    for topic in succession.topics:

        def where(side: Side) -> str:
            labels = [known[p].citation for p in side.provisions if p in known]
            return "; ".join(labels) if labels else ", ".join(names.values())

        lines = [
            f"Kỳ 2023–2024 ({where(topic.old)}): {topic.old.text()}",
            f"Từ kỳ 2025 ({where(topic.new)}): {topic.new.text()}",
            f"Điểm thay đổi: {topic.change}",
        ]
        caveats = side_caveats(topic.old, known) + side_caveats(topic.new, known)
        caveats = list(dict.fromkeys(caveats))
        text = "\n".join(lines)
        title = f"So sánh 2023–2025: {topic.title}"
        not_confirmed = [s for s in (topic.old, topic.new) if not s.confirmed]
        notes.append(
            Provision(
                id=topic.note_id,
                doc_id=NOTES_DOC_ID,
                kind=ProvisionKind.NOTE,
                number="",
                title=title,
                label=title,
                citation=f"{title} — Ghi chú của bản tóm lược",
                text=text,
                full_text=text,
                parent_id=None,
                ancestor_ids=(),
                children_ids=(),
                coverage=Coverage.PARTIAL if not_confirmed else Coverage.FULL,
                coverage_note="một phía chưa xác minh trong bản tóm lược" if not_confirmed else "",
                notes=("Loại ghi chú: so sánh (từ bản đồ cũ→mới của dự án).",),
                sources=topic.sources,
                line=topic.line,
                confidence=weakest([c.kind for c in caveats], Confidence.MULTI),
                caveats=tuple(caveats),
                about=tuple(
                    dict.fromkeys(
                        p.split("/")[0] for s in (topic.old, topic.new) for p in s.provisions
                    )
                ),
            )
        )
    return notes


def load_succession(path: Path = SHIPPED_MAP) -> tuple[Succession | None, list[Problem]]:
    data, problems = read_map(path)
    if data is None:
        return None, problems
    succession, found = parse_map(data, path)
    return succession, problems + found


def as_json(succession: Succession, known: dict[str, Provision]) -> dict:
    """The map as `quydinh map --json` prints it."""

    def side(s: Side) -> dict:
        return {
            "confirmed": s.confirmed,
            "provisions": [
                {"id": p, "citation": known[p].citation if p in known else p} for p in s.provisions
            ],
            "summary": s.summary if s.confirmed else "",
            "note": s.note,
            "caveats": [c.note or c.kind.value for c in side_caveats(s, known)],
        }

    return {
        "pairs": [{"old": o, "new": n} for o, n in succession.pairs],
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "old": side(t.old),
                "new": side(t.new),
                "change": t.change,
                "sources": list(t.sources),
                "note_id": t.note_id,
            }
            for t in succession.topics
        ],
    }
