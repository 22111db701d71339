"""Readers' 👍/👎 on answers, with an optional comment, in a database named by a URL.

One row per rated answer: the question, the answer text, the cited provision ids, the rating
(1 = 👍, -1 = 👎), the comment, the time (UTC, ISO 8601) and the settings hash stamped on
the answer, so that a rating can be traced to the configuration that produced it.

Where: `QUYDINH_FEEDBACK_URL`. Empty means the SQLite file `<data_dir>/feedback.sqlite3`
(`sqlite:///<path>` names another file); `postgresql://…` is for several app instances that
share one store (psycopg 3). Values are always passed as parameters, never spliced into SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from assistant.settings import Settings
from assistant.types import Answer
from knowledge.errors import BackendUnavailable

FILENAME = "feedback.sqlite3"
UP, DOWN = 1, -1

COLUMNS = """
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    cited_ids TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    settings_hash TEXT NOT NULL
"""
SCHEMA = f"CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, {COLUMNS})"


@dataclass(frozen=True)
class Feedback:
    """One stored rating."""

    id: int
    question: str
    answer: str
    cited_ids: tuple[str, ...]
    rating: int
    comment: str
    time: str
    settings_hash: str


def feedback_path(settings: Settings) -> Path:
    """The default SQLite file for ratings: `<data_dir>/feedback.sqlite3`."""
    return settings.data_dir / FILENAME


def feedback_store(settings: Settings) -> FeedbackStore:
    """The store the settings name: QUYDINH_FEEDBACK_URL, or the default SQLite file."""
    return FeedbackStore(settings.feedback_url or feedback_path(settings))


def redacted(url: str) -> str:
    """A database URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class FeedbackStore:
    """The ratings database; connected per call, so one store can serve every session (and,
    with PostgreSQL, every app instance).

    Args:
        target: a SQLite file path, or a URL: `sqlite:///<path>` or `postgresql://…`.
    """

    def __init__(self, target: Path | str):
        text = str(target)
        self.url = text if "://" in text else None
        if text.startswith(("postgresql://", "postgres://")):
            self._backend = _Postgres(text)
            self.path = None
        else:
            self.path = Path(text.removeprefix("sqlite:///")) if self.url else Path(target)
            self._backend = _Sqlite(self.path)

    def _connect(self):
        return self._backend.connect()

    def record(
        self, answer: Answer, rating: int, comment: str = "", *, now: dt.datetime | None = None
    ) -> int:
        """Store a rating of an answer.

        Args:
            answer: the rated answer.
            rating: 1 (👍) or -1 (👎).
            comment: the reader's optional comment.
            now: the time to record (default: the current UTC time).

        Returns:
            The new row's id, for `update`.

        Raises:
            ValueError: for a rating other than 1 or -1.
        """
        _check(rating)
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        cited = json.dumps([c.id for c in answer.citations], ensure_ascii=False)
        return self._backend.insert(
            "INSERT INTO feedback (question, answer, cited_ids, rating, comment, time, "
            "settings_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (answer.question, answer.text, cited, rating, comment.strip(), stamp,
             answer.settings_hash),
        )  # fmt: skip

    def update(self, row_id: int, *, rating: int | None = None, comment: str | None = None):
        """Change the rating or the comment of a stored row (the reader changed their mind
        or added a comment after rating)."""
        if rating is not None:
            _check(rating)
        if rating is not None:
            self._backend.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, row_id))
        if comment is not None:
            self._backend.execute(
                "UPDATE feedback SET comment = ? WHERE id = ?", (comment.strip(), row_id)
            )

    def all(self) -> list[Feedback]:
        """Every stored rating, oldest first."""
        if self.path is not None and not self.path.exists():
            return []
        rows = self._backend.fetch(
            "SELECT id, question, answer, cited_ids, rating, comment, time, settings_hash "
            "FROM feedback ORDER BY id"
        )
        return [
            Feedback(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7])
            for r in rows
        ]


def _check(rating: int) -> None:
    if rating not in (UP, DOWN):
        raise ValueError(f"Đánh giá phải là 1 (👍) hoặc -1 (👎), không phải {rating!r}.")


class _Sqlite:
    """A local SQLite file (the default)."""

    def __init__(self, path: Path):
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(SCHEMA)
        return connection

    def insert(self, sql: str, params: tuple) -> int:
        with closing(self.connect()) as db, db:
            return int(db.execute(sql, params).lastrowid)

    def execute(self, sql: str, params: tuple) -> None:
        with closing(self.connect()) as db, db:
            db.execute(sql, params)

    def fetch(self, sql: str) -> list[tuple]:
        with closing(self.connect()) as db:
            return db.execute(sql).fetchall()


class _Postgres:
    """A PostgreSQL database shared by several app instances."""

    _ready: set[str] = set()  # URLs whose table this process has made sure of
    _lock = threading.Lock()

    def __init__(self, url: str):
        self.url = url

    def connect(self):
        try:
            import psycopg
        except ImportError:
            raise BackendUnavailable(
                "Chưa cài psycopg để lưu phản hồi vào PostgreSQL. Cách sửa: "
                "'.venv/bin/pip install \"psycopg[binary]\"' hoặc 'make install'."
            ) from None
        try:
            connection = psycopg.connect(self.url, connect_timeout=10)
        except psycopg.Error as exc:
            raise BackendUnavailable(
                f"Không kết nối được cơ sở dữ liệu phản hồi {redacted(self.url)} "
                f"({type(exc).__name__}). Cách sửa: kiểm tra QUYDINH_FEEDBACK_URL và máy chủ "
                "PostgreSQL."
            ) from None
        with self._lock:
            if self.url not in self._ready:
                with connection.transaction():
                    # Two instances starting at once must not both create the table.
                    connection.execute("SELECT pg_advisory_xact_lock(7240124)")
                    connection.execute(
                        "CREATE TABLE IF NOT EXISTS feedback (id BIGINT GENERATED ALWAYS AS "
                        f"IDENTITY PRIMARY KEY, {COLUMNS})"
                    )
                self._ready.add(self.url)
        return connection

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def insert(self, sql: str, params: tuple) -> int:
        with self.connect() as db:
            return int(db.execute(self._sql(sql) + " RETURNING id", params).fetchone()[0])

    def execute(self, sql: str, params: tuple) -> None:
        with self.connect() as db:
            db.execute(self._sql(sql), params)

    def fetch(self, sql: str) -> list[tuple]:
        with self.connect() as db:
            return db.execute(sql).fetchall()
