"""Scans and phone photos of an official text, made by the tests themselves.

A page is drawn the way a party document is printed (letterhead in two columns, bold title,
body, closing in two columns) with a Vietnamese font, then spoilt the way real copies are: a
red stamp over the signature, a slight tilt, grain, uneven light, JPEG compression. Every
random step is seeded, so a test sees the same pictures on every run.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

A4_INCHES = (8.27, 11.69)
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
STAMP_RED = (205, 35, 45)


def _font_file(bold: bool) -> Path:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in (SYSTEM_FONTS, Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf"):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"không có phông Unicode {name} để vẽ bản quét thử")


@dataclass(frozen=True)
class Row:
    """One printed line: left text, optional right column, bold, centred."""

    left: str
    right: str | None = None
    bold: bool = False
    centre: bool = False


def layout_rows(doc, width_px: int, font: ImageFont.FreeTypeFont) -> list[Row]:
    """The document as printed rows: columns side by side, long paragraphs wrapped."""
    rows: list[Row] = []
    for i in range(max(len(doc.header_left), len(doc.header_right))):
        left = doc.header_left[i] if i < len(doc.header_left) else ""
        right = doc.header_right[i] if i < len(doc.header_right) else ""
        rows.append(Row(left, right))
    rows.append(Row(""))
    rows.append(Row(doc.title[0], bold=True, centre=True))
    rows += [Row(line, centre=True) for line in doc.title[1:]]
    rows.append(Row("-----", centre=True))
    for line in doc.preamble + doc.body:
        heading = line.startswith(("Điều ", "Chương ")) or line.isupper()
        words, current = line.split(), ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and font.getlength(candidate) > width_px:
                rows.append(Row(current, bold=heading))
                current = word
            else:
                current = candidate
        rows.append(Row(current, bold=heading))
    rows.append(Row(""))
    for i in range(max(len(doc.closing_left), len(doc.closing_right))):
        left = doc.closing_left[i] if i < len(doc.closing_left) else ""
        right = doc.closing_right[i] if i < len(doc.closing_right) else ""
        rows.append(Row(left, right))
    return rows


def render_pages(
    doc,
    dpi: int = 200,
    points: float = 14,
    spacing: float = 1.5,
    margin_in: float = 0.8,
    stamp: bool = True,
) -> list[Image.Image]:
    """Clean printed pages of `doc` (RGB, A4 at `dpi`, Vietnamese documents' 14 pt), the
    stamp over the signature block."""
    size = round(points * dpi / 72)
    regular = ImageFont.truetype(str(_font_file(False)), size)
    bold = ImageFont.truetype(str(_font_file(True)), size)
    width, height = (round(inches * dpi) for inches in A4_INCHES)
    margin = round(margin_in * dpi)
    step = round(size * spacing)
    rows = layout_rows(doc, width - 2 * margin, regular)
    per_page = (height - 2 * margin) // step
    pages = []
    signer_at = None
    for start in range(0, len(rows), per_page):
        page = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(page)
        y = margin
        for row in rows[start : start + per_page]:
            font = bold if row.bold else regular
            x = (width - font.getlength(row.left)) / 2 if row.centre else margin
            draw.text((x, y), row.left, font=font, fill="black")
            if row.right is not None:
                draw.text((width // 2 + margin // 2, y), row.right, font=font, fill="black")
                if row.right == doc.closing_right[-1]:
                    signer_at = (len(pages), width // 2 + margin // 2, y)
            y += step
        pages.append(page)
    if stamp and signer_at is not None:
        index, x, y = signer_at
        pages[index] = red_stamp(pages[index], (x + size * 3, y - size), radius=size * 3)
    return pages


def red_stamp(page: Image.Image, centre: tuple[int, int], radius: int) -> Image.Image:
    """A round red stamp printed over the page: red where the paper is white, black text
    under it stays black (ink multiplies)."""
    layer = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    for r, w in ((radius, max(3, radius // 12)), (round(radius * 0.72), max(2, radius // 20))):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=STAMP_RED, width=w)
    font = ImageFont.truetype(str(_font_file(True)), max(10, radius // 5))
    for i, text in enumerate(("BAN CHẤP HÀNH", "TRUNG ƯƠNG", "★")):
        tw = font.getlength(text)
        draw.text(
            (cx - tw / 2, cy - radius * 0.45 + i * radius * 0.32), text, font=font, fill=STAMP_RED
        )
    return ImageChops.multiply(page, layer)


def scanned(page: Image.Image, angle: float, seed: int, turned: int = 0) -> Image.Image:
    """A flatbed scan: the page tilted by `angle` degrees (and fed turned by `turned`),
    with speckles and a slight blur."""
    rng = np.random.default_rng(seed)
    image = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    if turned:
        image = image.rotate(turned, expand=True)
    pixels = np.asarray(image).copy()
    specks = rng.random(pixels.shape[:2]) < 0.002
    pixels[specks] = rng.choice([0, 255], size=(int(specks.sum()), 1))
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(0.6))


def photographed(page: Image.Image, angle: float, seed: int, turned: int = 0) -> bytes:
    """A phone photo as JPEG bytes: the page tilted on a grey desk, lit unevenly from one
    side, with sensor grain and JPEG compression."""
    rng = np.random.default_rng(seed)
    image = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(96,) * 3)
    if turned:
        image = image.rotate(turned, expand=True)
    pixels = np.asarray(image).astype(np.float32)
    h, w = pixels.shape[:2]
    light = np.linspace(1.0, 0.72, w, dtype=np.float32)[None, :, None]
    light = light * np.linspace(0.95, 1.0, h, dtype=np.float32)[:, None, None]
    pixels = pixels * light + rng.normal(0, 7, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(0.7)).save(out, "JPEG", quality=82)
    return out.getvalue()


def save_pdf(pages: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    """Pictures as a PDF without a text layer, as a scanner writes it."""
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(path, "PDF", save_all=True, append_images=rgb[1:], resolution=dpi)
    return path


def char_accuracy(expected: str, got: str) -> float:
    """1 − Levenshtein distance / length, on NFC text: the share of characters right."""
    a, b = unicodedata.normalize("NFC", expected), unicodedata.normalize("NFC", got)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1 - previous[-1] / max(1, len(a))
