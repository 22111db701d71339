"""Writing an export: whole or not at all (a temporary file in the same folder, renamed)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant import prompts


class ExportError(Exception):
    """An export cannot be made or written; the message says why and what to do."""


class EmptyExport(ExportError):
    """There is nothing to export (an empty conversation): no file is written."""

    def __init__(self) -> None:
        super().__init__(prompts.EXPORT_EMPTY)


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed to `path` when the block succeeds,
    removed when it fails, so a failed export leaves no partial file.

    Raises:
        ExportError: the folder is missing or not writable, or `path` is a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(prompts.EXPORT_UNWRITABLE.format(path=path, reason="là một thư mục"))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ExportError(prompts.EXPORT_UNWRITABLE.format(path=path, reason=reason)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise ExportError(prompts.EXPORT_UNWRITABLE.format(path=path, reason=reason)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
