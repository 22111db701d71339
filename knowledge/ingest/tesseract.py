"""Tesseract, called as a program: its Vietnamese model, orientation detection and word boxes.

The command line is used directly (no wrapper library): one temporary PNG per call, the TSV
output parsed here. Debian packages: tesseract-ocr, tesseract-ocr-vie, tesseract-ocr-osd
(`make ingest-tools` installs them).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from knowledge.ingest.errors import IngestError, IngestFailure

LANGUAGE = "vie"
# A page of a few thousand words takes seconds; minutes mean something is wrong with it.
TIMEOUT_S = 180
INSTALL_HINT = (
    "cài Tesseract với mô hình tiếng Việt: make ingest-tools (hoặc apt-get install "
    "tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd)"
)
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.M)
_ORIENTATION_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.M)
# Under this OSD confidence the detected orientation is a guess: the page is kept as it is.
MIN_ORIENTATION_CONFIDENCE = 1.0


@dataclass(frozen=True)
class Recognition:
    """The text Tesseract read on one page, with its mean word confidence."""

    lines: tuple[str, ...]
    confidence: float | None  # mean over words, 0–100; None when no word was found
    words: int


@functools.cache
def _languages() -> frozenset[str]:
    result = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:])


def _missing() -> str | None:
    """What is missing for OCR, in Vietnamese, or None."""
    if shutil.which("tesseract") is None:
        return "chưa cài chương trình Tesseract"
    absent = [lang for lang in (LANGUAGE, "osd") if lang not in _languages()]
    return f"Tesseract thiếu mô hình {', '.join(absent)}" if absent else None


def installed() -> bool:
    return _missing() is None


def check_installed(what: str) -> None:
    """Refuse OCR that cannot run; `what` starts the message ("Tệp x.jpg là ảnh chụp").

    Raises:
        IngestError: Tesseract or its Vietnamese or orientation model is missing.
    """
    if (missing := _missing()) is not None:
        raise IngestError(
            IngestFailure.MISSING_TOOL,
            f"{what}, cần nhận dạng chữ (OCR) nhưng máy này {missing}. Cách sửa: "
            f"{INSTALL_HINT}, rồi nạp lại.",
        )


def _run(image: Image.Image, args: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="quydinh-ocr-") as folder:
        page = Path(folder) / "page.png"
        # Tesseract sizes its layout heuristics by the resolution; a photo has none, and pages
        # narrower than imaging.MIN_PAGE_WIDTH were enlarged, so the nominal 300 dpi is used.
        image.save(page, dpi=(300, 300))
        # One thread per call: on a small machine OpenMP threads only fight each other.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        return subprocess.run(
            ["tesseract", str(page), "stdout", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )


def orientation(image: Image.Image) -> int | None:
    """Degrees to turn the page counter-clockwise so that its text is upright (0, 90, 180,
    270), or None when Tesseract cannot tell (too little text, or too unsure)."""
    result = _run(image, ["--psm", "0", "-l", "osd"])
    rotate = _ROTATE.search(result.stdout)
    sure = _ORIENTATION_CONFIDENCE.search(result.stdout)
    if result.returncode != 0 or rotate is None or sure is None:
        return None
    if float(sure.group(1)) < MIN_ORIENTATION_CONFIDENCE:
        return None
    # Tesseract's "Rotate" is clockwise; PIL turns counter-clockwise.
    return (360 - int(rotate.group(1))) % 360


def recognise(image: Image.Image) -> Recognition:
    """Lines of text in reading order (Tesseract's blocks, then lines) and the confidence.

    Raises:
        IngestError: Tesseract failed on the page.
    """
    result = _run(image, ["-l", LANGUAGE, "--psm", "3", "tsv"])
    if result.returncode != 0:
        raise IngestError(
            IngestFailure.CORRUPT,
            "Tesseract không nhận dạng được trang này (chi tiết kỹ thuật: "
            f"{result.stderr.strip()[:200]}). Cách sửa: kiểm tra ảnh, hoặc {INSTALL_HINT}.",
        )
    return parse_tsv(result.stdout)


def parse_tsv(tsv: str) -> Recognition:
    """Tesseract's TSV (one row per word with block, paragraph, line and confidence)."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":  # level 5: a word
            continue
        text = cells[11].strip()
        conf = float(cells[10])
        if not text or conf < 0:
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))  # block, paragraph, line
        lines.setdefault(key, []).append(text)
        confidences.append(conf)
    mean = sum(confidences) / len(confidences) if confidences else None
    return Recognition(tuple(" ".join(words) for words in lines.values()), mean, len(confidences))
