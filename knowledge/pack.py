"""The knowledge pack: every document, parsed, with official texts taking precedence."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError, Problem
from knowledge.notes import SHIPPED_NOTES, load_notes
from knowledge.parser import parse_file
from knowledge.registry import link, ordered
from knowledge.succession import (
    SHIPPED_MAP,
    Succession,
    check_against,
    comparison_notes,
    keep_known,
    load_succession,
)
from knowledge.types import (
    NOTES_DOC_ID,
    Coverage,
    Document,
    DocumentTree,
    Provision,
    ProvisionKind,
    is_unit,
)

SHIPPED_DOCUMENTS = Path(__file__).resolve().parent / "documents"


@dataclass(frozen=True)
class DocumentCoverage:
    """How much of the real document the loaded text covers, counted against the
    document's confirmed structure (front matter `declared:`) where it is known."""

    total: int  # articles (or sections) of the real document
    with_content: int  # of those, the ones the loaded text has content for
    partial: tuple[str, ...]  # labels
    not_covered: tuple[str, ...]  # labels
    unit: str = "điều"  # "điều" or "mục"
    at_least: bool = False  # the real total is not confirmed: `total` is a minimum
    unnumbered: int = 0  # content kept without a confirmed article (section) number
    weak: tuple[str, ...] = ()  # labels of units resting on a single source


class Pack:
    """All loaded documents and their provisions, looked up by id; the project's notes and
    the old→new map come along. `primary` are the ids of the shipped digests (default: every
    document), shown before the documents a user added."""

    def __init__(
        self,
        trees: Iterable[DocumentTree],
        succession: Succession | None = None,
        notices: Iterable[str] = (),
        primary: Iterable[str] | None = None,
    ):
        self.trees: dict[str, DocumentTree] = {t.document.id: t for t in trees}
        self.primary = frozenset(primary) if primary is not None else frozenset(self.trees)
        self.provisions: dict[str, Provision] = {}
        for tree in self.trees.values():
            for provision in tree.provisions:
                self.provisions[provision.id] = provision
        self.succession = succession or Succession((), ())
        self.notices = list(notices) + list(self.succession.notices)

    def __contains__(self, provision_id: str) -> bool:
        return provision_id in self.provisions

    def __getitem__(self, provision_id: str) -> Provision:
        return self.provisions[provision_id]

    @property
    def documents(self) -> list[Document]:
        """Documents in reading order (knowledge.registry.ordered): the shipped digests' texts
        in force first, their successors, then the documents a user added. The project's notes
        are not a document and are left out."""
        documents = [t.document for d, t in self.trees.items() if d != NOTES_DOC_ID]
        return ordered(documents, self.primary)

    @property
    def notes(self) -> list[Provision]:
        tree = self.trees.get(NOTES_DOC_ID)
        return list(tree.provisions) if tree else []

    def document(self, doc_id: str) -> Document:
        return self.trees[doc_id].document

    def children(self, provision: Provision) -> list[Provision]:
        return [self.provisions[c] for c in provision.children_ids]

    def article_of(self, provision: Provision) -> Provision:
        """The article, item or section a provision belongs to (itself when it is one)."""
        tree = self.trees[provision.doc_id]
        for pid in (*provision.ancestor_ids, provision.id):
            candidate = self.provisions[pid]
            if is_unit(candidate, tree):
                return candidate
        return provision

    def coverage(self, doc_id: str) -> DocumentCoverage:
        """Coverage of one document: numbered articles (a Hướng dẫn's or QĐ 125's sections)
        with content, out of the real document's count when the front matter declares it;
        content whose number is unconfirmed is counted apart."""
        tree = self.trees[doc_id]
        document = tree.document
        declared = document.declared
        units = tree.units()
        articles = [u for u in units if u.kind is ProvisionKind.ARTICLE]
        if articles or (declared and declared.articles and not declared.sections):
            unit, numbered = "điều", articles
            total = declared.articles if declared and declared.articles else len(numbered)
        else:
            unit = "mục"
            numbered = [
                p
                for p in tree.provisions
                if p.kind is ProvisionKind.SECTION and p.parent_id is None
            ] or units
            total = len(numbered)
            if declared and declared.sections:
                total = declared.sections
        at_least = bool(declared and declared.sections_min and not declared.sections)
        if at_least:
            total = max(total, declared.sections_min, len(numbered))
        # Content kept under a chapter (or at the top) because its number is unconfirmed.
        unnumbered = [
            u
            for u in units
            if u.kind is ProvisionKind.ITEM
            and (u.parent_id is None or self.provisions[u.parent_id].kind is ProvisionKind.CHAPTER)
        ]
        shown = (
            numbered + unnumbered + [u for u in units if u not in numbered and u not in unnumbered]
        )
        return DocumentCoverage(
            total=total,
            with_content=sum(u.coverage is not Coverage.NONE for u in numbered),
            partial=tuple(u.label for u in shown if u.coverage is Coverage.PARTIAL),
            not_covered=tuple(u.label for u in shown if u.coverage is Coverage.NONE),
            unit=unit,
            at_least=at_least,
            unnumbered=sum(u.coverage is not Coverage.NONE for u in unnumbered),
            weak=tuple(
                u.label
                for u in shown
                if u.coverage is not Coverage.NONE and any(c.weak for c in u.caveats)
            ),
        )

    def fingerprint(self) -> str:
        """A hash of every provision's id and text: changes whenever the pack changes."""
        h = hashlib.sha256()
        for pid in sorted(self.provisions):
            h.update(pid.encode())
            h.update(self.provisions[pid].full_text.encode())
        return h.hexdigest()[:16]

    def indexable(self) -> list[Provision]:
        """Provisions worth a retrieval entry: everything but pure outline nodes."""
        return [
            p
            for p in self.provisions.values()
            if p.kind is not ProvisionKind.CHAPTER or p.text or p.coverage is Coverage.NONE
        ]


