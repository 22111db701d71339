"""The Nạp văn bản page in a real browser: the real Streamlit server, Debian's Chromium through
Playwright, a file chosen in the page's file chooser and the report read on screen, at phone
size (390×844) and at desktop size; a screenshot of each goes to docs/."""

from __future__ import annotations

import os
import subprocess

import pytest
from new_documents import hd_05_dong_nai
from test_e2e_browser import CHROMIUM, ROOT, STREAMLIT, free_port, wait_for_http
from test_ingest import write_txt

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Không có /usr/bin/chromium: chạy `make browser` (apt-get install chromium).",
    ),
]
DOCS = ROOT / "docs"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


def test_a_file_uploaded_in_the_browser_shows_its_report(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    source = write_txt(hd_05_dong_nai(), tmp_path / "huong-dan-05-dong-nai.txt")
    data = tmp_path / "data"
    env = os.environ | {"QUYDINH_DATA_DIR": str(data)}
    port = free_port()
    url = f"http://127.0.0.1:{port}/nap-van-ban"  # the page alone: no index is needed to read
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(STREAMLIT), "run", "ui/app.py",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            try:
                for name, (width, height) in SIZES.items():
                    page = browser.new_page(
                        viewport={"width": width, "height": height}, locale="vi-VN"
                    )
                    page.goto(url)
                    expect(page.get_by_role("heading", name="Nạp văn bản")).to_be_visible(
                        timeout=60_000
                    )
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
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    for name in SIZES:
        assert (DOCS / f"e2e-upload-{name}.png").stat().st_size > 10_000
