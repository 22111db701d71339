"""The official text beside what the pack held before (the digest, or an earlier official text):
the provisions that are new, missing or worded differently, row by row."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.types import Coverage, DocumentTree, ProvisionKind


@dataclass(frozen=True)
class Difference:
    """One provision of either side: `change` is "new", "missing", "changed", or "filled" (the
    digest kept only a placeholder, "Chưa có nội dung", that the official text fills)."""

    id: str
    label: str
    change: str
    before: str  # the digest's (or earlier text's) own lines, "" when new
    after: str  # the official text's own lines, "" when missing


EMPTY = "(Chưa có nội dung)"


def _own_text(tree: DocumentTree) -> dict[str, tuple[str, str]]:
    """Provision id → (label, own text with the title), the generated info block left out; a
    placeholder's text says it has none."""
    out = {}
    for p in tree.provisions:
        if p.kind is ProvisionKind.INFO:
            continue
        text = " ".join(x for x in (p.title, p.text) if x).strip()
        if p.coverage is Coverage.NONE and not p.text:
            text = f"{text} {EMPTY}".strip()
        out[p.id] = (p.label, text)
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def side_by_side(before: DocumentTree | None, after: DocumentTree) -> tuple[Difference, ...]:
    """Every provision that differs, in the official text's reading order, with the ones the
    earlier text had and the official one lacks after them."""
    old = _own_text(before) if before is not None else {}
    new = _own_text(after)
    rows = []
    for pid, (label, text) in new.items():
        if pid not in old:
            rows.append(Difference(pid, label, "new", "", text))
        elif not _same(old[pid][1], text):
            change = "filled" if old[pid][1].endswith(EMPTY) else "changed"
            rows.append(Difference(pid, label, change, old[pid][1], text))
    rows += [Difference(pid, label, "missing", text, "") for pid, (label, text) in old.items()
             if pid not in new]  # fmt: skip
    return tuple(rows)
