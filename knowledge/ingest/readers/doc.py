"""Word 97–2003 (.doc) through antiword (Debian package `antiword`).

antiword was chosen over LibreOffice headless: it installs in seconds instead of half a minute
and 200 MB, reads Vietnamese (UTF-16 text in the file) correctly, and starts instantly. Its
text output prints a table row by row with `|` between cells; the letterhead and the signature
of a party document sit in such tables, so a table is read back column by column, like the
DOCX reader reads cell by cell.

The header of the WordDocument stream (the FIB) says whether the file is encrypted; it is
checked here first, so that a password-protected file gets its own message.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from pathlib import Path

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import (
    OLE_MAGIC,
    SUPPORTED_HINT,
    ReadContext,
    SourceText,
    clean_lines,
    corrupt,
    wrong_content,
)

INSTALL_HINT = "cài antiword: make ingest-tools (hoặc apt-get install antiword)"
WORD_IDENT = 0xA5EC  # wIdent, the first field of the FIB of a Word 97+ document
F_ENCRYPTED = 0x0100  # FIB flags at offset 10: the document is encrypted (password to open)
TIMEOUT_S = 60


def check_word_document(path: Path, data: bytes) -> None:
    """A Word document in an OLE container, not encrypted.

    Raises:
        IngestError: not an OLE file, an OLE file that is not a Word document (an Excel sheet
            named .doc), a damaged file, or a password-protected document.
    """
    import olefile

    if not data.startswith(OLE_MAGIC):
        raise wrong_content(path, data, "tệp Word cũ (.doc)")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("WordDocument"):
                raise IngestError(
                    IngestFailure.WRONG_CONTENT,
                    f"Tệp {path.name} là tệp Office cũ nhưng không phải tài liệu Word (có thể là "
                    f"bảng tính hoặc trình chiếu). Cách sửa: {SUPPORTED_HINT}.",
                )
            fib = ole.openstream("WordDocument").read(12)
    except IngestError:
        raise
    except Exception as exc:  # olefile raises OSError and its own errors on damage
        raise corrupt(path, "Word (.doc)", exc) from None
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != WORD_IDENT:
        raise corrupt(path, "Word (.doc)", ValueError("FIB"))
    if struct.unpack_from("<H", fib, 10)[0] & F_ENCRYPTED:
        raise IngestError(
            IngestFailure.ENCRYPTED_DOCUMENT,
            f"Tệp Word {path.name} được đặt mật khẩu mở tệp nên không đọc được chữ. Cách sửa: "
            "mở tệp bằng Word hoặc LibreOffice với mật khẩu, bỏ mật khẩu (Lưu thành… → Công cụ "
            "→ Tùy chọn chung) và lưu lại, rồi nạp lại.",
        )


def _read_doc(path: Path, data: bytes, context: ReadContext) -> SourceText:
    check_word_document(path, data)
    if shutil.which("antiword") is None:
        raise IngestError(
            IngestFailure.MISSING_TOOL,
            f"Tệp {path.name} là tệp Word cũ (.doc), cần chương trình antiword để đọc nhưng máy "
            f"này chưa cài. Cách sửa: {INSTALL_HINT}, hoặc lưu tệp thành .docx rồi nạp lại.",
        )
    # -w 0: a paragraph on one line; -m UTF-8.txt: Vietnamese letters as UTF-8.
    result = subprocess.run(
        ["antiword", "-w", "0", "-m", "UTF-8.txt", str(path)],
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[:200]
        raise corrupt(path, "Word (.doc)", RuntimeError(f"antiword: {detail}"))
    text = result.stdout.decode("utf-8", "replace")
    lines = clean_lines(untable(text.splitlines()))
    return SourceText(path, "doc", lines, wrapped=False)


def untable(lines: list[str]) -> list[str]:
    """Rows of a table ("|cell |cell |") read back column by column, other lines as they are."""
    out: list[str] = []
    columns: list[list[str]] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            columns += [[] for _ in range(len(cells) - len(columns))]
            for column, cell in zip(columns, cells, strict=False):
                if cell:
                    column.append(cell)
            continue
        for column in columns:
            out += column
        columns = []
        out.append(line)
    return out[:-1]


READER = Reader("doc", "Word 97–2003 (DOC)", (".doc",), (OLE_MAGIC,), _read_doc)
