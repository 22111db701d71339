"""Rebuild the index in the background after an official text is loaded or removed, while
the assistant in use keeps answering from the current index.

The build is the index's own (knowledge.index): a new collection, switched to only once it is
verified, under the build lock. When it is done, the new assistant takes the place of the old
one for the same settings (assistant.runtime), so the next question uses the new documents.
One rebuild per settings at a time; while it runs, ingest and removal are refused (the build
lock, and `busy` for the moments before the build takes it).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from assistant import runtime
from assistant.settings import Settings
from knowledge.errors import BackendUnavailable, IndexNotReady, KnowledgeError
from knowledge.index import BuildReport
from knowledge.ingest import build_lock_holder

_LOCK = threading.Lock()
_JOBS: dict[Settings, RebuildJob] = {}


class RebuildBusy(Exception):
    """A rebuild of the index is already running."""


@dataclass
class RebuildJob:
    """One background rebuild: its progress, and how it ended."""

    settings: Settings
    reason: str  # what changed, in words: "nạp Hướng dẫn 05-HD/BTCTU"
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str | None = None
    report: BuildReport | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return not self.finished

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end (tests, the CLI); True when it has ended."""
        if self.thread is not None:
            self.thread.join(timeout)
        return self.finished


def current(settings: Settings) -> RebuildJob | None:
    """The latest rebuild for `settings` in this process (running or ended), or None."""
    return _JOBS.get(settings)


def busy(settings: Settings) -> str | None:
    """Why official texts may not change now (a rebuild runs here or in another process), or
    None. The message is what the user reads."""
    job = _JOBS.get(settings)
    if job is not None and job.running:
        return (
            f"Chỉ mục đang được xây dựng lại sau khi {job.reason}; trợ lý vẫn trả lời bằng "
            "chỉ mục hiện tại. Chưa ghi gì: hãy chờ xây dựng xong rồi làm lại."
        )
    holder = build_lock_holder(settings.index_path) if not settings.chroma_url else None
    if holder is not None:
        return (
            f"Chỉ mục đang được xây dựng lại bởi một tiến trình khác ({holder}). Chưa ghi gì: "
            "hãy chờ xây dựng xong rồi làm lại."
        )
    return None


def start(settings: Settings, reason: str) -> RebuildJob:
    """Start rebuilding the index for the documents as they are now, in a thread.

    Raises:
        RebuildBusy: a rebuild for these settings is already running.
    """
    with _LOCK:
        job = _JOBS.get(settings)
        if job is not None and job.running:
            raise RebuildBusy(busy(settings) or "")
        job = RebuildJob(settings, reason)
        job.thread = threading.Thread(target=_run, args=(job,), name="quydinh-rebuild", daemon=True)
        _JOBS[settings] = job
        job.thread.start()
    return job


def _run(job: RebuildJob) -> None:
    # Imported here: loading the assistant pulls in the engines, which this module's
    # importers (the upload page) need only when a rebuild really starts.
    from assistant.answering import Assistant
    from assistant.retrieval import Retriever

    try:
        retriever = Retriever.load(job.settings, progress=job.progress, tidy=True)
        runtime.replace(job.settings, Assistant(retriever))
        job.report = retriever.build_report
    except (KnowledgeError, IndexNotReady, BackendUnavailable) as exc:
        job.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a thread must report, not die silently
        job.error = f"{type(exc).__name__}: {exc}"
    finally:
        job.finished = True
