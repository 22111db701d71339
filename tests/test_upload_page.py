"""The Nạp văn bản page through AppTest: the real page, the real ingest and (on a one-document
pack, to keep builds short) the real background rebuild. Every test checks what the user reads
and what is, or is not, written."""

from __future__ import annotations

from pathlib import Path

import pytest
import scans
import yaml
from new_documents import HD_05_ID, hd_05_dong_nai, kl_198
from streamlit.testing.v1 import AppTest
from test_ingest import official_dir, qd_124, write_txt
from test_ingest_limits import hold_build_lock
from test_ingest_ocr import degraded

from assistant import prompts, rebuild, runtime
from assistant.export import escape_markdown
from assistant.settings import Settings
from knowledge.ingest import ingest_file

T = prompts.Upload
SCRIPT = "from ui import upload_page\nupload_page.render()"
SYNTHETIC = Path(__file__).parent / "data" / "synthetic"  # QĐ 900 alone: a short build
REBUILD_S = 300


@pytest.fixture
def small_pack(monkeypatch):
    monkeypatch.setenv("QUYDINH_DOCUMENTS_DIR", str(SYNTHETIC))


def open_page() -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, path: Path) -> AppTest:
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def values(elements) -> list[str]:
    return [e.value for e in elements]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def finish_rebuild() -> rebuild.RebuildJob:
    job = rebuild.current(Settings())
    assert job is not None and job.wait(REBUILD_S)
    return job


# --- the report -------------------------------------------------------------------------------


def test_a_new_document_shows_its_report_and_nothing_is_written(tmp_path):
    at = upload(open_page(), write_txt(hd_05_dong_nai(), tmp_path / "hd05.txt"))

    assert values(at.subheader) == [T.REPORT, T.INGESTED]
    shown = values(at.markdown)
    assert "**Hướng dẫn 05-HD/BTCTU \\(mã hd-5-2024-btctu-dong-nai\\)**" in shown
    assert "**Cơ quan ban hành:** Ban Tổ chức Tỉnh ủy Đồng Nai" in shown
    assert values(at.info) == [T.NEW_DOCUMENT]
    assert metrics(at) == {
        "Số mục tìm thấy": "3",
        "Tổng số quy định": "7",
        "Số trang": "—",
        "Nhận dạng chữ (OCR)": "Không",
        "Trang độ tin cậy thấp": "Không có",
    }
    table = at.dataframe[0].value
    assert list(table["thay đổi"]) == ["mới"] * 7
    assert "trước ngày 15/12/2024" in table["văn bản chính thức"][1]
    # The relation the title states is proposed; the user may change it.
    assert at.multiselect(key=f"guides-{HD_05_ID}").value == ["qd-124-2023"]
    assert at.selectbox(key=f"replaced-by-{HD_05_ID}").value is None
    assert not official_dir().exists()
    assert T.INGESTED_NONE in values(at.caption)


def test_an_official_text_is_shown_beside_the_digest_with_its_gaps(tmp_path):
    doc = qd_124()
    start = doc.body.index("Điều 7. Cách thức kiểm điểm")
    del doc.body[start : start + 2]  # the text skips Điều 7

    at = upload(open_page(), write_txt(doc, tmp_path / "qd124.txt"))

    [gaps] = values(at.warning)
    assert gaps.startswith(f"**{T.GAPS}:**")
    assert escape_markdown("Chương II: thiếu Điều 7 (gặp Điều 8)") in gaps
    summary = next(m for m in values(at.markdown) if m.startswith("So với bản tóm lược:"))
    table = at.dataframe[0].value
    changed = table[table["thay đổi"] == "khác lời văn"]
    assert f"{len(changed)} quy định khác lời văn" in summary
    # Tiết a, a placeholder in the digest, has its words in the official text.
    row = table[table["mã"] == "qd-124-2023/dieu-12/khoan-4/diem-4.3/tiet-a"].iloc[0]
    assert row["thay đổi"] == "bổ sung chỗ chưa có nội dung"
    assert row["bản tóm lược"] == "(Chưa có nội dung)"
    assert row["văn bản chính thức"].startswith("Bị cấp có thẩm quyền kết luận")
    assert not changed.empty and all(changed["bản tóm lược"]) and all(changed["văn bản chính thức"])
    assert "Quan hệ hiệu lực lấy từ bản tóm lược: Đã bị thay thế bởi 366-QĐ/TW" in "".join(
        values(at.caption)
    )
    assert not at.multiselect  # a digest's relations are not set here


