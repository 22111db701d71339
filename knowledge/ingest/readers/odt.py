"""OpenDocument text (.odt, LibreOffice's own format), read from its content.xml.

An .odt is a ZIP archive; its body is `office:text` with paragraphs (`text:p`), headings
(`text:h`), lists and tables. No library is needed: the standard library's ZIP and XML parsers
are enough, and the walk mirrors the DOCX reader (paragraphs in order, tables cell by cell).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import (
    SUPPORTED_HINT,
    ZIP_MAGIC,
    ReadContext,
    SourceText,
    clean_lines,
    corrupt,
    wrong_content,
)

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
# A content.xml over this many bytes is not one document: refused before it is inflated.
MAX_CONTENT_BYTES = 100 * 1024 * 1024


def _read_odt(path: Path, data: bytes, context: ReadContext) -> SourceText:
    if not data.startswith(ZIP_MAGIC):
        raise wrong_content(path, data, "tài liệu OpenDocument .odt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            if mimetype != ODT_MIMETYPE or "content.xml" not in names:
                raise IngestError(
                    IngestFailure.WRONG_CONTENT,
                    f"Tệp {path.name} là tệp nén nhưng không phải tài liệu OpenDocument .odt. "
                    f"Cách sửa: {SUPPORTED_HINT}.",
                )
            if _encrypted(archive, names):
                raise IngestError(
                    IngestFailure.ENCRYPTED_DOCUMENT,
                    f"Tệp {path.name} được đặt mật khẩu nên không đọc được chữ. Cách sửa: mở "
                    "tệp bằng LibreOffice với mật khẩu, lưu lại không mật khẩu, rồi nạp lại.",
                )
            if archive.getinfo("content.xml").file_size > MAX_CONTENT_BYTES:
                raise IngestError(
                    IngestFailure.TOO_LARGE,
                    f"Nội dung tệp {path.name} giải nén ra hơn {MAX_CONTENT_BYTES // 2**20} MB, "
                    f"quá lớn cho một văn bản ({context.limits.summary()}). Cách sửa: kiểm tra "
                    "có đúng tệp văn bản không.",
                )
            content = archive.read("content.xml")
        root = ElementTree.fromstring(content)
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError) as exc:
        raise corrupt(path, "OpenDocument (.odt)", exc) from None
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        raise corrupt(path, "OpenDocument (.odt)", ValueError("office:text"))
    raw: list[str] = []
    auto_numbered = _walk(body, raw)
    warnings = []
    if auto_numbered:
        warnings.append(
            f"{auto_numbered} đoạn trong tệp .odt nằm trong danh sách đánh số tự động; số thứ tự "
            "của các đoạn này không nằm trong lời văn nên có thể bị thiếu. Nếu báo cáo có chỗ "
            "cách quãng, hãy lưu văn bản thành PDF rồi nạp tệp PDF."
        )
    return SourceText(path, "odt", clean_lines(raw), wrapped=False, warnings=tuple(warnings))


def _encrypted(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """A password-protected .odt lists encryption data for its parts in the manifest."""
    if "META-INF/manifest.xml" not in names:
        return False
    manifest = ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
    return manifest.find(f".//{{{MANIFEST}}}encryption-data") is not None


def _walk(element: ElementTree.Element, out: list[str], in_list: bool = False) -> int:
    """Append the lines of paragraphs and headings in order; return how many sat in lists."""
    numbered = 0
    for child in element:
        if child.tag in (f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
            out.extend(_paragraph_text(child).splitlines() or [""])
            numbered += in_list
        elif child.tag == f"{{{TEXT}}}list":
            numbered += _walk(child, out, in_list=True)
        elif child.tag in (f"{{{TEXT}}}list-item", f"{{{TEXT}}}section"):
            numbered += _walk(child, out, in_list)
        elif child.tag == f"{{{TABLE}}}table":
            for cell in child.iter(f"{{{TABLE}}}table-cell"):
                numbered += _walk(cell, out, in_list)
    return numbered


def _paragraph_text(element: ElementTree.Element) -> str:
    """Text of a paragraph: spans inline, <text:s/> spaces, tabs as spaces, line breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{{{TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif child.tag == f"{{{TEXT}}}tab":
            parts.append(" ")
        elif child.tag == f"{{{TEXT}}}line-break":
            parts.append("\n")
        elif child.tag in (f"{{{TEXT}}}note", f"{{{OFFICE}}}annotation"):
            pass  # footnotes and comments are not the provision's text
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


READER = Reader("odt", "OpenDocument (ODT)", (".odt",), (), _read_odt)
