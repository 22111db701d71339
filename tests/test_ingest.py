"""`quydinh ingest`: official texts in four formats become canonical provisions.

Every fixture is a synthetic document written by the test itself, in the official layout of a
party document (letterhead, number, date, title, preamble, chapters, articles, khoản, điểm,
tiết, "Nơi nhận" and signature), so that ids can be checked against the shipped digests.
"""

from __future__ import annotations

import argparse
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import assistant.cli as cli_module
from assistant.cli_ingest import add_ingest_parser
from assistant.settings import Settings
from knowledge.ingest import (
    IngestError,
    IngestFailure,
    NumberingGap,
    format_report,
    ingest_file,
    read_source,
    unwrap,
)
from knowledge.pack import SHIPPED_DOCUMENTS, load_pack
from knowledge.parser import parse_file
from knowledge.types import Coverage

# --- fixtures: a synthetic document in the official layout --------------------------------


@dataclass
class OfficialDoc:
    """The parts of an official text, laid out in columns where the original has columns."""

    header_left: list[str]
    header_right: list[str]
    title: list[str]  # "QUY ĐỊNH" and the subject line(s)
    preamble: list[str]
    body: list[str]
    closing_left: list[str] = field(default_factory=list)  # "Nơi nhận:" …
    closing_right: list[str] = field(default_factory=list)  # "T/M …", name

    def lines(self) -> list[str]:
        return [
            *self.header_left,
            *self.header_right,
            *self.title,
            "-----",
            *self.preamble,
            *self.body,
            *self.closing_left,
            *self.closing_right,
        ]


TIET_A = (
    "a) Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, "
    'lối sống, "tự diễn biến", "tự chuyển hóa" trong năm đánh giá;'
)
TIET_D = (
    "d) Bị xử lý kỷ luật trong năm đánh giá, trừ trường hợp tự phát hiện và đã khắc phục xong "
    "hậu quả."
)


def qd_124() -> OfficialDoc:
    return OfficialDoc(
        header_left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 124-QĐ/TW"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 04 tháng 10 năm 2023"],
        title=[
            "QUY ĐỊNH",
            "về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm",
            "đối với tập thể, cá nhân trong hệ thống chính trị",
        ],
        preamble=[
            "- Căn cứ Điều lệ Đảng;",
            "- Căn cứ Quy chế làm việc của Ban Chấp hành Trung ương, Bộ Chính trị và Ban Bí thư "
            "khóa XIII;",
            "Bộ Chính trị quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm như sau:",
        ],
        body=[
            "Chương I",
            "QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
            "Quy định này quy định việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối "
            "với tập thể, cá nhân trong hệ thống chính trị từ Trung ương đến cơ sở.",
            "Điều 2. Mục đích",
            "Thấy rõ ưu điểm để phát huy, hạn chế để khắc phục.",
            "Điều 3. Quan điểm, nguyên tắc",
            "1. Bảo đảm sự lãnh đạo của Đảng.",
            "2. Coi trọng phẩm chất chính trị, đạo đức, lối sống:",
            "- gắn trách nhiệm cá nhân với tập thể;",
            "- gắn kết quả của người đứng đầu với kết quả của cơ quan, đơn vị mà người đó phụ "
            "trách, lãnh đạo và quản lý trực tiếp.",
            "Điều 4. Căn cứ đánh giá",
            "Điều lệ Đảng và các quy định có liên quan.",
            "Chương II",
            "KIỂM ĐIỂM",
            "Điều 5. Đối tượng kiểm điểm",
            "1. Tập thể.",
            "1.1. Cấp ủy, tổ chức đảng.",
            "1.2. Tập thể lãnh đạo, quản lý.",
            "2. Cá nhân.",
            "2.1. Đảng viên trong toàn Đảng.",
            "2.2. Cán bộ lãnh đạo, quản lý các cấp.",
            "Điều 6. Nội dung kiểm điểm",
            "Nội dung kiểm điểm theo từng đối tượng.",
            "Điều 7. Cách thức kiểm điểm",
            "Kiểm điểm ở nơi sinh hoạt và nơi làm việc.",
            "Điều 8. Trách nhiệm kiểm điểm",
            "Người đứng đầu chịu trách nhiệm.",
            "Chương III",
            "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
            "Điều 9. Đối tượng đánh giá",
            "Như đối tượng kiểm điểm.",
            "Điều 10. Khung tiêu chí đánh giá",
            "Theo bốn nhóm tiêu chí.",
            "Điều 11. Phương pháp, quy trình đánh giá, xếp loại",
            "Theo ba bước.",
            "Điều 12. Tiêu chí xếp loại",
            "Chất lượng của tập thể, cá nhân được xếp vào 1 trong 4 mức:",
            '1. Mức "Hoàn thành xuất sắc nhiệm vụ".',
            '2. Mức "Hoàn thành tốt nhiệm vụ".',
            '3. Mức "Hoàn thành nhiệm vụ".',
            '4. Mức "Không hoàn thành nhiệm vụ":',
            "4.1. Đối với cấp ủy, tổ chức đảng.",
            "4.2. Đối với tập thể lãnh đạo, quản lý.",
            "4.3. Đối với cá nhân, có một trong các tiêu chí sau:",
            TIET_A,
            'b) Có trên 50% tiêu chí đánh giá ở mức "Kém";',
            "c) Không hoàn thành chỉ tiêu được giao;",
            TIET_D,
            "đ) Vi phạm những điều đảng viên không được làm.",
            "Chương IV",
            "TỔ CHỨC THỰC HIỆN",
            "Điều 13. Hiệu lực thi hành",
            "Quy định này có hiệu lực từ ngày ký.",
        ],
        closing_left=["Nơi nhận:", "- Các tỉnh ủy, thành ủy,", "- Lưu Văn phòng Trung ương Đảng."],
        closing_right=["T/M BỘ CHÍNH TRỊ", "(đã ký)", "Nguyễn Văn Thử"],
    )