def document_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.md")) if directory.is_dir() else []


def parse_files(files: Iterable[Path]) -> tuple[list[DocumentTree], list[Problem]]:
    """Parse files that belong together (one folder): two files may not share a document id.

    Returns the trees that parsed and every problem found (files that failed are left out).
    """
    problems: list[Problem] = []
    trees: dict[str, DocumentTree] = {}
    for path in files:
        try:
            tree = parse_file(path)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        doc_id = tree.document.id
        if doc_id in trees:
            problems.append(
                Problem(
                    path,
                    1,
                    f"mã văn bản '{doc_id}' trùng với tệp {trees[doc_id].document.path.name}",
                    "mỗi văn bản một tệp; xóa hoặc đổi mã một trong hai",
                )
            )
            continue
        trees[doc_id] = tree
    return list(trees.values()), problems


def load_trees(directories: Iterable[Path]) -> tuple[list[DocumentTree], list[Problem]]:
    """Parse every document; a later directory's document replaces an earlier one's. The
    validity graph is made whole across them (knowledge.registry.link)."""
    problems: list[Problem] = []
    by_id: dict[str, DocumentTree] = {}
    for directory in directories:
        trees, found = parse_files(document_files(directory))
        problems.extend(found)
        by_id.update((t.document.id, t) for t in trees)
    return link(list(by_id.values())), problems


def load_knowledge(
    directories: list[Path],
    notes_dir: Path = SHIPPED_NOTES,
    map_file: Path = SHIPPED_MAP,
    *,
    strict_map: bool = False,
) -> tuple[list[DocumentTree], Succession | None, list[Problem], list[str]]:
    """Documents, notes and the old→new map, with every problem found.

    `strict_map` (for `quydinh check` on the shipped digests) reports map ids the documents
    lack as problems; otherwise they are dropped with a notice (an official text that was
    loaded may number things differently).
    """
    trees, problems = load_trees(directories)
    notices: list[str] = []
    known = {p.id: p for t in trees for p in t.provisions}
    doc_ids = {t.document.id for t in trees}
    succession, found = load_succession(map_file)
    problems += found
    if succession is not None and not strict_map:
        # A pack without any of the mapped documents (a test pack, say) has no map.
        if not any(old in doc_ids or new in doc_ids for old, new in succession.pairs):
            succession = None
    extra: list[Provision] = []
    if succession is not None:
        if strict_map:
            problems += check_against(succession, known, map_file)
        succession = keep_known(succession, known)
        notices += succession.notices
        # A side the map gives no provision for stands for the shipped texts, not for a
        # document a user added (a provincial guide of 2024 is no part of "from 2025").
        shipped = {f.stem for f in document_files(directories[0])} if directories else doc_ids
        names = {t.document.id: t.document.name for t in trees if t.document.id in shipped}
        extra = comparison_notes(succession, known, names)
    notes, found = load_notes(notes_dir, doc_ids, extra, strict=strict_map)
    problems += found
    if notes is not None:
        trees = [*trees, notes]
    return trees, succession, problems, notices


def load_pack(
    official_dir: Path | None = None,
    documents_dir: Path = SHIPPED_DOCUMENTS,
    notes_dir: Path = SHIPPED_NOTES,
    map_file: Path = SHIPPED_MAP,
) -> Pack:
    """Load the shipped digest, with official texts from `official_dir` taking precedence,
    plus the project's notes and the old→new map.

    Raises:
        KnowledgeError: when any document, note or the map cannot be used.
    """
    directories = [documents_dir] + ([official_dir] if official_dir else [])
    trees, succession, problems, notices = load_knowledge(directories, notes_dir, map_file)
    primary = [p.stem for p in document_files(documents_dir)]
    if problems:
        raise KnowledgeError(problems)
    if not trees:
        raise KnowledgeError(
            [
                Problem(
                    documents_dir,
                    0,
                    "không tìm thấy văn bản nào",
                    "kiểm tra thư mục văn bản (tệp <id>.md theo knowledge/FORMAT.md)",
                )
            ]
        )
    return Pack(trees, succession, notices, primary)
