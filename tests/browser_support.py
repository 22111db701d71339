"""What the browser tests share: Debian's Chromium (never `playwright install`), with the real
Streamlit server of tests/servers.py."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from servers import ROOT, streamlit_server

__all__ = ["ARGS", "BROWSER_MARKS", "CHROMIUM", "ROOT", "chromium_browser", "streamlit_server"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Every browser test: slow, and skipped with the way to install Chromium when it is missing.
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Không có /usr/bin/chromium: chạy `make browser` (apt-get install chromium).",
    ),
]


@contextlib.contextmanager
def chromium_browser():
    """Debian's Chromium through Playwright, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
