"""The user's folder of official texts: atomic writes, removal, and the index build lock.

An official text must never be changed while the search index is being rebuilt: the build
reads the folder, and a text written half-way through it would leave the index answering from
a mix. The build takes a lock file, `<data dir>/index/.build.lock` (issue 12); ingest and
removal check it first and refuse while it is held.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure

_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
# The holder's process id: "pid": 123 (JSON), pid=123, or the file holding just the number.
_PID = re.compile(r"\bpid\b\W{0,4}(\d+)|^\s*(\d+)\s*$", re.I)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder renamed over `path`, so a reader
    never sees half a file. The temporary name does not end in .md: an interrupted write is
    never loaded as a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_lock_path(index_dir: Path) -> Path:
    """The file a build of the index at `index_dir` locks (knowledge.index_lock)."""
    from knowledge.index_store import lock_path

    return lock_path(index_dir)


def build_lock_holder(index_dir: Path) -> str | None:
    """Who is rebuilding the index, or None when no build holds the lock.

    The lock counts as held when another open file has it locked with flock, or when it
    names a process id that is still running; a lock file left by a crashed build is
    neither, and does not block. (POSIX locks, fcntl.lockf, are not probed: closing any
    descriptor of the file would release the calling process's own such lock.)
    """
    lock = build_lock_path(index_dir)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        content = os.read(fd, 512).decode("utf-8", "replace").strip()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            held = True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            m = _PID.search(content)
            held = bool(m and _running(int(m.group(1) or m.group(2))))
    finally:
        os.close(fd)
    if not held:
        return None
    return f"tệp khóa {lock}" + (f": {content[:120]}" if content else "")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except (OverflowError, ValueError):  # not a process id after all
        return False
    return True


def ensure_index_idle(index_dir: Path | None) -> None:
    """Refuse to change official texts while the search index is being rebuilt.

    Raises:
        IngestError: the build lock is held.
    """
    if index_dir is None:
        return
    holder = build_lock_holder(index_dir)
    if holder is not None:
        raise IngestError(
            IngestFailure.INDEX_BUSY,
            f"Chỉ mục tìm kiếm đang được xây dựng lại ({holder}); thay đổi văn bản chính thức "
            "lúc này sẽ làm chỉ mục lệch với văn bản, nên chưa ghi gì. Cách sửa: chờ lệnh "
            "quydinh index (hoặc lần nạp trước) chạy xong rồi làm lại.",
        )


@dataclass(frozen=True)
class Removal:
    """An official text removed: which, from where, and what is used in its place."""

    doc_id: str
    path: Path
    digest_name: str | None  # "Quy định 124-QĐ/TW" when a shipped digest takes over again


def official_ids(official_dir: Path) -> list[str]:
    return sorted(p.stem for p in official_dir.glob("*.md")) if official_dir.is_dir() else []


def remove_official(
    doc_id: str, *, official_dir: Path, digest_names: dict[str, str], index_dir: Path | None
) -> Removal:
    """Delete the official text of `doc_id`, so that its shipped digest is used again.

    Args:
        doc_id: the document id, e.g. "qd-124-2023".
        official_dir: the user's folder of official texts.
        digest_names: shipped digest ids → their names ("Quy định 124-QĐ/TW").
        index_dir: the index folder whose build lock is checked (None: not checked).

    Raises:
        IngestError: no official text of that id was ingested, or a rebuild is running.
    """
    ingested = official_ids(official_dir)
    path = official_dir / f"{doc_id}.md"
    if not _DOC_ID.match(doc_id) or not path.is_file():
        listed = ", ".join(ingested) if ingested else "chưa nạp văn bản nào"
        raise IngestError(
            IngestFailure.NOT_INGESTED,
            f"Chưa nạp văn bản chính thức nào có mã '{doc_id}' nên không có gì để gỡ (văn bản "
            f"chính thức đã nạp: {listed}). Cách sửa: kiểm tra lại mã (xem: quydinh docs).",
        )
    ensure_index_idle(index_dir)
    path.unlink()
    return Removal(doc_id, path, digest_names.get(doc_id))


def format_removal(removal: Removal) -> str:
    """The message printed after `quydinh ingest --remove`, in Vietnamese."""
    lines = [f"Đã gỡ văn bản chính thức {removal.doc_id} (đã xóa {removal.path})."]
    if removal.digest_name:
        lines.append(
            f"Trợ lý dùng lại bản tóm lược đi kèm của {removal.digest_name} cho văn bản này."
        )
    else:
        lines.append("Văn bản này không có bản tóm lược đi kèm: trợ lý không còn dùng nó.")
    return "\n".join(lines)
