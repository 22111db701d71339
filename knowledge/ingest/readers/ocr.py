"""Scans and photos: PNG, JPEG and TIFF images, and the pages of a PDF without a text layer.

Each page is cleaned (knowledge/ingest/imaging.py), turned upright when Tesseract's orientation
detection is sure, straightened, and recognised with the Vietnamese model. Every page reports
its progress and its mean word confidence; a page below `Limits.min_confidence` is flagged, and
a file most of whose pages are below it is refused: its text would be mostly wrong.
"""

from __future__ import annotations

import io
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from knowledge.ingest import imaging, tesseract
from knowledge.ingest.errors import IngestError, IngestFailure
from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import (
    IMAGE_MAGIC,
    PageInfo,
    ReadContext,
    SourceText,
    clean_lines,
    corrupt,
    image_kind,
    wrong_content,
)

# Below this share of ink a scanned page is blank (a duplex scan's empty backs): it is neither
# recognised nor counted as unreadable. A page with only a signature block has ten times more.
BLANK_INK = 0.0003
# Pages recognised at once (each Tesseract call is single-threaded): the cores of a small
# server; more only costs memory.
OCR_WORKERS = 2
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")


@dataclass(frozen=True)
class OcrPage:
    """One recognised page: its lines and how they were read."""

    info: PageInfo
    lines: tuple[str, ...]


def recognise_page(image: Image.Image, number: int, context: ReadContext) -> OcrPage:
    """Clean, turn, straighten and recognise one page; a blank page is not recognised."""
    page = imaging.clean_page(image)
    if imaging.ink_share(page) < BLANK_INK:
        return OcrPage(PageInfo(number, ocr=True, blank=True), ())
    turned = tesseract.orientation(page) or 0
    page = imaging.rotate(page, turned)
    skew = imaging.estimate_skew(page)
    page = imaging.rotate(page, skew)
    found = tesseract.recognise(page)
    low = found.confidence is None or found.confidence < context.limits.min_confidence
    info = PageInfo(
        number=number,
        ocr=True,
        confidence=None if found.confidence is None else round(found.confidence, 1),
        low_confidence=low,
        rotation=turned,
        skew=skew,
        words=found.words,
    )
    lines = tuple(line for line in clean_lines(found.lines) if not _PAGE_NUMBER.match(line))
    return OcrPage(info, lines)


def recognise_pages(
    pages: Iterable[tuple[int, Image.Image]],
    count: int,
    context: ReadContext,
    total_pages: int | None = None,
) -> list[OcrPage]:
    """Recognise `count` pages, reporting each to `context.progress` in page order.

    Pages are numbered in the file (`total_pages` of them, `count` by default): a PDF may
    need OCR on only some of its pages. Tesseract runs single-threaded, one page per core;
    at most that many pages are held as pictures at a time.
    """
    total_pages = total_pages or count
    workers = max(1, min(OCR_WORKERS, os.cpu_count() or 1))
    done: list[OcrPage] = []
    waiting: deque[tuple[int, Future[OcrPage]]] = deque()

    def finish_oldest() -> None:
        number, future = waiting.popleft()
        page = future.result()
        done.append(page)
        confidence = page.info.confidence
        shown = "không nhận ra chữ" if confidence is None else f"độ tin cậy {confidence:.0f}%"
        shown = "trang trắng" if page.info.blank else shown
        flag = " — thấp, cần đối chiếu bản gốc" if page.info.low_confidence else ""
        context.report(len(done), count, f"Trang {number}/{total_pages}: {shown}{flag}.")

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            for number, image in pages:
                if len(waiting) >= workers:
                    finish_oldest()
                context.report(
                    len(done), count, f"Đang nhận dạng chữ trang {number}/{total_pages}…"
                )
                waiting.append((number, pool.submit(recognise_page, image, number, context)))
            while waiting:
                finish_oldest()
        finally:
            for _, future in waiting:  # an error on one page: do not start the others
                future.cancel()
    return done