@pytest.mark.slow
def test_a_scan_shows_its_pages_and_the_page_to_check(tmp_path):
    pages = scans.render_pages(qd_124())
    fed = [scans.scanned(pages[0], 1.0, seed=1), degraded(pages[1], 5)]
    at = upload(open_page(), scans.save_pdf(fed, tmp_path / "ban-quet.pdf"))

    figures = metrics(at)
    assert (figures["Số trang"], figures["Nhận dạng chữ (OCR)"]) == ("2", "Có")
    assert figures["Trang độ tin cậy thấp"] == "2"
    assert T.LOW_WARNING.format(pages="2") in values(at.warning)
    assert not official_dir().exists()


# --- confirming, rebuilding, removing ---------------------------------------------------------


@pytest.mark.slow
def test_confirming_writes_the_text_with_its_relations_and_rebuilds_in_the_background(
    small_pack, tmp_path
):
    at = upload(open_page(), write_txt(hd_05_dong_nai(), tmp_path / "hd05.txt"))
    # QĐ 124 is not in this pack: the user says which loaded document the guide implements.
    at.multiselect(key=f"guides-{HD_05_ID}").set_value(["qd-900-2024"]).run()

    at.button(key="upload-confirm").click().run()

    written = official_dir() / f"{HD_05_ID}.md"
    front = yaml.safe_load(written.read_text(encoding="utf-8").split("---")[1])
    assert front["guides"] == [{"id": "qd-900-2024", "number": "900-QĐ/TW"}]
    said = f"Đã ghi Hướng dẫn 05-HD/BTCTU vào {written}. Đang xây dựng lại chỉ mục…"
    assert values(at.success) == [escape_markdown(said)]
    assert not at.file_uploader[0].value  # an empty chooser for the next file
    job = finish_rebuild()
    assert job.error is None

    at.run()

    rebuilt = T.REBUILT.format(reason="nạp Hướng dẫn 05-HD/BTCTU", total=job.report.total)
    assert values(at.success) == [escape_markdown(rebuilt)]
    pack = runtime.loaded(Settings()).pack  # what the next question is answered from
    assert "Hướng dẫn thực hiện: Quy định 900-QĐ/TW." in pack[f"{HD_05_ID}/thong-tin"].text
    assert any("Hướng dẫn 05-HD/BTCTU" in m for m in values(at.markdown))


def test_a_second_upload_while_another_process_rebuilds_is_refused(tmp_path):
    holder = hold_build_lock(Settings().index_path)
    try:
        at = upload(open_page(), write_txt(kl_198(), tmp_path / "kl198.txt"))
    finally:
        holder.kill()
        holder.wait()

    [message] = values(at.warning)
    assert message.startswith("Chưa đọc tệp kl198.txt. Chỉ mục đang được xây dựng lại bởi")
    assert f"pid {holder.pid} quydinh index --rebuild" in message
    assert not at.subheader[0].value == T.REPORT
    assert not official_dir().exists()


@pytest.mark.slow
def test_an_upload_and_a_confirm_during_this_apps_rebuild_are_refused(small_pack, tmp_path):
    at = upload(open_page(), write_txt(kl_198(), tmp_path / "kl198.txt"))  # read before
    job = rebuild.start(Settings(), "nạp Quy định 900-QĐ/TW")
    try:
        at.button(key="upload-confirm").click().run()
        assert values(at.warning)[0].startswith(
            "Chỉ mục đang được xây dựng lại sau khi nạp Quy định 900-QĐ/TW"
        )
        second = upload(open_page(), write_txt(hd_05_dong_nai(), tmp_path / "hd05.txt"))
        assert values(second.warning)[0].startswith(
            "Chưa đọc tệp hd05.txt. Chỉ mục đang được xây dựng lại sau khi nạp"
        )
        assert job.running  # both answers came while the rebuild ran
    finally:
        job.wait(REBUILD_S)
    assert not official_dir().exists()


@pytest.mark.slow
def test_removing_an_ingested_text_goes_back_to_the_digest(small_pack, tmp_path):
    from ingest_support import qd_900

    for doc, name in ((kl_198(), "kl.txt"), (qd_900(), "qd900.txt")):
        ingest_file(write_txt(doc, tmp_path / name), official_dir=official_dir())
    at = open_page()
    assert T.NO_DIGEST in values(at.caption) and T.HAS_DIGEST in values(at.caption)

    at.button(key="remove-qd-900-2024").click().run()
    path = official_dir() / "qd-900-2024.md"
    assert values(at.warning) == [escape_markdown(f"Gỡ Quy định 900-QĐ/TW? Tệp {path} sẽ bị xóa.")]
    assert path.exists()  # not before it is confirmed
    at.button(key="remove-yes-qd-900-2024").click().run()

    assert not path.exists() and (official_dir() / "kl-198-2025.md").exists()
    assert values(at.success)[0] == "Đã gỡ Quy định 900-QĐ/TW. Đang xây dựng lại chỉ mục…"
    assert finish_rebuild().error is None
    document = runtime.loaded(Settings()).pack.document("qd-900-2024")
    assert document.path.parent == SYNTHETIC  # the digest again