# (id, label, own text) of every provision the fixture must give, info block excluded.
D12 = "qd-124-2023/dieu-12"
EXPECTED_124 = [
    ("qd-124-2023/chuong-i", "Chương I", ""),
    (
        "qd-124-2023/dieu-1",
        "Điều 1",
        "Quy định này quy định việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với "
        "tập thể, cá nhân trong hệ thống chính trị từ Trung ương đến cơ sở.",
    ),
    ("qd-124-2023/dieu-2", "Điều 2", "Thấy rõ ưu điểm để phát huy, hạn chế để khắc phục."),
    ("qd-124-2023/dieu-3", "Điều 3", ""),
    ("qd-124-2023/dieu-3/khoan-1", "Điều 3, khoản 1", "Bảo đảm sự lãnh đạo của Đảng."),
    (
        "qd-124-2023/dieu-3/khoan-2",
        "Điều 3, khoản 2",
        "Coi trọng phẩm chất chính trị, đạo đức, lối sống:\n"
        "- gắn trách nhiệm cá nhân với tập thể;\n"
        "- gắn kết quả của người đứng đầu với kết quả của cơ quan, đơn vị mà người đó phụ trách, "
        "lãnh đạo và quản lý trực tiếp.",
    ),
    ("qd-124-2023/dieu-4", "Điều 4", "Điều lệ Đảng và các quy định có liên quan."),
    ("qd-124-2023/chuong-ii", "Chương II", ""),
    ("qd-124-2023/dieu-5", "Điều 5", ""),
    ("qd-124-2023/dieu-5/khoan-1", "Điều 5, khoản 1", "Tập thể."),
    ("qd-124-2023/dieu-5/khoan-1/diem-1.1", "Điều 5, khoản 1, điểm 1.1", "Cấp ủy, tổ chức đảng."),
    (
        "qd-124-2023/dieu-5/khoan-1/diem-1.2",
        "Điều 5, khoản 1, điểm 1.2",
        "Tập thể lãnh đạo, quản lý.",
    ),
    ("qd-124-2023/dieu-5/khoan-2", "Điều 5, khoản 2", "Cá nhân."),
    (
        "qd-124-2023/dieu-5/khoan-2/diem-2.1",
        "Điều 5, khoản 2, điểm 2.1",
        "Đảng viên trong toàn Đảng.",
    ),
    (
        "qd-124-2023/dieu-5/khoan-2/diem-2.2",
        "Điều 5, khoản 2, điểm 2.2",
        "Cán bộ lãnh đạo, quản lý các cấp.",
    ),
    ("qd-124-2023/dieu-6", "Điều 6", "Nội dung kiểm điểm theo từng đối tượng."),
    ("qd-124-2023/dieu-7", "Điều 7", "Kiểm điểm ở nơi sinh hoạt và nơi làm việc."),
    ("qd-124-2023/dieu-8", "Điều 8", "Người đứng đầu chịu trách nhiệm."),
    ("qd-124-2023/chuong-iii", "Chương III", ""),
    ("qd-124-2023/dieu-9", "Điều 9", "Như đối tượng kiểm điểm."),
    ("qd-124-2023/dieu-10", "Điều 10", "Theo bốn nhóm tiêu chí."),
    ("qd-124-2023/dieu-11", "Điều 11", "Theo ba bước."),
    (D12, "Điều 12", "Chất lượng của tập thể, cá nhân được xếp vào 1 trong 4 mức:"),
    (f"{D12}/khoan-1", "Điều 12, khoản 1", 'Mức "Hoàn thành xuất sắc nhiệm vụ".'),
    (f"{D12}/khoan-2", "Điều 12, khoản 2", 'Mức "Hoàn thành tốt nhiệm vụ".'),
    (f"{D12}/khoan-3", "Điều 12, khoản 3", 'Mức "Hoàn thành nhiệm vụ".'),
    (f"{D12}/khoan-4", "Điều 12, khoản 4", 'Mức "Không hoàn thành nhiệm vụ":'),
    (
        f"{D12}/khoan-4/diem-4.1",
        "Điều 12, khoản 4, điểm 4.1",
        "Đối với cấp ủy, tổ chức đảng.",
    ),
    (
        f"{D12}/khoan-4/diem-4.2",
        "Điều 12, khoản 4, điểm 4.2",
        "Đối với tập thể lãnh đạo, quản lý.",
    ),
    (
        f"{D12}/khoan-4/diem-4.3",
        "Điều 12, khoản 4, điểm 4.3",
        "Đối với cá nhân, có một trong các tiêu chí sau:",
    ),
    (f"{D12}/khoan-4/diem-4.3/tiet-a", "Điều 12, khoản 4, điểm 4.3, tiết a", TIET_A[3:]),
    (
        f"{D12}/khoan-4/diem-4.3/tiet-b",
        "Điều 12, khoản 4, điểm 4.3, tiết b",
        'Có trên 50% tiêu chí đánh giá ở mức "Kém";',
    ),
    (
        f"{D12}/khoan-4/diem-4.3/tiet-c",
        "Điều 12, khoản 4, điểm 4.3, tiết c",
        "Không hoàn thành chỉ tiêu được giao;",
    ),
    (f"{D12}/khoan-4/diem-4.3/tiet-d", "Điều 12, khoản 4, điểm 4.3, tiết d", TIET_D[3:]),
    (
        f"{D12}/khoan-4/diem-4.3/tiet-dd",
        "Điều 12, khoản 4, điểm 4.3, tiết đ",
        "Vi phạm những điều đảng viên không được làm.",
    ),
    ("qd-124-2023/chuong-iv", "Chương IV", ""),
    ("qd-124-2023/dieu-13", "Điều 13", "Quy định này có hiệu lực từ ngày ký."),
]


