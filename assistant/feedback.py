"""Readers' 👍/👎 on answers, with an optional comment, in a local SQLite file.

One row per rated answer: the question, the answer text, the cited provision ids, the rating
(1 = 👍, -1 = 👎), the comment, the time (UTC, ISO 8601) and the settings hash stamped on
the answer, so that a rating can be traced to the configuration that produced it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import Settings
from assistant.types import Answer

FILENAME = "feedback.sqlite3"
UP, DOWN = 1, -1

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    cited_ids TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    settings_hash TEXT NOT NULL
)
"""


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
    """Where the ratings live: `<data_dir>/feedback.sqlite3`."""
    return settings.data_dir / FILENAME


class FeedbackStore:
    """The ratings file; opened per call, so one store can serve every session."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(SCHEMA)
        return connection

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
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT INTO feedback (question, answer, cited_ids, rating, comment, time, "
                "settings_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer.question, answer.text, cited, rating, comment.strip(), stamp,
                 answer.settings_hash),
            )  # fmt: skip
            return int(cursor.lastrowid)

    def update(self, row_id: int, *, rating: int | None = None, comment: str | None = None):
        """Change the rating or the comment of a stored row (the reader changed their mind
        or added a comment after rating)."""
        if rating is not None:
            _check(rating)
        with closing(self._connect()) as db, db:
            if rating is not None:
                db.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, row_id))
            if comment is not None:
                db.execute(
                    "UPDATE feedback SET comment = ? WHERE id = ?", (comment.strip(), row_id)
                )

    def all(self) -> list[Feedback]:
        """Every stored rating, oldest first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id, question, answer, cited_ids, rating, comment, time, settings_hash "
                "FROM feedback ORDER BY id"
            ).fetchall()
        return [
            Feedback(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7])
            for r in rows
        ]


def _check(rating: int) -> None:
    if rating not in (UP, DOWN):
        raise ValueError(f"Đánh giá phải là 1 (👍) hoặc -1 (👎), không phải {rating!r}.")
