"""The knowledge pack: every document, parsed, with official texts taking precedence."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError, Problem
from knowledge.parser import parse_file
from knowledge.types import (
    DOCUMENT_IDS,
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
    """How many of a document's articles (or sections) the loaded text covers."""

    total: int
    with_content: int
    partial: tuple[str, ...]  # labels
    not_covered: tuple[str, ...]  # labels


class Pack:
    """All loaded documents and their provisions, looked up by id."""

    def __init__(self, trees: Iterable[DocumentTree]):
        self.trees: dict[str, DocumentTree] = {t.document.id: t for t in trees}
        self.provisions: dict[str, Provision] = {}
        for tree in self.trees.values():
            for provision in tree.provisions:
                self.provisions[provision.id] = provision

    def __contains__(self, provision_id: str) -> bool:
        return provision_id in self.provisions

    def __getitem__(self, provision_id: str) -> Provision:
        return self.provisions[provision_id]

    @property
    def documents(self) -> list[Document]:
        """Documents in a fixed order: the three main texts, their successors, then others."""
        order = {doc_id: i for i, doc_id in enumerate(DOCUMENT_IDS)}
        ids = sorted(self.trees, key=lambda d: (order.get(d, len(order)), d))
        return [self.trees[d].document for d in ids]

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
        units = self.trees[doc_id].units()
        return DocumentCoverage(
            total=len(units),
            with_content=sum(u.coverage is not Coverage.NONE for u in units),
            partial=tuple(u.label for u in units if u.coverage is Coverage.PARTIAL),
            not_covered=tuple(u.label for u in units if u.coverage is Coverage.NONE),
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
    """Parse every document; a later directory's document replaces an earlier one's."""
    problems: list[Problem] = []
    by_id: dict[str, DocumentTree] = {}
    for directory in directories:
        trees, found = parse_files(document_files(directory))
        problems.extend(found)
        by_id.update((t.document.id, t) for t in trees)
    return list(by_id.values()), problems


def load_pack(official_dir: Path | None = None, documents_dir: Path = SHIPPED_DOCUMENTS) -> Pack:
    """Load the shipped digest, with official texts from `official_dir` taking precedence.

    Raises:
        KnowledgeError: when any document cannot be parsed.
    """
    directories = [documents_dir] + ([official_dir] if official_dir else [])
    trees, problems = load_trees(directories)
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
    return Pack(trees)
