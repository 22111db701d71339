"""The workspace writers: Markdown shows text as text, DOCX opens with python-docx, PDF text
keeps its Vietnamese diacritics, and a failed write leaves nothing behind."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from assistant.cited import CitedDocument, Section, Source, Statement
from assistant.workspaces import build_brief, build_lesson, context
from assistant.workspaces import output as out
from knowledge.pack import load_pack


@pytest.fixture(scope="module")
def ctx():
    return context(load_pack())


@pytest.fixture(scope="module")
def brief(ctx):
    return build_brief(ctx, ["qd-366-2025"])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_markdown_keeps_live_markup_as_text():
    doc = CitedDocument(
        title="Bản tin *thử*",
        sections=[
            Section(
                title="Mục [1]",
                statements=[
                    Statement(
                        text="<script>alert(1)</script> [bấm](http://x.vn) **đậm**", citations=["a"]
                    ),
                    Statement(text="- không phải danh sách", kind="item", citations=["a"]),
                ],
            )
        ],
        sources=[Source(id="a", label="Điều 1 — Quy định 124-QĐ/TW")],
    )
    text = out.to_markdown(doc)
    assert "# Bản tin \\*thử\\*" in text
    assert "\\<script\\>alert(1)\\</script\\> \\[bấm\\](http://x.vn) \\*\\*đậm\\*\\* [1]" in text
    assert "- \\- không phải danh sách [1]" in text
    assert "- \\[1\\] Điều 1 — Quy định 124-QĐ/TW (a)" in text


def test_docx_opens_with_python_docx_and_holds_every_statement(brief, tmp_path):
    path = out.write(brief, tmp_path / "ban-tin.docx")
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Bản tin: Quy định 366-QĐ/TW"
    joined = "\n".join(paragraphs)
    for statement in brief.statements():
        assert statement.text in joined
    assert "Nguồn trích dẫn" in paragraphs


def test_pdf_text_keeps_vietnamese_diacritics(ctx, tmp_path):
    _, lesson = build_lesson(ctx, "qd-124-2023", 5, 1)
    path = out.write(lesson, tmp_path / "bai-giang.pdf")
    text = nfc("\n".join(page.extract_text() for page in PdfReader(str(path)).pages))
    assert "Bài giảng: Quy định 124-QĐ/TW" in text
    for words in ("Dàn ý theo chương, điều", "Câu hỏi kiểm tra", "Đáp án", "Hoàn thành xuất sắc"):
        assert words in text
    assert "Đối tượng kiểm điểm" in text


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_a_folder_that_cannot_be_written_leaves_nothing_behind(brief, tmp_path, suffix):
    if os.geteuid() == 0:
        # root writes into a read-only folder; /proc takes no new file, not even from root.
        target = Path("/proc") / f"ban-tin{suffix}"
        with pytest.raises(out.OutputError, match="Không ghi được tệp /proc/ban-tin"):
            out.write(brief, target)
        assert not target.exists()
        return
    locked = tmp_path / "khoa"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(out.OutputError, match="không có quyền ghi"):
            out.write(brief, locked / f"ban-tin{suffix}")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_missing_folder_or_a_wrong_suffix_is_refused_before_any_work(brief, tmp_path):
    with pytest.raises(out.OutputError, match="thư mục không tồn tại"):
        out.write(brief, tmp_path / "khong-co" / "ban-tin.md")
    with pytest.raises(out.UnsupportedOutput, match=r"\.md, \.docx hoặc \.pdf"):
        out.write(brief, tmp_path / "ban-tin.txt")
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_neither_the_file_nor_a_temporary(
    brief, tmp_path, monkeypatch
):
    target = tmp_path / "ban-tin.pdf"
    target.write_bytes(b"ban cu")

    def broken(handle_fd, mode):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(out.os, "fdopen", broken)
    with pytest.raises(out.OutputError, match="No space left on device"):
        out.write(brief, target)
    assert target.read_bytes() == b"ban cu"  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ban-tin.pdf"]
