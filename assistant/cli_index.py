"""`quydinh index --verify`: every integrity check of the index, reported, nothing repaired.

Registered through `assistant/cli.py` (`cmd_index`); exit 0 when the index is intact, 1 when
it is damaged or missing.
"""

from __future__ import annotations

from assistant.settings import Settings
from knowledge.index import verify


def cmd_verify(settings: Settings) -> int:
    url = settings.chroma_url
    where = url or str(settings.index_path)
    found = verify(url=url) if url else verify(path=settings.index_path)
    if found.damage:
        print(f"Chỉ mục ở {where} bị hỏng:")
        for problem in found.damage:
            print(f"- {problem}")
        print(
            "Cách sửa: chạy 'quydinh index' (thư mục hỏng được chuyển sang bên cạnh, không bị "
            "xóa, rồi chỉ mục được xây dựng lại) hoặc 'quydinh index --rebuild'."
        )
        return 1
    if found.count is None:
        print(f"Chưa có chỉ mục ở {where}. Cách sửa: chạy 'quydinh index'.")
        return 1
    checks = "số bản ghi, mã nội dung, vector và truy vấn mẫu đều khớp"
    if not url:
        checks += "; SQLite integrity_check: ok"
        if not found.unchecked:
            checks += "; tệp vector khớp bảng mã"
    print(f"Chỉ mục ở {where} toàn vẹn: {found.count} bản ghi; {checks}.")
    for note in found.unchecked:
        print(f"Chưa kiểm tra được: {note}")
    return 0
