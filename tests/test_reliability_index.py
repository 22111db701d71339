"""The reliability battery's index cases, each as a user meets it: kill -9 during a rebuild,
twenty concurrent cold starts, asking during a rebuild, two rebuilds at once, a damaged file
in the index folder or the keyword cache, and the same over a Chroma server.

Builds run in their own processes (`quydinh index`), so they can be killed; answers come from
`quydinh ask --json` or one small script, in fresh processes, and are compared with the
answers of the intact index. Servers bind 127.0.0.1 and are stopped by their own PID.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from servers import free_port

from assistant.answering import Assistant

ROOT = Path(__file__).resolve().parents[1]
QUYDINH = Path(sys.executable).with_name("quydinh")
CHROMA = Path(sys.executable).with_name("chroma")
FIXTURES = Path(__file__).resolve().parent / "data"
SHIPPED = ROOT / "knowledge" / "documents"
PROGRESS = re.compile(rb"(\d+)/(\d+)")

PACK_QUESTIONS = [
    "Ai quyết định xếp loại chất lượng chi bộ?",
    "Những đảng viên nào không phải kiểm điểm cuối năm?",
    "Hồ sơ kiểm điểm phải gửi về Ban Tổ chức Trung ương trước ngày nào?",
]
SYNTHETIC_QUESTIONS = [
    "Chi bộ mẫu gồm những chi bộ nào?",
    "Biên bản sinh hoạt gửi cấp ủy cấp trên trong bao lâu?",
]

pytestmark = pytest.mark.slow

# One process answers several questions the way `quydinh ask` does, and prints what a user
# would compare: the text, the citations, the ranked hits with their scores, the notices.
ANSWERS = """
import json, sys
from assistant.cli import load_retriever
from assistant.answering import Assistant
from assistant.settings import Settings
assistant = Assistant(load_retriever(Settings()))
out = []
for q in json.loads(sys.argv[1]):
    a = assistant.answer(q)
    out.append({"text": a.text, "cited": [c.id for c in a.citations],
                "hits": [[h.id, h.score] for h in a.hits]})
print(json.dumps(out, ensure_ascii=False))
"""

# Twenty threads call `assistant.answer` at once in a process that has loaded nothing yet.
COLD_STARTS = """
import json, sys, threading
import assistant
from assistant.settings import Settings
questions = json.loads(sys.argv[1])
settings = Settings()
barrier = threading.Barrier(20)
results, errors = [None] * 20, []
def run(i):
    barrier.wait()
    try:
        a = assistant.answer(questions[i % len(questions)], settings=settings)
        results[i] = {"text": a.text, "cited": [c.id for c in a.citations]}
    except BaseException as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
