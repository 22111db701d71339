"""The README's set-up for several app instances, for real: two Streamlit processes, each with
its own data folder, share one Chroma server and one PostgreSQL feedback store. A reader rates
an answer in each (in Chromium); both ratings land in the one table, and neither instance
keeps an index or a feedback file of its own. Servers bind 127.0.0.1 and are stopped by
their own PID."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port, wait_for_http

from assistant.feedback import FeedbackStore
from assistant.prompts import UI

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
STREAMLIT = Path(sys.executable).with_name("streamlit")
CHROMA = Path(sys.executable).with_name("chroma")
QUESTIONS = ["Chi bộ mẫu gồm những chi bộ nào?", "Biên bản sinh hoạt gửi trong bao lâu?"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Không có /usr/bin/chromium: chạy `make browser` (apt-get install chromium).",
    ),
]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def test_two_streamlit_instances_share_one_chroma_server_and_one_feedback_table(
    postgres_url, tmp_path, data_dir
):
    from playwright.sync_api import sync_playwright

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(data_dir / "synthetic" / "qd-900-2024.md", docs / "qd-900-2024.md")
    chroma_port = free_port()
    servers = [
        subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(chroma_port),
                "--path",
                str(tmp_path / "chroma"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    ]
    try:
        wait_for_http(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", servers[0])
        shared = {
            "QUYDINH_CHROMA_URL": f"http://127.0.0.1:{chroma_port}",
            "QUYDINH_FEEDBACK_URL": postgres_url,
            "QUYDINH_DOCUMENTS_DIR": str(docs),
        }
        env = os.environ | shared | {"QUYDINH_DATA_DIR": str(tmp_path / "admin")}
        built = subprocess.run(
            [sys.executable, "-m", "assistant", "index"], cwd=ROOT, env=env, timeout=600
        )
        assert built.returncode == 0
        urls = []
        for n in (1, 2):
            port = free_port()
            instance_env = os.environ | shared | {"QUYDINH_DATA_DIR": str(tmp_path / f"app-{n}")}
            servers.append(
                subprocess.Popen(
                    [
                        str(STREAMLIT),
                        "run",
                        "ui/app.py",
                        "--server.address",
                        "127.0.0.1",
                        "--server.port",
                        str(port),
                        "--server.headless",
                        "true",
                        "--browser.gatherUsageStats",
                        "false",
                    ],
                    cwd=ROOT,
                    env=instance_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers[1:], strict=True):
            wait_for_http(f"{url}/_stcore/health", server)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                for url, question in zip(urls, QUESTIONS, strict=True):
                    page = browser.new_page(locale="vi-VN")
                    page.goto(url)
                    box = page.get_by_test_id("stChatInputTextArea")
                    box.wait_for(timeout=120_000)
                    box.fill(question)
                    box.press("Enter")
                    page.get_by_text(UI.SOURCES).first.wait_for(timeout=60_000)
                    thumbs = page.get_by_role("radio", name="Thumbs up").first
                    thumbs.click()
                    page.get_by_text(UI.FEEDBACK_SAVED).first.wait_for(timeout=30_000)
                    page.close()
            finally:
                browser.close()
    finally:
        for server in reversed(servers):
            _stop(server)

    rows = [(f.question, f.rating) for f in FeedbackStore(postgres_url).all()]
    for question in QUESTIONS:
        assert (question, 1) in rows
    for n in (1, 2):
        assert not (tmp_path / f"app-{n}" / "index").exists()  # the index is the server's
        assert not (tmp_path / f"app-{n}" / "feedback.sqlite3").exists()
