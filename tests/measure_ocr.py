"""OCR speed and accuracy on the scans the tests generate (not a test: run it by hand).

    .venv/bin/python tests/measure_ocr.py

For each generated document (QĐ 124 as a duplex scan of 3 pages plus a blank back, the
one-page QĐ 900 as a phone photo turned sideways, the provincial guide HD 05 as a scan of
one page, 13 pt) it reads the picture and the same text typed (.txt), and prints:
- seconds per page: the time between two pages' progress reports (rotation, stamp removal,
  deskew and Tesseract; meaningful with one OCR worker), and the whole reading divided by the
  pages with ink, with one worker and with the default (pages recognised side by side);
- character accuracy: 1 − edit distance / length over the text of every provision found in
  both, and the provisions the scan missed or added.
The figures are written in docs/ocr.md.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import scans  # noqa: E402
from ingest_support import digest_dir_with_900, qd_900  # noqa: E402
from new_documents import hd_05_dong_nai  # noqa: E402
from PIL import Image  # noqa: E402
from test_ingest import qd_124, write_txt  # noqa: E402

from knowledge.ingest import read_official  # noqa: E402


def _scan_124(folder: Path) -> Path:
    pages = scans.render_pages(qd_124())
    fed = [
        scans.scanned(pages[0], 1.5, seed=1),
        scans.scanned(pages[1], -2.2, seed=2, turned=180),
        scans.scanned(pages[2], 2.8, seed=3),
        scans.scanned(Image.new("RGB", pages[0].size, "white"), 0.5, seed=4),
    ]
    return scans.save_pdf(fed, folder / "ban-quet-124.pdf")


def _photo_900(folder: Path) -> Path:
    pages = scans.render_pages(qd_900(), spacing=1.3, margin_in=0.6)
    photo = folder / "anh-chup-900.jpg"
    photo.write_bytes(scans.photographed(pages[0], 2.0, seed=7, turned=90))
    return photo


def _scan_hd05(folder: Path) -> Path:
    # 13 pt: at 14 pt the generator's right header column runs past the page edge.
    pages = scans.render_pages(hd_05_dong_nai(), points=13)
    fed = [scans.scanned(p, -1.2 + i, seed=20 + i) for i, p in enumerate(pages)]
    return scans.save_pdf(fed, folder / "ban-quet-hd05.pdf")


CASES = [
    ("QĐ 124, bản quét PDF (3 trang + 1 trang trắng)", _scan_124, qd_124, None),
    ("QĐ 900, ảnh chụp điện thoại xoay ngang (1 trang)", _photo_900, qd_900, "900"),
    ("HD 05 Đồng Nai, bản quét PDF", _scan_hd05, hd_05_dong_nai, None),
]


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def measure(name, make_picture, make_doc, digest, folder: Path) -> dict:
    official = folder / name[:6].replace(" ", "-") / "official"
    documents = digest_dir_with_900(folder) if digest else None
    kwargs = {"official_dir": official} | ({"documents_dir": documents} if documents else {})
    typed = read_official(write_txt(make_doc(), folder / "typed.txt"), **kwargs)
    picture = make_picture(folder)
    stamps: list[tuple[float, object]] = []
    start = time.perf_counter()
    scanned = read_official(
        picture, progress=lambda s: stamps.append((time.perf_counter(), s)), **kwargs
    )
    total = time.perf_counter() - start
    pages = scanned.source.pages
    inked = [p for p in pages if not p.blank]
    times = [t for t, s in stamps if s.message.startswith("Trang ")]
    per_page = [b - a for a, b in zip([start, *times], times, strict=False)]
    want = {p.id: p.text for p in typed.tree.provisions if p.text}
    got = {p.id: p.text for p in scanned.tree.provisions if p.text}
    common = [pid for pid in want if pid in got and not pid.endswith("/thong-tin")]
    chars = sum(len(want[p]) for p in common)
    errors = sum(_distance(want[p], got[p]) for p in common)
    return {
        "name": name,
        "pages": len(pages),
        "inked": len(inked),
        "per_page": per_page[: len(pages)],
        "seconds": total,
        "confidence": [p.confidence for p in inked],
        "provisions": len(common),
        "missed": sorted(set(want) - set(got)),
        "added": sorted(set(got) - set(want)),
        "chars": chars,
        "accuracy": 1 - errors / max(1, chars),
    }


def main() -> None:
    from knowledge.ingest.readers import ocr

    for workers in (1, ocr.OCR_WORKERS):
        ocr.OCR_WORKERS = workers
        print(f"\nTesseract trên {workers} lõi (OCR_WORKERS={workers}):")
        _run()
    print(f"\n{platform.processor() or platform.machine()}, Python {platform.python_version()}")


def _run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            folder = Path(tmp) / str(CASES.index(case))
            folder.mkdir()
            r = measure(*case, folder)
            pages = ", ".join(f"{s:.1f}" for s in r["per_page"])
            conf = ", ".join(f"{c:.0f}" for c in r["confidence"] if c is not None)
            print(
                f"| {r['name']} | {r['pages']} ({r['inked']} có chữ) | {pages} | "
                f"{r['seconds'] / max(1, r['inked']):.1f} | {conf} | {r['provisions']} | "
                f"{r['chars']} | {100 * r['accuracy']:.2f}% | "
                f"{len(r['missed'])}/{len(r['added'])} |"
            )


if __name__ == "__main__":
    main()