threads = [threading.Thread(target=run, args=(i,)) for i in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"results": results, "errors": errors}, ensure_ascii=False))
"""


# --- helpers ----------------------------------------------------------------------------------


def _env(data: Path, docs: Path | None = None, **extra: str) -> dict:
    env = os.environ | {"QUYDINH_DATA_DIR": str(data)} | extra
    if docs is not None:
        env["QUYDINH_DOCUMENTS_DIR"] = str(docs)
    return env


def _answers(env: dict, questions: list[str]) -> tuple[list[dict], str]:
    done = subprocess.run(
        [sys.executable, "-c", ANSWERS, json.dumps(questions)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def _quydinh(env: dict, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(QUYDINH), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


class Build:
    """`quydinh index …` in the background, its progress read from its stderr as it comes."""

    def __init__(self, env: dict, *args: str):
        self.proc = subprocess.Popen(
            [str(QUYDINH), "index", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.err = b""
        self.out = b""
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stderr, "err"), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stdout, "out"), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream, name: str) -> None:
        while chunk := stream.read1(4096):
            with self._changed:
                setattr(self, name, getattr(self, name) + chunk)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def records(self) -> int:
        """The highest record count the progress bar has shown (-1 before it appears)."""
        counts = [int(m.group(1)) for m in PROGRESS.finditer(self.err)]
        return max(counts, default=-1)

    def wait_for(self, predicate, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                if self.proc.poll() is not None and not any(r.is_alive() for r in self._readers):
                    break
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; stderr: {self.err[-2000:]!r}"
                self._changed.wait(min(left, 1.0))

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)

    def finish(self, timeout: float = 900) -> int:
        code = self.proc.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=30)
        return code

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")


def _copy_data(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("index", "cache"):
        if (source / name).exists():
            shutil.copytree(source / name, target / name)
    return target


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack_reference(pack_retriever) -> list[dict]:
    """Answers of the intact shipped-pack index."""
    assistant = Assistant(pack_retriever)
    out = []
    for q in PACK_QUESTIONS:
        a = assistant.answer(q)
        out.append(
            {
                "text": a.text,
                "cited": [c.id for c in a.citations],
                "hits": [[h.id, h.score] for h in a.hits],
            }
        )
    return out


@pytest.fixture
def pack_data(pack_retriever, tmp_path) -> Path:
    """A fresh copy of the shipped-pack index, for a process to damage."""
    return _copy_data(pack_retriever.settings.data_dir, tmp_path / "data")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, Path, list[dict]]:
    """The one-document fixture corpus indexed once: (documents, data, answers)."""
    root = tmp_path_factory.mktemp("synthetic")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "synthetic" / "qd-900-2024.md", docs / "qd-900-2024.md")
    data = root / "data"
    done = _quydinh(_env(data, docs), "index")
    assert done.returncode == 0, done.stderr
    answers, _ = _answers(_env(data, docs), SYNTHETIC_QUESTIONS)
    return docs, data, answers


def _pack_records() -> int:
    """How many records the shipped pack indexes (passages of every provision, notes included)."""
    from knowledge.index import _records
    from knowledge.pack import load_pack

    return len(_records(load_pack()))


def _siblings(data: Path) -> list[str]:
    """Index folders moved aside as damaged."""
    return sorted(p.name for p in data.iterdir() if p.name.startswith("index.hong-"))


# --- concurrent cold starts --------------------------------------------------------------------


def test_twenty_concurrent_cold_starts_all_answer_and_leave_the_index_alone(
    pack_data, pack_reference
):
    done = subprocess.run(
        [sys.executable, "-c", COLD_STARTS, json.dumps(PACK_QUESTIONS)],
        cwd=ROOT,
        env=_env(pack_data),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    for i, got in enumerate(result["results"]):
        expected = pack_reference[i % len(PACK_QUESTIONS)]
        assert got == {"text": expected["text"], "cited": expected["cited"]}
    assert _siblings(pack_data) == []  # the healthy index was not moved aside
    assert "bị hỏng" not in done.stderr


# --- kill -9 during a rebuild ------------------------------------------------------------------


@pytest.mark.parametrize("reached", [0, 32, 96])
def test_kill_9_during_a_rebuild_keeps_the_old_index_answering(pack_data, pack_reference, reached):
    env = _env(pack_data)
    build = Build(env, "--rebuild")
    build.wait_for(lambda b: b.records() >= reached)
    build.kill()
    assert build.proc.returncode == -signal.SIGKILL
    assert "Chỉ mục:" not in build.stdout  # it really died mid-build

    # Right after the crash, questions are answered exactly as before it.
    answers, _ = _answers(env, PACK_QUESTIONS)
    assert answers == pack_reference

    # `quydinh index` sees the incomplete build, and never calls the index up to date over it.
    done = _quydinh(env, "index")
    assert done.returncode == 0, done.stderr
    assert "không có gì phải làm" not in done.stdout
    assert "dở dang" in done.stdout + done.stderr

    verify = _quydinh(env, "index", "--verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{_pack_records()} bản ghi" in verify.stdout and "toàn vẹn" in verify.stdout
    assert _siblings(pack_data) == []


# --- asking during a rebuild, and two rebuilds at once -----------------------------------------


def test_during_a_rebuild_answers_stay_and_a_second_build_waits_or_names_the_holder(
    pack_data, pack_reference
):
    env = _env(pack_data)
    build = Build(env, "--rebuild")
    build.wait_for(lambda b: b.records() >= 0)

    # A second rebuild waits, bounded and saying so, then names the build's holder.
    second = _quydinh(env, "index", "--rebuild", "--wait", "2")
    assert second.returncode == 1
    assert "Đang chờ" in second.stderr
    assert f"pid {build.proc.pid}" in second.stderr and "đang được xây dựng" in second.stderr
    # `quydinh index` waits for the build to finish, then finds nothing left to do.
    waiting = Build(env)

    during = 0
    while build.proc.poll() is None and during < 2:
        answers, _ = _answers(env, PACK_QUESTIONS)
        assert answers == pack_reference
        during += build.proc.poll() is None  # the answers came while it still built
    assert during >= 1
    assert build.finish() == 0, build.stderr
    assert f"Chỉ mục: {_pack_records()} quy định" in build.stdout
    assert waiting.finish() == 0, waiting.stderr
    assert "Đang chờ" in waiting.stderr
    assert "không có gì phải làm" in waiting.stdout
    answers, _ = _answers(env, PACK_QUESTIONS)
    assert answers == pack_reference


# --- a read-only ask writes nothing ------------------------------------------------------------


def _chroma_rows(path: Path) -> dict[str, list]:
    """Every table's rows, except the row Chroma itself adds to `acquire_write` on each start
    (its way of taking SQLite's write lock; no setting turns it off)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: sorted(map(repr, db.execute(f'SELECT * FROM "{name}"').fetchall()))
            for name in names
            if name != "acquire_write" and not name.startswith("embedding_fulltext_search")
        }
    finally:
        db.close()


