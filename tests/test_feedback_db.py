"""The feedback store behind a database URL: SQLite by default, a real PostgreSQL for several
app instances (two processes write, one table holds both rows)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.feedback import DOWN, UP, FeedbackStore, feedback_store
from assistant.settings import Settings
from assistant.types import Answer, Citation
from knowledge.errors import BackendUnavailable

ROOT = Path(__file__).resolve().parents[1]
# Quotes, SQL and a backslash in a 10,000-character comment: stored byte for byte. (It ends
# with a period: the store trims surrounding whitespace from comments, by design.)
PATTERN = "'); DROP TABLE feedback; -- \"trích dẫn\" \\ O'Brien; SELECT * FROM feedback; "
COMMENT = (PATTERN * 200)[:9_999] + "."

# One app instance rating one answer, as the chat page does, in its own process.
INSTANCE = """
import sys
from assistant.feedback import UP, feedback_store
from assistant.settings import Settings
from assistant.types import Answer
answer = Answer(question=sys.argv[1], understood=sys.argv[1], text="Trả lời.", settings_hash="x")
print(feedback_store(Settings()).record(answer, UP, sys.argv[2]))
"""


def _answer(question: str = "Ai đánh giá chi bộ?") -> Answer:
    return Answer(
        question=question,
        understood=question,
        text="Theo Điều 12 [1]: cấp ủy cấp trên trực tiếp.",
        citations=[
            Citation(
                marker=1,
                id="qd-124-2023/dieu-12",
                label="Điều 12 — Quy định 124-QĐ/TW",
                quote="…",
                doc_number="124-QĐ/TW",
                doc_status="replaced",
                text_kind="digest",
            )
        ],
        settings_hash="abcd1234",
    )


def test_without_a_url_feedback_goes_to_the_sqlite_file_in_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    store = feedback_store(settings)
    store.record(_answer(), UP)
    with sqlite3.connect(tmp_path / "d" / "feedback.sqlite3") as db:
        assert db.execute("SELECT question, rating FROM feedback").fetchall() == [
            ("Ai đánh giá chi bộ?", 1)
        ]


def test_a_sqlite_url_names_another_file(tmp_path):
    target = tmp_path / "chung" / "phan-hoi.sqlite3"
    store = feedback_store(Settings(data_dir=tmp_path / "d", feedback_url=f"sqlite:///{target}"))
    store.record(_answer(), DOWN, "Thiếu ý.")
    assert [(f.rating, f.comment) for f in FeedbackStore(target).all()] == [(-1, "Thiếu ý.")]
    assert not (tmp_path / "d" / "feedback.sqlite3").exists()


def test_an_unknown_database_url_is_a_settings_error():
    with pytest.raises(ValidationError, match="QUYDINH_FEEDBACK_URL phải có dạng"):
        Settings(feedback_url="mysql://127.0.0.1/feedback")


def test_an_unreachable_postgresql_is_a_clear_error_without_the_password():
    store = FeedbackStore("postgresql://quydinh:bi-mat@127.0.0.1:1/postgres")
    with pytest.raises(BackendUnavailable) as raised:
        store.record(_answer(), UP)
    message = str(raised.value)
    assert "Không kết nối được cơ sở dữ liệu phản hồi" in message
    assert "bi-mat" not in message and "postgresql://quydinh:***@127.0.0.1:1/postgres" in message


@pytest.mark.slow
def test_two_app_instances_write_their_feedback_into_one_postgresql_table(postgres_url, tmp_path):
    env = os.environ | {"QUYDINH_FEEDBACK_URL": postgres_url}
    ids = []
    for n in (1, 2):
        # Each instance has its own data folder: nothing is shared but the database.
        done = subprocess.run(
            [sys.executable, "-c", INSTANCE, f"Câu hỏi của phiên bản {n}", f"góp ý {n}"],
            cwd=ROOT,
            env=env | {"QUYDINH_DATA_DIR": str(tmp_path / f"instance-{n}")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        ids.append(int(done.stdout.strip()))
        assert not (tmp_path / f"instance-{n}" / "feedback.sqlite3").exists()
    rows = {f.id: f for f in FeedbackStore(postgres_url).all()}
    assert [(rows[i].question, rows[i].comment, rows[i].rating) for i in ids] == [
        ("Câu hỏi của phiên bản 1", "góp ý 1", 1),
        ("Câu hỏi của phiên bản 2", "góp ý 2", 1),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_10000_character_comment_with_quotes_and_sql_is_stored_byte_for_byte(
    backend, tmp_path, request
):
    target = tmp_path / "f.sqlite3" if backend == "sqlite" else request.getfixturevalue(
        "postgres_url"
    )  # fmt: skip
    store = FeedbackStore(target)
    answer = _answer("Câu hỏi có 'dấu nháy' và \"ngoặc kép\"; DROP TABLE feedback; --")
    row_id = store.record(answer, UP)
    store.update(row_id, comment=COMMENT, rating=DOWN)
    [row] = [f for f in store.all() if f.id == row_id]
    assert row.comment.encode("utf-8") == COMMENT.encode("utf-8")
    assert row.question == answer.question
    assert (row.rating, row.cited_ids) == (-1, ("qd-124-2023/dieu-12",))
    assert json.loads(json.dumps(row.cited_ids)) == ["qd-124-2023/dieu-12"]
    assert len(store.all()) >= 1  # the table is still there
