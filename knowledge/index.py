"""The vector index: the only module that imports chromadb (with the modules it owns:
`knowledge.index_store`, `knowledge.index_lock`, `knowledge.integrity`).

Provisions are embedded (by an engine passed in, never by Chroma) with a context header and
stored with their metadata. Builds are incremental, crash-safe and one at a time:

- every record carries a content hash and a fingerprint of its vector; a build re-embeds only
  provisions whose hash changed and copies the other vectors from the index in use;
- each build writes a new, uniquely named collection, never the active one, even when nothing
  changed; the "active" pointer (one metadata record, switched in one write) moves to it only
  after it is verified (record count, content digest, vector fingerprints, sample queries);
  the previous collection is dropped only after the switch, so readers answer from it during
  the whole build, and a build killed at any moment leaves it in use;
- a build holds the build lock (`knowledge.index_lock`); it first discards what an earlier,
  interrupted build left behind, and says so;
- opening checks integrity (`knowledge.integrity`) before Chroma reads a file; only verified
  damage moves a folder aside (never deleted, under the build lock) to be rebuilt. Any other
  error is reported as it is, with the path and the fix.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge import index_store as store
from knowledge import integrity
from knowledge.embeddings import Embedder
from knowledge.errors import IndexNotReady
from knowledge.index_lock import FileLock, LeaseLock, Notify
from knowledge.pack import Pack
from knowledge.passages import content_hash, passage_text, passages
from knowledge.types import Provision

__all__ = ["BuildReport", "DenseHit", "VectorIndex", "content_hash", "passage_text", "verify"]

POINTER = "quydinh-active"
REFRESH_S = 30.0
PREFIX = "p-"
ASIDE = "hong-"  # a damaged collection on a server is renamed so, never deleted
BATCH = 32
PAGE = 1000
INDEX_FORMAT = 2  # the pointer's layout (digest, count); older pointers are rebuilt
# Chroma persists a collection's HNSW files every `sync_threshold` records and a new reader
# replays the rest of its log. A collection that never reached the threshold is rewritten by
# every reader that opens it, so each build persists at least once (at its end, below the cap).
SYNC_CAP = 10_000
DEFAULT_WAIT_S = 900.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    collection: str
    total: int
    embedded: int
    reused: int
    seconds: float
    up_to_date: bool = False
    # What interrupted builds had left behind and this one discarded: "name (n bản ghi)".
    discarded: tuple[str, ...] = ()


@dataclass(frozen=True)
class DenseHit:
    id: str
    similarity: float


@dataclass
class VectorIndex:
    """A Chroma client holding provision vectors, one active collection at a time."""

    client: object
    path: Path | None = None  # the embedded folder; None for a server or a given client
    where: str = ""  # the folder or URL, for messages
    notices: list[str] = field(default_factory=list)
    # Verified damage of the active collection found on opening (a server's, which cannot be
    # moved aside): the next build starts from scratch and renames it aside.
    damaged: list[str] = field(default_factory=list)
    # The active collection, looked up again after REFRESH_S: another app instance sharing a
    # Chroma server may have switched to a newer build meanwhile.
    _active: tuple[float, object, int] | None = field(default=None, repr=False)

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        path: Path | None = None,
        url: str | None = None,
        client: object | None = None,
        notify: Notify | None = None,
        wait_s: float = DEFAULT_WAIT_S,
    ) -> VectorIndex:
        """Open an index from exactly one of: a folder, a Chroma server URL, or a client, and
        check its integrity (a damaged folder is moved aside, with a notice).

        Raises:
            ValueError: when none or more than one is given.
            BackendUnavailable: when the Chroma server cannot be reached.
            IndexNotReady: when the folder cannot be opened (the message says why and how to
                fix it); the folder is left where it is.
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
        if path is not None:
            return cls._open_folder(Path(path), notify, wait_s)
        index = cls(client if client is not None else store.http_client(url), where=url or "client")
        found = index.check(full=False)
        if found:
            index.damaged = found.damage
            index.notices.append(
                f"Chỉ mục ở {index.where} bị hỏng ({'; '.join(found.damage[:2])}); sẽ xây dựng "
                "lại vào một bộ sưu tập mới, bộ cũ được giữ lại với tên bắt đầu bằng 'hong-'."
            )
        return index

    @classmethod
    def _open_folder(cls, path: Path, notify: Notify | None, wait_s: float) -> VectorIndex:
        if path.exists() and not path.is_dir():
            raise IndexNotReady(
                f"Không mở được chỉ mục ở {path}: đây là một tệp, không phải thư mục. Cách sửa: "
                "chuyển hoặc đổi tên tệp đó, hoặc đặt QUYDINH_DATA_DIR sang thư mục khác."
            )
        notices = [] if path.exists() else [f"Chưa có chỉ mục ở {path}; sẽ xây dựng mới."]
        found = integrity.check_folder(path, POINTER)
        if found:
            notices += store.set_aside(path, found.damage, notify, wait_s)
        index = cls(store.persistent_client(path), path=path, where=str(path))
        found = index.check(full=False)
        if found:
            store.forget_client(path)
            notices += store.set_aside(path, found.damage, notify, wait_s)
            index = cls(store.persistent_client(path), path=path, where=str(path))
        index.notices.extend(notices)
        return index

    def _lock(self):
        if self.path is not None:
            return FileLock(store.lock_path(self.path), self.where)
        return LeaseLock(self.client, self.where)

    # --- the active pointer ---------------------------------------------------------------

    def pointer(self) -> dict:
        """The pointer's metadata (collection, engine, count, digest), {} before any build.
        Read only: opening an index for questions writes nothing."""
        from chromadb.errors import NotFoundError

        try:
            collection = self.client.get_collection(POINTER, embedding_function=None)
        except NotFoundError:
            return {}
        return dict(collection.metadata or {})

    def active(self) -> dict:
        """The active collection's name, engine and digest ("" when none)."""
        meta = self.pointer()
        name = meta.get("collection", "")
        if not name or name not in self._collection_names():
            return {"collection": "", "embedder": ""}
        return meta

    def _collection_names(self) -> set[str]:
        return {c.name if hasattr(c, "name") else str(c) for c in self.client.list_collections()}

    def is_current(self, pack: Pack, embedder: Embedder) -> bool:
        """Whether the active collection holds exactly what the pack and engine need."""
        return not self.damaged and self._current(self.active(), _digest(_records(pack), embedder))

    @staticmethod
    def _current(active: dict, want: str) -> bool:
        return active.get("format") == INDEX_FORMAT and active.get("digest") == want

    def leftovers(self) -> list[str]:
        """Collections of builds that never became active (interrupted, or in progress)."""
        active = self.pointer().get("collection", "")
        return sorted(n for n in self._collection_names() if n.startswith(PREFIX) and n != active)

    # --- checking -------------------------------------------------------------------------

    def check(self, *, full: bool) -> integrity.Findings:
        """Check the active collection through Chroma (see `knowledge.integrity`); with
        `full`, every record and vector, else the count and sample queries."""
        active = self.active()
        if not active.get("collection"):
            return integrity.Findings()
        try:
            collection = self.client.get_collection(active["collection"], embedding_function=None)
            return integrity.check_collection(collection, active, full=full)
        except Exception as exc:  # noqa: BLE001 - an error is not damage: report it as it is
            raise IndexNotReady(
                f"Không đọc được chỉ mục ở {self.where} ({type(exc).__name__}: {str(exc)[:300]}). "
                "Cách sửa: chạy 'quydinh index --verify'; nếu chỉ mục hỏng, chạy "
                "'quydinh index --rebuild'."
            ) from None

    # --- building -------------------------------------------------------------------------

    def build(
        self,
        pack: Pack,
        embedder: Embedder,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait_s: float = DEFAULT_WAIT_S,
        notify: Notify | None = None,
    ) -> BuildReport:
        """Bring the index up to date with the pack, re-embedding only what changed (all of
        it with `rebuild`). Waits up to `wait_s` for another build to finish.

        Raises:
            IndexBusy: another process still builds after `wait_s`.
            IndexNotReady: the new collection failed its checks (the old one stays in use).
        """
        start = time.perf_counter()
        records = _records(pack)
        want = _digest(records, embedder)
        with self._lock().held(wait_s, notify) as held:
            self._active = None
            discarded = self._discard_leftovers()
            active = self.active()
            if not rebuild and not self.damaged and self._current(active, want):
                return BuildReport(
                    active["collection"], len(records), 0, len(records), 0.0, True, discarded
                )
            old = active.get("collection", "")
            fresh_start = rebuild or bool(self.damaged) or active.get("embedder") != embedder.name
            reuse = {} if fresh_start else self._vectors(old)
            name = f"{PREFIX}{embedder.name[:40]}-{want[:12]}-{_stamp()}"
            collection = self.client.create_collection(
                name,
                configuration=_hnsw(len(records)),
                metadata={"embedder": embedder.name, "digest": want},
                embedding_function=None,
            )
            kept = [r for r in records if reuse.get(r[0], ("", None))[0] == r[3]]
            fresh = [r for r in records if reuse.get(r[0], ("", None))[0] != r[3]]
            self._fill(collection, kept, fresh, reuse, embedder, progress, held)
            meta = {
                "collection": name,
                "embedder": embedder.name,
                "digest": want,
                "count": len(records),
                "format": INDEX_FORMAT,
                "built_at": dt.datetime.now().isoformat(timespec="seconds"),
            }
            found = integrity.check_collection(collection, meta, full=True)
            if found:
                raise IndexNotReady(
                    f"Chỉ mục mới không qua kiểm tra ({'; '.join(found.damage[:2])}); giữ nguyên "
                    "chỉ mục đang dùng. Cách sửa: chạy lại 'quydinh index'."
                )
            if self.path is not None:
                segment = integrity.vector_segment(self.path, name)
                integrity.write_manifest(self.path, [old, name], {name: segment} if segment else {})
            held.check()
            self._switch(meta)
            self._retire(old)
            if self.path is not None:
                integrity.write_manifest(self.path, [name])
                store.sweep(self.path)
            self.damaged = []
        return BuildReport(
            name, len(records), len(fresh), len(kept), round(time.perf_counter() - start, 3),
            discarded=discarded,
        )  # fmt: skip

    def _discard_leftovers(self) -> tuple[str, ...]:
        """Drop what interrupted builds left (the lock is held: nobody else is building)."""
        discarded = []
        for name in self.leftovers():
            try:
                count = str(self.client.get_collection(name, embedding_function=None).count())
            except Exception:  # noqa: BLE001 - a half-written leftover may not even count
                count = "?"
            self.client.delete_collection(name)
            discarded.append(f"{name} ({count} bản ghi)")
        return tuple(discarded)

    def _vectors(self, name: str) -> dict[str, tuple[str, list[float]]]:
        """Record id -> (content hash, vector) of a collection, read page by page."""
        if not name:
            return {}
        collection = self.client.get_collection(name, embedding_function=None)
        reuse = {}
        for offset in range(0, collection.count(), PAGE):
            got = collection.get(limit=PAGE, offset=offset, include=["embeddings", "metadatas"])
            for rid, vector, meta in zip(
                got["ids"], got["embeddings"], got["metadatas"], strict=True
            ):
                reuse[rid] = (meta.get("hash", ""), vector)
        return reuse

    def _fill(self, collection, kept, fresh, reuse, embedder, progress, held) -> None:
        """Reused vectors first, then fresh ones embedded BATCH at a time; written in groups
        (each Chroma write is a transaction) of an eighth of the build, 32 to 512 records."""
        done, total = 0, len(kept) + len(fresh)
        size = max(BATCH, min(512, total // 8))
        if progress:
            progress(0, total)
        pending: list[tuple] = []
        vectors: list = []

        def flush() -> None:
            nonlocal done
            self._add(collection, pending, vectors)
            held.renew()
            done += len(pending)
            pending.clear()
            vectors.clear()
            if progress:
                progress(done, total)

        for batch in _batches(kept, size):
            pending += batch
            vectors += [reuse[r[0]][1] for r in batch]
            flush()
        for batch in _batches(fresh, BATCH):
            pending += batch
            vectors += list(embedder.embed_passages([r[2] for r in batch]))
            if len(pending) >= size or done + len(pending) == total:
                flush()
        if pending:
            flush()

    def _switch(self, meta: dict) -> None:
        """Point readers at the verified collection: one metadata write."""
        from chromadb.errors import NotFoundError

        self._active = None
        try:
            self.client.get_collection(POINTER, embedding_function=None).modify(metadata=meta)
        except NotFoundError:
            self.client.create_collection(POINTER, metadata=meta, embedding_function=None)

    def _retire(self, old: str) -> None:
        if not old or old not in self._collection_names():
            return
        if self.damaged:
            aside = f"{ASIDE}{_stamp()}-{old}"[:200]
            self.client.get_collection(old, embedding_function=None).modify(name=aside)
        else:
            self.client.delete_collection(old)

    @staticmethod
    def _add(collection, batch, vectors) -> None:
        vectors = [np.asarray(v, dtype=np.float32) for v in vectors]
        collection.add(
            ids=[r[0] for r in batch],
            embeddings=[v.tolist() for v in vectors],
            metadatas=[
                {
                    "doc_id": r[1].doc_id,
                    "provision": r[1].id,
                    "kind": r[1].kind.value,
                    "hash": r[3],
                    "vsum": integrity.fingerprint(v),
                }
                for r, v in zip(batch, vectors, strict=True)
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
            name, configuration=_hnsw(len(texts)), embedding_function=None
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


def verify(*, path: Path | None = None, url: str | None = None) -> integrity.Findings:
    """Every integrity check of a folder or a server's index, reporting only: nothing is
    moved or rebuilt. The folder is checked without Chroma first (a damaged file must not
    crash the check), then through Chroma."""
    found = integrity.Findings()
    if path is not None:
        found = integrity.check_folder(path, POINTER, full=True)
        if found or not (path / integrity.SQLITE).exists():
            return found
        index = VectorIndex(store.persistent_client(path), path=path, where=str(path))
    else:
        index = VectorIndex(store.http_client(url), where=url or "")
    through = index.check(full=True)
    through.unchecked = found.unchecked + through.unchecked
    return through


def _records(pack: Pack) -> list[tuple[str, Provision, str, str]]:
    """(record id, provision, text, content hash) for everything the index holds."""
    return [
        (record_id, provision, text, content_hash(text))
        for provision in pack.indexable()
        for record_id, text in passages(provision, pack.document(provision.doc_id))
    ]


def _digest(records: list, embedder: Embedder) -> str:
    return integrity.digest(((r[0], r[3]) for r in records), embedder.name)


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _stamp() -> str:
    """Unique per build: the time and a random part (two builds may start the same second)."""
    return f"{dt.datetime.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


def _hnsw(total: int) -> dict:
    sync = max(1, min(total, SYNC_CAP))
    return {"hnsw": {"space": "cosine", "sync_threshold": sync, "batch_size": min(100, sync)}}