def _files(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "chroma.sqlite3"
    }


def test_a_read_only_ask_rewrites_no_index_file(pack_data):
    env = _env(pack_data)
    sqlite_file = pack_data / "index" / "chroma.sqlite3"
    rows, files = _chroma_rows(sqlite_file), _files(pack_data)
    for _ in range(2):
        done = _quydinh(env, "ask", "Ai quyết định xếp loại chất lượng chi bộ?")
        assert done.returncode == 0, done.stderr
    assert _files(pack_data) == files  # vector files, manifest and keyword cache untouched
    assert _chroma_rows(sqlite_file) == rows


# --- damaged files -------------------------------------------------------------------------------


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def _segment(index: Path) -> Path:
    """The vector folder of the active collection (the only one with vectors)."""
    folders = [p for p in index.iterdir() if p.is_dir() and (p / "header.bin").exists()]
    assert len(folders) == 1, folders
    return folders[0]


def _logical(path: Path) -> list | None:
    """Every row of every table, as bytes; None when SQLite cannot read them."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.text_factory = bytes
        try:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            names = sorted(r[0].decode() for r in rows)
            return [sorted(db.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names]
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _overwrite_live(path: Path, needle: bytes, replacement: bytes) -> None:
    """Overwrite the first copy of `needle` that SQLite actually reads: a file also holds
    stale copies in free space, and changing those changes nothing."""
    blob, before = path.read_bytes(), _logical(path)
    offset = blob.find(needle)
    while offset >= 0:
        trial = path.with_suffix(".trial")
        trial.write_bytes(blob[:offset] + replacement + blob[offset + len(replacement) :])
        changed = _logical(trial) != before
        trial.unlink()
        if changed:
            _overwrite(path, offset, replacement)
            return
        offset = blob.find(needle, offset + 1)
    raise AssertionError(f"{needle!r} is not in a live row of {path}")


def _damage_provision_id(data: Path) -> None:
    """Change a stored provision id into another well-formed one: valid UTF-8, same length."""
    _overwrite_live(
        data / "index" / "chroma.sqlite3",
        b"qd-900-2024/dieu-2/khoan-2",
        b"qd-900-2024/dieu-2/khoan-9",
    )


def _damage_migration_text(data: Path) -> None:
    """Put bytes that are not UTF-8 into the text of one of Chroma's migrations."""
    needle = b"topic TEXT NOT NULL"  # only in migration 1, never in the live schema
    _overwrite_live(data / "index" / "chroma.sqlite3", needle, b"\xff\xfe" + b"#" * 17)


