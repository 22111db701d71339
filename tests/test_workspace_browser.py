"""The four workspace pages in a real browser: the real Streamlit server (the workspaces need
the pack, not the index), Debian's Chromium driven by Playwright. Each page is opened by its
link, shows its document, and is saved as a screenshot (evals/reports/workspace-*.png; the
copies in docs/ come from here)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from test_e2e_browser import CHROMIUM, STREAMLIT, free_port, wait_for_http

from evals.runner import REPORTS

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Không có /usr/bin/chromium: chạy `make browser` (apt-get install chromium).",
    ),
]

# (screenshot name, link, what the page must show, tab to open first)
PAGES = [
    (
        "workspace-brief",
        "?page=ban-tin&doc=qd-366-2025",
        ["Bản tin: Quy định 366-QĐ/TW", "Những gì thay đổi từ 2023 đến 2025", "Tải PDF"],
        None,
    ),
    (
        "workspace-lesson",
        "?page=bai-giang&doc=qd-366-2025&n=5&seed=1",
        ["Bài giảng: Quy định 366-QĐ/TW", "Câu 1. Theo "],
        "Câu hỏi",
    ),
    (
        "workspace-compare",
        "?page=so-sanh&old=qd-124-2023&new=qd-366-2025",
        ["So sánh Quy định 124-QĐ/TW và Quy định 366-QĐ/TW", "Kỳ 2023–2024", "Từ kỳ 2025"],
        None,
    ),
    (
        "workspace-guide",
        "?page=truong-hop&org=chi-bo-truc-thuoc&role=dang-vien&year=2025&public=1",
        ["kỳ năm 2025", "Mỗi cá nhân làm bản tự kiểm điểm theo một trong các mẫu 2A, 2B, 2C."],
        None,
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workspace-browser")
    env = os.environ | {"QUYDINH_DATA_DIR": str(tmp / "data")}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(STREAMLIT), "run", "ui/app.py",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_http(f"{url}/_stcore/health", process)
        yield url
    finally:
        process.terminate()  # this server only, by its own handle
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.parametrize(("name", "link", "expected", "tab"), PAGES, ids=[p[0] for p in PAGES])
def test_workspace_page_in_a_real_browser(server, browser, name, link, expected, tab):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1800}, locale="vi-VN")
    try:
        page.goto(f"{server}/{link}")
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(expected[0], timeout=120_000)
        if tab is not None:
            page.get_by_role("tab", name=tab).click()
        for words in expected[1:]:
            expect(main).to_contain_text(words, timeout=30_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        REPORTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(REPORTS / f"{name}.png"))
    finally:
        page.close()
