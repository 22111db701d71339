"""Word 97 (.doc) and OpenDocument (.odt) give the same provisions as the other formats.

The .doc is committed (tests/data/word97/, made from the same synthetic QĐ 124 by
make_fixtures.py with LibreOffice, which CI does not install); the .odt is written here.
"""

from __future__ import annotations

import html
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from ingest_support import refused
from test_ingest import ARTICLE_HEAD, EXPECTED_124, OfficialDoc, official_dir, qd_124

from knowledge.ingest import IngestError, IngestFailure, ingest_file
from knowledge.parser import parse_file

WORD97 = Path(__file__).parent / "data" / "word97" / "qd-124-2023.doc"
needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None, reason="antiword chưa cài (make ingest-tools)"
)

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def write_odt(doc: OfficialDoc, path: Path, encrypted: bool = False) -> Path:
    """An .odt as LibreOffice writes one: letterhead and signature in two-cell tables, the
    subject with a line break, bold article numbers in a span, one heading element."""

    def p(text: str) -> str:
        if ARTICLE_HEAD.match(text):
            head, _, rest = text.partition(". ")
            return (
                f'<text:p><text:span text:style-name="B">{html.escape(head)}.</text:span>'
                f"<text:s/>{html.escape(rest)}</text:p>"
            )
        return f"<text:p>{html.escape(text)}</text:p>"

    def table(left: list[str], right: list[str]) -> str:
        cells = "".join(
            "<table:table-cell>" + "".join(p(x) for x in column) + "</table:table-cell>"
            for column in (left, right)
        )
        return f"<table:table><table:table-row>{cells}</table:table-row></table:table>"

    subject = "<text:line-break/>".join(html.escape(x) for x in doc.title[1:])
    body = [
        table(doc.header_left, doc.header_right),
        f'<text:h text:outline-level="1">{html.escape(doc.title[0])}</text:h>',
        f"<text:p>{subject}</text:p>",
        p("-----"),
        *(p(x) for x in doc.preamble + doc.body),
        table(doc.closing_left, doc.closing_right),
    ]
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}>'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body>"
        "</office:document-content>"
    )
    encryption = '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>' if encrypted else ""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
        f'manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
        "</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def password_protected(path: Path) -> Path:
    """The committed .doc with the FIB's fEncrypted flag set, as Word sets it for a file
    with a password to open (the text itself is left as it is: the flag must be enough)."""
    import olefile

    shutil.copy(WORD97, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        fib = bytearray(ole.openstream("WordDocument").read())
        flags = struct.unpack_from("<H", fib, 10)[0]
        struct.pack_into("<H", fib, 10, flags | 0x0100)
        ole.write_stream("WordDocument", bytes(fib))
    return path


def provisions(path: Path) -> list[tuple[str, str, str]]:
    tree = parse_file(path)
    return [(p.id, p.label, p.text) for p in tree.provisions[1:]]


@needs_antiword
def test_word_97_gives_the_same_provisions_and_ids(tmp_path):
    source = tmp_path / "Quy dinh 124.doc"
    shutil.copy(WORD97, source)

    report = ingest_file(source, official_dir=official_dir())

    # If this fails after qd_124() changed, remake the fixture: tests/data/word97/make_fixtures.py
    assert provisions(report.path) == EXPECTED_124
    assert (report.doc_id, report.source_format, report.units) == ("qd-124-2023", "doc", 13)
    assert report.signer == "Nguyễn Văn Thử"
    assert report.signer_capacity == ("T/M BỘ CHÍNH TRỊ",)
    assert report.pages == () and not report.ocr


def test_odt_gives_the_same_provisions_and_ids(tmp_path):
    report = ingest_file(write_odt(qd_124(), tmp_path / "qd124.odt"), official_dir=official_dir())

    assert provisions(report.path) == EXPECTED_124
    assert report.source_format == "odt" and report.warnings == ()


@needs_antiword
def test_a_password_protected_doc_is_refused(tmp_path, capsys):
    source = password_protected(tmp_path / "mat-khau.doc")

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "được đặt mật khẩu mở tệp nên không đọc được chữ" in err
    with pytest.raises(IngestError) as caught:
        ingest_file(source, official_dir=tmp_path / "x")
    assert caught.value.failure is IngestFailure.ENCRYPTED_DOCUMENT


def test_a_password_protected_odt_is_refused(tmp_path, capsys):
    source = write_odt(qd_124(), tmp_path / "mat-khau.odt", encrypted=True)

    err = refused(["ingest", str(source)], tmp_path, capsys)

    assert "được đặt mật khẩu" in err


def test_a_zip_named_odt_and_a_spreadsheet_named_doc_say_what_they_are(tmp_path):
    with zipfile.ZipFile(tmp_path / "nen.odt", "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(IngestError, match="không phải tài liệu OpenDocument .odt"):
        ingest_file(tmp_path / "nen.odt", official_dir=official_dir())

    data = bytearray(WORD97.read_bytes())
    # Rename the WordDocument stream in the OLE directory: an Office file that is not Word.
    at = data.find("WordDocument".encode("utf-16-le"))
    data[at : at + 24] = "Workbook\0\0\0\0".encode("utf-16-le")
    (tmp_path / "bang.doc").write_bytes(bytes(data))
    with pytest.raises(IngestError, match="không phải tài liệu Word"):
        ingest_file(tmp_path / "bang.doc", official_dir=official_dir())
    assert not official_dir().exists()


def test_without_antiword_a_doc_says_what_to_install(tmp_path, monkeypatch):
    import knowledge.ingest.readers.doc as doc_reader

    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    source = tmp_path / "qd124.doc"
    shutil.copy(WORD97, source)

    with pytest.raises(IngestError) as caught:
        ingest_file(source, official_dir=official_dir())

    assert caught.value.failure is IngestFailure.MISSING_TOOL
    assert "antiword" in str(caught.value) and "make ingest-tools" in str(caught.value)