def _damage_sqlite_page(data: Path) -> None:
    """Overwrite the header of the second B-tree page: a structurally broken database."""
    path = data / "index" / "chroma.sqlite3"
    page = int.from_bytes(path.read_bytes()[16:18], "big") or 65536
    _overwrite(path, page, b"\x00" * 32)


def _damage_hnsw(name: str):
    def damage(data: Path) -> None:
        path = _segment(data / "index") / name
        size = path.stat().st_size
        _overwrite(path, size // 2, b"X" * 32)

    return damage


def _damage_cache(kind: str):
    def damage(data: Path) -> None:
        [cache] = (data / "cache").glob("keyword-*.json")
        text = cache.read_text(encoding="utf-8")
        if kind == "invalid-json":
            cache.write_text(text[: len(text) // 2], encoding="utf-8")
        else:  # the right number of passages, the wrong tokens for each
            payload = json.loads(text)
            payload["corpus"].reverse()
            cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    return damage


DAMAGE = {
    "sqlite-provision-id": (_damage_provision_id, True),
    "sqlite-migration-text": (_damage_migration_text, True),
    "sqlite-page-header": (_damage_sqlite_page, True),
    "hnsw-header": (_damage_hnsw("header.bin"), True),
    "hnsw-vectors": (_damage_hnsw("data_level0.bin"), True),
    "hnsw-lengths": (_damage_hnsw("length.bin"), True),
    "hnsw-metadata": (_damage_hnsw("index_metadata.pickle"), True),
    "keyword-cache-invalid-json": (_damage_cache("invalid-json"), False),
    "keyword-cache-wrong-content": (_damage_cache("wrong-content"), False),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_file_is_detected_and_rebuilt_with_a_notice(synthetic, tmp_path, case):
    docs, source, reference = synthetic
    data = _copy_data(source, tmp_path / "data")
    damage, vector_store = DAMAGE[case]
    damage(data)
    env = _env(data, docs)
    done = subprocess.run(
        [sys.executable, "-c", ANSWERS, json.dumps(SYNTHETIC_QUESTIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == reference
    if vector_store:
        assert "bị hỏng" in done.stderr
        [aside] = _siblings(data)  # moved aside, never deleted
        assert aside.startswith("index.hong-") and (data / aside / "chroma.sqlite3").exists()
    else:
        assert "Bộ nhớ đệm từ khóa" in done.stderr and "tạo lại" in done.stderr
        assert _siblings(data) == []
    # The next start finds everything intact and says nothing about damage.
    again = _quydinh(env, "ask", SYNTHETIC_QUESTIONS[0])
    assert again.returncode == 0 and "bị hỏng" not in again.stderr


def test_an_open_error_that_is_not_damage_is_reported_and_moves_nothing(
    synthetic, tmp_path, monkeypatch
):
    import chromadb

    from knowledge.errors import IndexNotReady
    from knowledge.index import VectorIndex

    _, source, _ = synthetic
    data = _copy_data(source, tmp_path / "data")

    def failing(*args, **kwargs):
        raise RuntimeError("hết bộ nhớ (giả lập)")

    monkeypatch.setattr(chromadb, "PersistentClient", failing)
    with pytest.raises(IndexNotReady) as raised:
        VectorIndex.open(path=data / "index")
    message = str(raised.value)
    assert f"Không mở được chỉ mục ở {data / 'index'}" in message
    assert "hết bộ nhớ (giả lập)" in message and "Cách sửa:" in message
    assert _siblings(data) == [] and (data / "index" / "chroma.sqlite3").exists()


def test_an_index_path_that_is_a_file_is_reported_and_left_alone(synthetic, tmp_path):
    docs, _, _ = synthetic
    data = tmp_path / "data"
    data.mkdir()
    (data / "index").write_text("ghi chú của người dùng", encoding="utf-8")
    done = _quydinh(_env(data, docs), "ask", SYNTHETIC_QUESTIONS[0])
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"Không mở được chỉ mục ở {data / 'index'}" in done.stderr
    assert "là một tệp" in done.stderr
    assert (data / "index").read_text(encoding="utf-8") == "ghi chú của người dùng"
    assert _siblings(data) == []


def test_index_verify_reports_an_intact_index_and_a_damaged_one(synthetic, tmp_path):
    docs, source, _ = synthetic
    data = _copy_data(source, tmp_path / "data")
    env = _env(data, docs)
    done = _quydinh(env, "index", "--verify")
    assert done.returncode == 0, done.stderr
    assert "toàn vẹn" in done.stdout
    _damage_hnsw("data_level0.bin")(data)
    done = _quydinh(env, "index", "--verify")
    assert done.returncode == 1
    assert "data_level0.bin" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert _siblings(data) == []  # --verify only reports


# --- the same over a Chroma server --------------------------------------------------------------


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert proc.poll() is None, "the Chroma server stopped"
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the Chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()


def test_server_rebuild_ask_during_it_a_second_rebuild_and_kill_9(chroma_server, tmp_path):
    # Three of the shipped documents (58 records): two embedding batches, so a kill after the
    # first lands mid-build.
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("qd-125-2023.md", "hd-25-2023.md", "qd-366-2025.md"):
        shutil.copy(SHIPPED / name, docs / name)
    env = _env(tmp_path / "data", docs, QUYDINH_CHROMA_URL=chroma_server)
    first = _quydinh(env, "index")
    assert first.returncode == 0, first.stderr
    answers, _ = _answers(env, PACK_QUESTIONS)
    reference = answers

    build = Build(env, "--rebuild")
    build.wait_for(lambda b: b.records() >= 0)
    refused = _quydinh(env, "index", "--rebuild", "--wait", "0")
    assert refused.returncode == 1
    assert f"pid {build.proc.pid}" in refused.stderr
    answers, _ = _answers(env, PACK_QUESTIONS)
    assert answers == reference
    build.wait_for(lambda b: b.records() >= 32)
    build.kill()
    assert "Chỉ mục:" not in build.stdout  # it died mid-build

    answers, _ = _answers(env, PACK_QUESTIONS)
    assert answers == reference
    done = _quydinh(env, "index")
    assert done.returncode == 0, done.stderr
    assert "dở dang" in done.stdout + done.stderr
    verify = _quydinh(env, "index", "--verify")
    assert verify.returncode == 0 and "toàn vẹn" in verify.stdout, verify.stdout + verify.stderr
    answers, _ = _answers(env, PACK_QUESTIONS)
    assert answers == reference
    assert not (tmp_path / "data" / "index").exists()


def test_twenty_concurrent_starts_with_an_empty_keyword_cache_all_succeed(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from knowledge.keyword import KeywordIndex
    from knowledge.pack import load_pack

    pack = load_pack(None, FIXTURES / "synthetic")
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(20) as pool:
        indexes = list(pool.map(lambda _: KeywordIndex(pack, cache), range(20)))
    expected = [h.id for h in indexes[0].search("chi bộ bệnh viện", 3)]
    assert expected and all(
        [h.id for h in k.search("chi bộ bệnh viện", 3)] == expected for k in indexes
    )
    assert [p.name for p in cache.iterdir() if p.suffix == ".tmp"] == []  # no temporary left
    again = KeywordIndex(pack, cache)  # the cache written concurrently is whole and valid
    assert again.notices == []
