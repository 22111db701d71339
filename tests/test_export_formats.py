"""The exports of a conversation and of one answer: Markdown, Word and PDF rendered from one
`CitedDocument`, on real answers from the real pack and index. What a reader of each file sees:
the question, the lead, the trust line, the validity note, the quotes with their text kind, the
sources as a short list; Vietnamese intact; written whole or not at all."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest
from pypdf import PdfReader

from assistant import prompts
from assistant.cited import CitedDocument, Section, Statement
from assistant.export import (
    EmptyExport,
    ExportError,
    conversation_document,
    export_file,
    markdown_text,
    to_docx,
    to_markdown,
    to_pdf,
)

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 3, 1, 9, 30)


@pytest.fixture(scope="module")
def answers(assistant):
    """A question about a replaced rule, a follow-up, one with two sources, and a refusal."""
    first = assistant.answer("Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.text},
    ]
    second = assistant.answer("Còn đảng viên dự bị thì sao?", history)
    third = assistant.answer("Ai quyết định xếp loại chi bộ?")
    refused = assistant.answer("Giá vàng hôm nay bao nhiêu?")
    return first, second, third, refused


@pytest.fixture(scope="module")
def document(assistant, answers) -> CitedDocument:
    return conversation_document(answers, assistant.pack, now=NOW)


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _docx_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# --- one model ------------------------------------------------------------------------------


def test_the_conversation_is_one_cited_document_numbered_across_answers(answers, document):
    first, second, third, refused = answers
    assert [s.title for s in document.sections] == [
        f"Câu hỏi 1: {first.question}",
        "Câu hỏi 2: Còn đảng viên dự bị thì sao?",
        "Câu hỏi 3: Ai quyết định xếp loại chi bộ?",
        "Câu hỏi 4: Giá vàng hôm nay bao nhiêu?",
    ]
    ids = [s.id for s in document.sources]
    assert len(ids) == len(set(ids))  # each cited provision listed once
    assert set(ids) == {c.id for a in answers for c in a.citations}
    # The third answer's two sources are numbered after the first two answers' one.
    lead = [s for s in document.sections[2].statements if s.kind == "text"]
    assert [s.citations for s in lead] == [[c.id] for c in third.citations]
    numbers = [ids.index(c.id) + 1 for c in third.citations]
    assert [f"[{n}]" in s.text for n, s in zip(numbers, lead, strict=True)] == [True, True]
    assert all(pid in ids for pid in document.cited_ids())
    # A refusal cites nothing; it lists the nearest provisions.
    assert all(not s.citations for s in document.sections[3].statements)


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_has_the_answer_shape_without_escape_artefacts(answers, document):
    text = to_markdown(document)
    first = answers[0]
    assert text.startswith(f"# {prompts.EXPORT_TITLE}\n\nXuất lúc 01/03/2026 09:30")
    assert f"## Câu hỏi 1: {first.question}" in text
    assert "*Câu hỏi được hiểu là: Đảng viên dự bị có phải kiểm điểm không?*" in text
    assert first.lead[0].text.split(" [")[0] in text  # the lead, as written
    assert "*Mức tin cậy: Bản tóm lược, không phải nguyên văn · 1 trích dẫn: Quy định 124" in text
    assert text.count("Hiệu lực: Quy định 124-QĐ/TW đã được thay thế") == 2  # once per answer
    assert "Quy định thay thế:" in text
    assert "(bản tóm lược, không phải nguyên văn)" in text  # each quote's text kind
    # The escapes people complained about are gone; nothing else is escaped that needn't be.
    assert "\\:" not in text and "\\(" not in text and "\\)" not in text
    assert "Nội dung trích dẫn chỉ áp dụng cho: Các kỳ kiểm điểm" in text


def test_markdown_sources_are_a_short_list_named_by_site(document):
    text = to_markdown(document)
    sources = text.split(f"## {prompts.EXPORT_SOURCES}\n\n", 1)[1].strip().splitlines()
    assert len(sources) == len(document.sources)
    first = sources[0]
    assert first.startswith("- [1] Điều 5, khoản 2, điểm 2.1 — Quy định 124-QĐ/TW")
    assert "số hiệu 124-QĐ/TW; ký ngày 04/10/2023; Đã bị thay thế bởi 366-QĐ/TW" in first
    for line in sources:
        # At most three public sources per line, each a link named by its site.
        links = re.findall(r"\[([^\]]+)\]\((https?://[^)]+)\)", line)
        assert len(links) <= 3
        assert all("/" not in name and "." in name for name, _ in links)
        assert len(re.findall(r"https?://", line)) == len(links)  # no bare addresses
    assert any(re.search(r"và \d+ nguồn khác", line) for line in sources)


def test_markdown_escapes_only_live_markup():
    assert markdown_text("áp dụng cho: (30/08/2025)") == "áp dụng cho: (30/08/2025)"
    assert markdown_text("1. Mức *tốt*") == "1\\. Mức \\*tốt\\*"
    assert markdown_text("xem [x](javascript:alert(1))") == "xem [x\\](javascript:alert(1))"
    assert markdown_text("[1]: javascript:alert(1)") == "\\[1\\]: javascript:alert(1)"
    assert markdown_text("xem https://x.vn/a") == "xem `https://x.vn/a`"
    assert markdown_text("a < b, <b>c</b>") == "a < b, \\<b>c\\</b>"
    assert markdown_text("snake_case _nghiêng_") == "snake_case \\_nghiêng\\_"


# --- Word and PDF ---------------------------------------------------------------------------


def test_docx_has_the_questions_the_answers_and_the_sources(answers, document, tmp_path):
    path = to_docx(document, tmp_path / "hoi-dap.docx")
    text = _docx_text(path)
    assert prompts.EXPORT_TITLE in text
    assert f"Câu hỏi 1: {answers[0].question}" in text
    assert answers[2].lead[0].text.split(" [")[0] in text
    assert "Mức tin cậy: Bản tóm lược, không phải nguyên văn" in text
    assert "Hiệu lực: Hướng dẫn 25-HD/BTCTW đã được thay thế bởi Hướng dẫn 43-HD/BTCTW" in text
    assert "[1] Điều 5, khoản 2, điểm 2.1 — Quy định 124-QĐ/TW" in text
    assert prompts.EXPORT_SOURCES in text


def test_pdf_keeps_vietnamese_diacritics_when_its_text_is_extracted(answers, document, tmp_path):
    path = to_pdf(document, tmp_path / "hoi-dap.pdf")
    text = " ".join(_pdf_text(path).split())
    for words in ("Quy định", "kiểm điểm", "đánh giá", "Đảng viên", "xếp loại", "Hướng dẫn"):
        assert words in text, words
    assert f"Câu hỏi 3: {answers[2].question}" in text
    assert "bản tóm lược, không phải nguyên văn" in text
    assert "Trang 1/" in text


def test_a_single_answer_exports_alone(assistant, answers, tmp_path):
    single = conversation_document(
        [answers[2]], assistant.pack, title=prompts.EXPORT_ANSWER_TITLE, now=NOW
    )
    assert [s.title for s in single.sections] == ["Câu hỏi 1: Ai quyết định xếp loại chi bộ?"]
    assert [s.id for s in single.sources] == [c.id for c in answers[2].citations]
    for suffix in (".md", ".docx", ".pdf"):
        path = export_file(single, tmp_path / f"mot{suffix}")
        assert path.stat().st_size > 0


# --- bad input: nothing, or a path that can't be written -------------------------------------


def test_an_empty_conversation_gives_a_message_and_no_file(assistant, tmp_path):
    empty = conversation_document([], assistant.pack)
    with pytest.raises(EmptyExport, match=prompts.EXPORT_EMPTY):
        to_markdown(empty)
    for writer, name in ((to_docx, "a.docx"), (to_pdf, "a.pdf"), (export_file, "a.md")):
        with pytest.raises(EmptyExport):
            writer(empty, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_partial_file(document, tmp_path, monkeypatch):
    target = tmp_path / "hoi-dap.pdf"
    target.write_bytes(b"the previous export")

    def broken(*args, **kwargs):
        raise RuntimeError("hết bộ nhớ giữa chừng")

    monkeypatch.setattr("fpdf.FPDF.output", broken)
    with pytest.raises(RuntimeError):
        to_pdf(document, target)
    assert target.read_bytes() == b"the previous export"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["hoi-dap.pdf"]  # no temporary left


def test_an_unwritable_path_or_an_unknown_format_is_a_message(document, tmp_path):
    with pytest.raises(ExportError, match="Không ghi được tệp .*missing"):
        to_docx(document, tmp_path / "missing" / "a.docx")
    with pytest.raises(ExportError, match="là một thư mục"):
        to_pdf(document, tmp_path)
    with pytest.raises(ExportError, match="dùng đuôi .md, .docx hoặc .pdf"):
        export_file(document, tmp_path / "a.txt")
    assert list(tmp_path.iterdir()) == []


def test_a_long_unbroken_text_and_control_characters_still_export(tmp_path):
    doc = CitedDocument(
        title="Thử",
        sections=[Section(title="Dài", statements=[Statement(text="x" * 5000 + "\x00\x0bđ")])],
    )
    assert "đ" in _pdf_text(to_pdf(doc, tmp_path / "dai.pdf"))
    assert "đ" in _docx_text(to_docx(doc, tmp_path / "dai.docx"))
