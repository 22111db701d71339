"""The vector index: the only module that imports chromadb.

Provisions are embedded (by an engine passed in, never by Chroma) with a context header and
stored with their metadata. Builds are incremental and crash-safe:

- every record carries a content hash; a build re-embeds only provisions whose hash changed
  and copies the other vectors from the index in use;
- a build writes a new collection and switches the "active" pointer to it only when it is
  complete, so an interrupted build leaves the previous index in use;
- a missing index folder is created; a corrupt one is moved aside (never deleted) and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from knowledge.embeddings import Embedder
from knowledge.errors import BackendUnavailable, IndexNotReady
from knowledge.pack import Pack
from knowledge.types import Document, Provision

log = logging.getLogger(__name__)

POINTER = "quydinh-active"
REFRESH_S = 30.0
PREFIX = "p-"
BATCH = 32
PASSAGE_FORMAT = "v1"  # bump when passage_text changes: every vector is then rebuilt

Progress = Callable[[int, int], None]


# Embedding cost grows with length (about 2 ms a token here) and an article's clauses are
# indexed on their own, so a long article is embedded by its header and opening only.
EMBED_CHARS = 700


def passage_text(provision: Provision, document: Document, limit: int | None = None) -> str:
    """A context header (document, article, path) and the text; cut to `limit` characters."""
    lines = [f"{document.name} — {provision.citation}"]
    if provision.heading_path:
        lines.append(" › ".join(provision.heading_path))
    if provision.title:
        lines.append(provision.title)
    if provision.coverage_note:
        # What the loaded text lacks says what the provision is about ("Không hoàn thành
        # nhiệm vụ"), so a question about it still finds it.
        lines.append(f"({provision.coverage_note})")
    header = "\n".join(line for line in lines if line)
    body = provision.full_text
    if limit is not None and len(body) > limit:
        body = body[:limit].rsplit(" ", 1)[0] + " …"
    return f"{header}\n{body}" if body else header


WINDOW_OVERLAP = 150


def passages(provision: Provision, document: Document) -> list[tuple[str, str]]:
    """The records one provision gets: (record id, text). A provision whose own text is
    longer than one passage gets extra windows over it ("<id>::2", "<id>::3"…), so a line at
    its end is found too; its children are indexed on their own."""
    records = [(provision.id, passage_text(provision, document, EMBED_CHARS))]
    own = provision.text
    if len(own) > EMBED_CHARS:
        header = passage_text(provision, document, 0).rsplit("\n", 1)[0]
        step = EMBED_CHARS - WINDOW_OVERLAP
        for n, start in enumerate(range(step, len(own) - WINDOW_OVERLAP, step), start=2):
            window = own[start : start + EMBED_CHARS]
            records.append((f"{provision.id}::{n}", f"{header}\n… {window}"))
    return records


def content_hash(text: str) -> str:
    return hashlib.sha256(f"{PASSAGE_FORMAT}\n{text}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class BuildReport:
    collection: str
    total: int
    embedded: int
    reused: int
    seconds: float
    up_to_date: bool = False


@dataclass(frozen=True)
class DenseHit:
    id: str
    similarity: float


@dataclass
class VectorIndex:
    """A Chroma client holding provision vectors, one active collection at a time."""

    client: object
    notices: list[str] = field(default_factory=list)
    # The active collection, looked up again after REFRESH_S: another app instance sharing a
    # Chroma server may have switched to a newer build meanwhile.
    _active: tuple[float, object, int] | None = field(default=None, repr=False)

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls, *, path: Path | None = None, url: str | None = None, client: object | None = None
    ) -> VectorIndex:
        """Open an index from exactly one of: a folder, a Chroma server URL, or a client.

        Raises:
            ValueError: when none or more than one is given.
            BackendUnavailable: when the Chroma server cannot be reached.
        """
        given = {
            name: value
            for name, value in (("path", path), ("url", url), ("client", client))
            if value is not None
        }
        if len(given) != 1:
            raise ValueError(
                "VectorIndex.open cần đúng một trong path, url, client; đang có: "
                + (", ".join(given) or "không có")
            )
        if client is not None:
            return cls(client)
        if url is not None:
            return cls(_http_client(url))
        return cls._open_folder(Path(path))

    @classmethod
    def _open_folder(cls, path: Path) -> VectorIndex:
        notices = []
        if not path.exists():
            notices.append(f"Chưa có chỉ mục ở {path}; sẽ xây dựng mới.")
        try:
            client = _persistent_client(path)
            client.list_collections()
        except Exception as exc:  # noqa: BLE001 - Chroma raises many kinds on a broken folder
            _forget_clients()
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = path.with_name(f"{path.name}.hong-{stamp}")
            shutil.move(str(path), str(aside))
            notices.append(
                f"Chỉ mục ở {path} bị hỏng ({type(exc).__name__}); đã chuyển sang {aside} và "
                "xây dựng lại."
            )
            client = _persistent_client(path)
        index = cls(client)
        index.notices.extend(notices)
        return index

    # --- the active pointer ---------------------------------------------------------------

    def _pointer(self):
        return self.client.get_or_create_collection(
            POINTER, metadata={"collection": "", "embedder": ""}, embedding_function=None
        )

    def active(self) -> dict:
        """The active collection's name, engine and pack fingerprint ("" when none)."""
        meta = dict(self._pointer().metadata or {})
        name = meta.get("collection", "")
        if name and name not in self._collection_names():
            return {"collection": "", "embedder": ""}
        return meta

    def _collection_names(self) -> set[str]:
        return {c.name if hasattr(c, "name") else str(c) for c in self.client.list_collections()}

    def target_name(self, pack: Pack, embedder: Embedder) -> str:
        """The collection a pack and engine need: named by a hash of every record's text, so
        any change to what would be embedded asks for a new build."""
        return self._target(_records(pack), embedder)

    @staticmethod
    def _target(records: list, embedder: Embedder) -> str:
        h = hashlib.sha256(embedder.name.encode())
        for record_id, _, _, digest in records:
            h.update(f"{record_id}={digest};".encode())
        return f"{PREFIX}{embedder.name[:40]}-{h.hexdigest()[:12]}"

    def is_current(self, pack: Pack, embedder: Embedder) -> bool:
        return self.active().get("collection") == self.target_name(pack, embedder)

    # --- building -------------------------------------------------------------------------

    def build(
        self,
        pack: Pack,
        embedder: Embedder,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> BuildReport:
        """Bring the index up to date with the pack, re-embedding only what changed."""
        start = time.perf_counter()
        records = _records(pack)
        target = self._target(records, embedder)
        active = self.active()
        if not rebuild and active.get("collection") == target:
            return BuildReport(target, len(records), 0, len(records), 0.0, up_to_date=True)

        if target in self._collection_names():  # a leftover of an interrupted build
            self.client.delete_collection(target)
        reuse: dict[str, tuple[str, list[float]]] = {}
        old_name = active.get("collection", "")
        if not rebuild and old_name and active.get("embedder") == embedder.name:
            old = self.client.get_collection(old_name, embedding_function=None)
            got = old.get(include=["embeddings", "metadatas"])
            for rid, vector, meta in zip(
                got["ids"], got["embeddings"], got["metadatas"], strict=True
            ):
                reuse[rid] = (meta.get("hash", ""), vector)

        collection = self.client.create_collection(
            target,
            metadata={"hnsw:space": "cosine", "embedder": embedder.name},
            embedding_function=None,
        )
        fresh = [r for r in records if reuse.get(r[0], ("", None))[0] != r[3]]
        kept = [r for r in records if reuse.get(r[0], ("", None))[0] == r[3]]
        done = 0
        total = len(records)
        if progress:
            progress(0, total)
        for batch in _batches(kept, 256):
            self._add(collection, batch, [reuse[r[0]][1] for r in batch])
            done += len(batch)
            if progress:
                progress(done, total)
        for batch in _batches(fresh, BATCH):
            vectors = embedder.embed_passages([r[2] for r in batch])
            self._add(collection, batch, vectors)
            done += len(batch)
            if progress:
                progress(done, total)
        if collection.count() != total:
            raise IndexNotReady(
                f"Chỉ mục mới có {collection.count()}/{total} bản ghi; giữ nguyên chỉ mục cũ."
            )
        # Switch only now: the new collection is complete.
        self._active = None
        self._pointer().modify(
            metadata={
                "collection": target,
                "embedder": embedder.name,
                "built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "count": total,
            }
        )
        if old_name and old_name != target and old_name in self._collection_names():
            self.client.delete_collection(old_name)
        return BuildReport(
            target, total, len(fresh), len(kept), round(time.perf_counter() - start, 3)
        )

    @staticmethod
    def _add(collection, batch, vectors) -> None:
        collection.add(
            ids=[r[0] for r in batch],
            embeddings=[np.asarray(v, dtype=np.float32).tolist() for v in vectors],
            metadatas=[
                {
                    "doc_id": r[1].doc_id,
                    "provision": r[1].id,
                    "kind": r[1].kind.value,
                    "hash": r[3],
                }
                for r in batch
            ],
        )

    # --- searching ------------------------------------------------------------------------

    def query(
        self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[DenseHit]:
        """Nearest provisions to a query vector, optionally within some documents."""
        try:
            return self._query(vector, k, doc_ids)
        except IndexNotReady:
            raise
        except Exception:  # noqa: BLE001 - a collection switched away under us: look again
            self._active = None
            return self._query(vector, k, doc_ids)

    def _collection(self) -> tuple[object, int]:
        now = time.monotonic()
        if self._active is None or now - self._active[0] > REFRESH_S:
            name = self.active().get("collection", "")
            if not name:
                raise IndexNotReady("Chưa có chỉ mục. Cách sửa: chạy 'quydinh index'.")
            collection = self.client.get_collection(name, embedding_function=None)
            self._active = (now, collection, collection.count())
        return self._active[1], self._active[2]

    def _query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None) -> list[DenseHit]:
        collection, count = self._collection()
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        result = collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=max(1, min(2 * k, count)),
            where=where,
            include=["distances", "metadatas"],
        )
        best: dict[str, float] = {}
        for dist, meta in zip(result["distances"][0], result["metadatas"][0], strict=True):
            pid = meta["provision"]
            best[pid] = max(best.get(pid, -1.0), round(1.0 - float(dist), 6))
        ranked = sorted(best, key=lambda pid: -best[pid])[:k]
        return [DenseHit(pid, best[pid]) for pid in ranked]

    # --- plain chunk collections (the "plain RAG" evaluation baseline) ---------------------

    def build_chunks(
        self, name: str, texts: list[str], metadatas: list[dict], embedder: Embedder
    ) -> None:
        """A separate collection of plain text chunks, embedded by `embedder` (not the
        provision index: the baseline must not see provision boundaries)."""
        if name in self._collection_names():
            existing = self.client.get_collection(name, embedding_function=None)
            if existing.count() == len(texts):
                return
            self.client.delete_collection(name)
        collection = self.client.create_collection(
            name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            vectors = embedder.embed_passages(batch)
            collection.add(
                ids=[f"chunk-{start + i}" for i in range(len(batch))],
                embeddings=[np.asarray(v, dtype=np.float32).tolist() for v in vectors],
                metadatas=metadatas[start : start + BATCH],
            )

    def query_chunks(self, name: str, vector: np.ndarray, k: int) -> list[tuple[str, float, dict]]:
        collection = self.client.get_collection(name, embedding_function=None)
        result = collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=max(1, min(k, collection.count())),
            include=["distances", "metadatas"],
        )
        return [
            (rid, 1.0 - float(d), meta)
            for rid, d, meta in zip(
                result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True
            )
        ]


def _records(pack: Pack) -> list[tuple[str, Provision, str, str]]:
    """(record id, provision, text, content hash) for everything the index holds."""
    return [
        (record_id, provision, text, content_hash(text))
        for provision in pack.indexable()
        for record_id, text in passages(provision, pack.document(provision.doc_id))
    ]


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


def _forget_clients() -> None:
    """Drop Chroma's per-path client cache, which keeps a failed client for the same path."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _persistent_client(path: Path):
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def _http_client(url: str):
    import chromadb

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise BackendUnavailable(
            f"URL máy chủ Chroma '{url}' không hợp lệ. Cách sửa: dùng dạng http://127.0.0.1:8000."
        )
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=_chroma_settings(),
        )
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001
        raise BackendUnavailable(
            f"Không kết nối được máy chủ Chroma ở {url} ({type(exc).__name__}). Cách sửa: "
            "khởi động 'chroma run --host 127.0.0.1 --port 8000' hoặc bỏ QUYDINH_CHROMA_URL "
            "để dùng chỉ mục nhúng."
        ) from None
    return client