# --- writers for the four formats ---------------------------------------------------------

ARTICLE_HEAD = re.compile(r"^Điều \d+\. ")


def write_txt(doc: OfficialDoc, path: Path) -> Path:
    path.write_text("\n".join(doc.lines()) + "\n", encoding="utf-8")
    return path


def write_html(doc: OfficialDoc, path: Path) -> Path:
    def cell(lines: list[str]) -> str:
        return "<br>".join(html.escape(x) for x in lines)

    def para(line: str) -> str:
        # Bold article numbers as in published pages: inline tags must not split the line.
        if ARTICLE_HEAD.match(line):
            head, _, rest = line.partition(". ")
            return f"<p><b>{html.escape(head)}.</b>&nbsp;{html.escape(rest)}</p>"
        return f"<p>{html.escape(line)}</p>"

    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Quy định</title>",
        "<style>p { margin: 0 }</style></head><body>",
        f"<table><tr><td>{cell(doc.header_left)}</td><td>{cell(doc.header_right)}</td></tr>",
        "</table>",
        f"<h2>{html.escape(doc.title[0])}</h2>",
        f"<p><i>{cell(doc.title[1:])}</i></p><p>-----</p>",
        *(para(x) for x in doc.preamble + doc.body),
        f"<table><tr><td>{cell(doc.closing_left)}</td><td>{cell(doc.closing_right)}</td></tr>",
        "</table><script>var x = 'Điều 99. không phải văn bản';</script></body></html>",
    ]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_docx(doc: OfficialDoc, path: Path) -> Path:
    import docx

    document = docx.Document()

    def fill(cell, lines: list[str]) -> None:
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)

    table = document.add_table(rows=1, cols=2)
    fill(table.cell(0, 0), doc.header_left)
    fill(table.cell(0, 1), doc.header_right)
    document.add_paragraph(doc.title[0])
    subject = document.add_paragraph()
    for i, line in enumerate(doc.title[1:]):
        run = subject.add_run(line)
        if i < len(doc.title) - 2:
            run.add_break()  # the subject is one paragraph with a line break
    document.add_paragraph("-----")
    for line in doc.preamble + doc.body:
        paragraph = document.add_paragraph()
        if ARTICLE_HEAD.match(line):
            head, _, rest = line.partition(". ")
            paragraph.add_run(head + ".").bold = True
            paragraph.add_run(" " + rest)
        else:
            paragraph.add_run(line)
    closing = document.add_table(rows=1, cols=2)
    fill(closing.cell(0, 0), doc.closing_left)
    fill(closing.cell(0, 1), doc.closing_right)
    document.save(path)
    return path


