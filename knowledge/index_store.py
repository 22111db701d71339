"""Chroma clients for the vector index (owned by `knowledge.index`): one client per folder
per process, created under a lock; a server client; moving a damaged folder aside.

Opening is kept apart from judging: an error while opening is reported as it is, with the
path and the fix; only `knowledge.integrity` can call a folder damaged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

from knowledge import integrity
from knowledge.errors import BackendUnavailable, IndexNotReady
from knowledge.index_lock import FileLock, Notify


def chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


# --- embedded clients: one per folder per process, created under a lock ------------------------

# Chroma keeps one "system" per folder, but creating it is not thread-safe: twenty threads
# starting at once each opened the same SQLite file and most of them failed.
_CLIENTS: dict[str, object] = {}
_CLIENTS_LOCK = threading.Lock()


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def persistent_client(path: Path):
    """The process's client for a folder, created once under a lock.

    Raises:
        IndexNotReady: Chroma could not open the folder (not damage: nothing is moved).
    """
    import chromadb

    key = _key(path)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is not None:
            return client
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=key, settings=chroma_settings())
            client.list_collections()
        except BaseException as exc:  # Chroma's native panics derive from BaseException
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            _drop_system(key)
            raise IndexNotReady(
                f"Không mở được chỉ mục ở {path} ({type(exc).__name__}: {str(exc)[:300]}). "
                "Cách sửa: chạy 'quydinh index --verify' để kiểm tra; nếu một tiến trình khác "
                f"đang dùng thư mục này, chờ nó xong; muốn xây dựng lại từ đầu thì chuyển {path} "
                "đi nơi khác rồi chạy 'quydinh index'."
            ) from None
        _CLIENTS[key] = client
        return client


def _drop_system(key: str) -> None:
    """Stop Chroma's cached system for one folder (it keeps a failed or moved one otherwise)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(key, None)
    if system is not None:
        with contextlib.suppress(Exception):
            system.stop()


def forget_client(path: Path) -> None:
    key = _key(path)
    with _CLIENTS_LOCK:
        _CLIENTS.pop(key, None)
        _drop_system(key)


def lock_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.lock")


def set_aside(path: Path, damage: list[str], notify: Notify | None, wait_s: float) -> list[str]:
    """Move a damaged folder aside (never delete it), under the build lock; if another process
    replaced the folder meanwhile, leave the new one alone."""
    seen = _identity(path)
    with FileLock(lock_path(path), str(path)).held(wait_s, notify):
        if _identity(path) != seen:
            return []
        forget_client(path)
        aside = path.with_name(f"{path.name}.hong-{dt.datetime.now():%Y%m%d-%H%M%S}")
        shutil.move(str(path), str(aside))
    return [
        f"Chỉ mục ở {path} bị hỏng ({'; '.join(damage[:2])}); đã chuyển sang {aside} và xây "
        "dựng lại."
    ]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = (path / integrity.SQLITE).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_dev


def sweep(path: Path) -> None:
    """Remove vector folders of collections that no longer exist (Chroma leaves them)."""
    for folder in integrity.orphan_segments(path):
        shutil.rmtree(folder, ignore_errors=True)


def http_client(url: str):
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
            settings=chroma_settings(),
        )
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001
        raise BackendUnavailable(
            f"Không kết nối được máy chủ Chroma ở {url} ({type(exc).__name__}). Cách sửa: "
            "khởi động 'chroma run --host 127.0.0.1 --port 8000' hoặc bỏ QUYDINH_CHROMA_URL "
            "để dùng chỉ mục nhúng."
        ) from None
    return client
