"""One index build at a time: a lock file for the embedded store, a lease for a Chroma server.

A build (and moving a damaged folder aside) holds the lock; reading never does, so questions
are answered from the active collection while another process builds the next one.

- Embedded: `flock` on `<index>.lock` beside the index folder. The kernel releases it when
  the holder dies, even by `kill -9`, so a crashed build never blocks the next one. The file
  also names the holder (pid, host, time) for the message a waiting process shows.
- Chroma server: a lease record, the collection `quydinh-lease`, whose metadata names the
  holder and an expiry. Creating a collection is atomic on the server, so only one process
  gets it. The holder renews it while it builds; a lease whose holder has died on this host,
  or whose expiry has passed, is taken over (through a second, per-lease collection, so two
  processes cannot both take over the same stale lease).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from knowledge.errors import IndexBusy, IndexNotReady

LEASE = "quydinh-lease"
LEASE_TTL_S = 120.0
POLL_S = 0.5

Notify = Callable[[str], None]


def holder_info(ttl_s: float | None = None) -> dict:
    """Who is building: this process."""
    now = time.time()
    info = {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": dt.datetime.now().isoformat(timespec="seconds"),
        "token": secrets.token_hex(8),
    }
    if ttl_s is not None:
        info["expires"] = now + ttl_s
    return info


def describe(holder: dict | None) -> str:
    if not holder:
        return "một tiến trình khác"
    pid, host, since = (holder.get(k, "?") for k in ("pid", "host", "since"))
    return f"pid {pid} trên {host} (từ {since})"


def waiting_message(where: str, holder: dict | None, wait_s: float) -> str:
    return (
        f"Đang chờ: chỉ mục ở {where} đang được xây dựng bởi {describe(holder)}; "
        f"chờ tối đa {wait_s:g} s…"
    )


def busy_message(where: str, holder: dict | None, wait_s: float) -> str:
    waited = f" sau {wait_s:g} s chờ" if wait_s > 0 else ""
    return (
        f"Chỉ mục ở {where} đang được xây dựng bởi {describe(holder)}{waited}. Cách sửa: chờ "
        "lần xây dựng đó xong rồi chạy lại, hoặc dùng 'quydinh index --wait <giây>' để chờ lâu hơn."
    )


class Held:
    """The lock as its holder sees it: renewed while building, checked before the switch."""

    def renew(self) -> None:
        """Extend the hold (a lease expires otherwise)."""

    def check(self) -> None:
        """Raise IndexNotReady if the hold was lost."""


class FileLock:
    """`flock` on a file beside the index folder."""

    def __init__(self, path: Path, where: str):
        self.path = path
        self.where = where

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None

    @contextlib.contextmanager
    def held(self, wait_s: float, notify: Notify | None = None) -> Iterator[Held]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait_s
            told = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = self._holder()
                    if time.monotonic() >= deadline:
                        raise IndexBusy(busy_message(self.where, holder, wait_s)) from None
                    if not told and notify is not None:
                        notify(waiting_message(self.where, holder, wait_s))
                        told = True
                    time.sleep(POLL_S)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder_info()).encode(), 0)
            try:
                yield Held()
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class _HeldLease(Held):
    def __init__(self, lock: LeaseLock, info: dict):
        self.lock = lock
        self.info = info
        self.renewed = time.monotonic()

    def renew(self) -> None:
        if time.monotonic() - self.renewed < self.lock.ttl_s / 4:
            return
        self.check()
        self.info["expires"] = time.time() + self.lock.ttl_s
        self.lock.collection().modify(metadata=self.info)
        self.renewed = time.monotonic()

    def check(self) -> None:
        current = self.lock.current()
        if not current or current.get("token") != self.info["token"]:
            raise IndexNotReady(
                f"Mất quyền xây dựng chỉ mục ở {self.lock.where} ({describe(current)} đã nhận "
                "lại); giữ nguyên chỉ mục đang dùng. Cách sửa: chạy lại 'quydinh index'."
            )


class LeaseLock:
    """A lease record on a Chroma server."""

    def __init__(self, client, where: str, ttl_s: float = LEASE_TTL_S):
        self.client = client
        self.where = where
        self.ttl_s = ttl_s

    def collection(self):
        return self.client.get_collection(LEASE, embedding_function=None)

    def current(self) -> dict | None:
        try:
            return dict(self.collection().metadata or {})
        except Exception:  # noqa: BLE001 - no lease record: nobody holds it
            return None

    def _create(self, name: str, info: dict) -> bool:
        try:
            self.client.create_collection(name, metadata=info, embedding_function=None)
            return True
        except Exception:  # noqa: BLE001 - Chroma's "already exists" differs by version
            if name in {c.name for c in self.client.list_collections()}:
                return False
            raise

    def _stale(self, holder: dict) -> bool:
        if float(holder.get("expires", 0)) < time.time():
            return True
        if holder.get("host") == socket.gethostname():
            try:
                os.kill(int(holder.get("pid", 0)), 0)
            except ProcessLookupError:
                return True  # its holder died here (kill -9): no need to wait for the expiry
            except (PermissionError, ValueError):
                return False
        return False

    def _take_over(self, holder: dict) -> None:
        """Remove a stale lease; the per-lease marker lets only one process do it."""
        marker = f"{LEASE}-takeover-{holder.get('token', 'none')}"
        if not self._create(marker, {"pid": os.getpid()}):
            return
        try:
            if (self.current() or {}).get("token") == holder.get("token"):
                self.client.delete_collection(LEASE)
        finally:
            self.client.delete_collection(marker)

    def _try(self, info: dict) -> tuple[bool, dict | None]:
        if self._create(LEASE, info):
            return True, None
        holder = self.current()
        if holder and self._stale(holder):
            self._take_over(holder)
            if self._create(LEASE, info):
                return True, None
            holder = self.current()
        return False, holder

    @contextlib.contextmanager
    def held(self, wait_s: float, notify: Notify | None = None) -> Iterator[Held]:
        info = holder_info(self.ttl_s)
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            ok, holder = self._try(info)
            if ok:
                break
            if time.monotonic() >= deadline:
                raise IndexBusy(busy_message(self.where, holder, wait_s))
            if not told and notify is not None:
                notify(waiting_message(self.where, holder, wait_s))
                told = True
            time.sleep(POLL_S)
        lease = _HeldLease(self, info)
        try:
            yield lease
        finally:
            if (self.current() or {}).get("token") == info["token"]:
                self.client.delete_collection(LEASE)