def font_path() -> Path:
    candidates = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    import matplotlib

    candidates.append(Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    pytest.skip("không có phông Unicode (DejaVuSans.ttf) để tạo PDF thử")


def write_pdf(doc: OfficialDoc, path: Path) -> Path:
    from fpdf import FPDF

    class Numbered(FPDF):
        def footer(self) -> None:  # page numbers must not end up in provisions
            self.set_y(-15)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Numbered(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()

    def columns(left: list[str], right: list[str]) -> None:
        for i in range(max(len(left), len(right))):
            pdf.cell(95, 6, left[i] if i < len(left) else "")
            pdf.cell(95, 6, right[i] if i < len(right) else "", new_x="LMARGIN", new_y="NEXT")

    columns(doc.header_left, doc.header_right)
    for line in doc.title + ["-----"] + doc.preamble + doc.body:
        if line == "Chương III":
            pdf.add_page()  # a page break in the middle of the body
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    columns(doc.closing_left, doc.closing_right)
    pdf.output(str(path))
    return path


WRITERS = {"txt": write_txt, "html": write_html, "docx": write_docx, "pdf": write_pdf}


def official_dir() -> Path:
    return Settings().official_path


def snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file under the folders, with its bytes: nothing may change on bad input."""
    return {
        str(p): p.read_bytes() for folder in folders if folder.exists() for p in folder.rglob("*")
    }


@pytest.fixture
def cli(monkeypatch):
    """`quydinh` as the user runs it, with `ingest` registered if cli.py does not yet do it."""
    original = cli_module.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "ingest" not in sub.choices:
            add_ingest_parser(sub)
        return parser

    monkeypatch.setattr(cli_module, "build_parser", build)
    return cli_module.main


# --- the four formats ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_format_gives_the_same_provisions_with_the_digest_ids(fmt, tmp_path):
    source = WRITERS[fmt](qd_124(), tmp_path / f"qd124.{fmt}")
    digest_before = (SHIPPED_DOCUMENTS / "qd-124-2023.md").read_bytes()

    report = ingest_file(source, official_dir=official_dir())

    written = official_dir() / "qd-124-2023.md"
    assert report.path == written
    tree = parse_file(written)
    got = [(p.id, p.label, p.text) for p in tree.provisions[1:]]
    assert got == EXPECTED_124
    document = tree.document
    assert document.text == "official"
    assert document.title == (
        "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, "
        "cá nhân trong hệ thống chính trị"
    )
    assert document.signer == "Nguyễn Văn Thử"
    assert str(document.signed) == "2023-10-04"
    assert str(document.effective) == "2023-10-04"  # "có hiệu lực từ ngày ký"
    # Validity information is the digest's, kept as it was.
    assert document.status == "replaced"
    assert (document.replaced_by.id, str(document.replaced_by.date)) == (
        "qd-366-2025",
        "2025-08-30",
    )
    assert document.applies_to.startswith("Các kỳ kiểm điểm, đánh giá, xếp loại chất lượng")
    assert document.structure == "4 chương, 13 điều"
    by_id = {p.id: p for p in tree.provisions}
    assert by_id[f"{D12}/khoan-4/diem-4.3/tiet-d"].citation == (
        "Điều 12, khoản 4, điểm 4.3, tiết d — Quy định 124-QĐ/TW"
    )
    assert by_id["qd-124-2023/chuong-ii"].title == "Kiểm điểm"
    assert by_id["qd-124-2023/dieu-11"].title == "Phương pháp, quy trình đánh giá, xếp loại"
    # The preamble is kept as comments, the closing blocks are not content.
    text = written.read_text(encoding="utf-8")
    assert "<!-- Phần mở đầu: - Căn cứ Điều lệ Đảng; -->" in text
    assert "Nơi nhận" not in text and "Lưu Văn phòng" not in text and "T/M" not in text
    assert "Điều 99" not in text
    assert (SHIPPED_DOCUMENTS / "qd-124-2023.md").read_bytes() == digest_before
    assert not [p for p in official_dir().iterdir() if p.name != "qd-124-2023.md"]
    assert report.signer_capacity == ("T/M BỘ CHÍNH TRỊ",)
    assert report.units == 13 and report.chapters == 4
    assert report.gaps == ()


def test_pdf_lines_cut_by_the_page_width_are_joined_back():
    lines = [
        "Điều 1. Phạm vi điều chỉnh",
        "Quy định này quy định việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với",
        "tập thể, cá nhân trong hệ thống chính trị.",
        "Điều 2. Mục đích",
        "Thấy rõ ưu điểm.",
    ]
    assert unwrap(lines) == [
        "Điều 1. Phạm vi điều chỉnh",
        "Quy định này quy định việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với "
        "tập thể, cá nhân trong hệ thống chính trị.",
        "Điều 2. Mục đích",
        "Thấy rõ ưu điểm.",
    ]


def test_report_compares_ids_with_the_digest(tmp_path):
    report = ingest_file(write_txt(qd_124(), tmp_path / "qd124.txt"), official_dir=official_dir())

    assert (report.doc_id, report.number, report.kind) == ("qd-124-2023", "124-QĐ/TW", "Quy định")
    # The digest has Điều 14–19, Điều 12 khoản 4 điểm 4.4–4.7 …; the synthetic text does not.
    assert "qd-124-2023/dieu-19" in report.missing_from_official
    assert f"{D12}/khoan-4/diem-4.7" in report.missing_from_official
    assert f"{D12}/khoan-4/diem-4.3/tiet-d" not in report.missing_from_official
    assert report.new_in_official[0] == "qd-124-2023/chuong-i"
    assert "qd-124-2023/chuong-iv" in report.new_in_official
    assert f"{D12}/khoan-4/diem-4.3/tiet-dd" in report.new_in_official
    assert not report.renumbered
    text = format_report(report)
    assert "Đã nạp Quy định 124-QĐ/TW (qd-124-2023) từ tệp qd124.txt (TXT)." in text
    assert "Người ký: Nguyễn Văn Thử (T/M BỘ CHÍNH TRỊ); ngày ký: 04/10/2023" in text
    assert "Tìm thấy: 4 chương, 13 điều; tổng cộng 37 quy định." in text
    assert "Số thứ tự: liên tục, không có chỗ cách quãng." in text
    assert "Có trong bản tóm lược nhưng không có trong văn bản chính thức" in text
    assert "  - qd-124-2023/dieu-19" in text
    assert f"Đã ghi: {official_dir() / 'qd-124-2023.md'}." in text


def test_numbering_gaps_are_reported_and_kept_as_placeholders(tmp_path):
    doc = qd_124()
    doc.body.remove("Điều 2. Mục đích")
    doc.body.remove("Thấy rõ ưu điểm để phát huy, hạn chế để khắc phục.")
    doc.body.remove('2. Mức "Hoàn thành tốt nhiệm vụ".')
    doc.body.remove("c) Không hoàn thành chỉ tiêu được giao;")

    report = ingest_file(write_txt(doc, tmp_path / "qd124.txt"), official_dir=official_dir())

    assert report.gaps == (
        NumberingGap("Chương I", ("Điều 2",), "Điều 3"),
        NumberingGap("Điều 12", ("khoản 2",), "khoản 3"),
        NumberingGap("Điều 12, khoản 4, điểm 4.3", ("tiết c",), "tiết d"),
    )
    assert report.units == 12  # placeholders are not counted as found
    tree = parse_file(report.path)
    by_id = {p.id: p for p in tree.provisions}
    for pid in ("qd-124-2023/dieu-2", f"{D12}/khoan-2", f"{D12}/khoan-4/diem-4.3/tiet-c"):
        assert by_id[pid].coverage is Coverage.NONE
        assert "số thứ tự bị cách quãng" in by_id[pid].coverage_note
    assert by_id[f"{D12}/khoan-3"].text == 'Mức "Hoàn thành nhiệm vụ".'
    text = format_report(report)
    assert "Số thứ tự bị cách quãng trong văn bản chính thức (3 chỗ):" in text
    assert "  - Điều 12: thiếu khoản 2 (gặp khoản 3)" in text


def test_a_number_that_does_not_fit_stays_text(tmp_path):
    doc = qd_124()
    at = doc.body.index("Điều 4. Căn cứ đánh giá")
    doc.body.insert(at, "1. Đây là số thứ tự lặp lại, không phải khoản mới.")

    tree = parse_file(
        ingest_file(write_txt(doc, tmp_path / "a.txt"), official_dir=official_dir()).path
    )

    clause = {p.id: p for p in tree.provisions}["qd-124-2023/dieu-3/khoan-2"]
    assert clause.text.endswith("trực tiếp. 1. Đây là số thứ tự lặp lại, không phải khoản mới.")


def test_load_pack_uses_the_official_text_after_ingest(tmp_path):
    ingest_file(write_txt(qd_124(), tmp_path / "qd124.txt"), official_dir=official_dir())

    pack = load_pack(Settings().official_path)

    assert pack.document("qd-124-2023").text == "official"
    assert pack[f"{D12}/khoan-4/diem-4.3/tiet-d"].text == TIET_D[3:]
    assert pack.document("qd-125-2023").text == "digest"  # other documents keep their digest


def test_the_index_then_answers_from_the_official_text(tmp_path, capsys):
    from assistant.answering import Assistant
    from assistant.retrieval import Retriever

    ingest_file(write_txt(qd_124(), tmp_path / "qd124.txt"), official_dir=official_dir())
    assistant = Assistant(Retriever.load(Settings()))
    answer = assistant.answer("Điều 12 khoản 4 điểm 4.3 tiết d quy định gì?")
    cited = {c.id: c for c in answer.citations}
    assert cited[f"{D12}/khoan-4/diem-4.3/tiet-d"].text_kind == "official"
    assert "(văn bản chính thức)" in answer.text
    assert TIET_D[3:] in answer.text
    assert cli_module.main(["docs"]) == 0
    row = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("qd-124-2023"))
    assert "văn bản chính thức" in row


# --- QĐ 125 and a Hướng dẫn ---------------------------------------------------------------


def qd_125() -> OfficialDoc:
    return OfficialDoc(
        header_left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 125-QĐ/TW"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 10 tháng 10 năm 2023"],
        title=[
            "QUY ĐỊNH",
            "về chức năng, nhiệm vụ, mối quan hệ công tác của đảng bộ, chi bộ cơ sở",
            "trong các đơn vị sự nghiệp công lập",
        ],
        preamble=["- Căn cứ Điều lệ Đảng;", "Ban Bí thư quy định như sau:"],
        body=[
            "I- PHẠM VI, ĐỐI TƯỢNG ÁP DỤNG",
            "Điều 1. Phạm vi điều chỉnh",
            "Quy định này quy định chức năng, nhiệm vụ, mối quan hệ công tác.",
            "Điều 2. Đối tượng áp dụng",
            "Đảng bộ, chi bộ cơ sở trong các đơn vị sự nghiệp công lập.",
            "II- CHỨC NĂNG",
            "Điều 3. Chức năng",
            "Là hạt nhân chính trị ở đơn vị.",
            "III- NHIỆM VỤ",
            "Điều 4. Lãnh đạo thực hiện nhiệm vụ chính trị",
            "1. Lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị.",
            "2. Lãnh đạo nhiệm vụ quốc phòng, an ninh.",
            "IV- MỐI QUAN HỆ CÔNG TÁC",
            "Điều 5. Quan hệ với cấp ủy cấp trên",
            "Chịu sự lãnh đạo trực tiếp của cấp ủy cấp trên.",
            "V- ĐIỀU KHOẢN THI HÀNH",
            "Điều 6. Hiệu lực thi hành",
            "Quy định này có hiệu lực từ ngày ký.",
        ],
        closing_left=["Nơi nhận:", "- Các đảng ủy trực thuộc Trung ương,"],
        closing_right=["T/M BAN BÍ THƯ", "Nguyễn Văn Thử"],
    )


def test_qd_125_articles_get_article_ids_and_the_report_names_the_old_ids(tmp_path):
    report = ingest_file(write_txt(qd_125(), tmp_path / "qd125.txt"), official_dir=official_dir())

    tree = parse_file(report.path)
    articles = [p.id for p in tree.provisions if p.kind == "article"]
    assert articles == [f"qd-125-2023/dieu-{n}" for n in range(1, 7)]
    assert {p.id: p.title for p in tree.provisions}["qd-125-2023/chuong-iii"] == "Nhiệm vụ"
    assert "qd-125-2023/dieu-4/khoan-2" in {p.id for p in tree.provisions}
    assert report.renumbered
    assert "qd-125-2023/muc-iii/nhiem-vu-3" in report.missing_from_official
    assert "qd-125-2023/muc-iv/quan-he-1" in report.missing_from_official
    assert "qd-125-2023/muc-i" in report.missing_from_official
    text = format_report(report)
    assert "  - qd-125-2023/muc-iii/nhiem-vu-3" in text
    assert "vì chưa biết số điều" in text and "(qd-125-2023/dieu-n)" in text
    assert "Điều này là dự kiến" in text
    assert any("La Mã" in w for w in report.warnings)
    assert any("khác bản tóm lược (Trương Thị Mai)" in w for w in report.warnings)
    assert tree.document.status == "partly_inapplicable"
    assert tree.document.status_note.startswith("Chưa tìm thấy văn bản thay thế")


def hd_25() -> OfficialDoc:
    return OfficialDoc(
        header_left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC", "*", "Số 25-HD/BTCTW"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 10 tháng 11 năm 2023"],
        title=[
            "HƯỚNG DẪN",
            "một số nội dung về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm",
            "đối với tập thể, cá nhân trong hệ thống chính trị",
        ],
        preamble=[
            "Thực hiện Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị, Ban Tổ chức "
            "Trung ương hướng dẫn một số nội dung như sau:"
        ],
        body=[
            "1. Về đối tượng, nội dung kiểm điểm, khung tiêu chí đánh giá, tiêu chí xếp loại "
            "(Điều 5, Điều 6, Điều 10, Điều 12)",
            "1.1. Đối tượng kiểm điểm là cấp ủy ở cơ sở",
            "Gồm:",
            "- Ban thường vụ đảng ủy cơ sở;",
            "- Đảng ủy bộ phận.",
            "1.2. Trách nhiệm hướng dẫn tập thể lãnh đạo, quản lý",
            "1. Cấp ủy trực thuộc Trung ương hướng dẫn.",
            "2. Việc hướng dẫn phải thực chất:",
            "a) đúng quy định;",
            "b) phù hợp đặc điểm.",
            "2. Về cách thức kiểm điểm (Điều 7)",
            "Chuẩn bị kiểm điểm theo Mẫu 01.",
            "1. Báo cáo kiểm điểm của tập thể.",
            "2. Bản tự kiểm điểm của cá nhân.",
            "3. VỀ THẨM QUYỀN ĐÁNH GIÁ, XẾP LOẠI",
            "Đảng ủy bộ phận tự đánh giá.",
            "4. Trách nhiệm lãnh đạo, chỉ đạo, tổ chức thực hiện (Điều 14)",
            "4.1. Thời điểm kiểm điểm",
            "Kết thúc trước ngày 31/12 hằng năm.",
        ],
        closing_left=["Nơi nhận:", "- Như trên,", "- Lưu Vụ Tổ chức đảng."],
        closing_right=["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Hoàng Đăng Quang"],
    )


def test_guide_sections_subsections_and_clauses(tmp_path):
    report = ingest_file(write_html(hd_25(), tmp_path / "hd25.html"), official_dir=official_dir())

    tree = parse_file(report.path)
    got = [(p.id, p.label, p.title or p.text) for p in tree.provisions[1:]]
    h = "hd-25-2023"
    assert got == [
        (
            f"{h}/muc-1",
            "Mục 1",
            "Về đối tượng, nội dung kiểm điểm, khung tiêu chí đánh giá, tiêu chí xếp loại "
            "(Điều 5, Điều 6, Điều 10, Điều 12)",
        ),
        (f"{h}/muc-1/muc-1.1", "Mục 1, tiểu mục 1.1", "Đối tượng kiểm điểm là cấp ủy ở cơ sở"),
        (
            f"{h}/muc-1/muc-1.2",
            "Mục 1, tiểu mục 1.2",
            "Trách nhiệm hướng dẫn tập thể lãnh đạo, quản lý",
        ),
        (
            f"{h}/muc-1/muc-1.2/khoan-1",
            "Mục 1, tiểu mục 1.2, khoản 1",
            "Cấp ủy trực thuộc Trung ương hướng dẫn.",
        ),
        (
            f"{h}/muc-1/muc-1.2/khoan-2",
            "Mục 1, tiểu mục 1.2, khoản 2",
            "Việc hướng dẫn phải thực chất:",
        ),
        (
            f"{h}/muc-1/muc-1.2/khoan-2/tiet-a",
            "Mục 1, tiểu mục 1.2, khoản 2, tiết a",
            "đúng quy định;",
        ),
        (
            f"{h}/muc-1/muc-1.2/khoan-2/tiet-b",
            "Mục 1, tiểu mục 1.2, khoản 2, tiết b",
            "phù hợp đặc điểm.",
        ),
        (f"{h}/muc-2", "Mục 2", "Về cách thức kiểm điểm (Điều 7)"),
        (f"{h}/muc-2/khoan-1", "Mục 2, khoản 1", "Báo cáo kiểm điểm của tập thể."),
        (f"{h}/muc-2/khoan-2", "Mục 2, khoản 2", "Bản tự kiểm điểm của cá nhân."),
        (f"{h}/muc-3", "Mục 3", "Về thẩm quyền đánh giá, xếp loại"),
        (f"{h}/muc-4", "Mục 4", "Trách nhiệm lãnh đạo, chỉ đạo, tổ chức thực hiện (Điều 14)"),
        (f"{h}/muc-4/muc-4.1", "Mục 4, tiểu mục 4.1", "Thời điểm kiểm điểm"),
    ]
    by_id = {p.id: p for p in tree.provisions}
    assert by_id[f"{h}/muc-1/muc-1.1"].text == (
        "Gồm:\n- Ban thường vụ đảng ủy cơ sở;\n- Đảng ủy bộ phận."
    )
    assert by_id[f"{h}/muc-2"].text == "Chuẩn bị kiểm điểm theo Mẫu 01."
    assert tree.document.kind == "Hướng dẫn"
    assert tree.document.signer == "Hoàng Đăng Quang"
    assert tree.document.status == "replaced"
    assert (report.units, report.unit_word) == (4, "mục")
    assert report.signer_capacity == ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
    assert f"{h}/muc-1/muc-1.3" in report.missing_from_official
    assert not report.renumbered
    assert "Tìm thấy: 4 mục; tổng cộng 13 quy định." in format_report(report)


# --- the command line ---------------------------------------------------------------------


def test_cli_ingest_detects_the_document_and_prints_the_report(cli, tmp_path, capsys):
    source = write_docx(qd_124(), tmp_path / "Quy dinh 124.docx")

    assert cli(["ingest", str(source)]) == 0

    out = capsys.readouterr().out
    assert "Đã nạp Quy định 124-QĐ/TW (qd-124-2023) từ tệp Quy dinh 124.docx (DOCX)." in out
    assert "Tìm thấy: 4 chương, 13 điều" in out
    assert "quydinh index" in out
    assert (official_dir() / "qd-124-2023.md").is_file()


def test_cli_ingest_with_doc_and_a_second_run_replaces_the_file(cli, tmp_path, capsys):
    source = write_txt(qd_124(), tmp_path / "qd124.txt")
    assert cli(["ingest", str(source), "--doc", "qd-124-2023"]) == 0
    assert cli(["ingest", str(source), "--doc", "qd-124-2023"]) == 0
    assert "(thay bản chính thức đã nạp trước đó)" in capsys.readouterr().out
    assert [p.name for p in official_dir().iterdir()] == ["qd-124-2023.md"]


def scanned_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # a "scan": drawn, no text layer
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, tmp_path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(write_pdf(qd_124(), tmp_path / "plain.pdf")))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    writer.write(str(path))
    return path


def corrupt_docx(path: Path, tmp_path: Path) -> Path:
    data = write_docx(qd_124(), tmp_path / "good.docx").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def text_file(name: str, doc: OfficialDoc | None = None):
    def make(tmp_path: Path) -> Path:
        return write_txt(doc or qd_124(), tmp_path / name)

    return make


def raw_file(name: str, data: bytes):
    def make(tmp_path: Path) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    return make


def body_without_articles() -> OfficialDoc:
    doc = qd_124()
    doc.body = ["Nội dung không có điều nào."]
    return doc


def numbered(number: str) -> OfficialDoc:
    doc = qd_124()
    doc.header_left = ["BAN CHẤP HÀNH TRUNG ƯƠNG", f"Số {number}"]
    return doc


# name → (make the file, extra arguments, exit code, fragment of the message)
BAD_INPUTS = {
    "scanned_pdf": (lambda t: scanned_pdf(t / "scan.pdf"), [], 1, "không có lớp chữ"),
    "encrypted_pdf": (lambda t: encrypted_pdf(t / "enc.pdf", t), [], 1, "được mã hóa"),
    "corrupt_pdf": (raw_file("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type"), [], 1, "bị hỏng"),
    "corrupt_docx": (lambda t: corrupt_docx(t / "hong.docx", t), [], 1, "bị hỏng"),
    "number_mismatch": (
        text_file("qd125.txt", numbered("125-QĐ/TW")),
        ["--doc", "qd-124-2023"],
        1,
        "là văn bản số 125-QĐ/TW, không phải 124-QĐ/TW",
    ),
    "unknown_number": (
        text_file("qd999.txt", numbered("999-QĐ/TW")),
        [],
        1,
        "Văn bản số 999-QĐ/TW ngày 04/10/2023",
    ),
    "unknown_extension": (text_file("vanban.rtf"), [], 1, "không được hỗ trợ"),
    "old_word": (text_file("vanban.doc"), [], 1, "tệp Word cũ (.doc)"),
    "text_named_pdf": (text_file("vanban.pdf"), [], 1, "nội dung không phải PDF"),
    "text_named_docx": (text_file("vanban.docx"), [], 1, "nội dung không phải tệp Word"),
    "pdf_named_txt": (
        lambda t: scanned_pdf(t / "x.pdf").rename(t / "vanban.txt"),
        [],
        1,
        "nội dung không phải văn bản thuần",
    ),
    "not_utf8": (raw_file("cp1258.txt", b"S\xf4\xec 124-Q\xd0/TW"), [], 1, "không phải UTF-8"),
    "no_articles": (text_file("rong.txt", body_without_articles()), [], 1, "Không nhận ra bố cục"),
    "missing_file": (lambda t: t / "khong-co.pdf", [], 2, "Không tìm thấy tệp"),
    "unknown_doc": (text_file("qd124.txt"), ["--doc", "qd-1-2020"], 2, "Mã văn bản 'qd-1-2020'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_message_and_changes_nothing(case, cli, tmp_path, capsys):
    # A previous official text and a search index are there and must stay as they were.
    assert cli(["ingest", str(write_txt(qd_124(), tmp_path / "old.txt"))]) == 0
    index = Settings().index_path
    index.mkdir(parents=True)
    (index / "chroma.sqlite3").write_bytes(b"index")
    before = snapshot(official_dir(), index, SHIPPED_DOCUMENTS)
    capsys.readouterr()
    make, extra, code, fragment = BAD_INPUTS[case]
    source = make(tmp_path)

    assert cli(["ingest", str(source), *extra]) == code

    err = capsys.readouterr().err
    assert fragment in err, err
    assert err.count("Lỗi:") == 1
    assert "Traceback" not in err
    assert snapshot(official_dir(), index, SHIPPED_DOCUMENTS) == before


def test_library_errors_carry_their_reason(tmp_path):
    # A PDF without a text layer is recognised (OCR); one with nothing legible is refused.
    with pytest.raises(IngestError) as caught:
        read_source(scanned_pdf(tmp_path / "scan.pdf"))
    assert caught.value.failure is IngestFailure.POOR_SCAN
    assert "không có lớp chữ" in str(caught.value)
    assert "1/1 trang có độ tin cậy dưới 60% (trang 1: không nhận ra chữ)" in str(caught.value)


def test_nothing_is_written_when_the_result_does_not_parse(tmp_path, monkeypatch):
    import knowledge.ingest.conversion as conversion

    monkeypatch.setattr(conversion, "render_markdown", lambda *a: ("---\nid: x\n", []))
    with pytest.raises(IngestError) as caught:
        ingest_file(write_txt(qd_124(), tmp_path / "qd124.txt"), official_dir=official_dir())
    assert caught.value.failure is IngestFailure.INVALID_RESULT
    assert "chưa ghi gì" in str(caught.value)
    assert not official_dir().exists()


def test_docx_auto_numbering_is_reported(tmp_path):
    import docx

    path = write_docx(qd_124(), tmp_path / "qd124.docx")
    document = docx.Document(str(path))
    document.add_paragraph("Mục có số tự động", style="List Number")
    document.save(str(path))

    source = read_source(path)

    assert any("đánh số tự động" in w for w in source.warnings)
    assert source.lines[:3] == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 124-QĐ/TW")


def test_html_inline_tags_do_not_split_lines(tmp_path):
    source = read_source(write_html(qd_124(), tmp_path / "qd124.html"))
    assert "Điều 12. Tiêu chí xếp loại" in source.lines
    assert not any("Điều 99" in line for line in source.lines)


def test_a_web_page_with_menus_and_related_links_around_the_document(tmp_path):
    page = write_html(hd_25(), tmp_path / "page.html").read_text(encoding="utf-8")
    chrome = (
        "<nav><ul><li>Trang chủ</li><li>HƯỚNG DẪN</li><li>1. Văn bản mới</li></ul></nav>"
        "<p>Số lượt xem: 1200</p>"
    )
    related = "<footer><p>Văn bản liên quan</p><p>Điều 5. Không thuộc văn bản</p></footer>"
    page = page.replace("<body>", "<body>" + chrome).replace("</body>", related + "</body>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")

    report = ingest_file(tmp_path / "page.html", official_dir=official_dir())

    assert report.doc_id == "hd-25-2023"
    tree = parse_file(report.path)
    assert [p.id for p in tree.provisions if p.kind == "section"] == [
        f"hd-25-2023/muc-{n}" for n in range(1, 5)
    ]
    assert "Văn bản mới" not in report.path.read_text(encoding="utf-8")
    assert any("Bỏ qua 2 dòng sau chữ ký" in w for w in report.warnings)


def test_effective_date_written_in_the_text(tmp_path):
    doc = qd_124()
    doc.body[-1] = "Quy định này có hiệu lực thi hành kể từ ngày 15 tháng 10 năm 2023."
    doc.body.insert(-4, "Quyết định kỷ luật có hiệu lực từ ngày ký.")  # not the document's

    tree = parse_file(
        ingest_file(write_txt(doc, tmp_path / "qd124.txt"), official_dir=official_dir()).path
    )

    assert str(tree.document.effective) == "2023-10-15"
