"""Integrity checks of the vector index. Only a check here may call an index damaged.

Two kinds:

- `check_folder(path)`: the embedded store on disk, read-only and without Chroma, so that a
  damaged file can never crash the process (Chroma's native code segfaults on a damaged HNSW
  file and panics on a bad string in SQLite). SQLite's own check (`quick_check` on start,
  `integrity_check`, which also compares every index with its table, with `full`); every row of the
  tables Chroma reads on start decodes; each migration's text matches its stored hash; the
  active collection's record count and content digest match the pointer; the vector files
  match the manifest written when the build was verified.
- `check_collection(collection, pointer)`: through Chroma (embedded or server): record count,
  content digest, the stored vectors' fingerprints, and a sample query per sampled record,
  which must find that record.

A check that cannot run (the database is locked by a writer, an index built before manifests
existed) is "unchecked", never damage.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np

SQLITE = "chroma.sqlite3"
MANIFEST = "quydinh-manifest.json"
HEADER = b"SQLite format 3\x00"
SAMPLES = 4
TOLERANCE = 1e-3  # vector fingerprints are float sums; a damaged vector is far off
# Tables Chroma reads when a client starts and when it loads a collection.
START_TABLES = (
    "migrations",
    "tenants",
    "databases",
    "collections",
    "collection_metadata",
    "segments",
    "segment_metadata",
    "max_seq_id",
    "embeddings_queue_config",
)


@dataclass
class Findings:
    """What a check found: verified damage (each naming the file and the fault) and what it
    could not check."""

    damage: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    count: int | None = None

    def __bool__(self) -> bool:
        return bool(self.damage)


def digest(pairs: Iterable[tuple[str, str]], embedder: str) -> str:
    """A hash of every (record id, content hash) pair, in id order, and the engine."""
    h = hashlib.sha256(embedder.encode())
    for record_id, content in sorted(pairs):
        h.update(f"{record_id}={content};".encode())
    return h.hexdigest()[:16]


def consistent(record_id: str, provision: str | None, doc_id: str | None) -> bool:
    """A record's provision and document follow from its id ("<provision>" or
    "<provision>::<n>"; the document is the provision's first part)."""
    base = record_id.split("::")[0]
    return provision == base and doc_id == base.split("/")[0]


def fingerprint(vector) -> float:
    """A number that changes when a stored vector changes: the sum of its components."""
    return round(float(np.asarray(vector, dtype=np.float64).sum()), 6)


# --- the embedded folder, without Chroma ----------------------------------------------------