def check_readable(pages: list[PageInfo], context: ReadContext, what: str) -> None:
    """Refuse a scan most of whose pages are below the confidence threshold; `what` starts
    the message ("Ảnh x.jpg").

    Raises:
        IngestError: more than half of the pages that are not blank are below
            `Limits.min_confidence`, or every page is blank.
    """
    if pages and all(p.blank for p in pages):
        raise IngestError(
            IngestFailure.POOR_SCAN,
            f"{what} chỉ có trang trắng: không thấy chữ nào để nhận dạng, nên chưa ghi gì. "
            "Cách sửa: kiểm tra đã quét đúng mặt có chữ của các trang văn bản.",
        )
    pages = [p for p in pages if not p.blank]
    low = [p for p in pages if p.low_confidence]
    if not pages or len(low) * 2 <= len(pages):
        return
    threshold = context.limits.min_confidence
    shown = ", ".join(
        f"trang {p.number}: "
        + ("không nhận ra chữ" if p.confidence is None else f"{p.confidence:.0f}%")
        for p in low[:10]
    )
    raise IngestError(
        IngestFailure.POOR_SCAN,
        f"{what} quá mờ hoặc quá nhiễu để nhận dạng chữ: {len(low)}/{len(pages)} trang có độ "
        f"tin cậy dưới {threshold:.0f}% ({shown}); lời văn nhận được sẽ sai nhiều nên chưa ghi "
        "gì. Cách sửa: quét lại ở 300 dpi, trang thẳng, đủ sáng, không bóng mờ (hoặc chụp "
        "lại rõ nét từng trang), hoặc dùng bản DOCX/PDF có lớp chữ của văn bản.",
    )


def low_confidence_warning(pages: list[PageInfo], context: ReadContext) -> list[str]:
    """The warning naming the flagged pages of a scan that was still read."""
    low = [p for p in pages if p.low_confidence]
    if not low:
        return []
    shown = ", ".join(
        f"{p.number} ({'không nhận ra chữ' if p.confidence is None else f'{p.confidence:.0f}%'})"
        for p in low
    )
    return [
        f"Trang {shown} có độ tin cậy nhận dạng chữ dưới {context.limits.min_confidence:.0f}%; "
        "lời văn các trang này có thể sai, xin đối chiếu bản gốc."
    ]


def _frames(image: Image.Image) -> Iterator[tuple[int, Image.Image]]:
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        yield index + 1, image.copy()


def _read_image(path: Path, data: bytes, context: ReadContext) -> SourceText:
    kind = image_kind(data)
    if kind is None:
        raise wrong_content(path, data, "ảnh PNG, JPEG hoặc TIFF")
    tesseract.check_installed(f"Tệp {path.name} là ảnh chụp hoặc bản quét")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError:
        raise IngestError(
            IngestFailure.TOO_LARGE,
            f"Ảnh {path.name} có hơn {2 * Image.MAX_IMAGE_PIXELS // 1_000_000} triệu điểm ảnh, "
            "quá lớn cho một trang văn bản (một trang A3 quét 600 dpi có khoảng 70 triệu). "
            "Cách sửa: quét hoặc chụp lại ở 300 dpi.",
        ) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise corrupt(path, f"ảnh {kind}", exc) from None
    total = getattr(image, "n_frames", 1)
    context.limits.check_pages(path, total)
    try:
        pages = recognise_pages(_frames(image), total, context)
    except (OSError, ValueError) as exc:  # a damaged frame of a multi-page TIFF
        raise corrupt(path, f"ảnh {kind}", exc) from None
    infos = [p.info for p in pages]
    check_readable(infos, context, f"Ảnh {path.name}")
    lines = tuple(line for page in pages for line in page.lines)
    warnings = tuple(low_confidence_warning(infos, context))
    return SourceText(path, "image", lines, wrapped=True, warnings=warnings, pages=tuple(infos))


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
READER = Reader("image", "ảnh", IMAGE_SUFFIXES, tuple(IMAGE_MAGIC), _read_image)
