"""`quydinh ingest FILE --json` and `quydinh ingest --remove ID`, as a user runs them."""

from __future__ import annotations

import json

from test_ingest import official_dir, qd_124, write_txt

from assistant.cli import main
from knowledge.pack import load_pack


def test_json_report_has_what_the_upload_page_needs(tmp_path, capsys):
    doc = qd_124()
    doc.body.remove('2. Mức "Hoàn thành tốt nhiệm vụ".')
    source = write_txt(doc, tmp_path / "qd124.txt")

    assert main(["ingest", str(source), "--json"]) == 0

    captured = capsys.readouterr()
    report = json.loads(captured.out)  # stdout is the JSON and nothing else
    assert report["document_id"] == "qd-124-2023"
    assert (report["articles"], report["chapters"], report["unit_word"]) == (13, 4, "điều")
    assert (report["pages"], report["ocr"], report["low_confidence_pages"]) == (None, False, [])
    assert report["format"] == "txt"
    assert report["numbering_gaps"] == [
        {
            "where": "Điều 12",
            "missing": ["khoản 2"],
            "found": "khoản 3",
            "text": "Điều 12: thiếu khoản 2 (gặp khoản 3)",
        }
    ]
    assert "qd-124-2023/dieu-19" in report["missing_from_official"]
    assert "qd-124-2023/chuong-iv" in report["new_in_official"]
    assert (report["signed"], report["effective"]) == ("2023-10-04", "2023-10-04")
    assert report["path"] == str(official_dir() / "qd-124-2023.md")
    assert "quydinh index" in captured.err


def test_remove_goes_back_to_the_digest(tmp_path, capsys):
    assert main(["ingest", str(write_txt(qd_124(), tmp_path / "qd124.txt"))]) == 0
    assert load_pack(official_dir()).document("qd-124-2023").text == "official"
    capsys.readouterr()

    assert main(["ingest", "--remove", "qd-124-2023"]) == 0

    out = capsys.readouterr().out
    assert (
        f"Đã gỡ văn bản chính thức qd-124-2023 (đã xóa {official_dir() / 'qd-124-2023.md'})" in out
    )
    assert "dùng lại bản tóm lược đi kèm của Quy định 124-QĐ/TW" in out
    assert "quydinh index" in out
    assert not (official_dir() / "qd-124-2023.md").exists()
    assert load_pack(official_dir()).document("qd-124-2023").text == "digest"


def test_removing_what_was_not_ingested_is_a_clear_error(tmp_path, capsys):
    assert main(["ingest", str(write_txt(qd_124(), tmp_path / "qd124.txt"))]) == 0
    capsys.readouterr()

    assert main(["ingest", "--remove", "qd-125-2023"]) == 1

    err = capsys.readouterr().err
    assert "Chưa nạp văn bản chính thức nào có mã 'qd-125-2023' nên không có gì để gỡ" in err
    assert "(văn bản chính thức đã nạp: qd-124-2023)" in err
    assert (official_dir() / "qd-124-2023.md").is_file()


def test_remove_does_not_follow_a_path(tmp_path, capsys):
    outside = tmp_path / "data" / "quan-trong.md"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("x", encoding="utf-8")

    assert main(["ingest", "--remove", "../quan-trong"]) == 1

    assert "không có gì để gỡ" in capsys.readouterr().err
    assert outside.is_file()


def test_ingest_needs_a_file_or_remove_but_not_both(tmp_path, capsys):
    assert main(["ingest"]) == 2
    assert "Thiếu TỆP cần nạp" in capsys.readouterr().err
    source = write_txt(qd_124(), tmp_path / "qd124.txt")
    assert main(["ingest", str(source), "--remove", "qd-124-2023"]) == 2
    assert "--remove không dùng cùng TỆP" in capsys.readouterr().err
