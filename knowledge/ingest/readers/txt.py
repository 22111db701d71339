"""Plain text: UTF-8 (with or without BOM) or UTF-16 with a BOM."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import ZIP_MAGIC, ReadContext, SourceText, clean_lines, wrong_content


def _read_txt(path: Path, data: bytes, context: ReadContext) -> SourceText:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:4096] or data.lstrip()[:5] == b"%PDF-" or data.startswith(ZIP_MAGIC):
            raise wrong_content(path, data, "văn bản thuần")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise IngestError(
                IngestFailure.ENCODING,
                f"Tệp {path.name} không phải UTF-8 (dòng {line} có byte không giải mã được). "
                "Cách sửa: lưu lại tệp với mã hóa UTF-8 (ví dụ: iconv -f cp1258 -t utf-8).",
            ) from None
    return SourceText(path, "txt", clean_lines(text.splitlines()), wrapped=False)


READER = Reader("txt", "TXT", (".txt",), (), _read_txt)
