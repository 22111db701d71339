"""One loaded assistant per settings per process, built under a lock.

Loading opens the index and the models and may build the index; twenty threads asking their
first question at once must share one load, not race twenty (an unlocked cache let them all
open the same Chroma folder at once, and most of them failed). Double-checked locking: a
loaded assistant is returned without taking the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assistant.answering import Assistant
from assistant.retrieval import Retriever
from assistant.settings import Settings

_LOCK = threading.Lock()
_LOADED: dict[Settings, Assistant] = {}


def loaded(settings: Settings) -> Assistant | None:
    """The assistant for `settings` if this process has loaded it, else None."""
    return _LOADED.get(settings)


def get_assistant(
    settings: Settings, *, progress: Callable[[int, int], None] | None = None
) -> Assistant:
    """The process's assistant for `settings`, loaded on first use (building the index when
    needed, with `progress`); concurrent first calls wait for the one load."""
    assistant = _LOADED.get(settings)
    if assistant is not None:
        return assistant
    with _LOCK:
        assistant = _LOADED.get(settings)
        if assistant is None:
            assistant = Assistant(Retriever.load(settings, progress=progress))
            _LOADED[settings] = assistant
    return assistant


def replace(settings: Settings, assistant: Assistant) -> None:
    """Put a newly loaded assistant (after a background rebuild, assistant.rebuild) in place
    of the one in use for `settings`: questions asked from now on use it."""
    with _LOCK:
        _LOADED[settings] = assistant
