"""The four workspace pages in a real browser: the real Streamlit server (the workspaces need
the pack, not the index), Debian's Chromium driven by Playwright. Each page is opened by its
link, shows its document, and is saved as a screenshot (evals/reports/workspace-*.png; the
copies in docs/ come from here)."""

from __future__ import annotations

import os

import pytest
from browser_support import BROWSER_MARKS, chromium_browser, streamlit_server

from evals.runner import REPORTS

pytestmark = BROWSER_MARKS

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
    with streamlit_server(env, tmp / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


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