def check_folder(path: Path, pointer: str, *, full: bool = False) -> Findings:
    """Check the embedded store in `path` (read-only); see the module docstring."""
    found = Findings()
    db_path = path / SQLITE
    if not db_path.exists():
        return found
    with db_path.open("rb") as f:
        head = f.read(100)
    if not head.startswith(HEADER):
        found.damage.append(f"{db_path}: không phải cơ sở dữ liệu SQLite (phần đầu tệp sai)")
        return found
    try:
        db = sqlite3.connect(f"file:{quote(str(db_path))}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        found.unchecked.append(f"{db_path}: không mở được để kiểm tra ({exc})")
        return found
    try:
        _check_sqlite(db, db_path, full, found)
        if not found.damage:
            _check_vectors(db, path, pointer, found)
    except sqlite3.DatabaseError as exc:
        if _inconclusive(exc):
            found.unchecked.append(f"{db_path}: chưa kiểm tra được ({exc})")
        else:
            found.damage.append(f"{db_path}: SQLite báo lỗi khi đọc ({exc})")
    finally:
        db.close()
    return found


def _inconclusive(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("locked", "busy", "readonly", "unable to open"))


def _check_sqlite(db: sqlite3.Connection, db_path: Path, full: bool, found: Findings) -> None:
    check = "integrity_check" if full else "quick_check"
    result = [row[0] for row in db.execute(f"PRAGMA {check}")]
    if result != ["ok"]:
        found.damage.append(f"{db_path}: SQLite {check} báo lỗi ({'; '.join(result[:3])})")
        return
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in START_TABLES:
        if table not in names:
            continue
        try:
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
        except sqlite3.OperationalError as exc:
            found.damage.append(f"{db_path}: bảng {table} không đọc được ({exc})")
            return
        if table == "migrations":
            for row in rows:
                sql, stored = row[3], row[4]
                if len(stored) == 32 and hashlib.md5(sql.encode()).hexdigest() != stored:
                    found.damage.append(f"{db_path}: bảng migrations, {row[2]}: nội dung sai mã")
                    return


def _pointer_meta(db: sqlite3.Connection, pointer: str) -> dict:
    row = db.execute("SELECT id FROM collections WHERE name = ?", (pointer,)).fetchone()
    if row is None:
        return {}
    meta = {}
    for key, s, i, f in db.execute(
        "SELECT key, str_value, int_value, float_value FROM collection_metadata "
        "WHERE collection_id = ?",
        (row[0],),
    ):
        meta[key] = s if s is not None else (i if i is not None else f)
    return meta


def _check_vectors(db: sqlite3.Connection, path: Path, pointer: str, found: Findings) -> None:
    meta = _pointer_meta(db, pointer)
    name = meta.get("collection") or ""
    if not name:
        return
    row = db.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()
    if row is None:
        found.damage.append(f"{path / SQLITE}: chỉ mục đang dùng '{name}' không còn trong tệp")
        return
    segments = dict(
        db.execute("SELECT scope, id FROM segments WHERE collection = ?", (row[0],)).fetchall()
    )
    if "METADATA" not in segments or "VECTOR" not in segments:
        found.damage.append(f"{path / SQLITE}: chỉ mục '{name}' thiếu phân đoạn dữ liệu")
        return
    # Read twice: through the index Chroma's lookups use, and from the table itself, so that
    # an index and its table that disagree are found even by the quick check.
    rows, table_rows = (
        db.execute(
            "SELECT e.embedding_id, MAX(CASE WHEN m.key = 'hash' THEN m.string_value END), "
            "MAX(CASE WHEN m.key = 'provision' THEN m.string_value END), "
            "MAX(CASE WHEN m.key = 'doc_id' THEN m.string_value END) "
            f"FROM embeddings e {hint} LEFT JOIN embedding_metadata m ON m.id = e.id "
            "WHERE e.segment_id = ? GROUP BY e.id ORDER BY e.id",
            (segments["METADATA"],),
        ).fetchall()
        for hint in ("", "NOT INDEXED")
    )
    if rows != table_rows:
        found.damage.append(f"{path / SQLITE}: chỉ mục SQLite của bảng embeddings lệch với bảng")
        return
    pairs = [(r[0], r[1]) for r in rows]
    db.execute("SELECT * FROM embeddings_queue WHERE topic LIKE ?", (f"%{row[0]}",)).fetchall()
    found.count = len(pairs)
    expected = meta.get("count")
    if expected is not None and int(expected) != len(pairs):
        found.damage.append(
            f"{path / SQLITE}: chỉ mục '{name}' có {len(pairs)} bản ghi, cần {int(expected)}"
        )
        return
    if meta.get("digest") and digest(pairs, meta.get("embedder", "")) != meta["digest"]:
        found.damage.append(f"{path / SQLITE}: nội dung chỉ mục '{name}' không khớp mã kiểm tra")
        return
    wrong = [r[0] for r in rows if not consistent(r[0], r[2], r[3])]
    if wrong:
        found.damage.append(
            f"{path / SQLITE}: {len(wrong)} bản ghi mang mã quy định sai (ví dụ {wrong[0]})"
        )
        return
    entry = read_manifest(path).get(name)
    if entry is None:
        found.unchecked.append(f"{path}: chưa có bảng mã tệp vector cho '{name}'")
        return
    folder = path / entry["segment"]
    for file, (size, sha) in entry["files"].items():
        target = folder / file
        if not target.exists():
            found.damage.append(f"{target}: tệp vector bị mất")
        elif target.stat().st_size != size or _sha256(target) != sha:
            found.damage.append(f"{target}: tệp vector bị thay đổi (không khớp mã kiểm tra)")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# --- the manifest of vector files -------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8")).get("collections", {})
    except (OSError, ValueError, AttributeError):
        return {}


def vector_segment(path: Path, collection: str) -> str | None:
    """The folder (segment id) holding a collection's vector files."""
    db = sqlite3.connect(f"file:{quote(str(path / SQLITE))}?mode=ro", uri=True, timeout=30)
    try:
        row = db.execute(
            "SELECT s.id FROM segments s JOIN collections c ON s.collection = c.id "
            "WHERE c.name = ? AND s.scope = 'VECTOR'",
            (collection,),
        ).fetchone()
    finally:
        db.close()
    return row[0] if row else None


def write_manifest(path: Path, keep: Iterable[str], add: dict[str, str] | None = None) -> None:
    """Record the vector files of the collections in `add` ({name: segment}) and forget those
    not in `keep`; written through a unique temporary file, then renamed into place."""
    entries = {k: v for k, v in read_manifest(path).items() if k in set(keep)}
    for name, segment in (add or {}).items():
        folder = path / segment
        files = {
            p.name: [p.stat().st_size, _sha256(p)] for p in sorted(folder.iterdir()) if p.is_file()
        } if folder.is_dir() else {}  # fmt: skip
        entries[name] = {"segment": segment, "files": files}
    atomic_write(path / MANIFEST, json.dumps({"format": 1, "collections": entries}, indent=1))


def orphan_segments(path: Path) -> list[Path]:
    """Vector folders whose segment no longer exists (Chroma leaves them when it drops a
    collection)."""
    db = sqlite3.connect(f"file:{quote(str(path / SQLITE))}?mode=ro", uri=True, timeout=30)
    try:
        known = {row[0] for row in db.execute("SELECT id FROM segments")}
    finally:
        db.close()
    return [p for p in path.iterdir() if p.is_dir() and _is_uuid(p.name) and p.name not in known]


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


def atomic_write(target: Path, text: str) -> None:
    """Write `text` to `target` through a unique temporary file in the same folder: readers see
    the old file or the new one, never a part; concurrent writers never share a name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --- through Chroma ----------------------------------------------------------------------------


def check_collection(collection, pointer: dict, *, full: bool) -> Findings:
    """Count, and (with `full`) content digest and every vector's fingerprint; always a sample
    query per sampled record. `pointer` holds the expected count, digest and engine."""
    found = Findings()
    name = collection.name
    count = collection.count()
    found.count = count
    expected = pointer.get("count")
    if expected is not None and int(expected) != count:
        found.damage.append(f"chỉ mục '{name}' có {count} bản ghi, cần {int(expected)}")
        return found
    if count == 0:
        return found
    if full:
        pairs, changed, wrong = [], [], []
        for ids, metas, vectors in _pages(collection):
            for rid, meta, vector in zip(ids, metas, vectors, strict=True):
                pairs.append((rid, meta.get("hash", "")))
                if "vsum" in meta and abs(fingerprint(vector) - float(meta["vsum"])) > TOLERANCE:
                    changed.append(rid)
                if not consistent(rid, meta.get("provision"), meta.get("doc_id")):
                    wrong.append(rid)
        want = pointer.get("digest")
        if want and digest(pairs, pointer.get("embedder", "")) != want:
            found.damage.append(f"nội dung chỉ mục '{name}' không khớp mã kiểm tra")
        if changed:
            found.damage.append(
                f"chỉ mục '{name}': {len(changed)} vector bị thay đổi (ví dụ {changed[0]})"
            )
        if wrong:
            found.damage.append(
                f"chỉ mục '{name}': {len(wrong)} bản ghi mang mã quy định sai (ví dụ {wrong[0]})"
            )
        if found.damage:
            return found
    found.damage += _sample_queries(collection, count)
    return found


def _pages(collection, size: int = 1000):
    for offset in range(0, collection.count(), size):
        got = collection.get(limit=size, offset=offset, include=["metadatas", "embeddings"])
        yield got["ids"], got["metadatas"], got["embeddings"]


def _sample_queries(collection, count: int) -> list[str]:
    offsets = sorted({i * count // SAMPLES for i in range(SAMPLES)})
    problems = []
    for offset in offsets:
        got = collection.get(limit=1, offset=offset, include=["metadatas", "embeddings"])
        if not got["ids"]:
            problems.append(f"chỉ mục '{collection.name}': không đọc được bản ghi thứ {offset}")
            continue
        rid, meta, vector = got["ids"][0], got["metadatas"][0], got["embeddings"][0]
        if "vsum" in meta and abs(fingerprint(vector) - float(meta["vsum"])) > TOLERANCE:
            problems.append(f"chỉ mục '{collection.name}': vector của {rid} bị thay đổi")
            continue
        result = collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=min(10, count),
            include=["distances"],
        )
        if rid not in result["ids"][0]:
            problems.append(
                f"chỉ mục '{collection.name}': truy vấn mẫu bằng vector của {rid} không tìm "
                "thấy chính nó"
            )
    return problems
