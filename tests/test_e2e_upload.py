"""The Nạp văn bản page in a real browser: the real Streamlit server, Debian's Chromium through
Playwright, a file chosen in the page's file chooser and the report read on screen, at phone
size (390×844) and at desktop size; a screenshot of each goes to docs/."""

from __future__ import annotations

import os

from browser_support import BROWSER_MARKS, ROOT, chromium_browser, streamlit_server
from new_documents import hd_05_dong_nai
from test_ingest import write_txt

pytestmark = BROWSER_MARKS
DOCS = ROOT / "docs"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


def test_a_file_uploaded_in_the_browser_shows_its_report(tmp_path):
    from playwright.sync_api import expect

    source = write_txt(hd_05_dong_nai(), tmp_path / "huong-dan-05-dong-nai.txt")
    data = tmp_path / "data"
    env = os.environ | {"QUYDINH_DATA_DIR": str(data)}
    # The page alone: no index is needed to read a file.
    with streamlit_server(env, tmp_path / "server.log") as base, chromium_browser() as browser:
        url = f"{base}/nap-van-ban"
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
            page.goto(url)
            expect(page.get_by_role("heading", name="Nạp văn bản")).to_be_visible(timeout=60_000)
            chooser = page.get_by_test_id("stFileUploader").locator("input[type=file]")
            chooser.set_input_files(str(source))
            report = page.get_by_role("heading", name="Báo cáo nạp văn bản")
            expect(report).to_be_visible(timeout=60_000)
            label = page.get_by_text("Cơ quan ban hành:", exact=True)
            issuer = page.locator("p", has=label)
            expect(issuer).to_contain_text("Ban Tổ chức Tỉnh ủy Đồng Nai")
            expect(page.get_by_text("hd-5-2024-btctu-dong-nai)")).to_be_visible()
            expect(page.get_by_test_id("stMetric").first).to_contain_text("Số mục")
            confirm = page.get_by_role("button", name="Xác nhận: ghi văn bản")
            expect(confirm).to_be_visible()
            assert not (data / "official").exists()  # nothing written before confirming
            page.screenshot(path=str(DOCS / f"e2e-upload-{name}.png"), full_page=True)
            page.close()
    for name in SIZES:
        assert (DOCS / f"e2e-upload-{name}.png").stat().st_size > 10_000
