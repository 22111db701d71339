"""Cleaning a scanned or photographed page before recognition.

Party documents circulate with a red stamp over the signature and as phone photos taken at a
slight angle under uneven light. Each step removes one of these before Tesseract sees the page:
the red ink is turned white (the black text under it stays), the lighting is flattened, noise is
filtered, and a slight tilt is measured and straightened. Turning a page that lies sideways or
upside down needs Tesseract's orientation detection (knowledge/ingest/tesseract.py).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

# Tilt searched for, in degrees either way: a hand-fed scanner or a phone held askew.
MAX_SKEW = 5.0
# Below this width (pixels) a full page is too coarse for Tesseract (under ~150 dpi on A4).
MIN_PAGE_WIDTH = 1200


def remove_red(image: Image.Image) -> Image.Image:
    """The red stamp and red ink turned white.

    A pixel is red when its red channel clearly dominates both others; where the stamp lies
    over black text, the pixel is dark in every channel and is kept, so the text survives.
    """
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    red = (r > 80) & (r * 10 > g * 14) & (r * 10 > b * 14)
    out = rgb.copy()
    out[red] = 255
    return Image.fromarray(out.astype(np.uint8), "RGB")


def flatten_background(gray: Image.Image) -> Image.Image:
    """Even out the lighting of a photo: divide by the paper's brightness around each point.

    The paper's brightness is estimated on a small copy where a max filter erases the text.
    """
    width, height = gray.size
    small = gray.resize((max(1, width // 8), max(1, height // 8)), Image.Resampling.BILINEAR)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    paper = paper.resize((width, height), Image.Resampling.BILINEAR)
    ink = np.asarray(gray).astype(np.float32)
    light = np.maximum(np.asarray(paper).astype(np.float32), 1.0)
    flat = np.clip(ink / light * 255.0, 0, 255).astype(np.uint8)
    return Image.fromarray(flat, "L")


def denoise(gray: Image.Image) -> Image.Image:
    """Speckles and grain removed; strokes of text are wider than the 3-pixel window."""
    return gray.filter(ImageFilter.MedianFilter(3))


def ink_share(gray: Image.Image) -> float:
    """Share of a cleaned page that is ink, measured on a small copy. Faded toner counts:
    after `flatten_background` the paper is near white, so anything clearly darker is ink."""
    small = gray.resize((max(1, gray.width // 4), max(1, gray.height // 4)))
    return float(np.mean(np.asarray(small) < 192))


def estimate_skew(gray: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the lines of text horizontal.

    Projection profile: rotated to the right angle, the rows of ink and the gaps between
    lines alternate most sharply, so the sum of squared differences of the row sums peaks.
    Searched coarse (0.5°) then fine (0.1°) on a small binarised copy.
    """
    width, height = gray.size
    scale = min(1.0, 1000 / max(1, width))
    small = gray.resize((max(1, int(width * scale)), max(1, int(height * scale))))
    ink = small.point(lambda v: 255 if v < 128 else 0)

    def sharpness(angle: float) -> float:
        rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0))
        rows = rotated.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return round(float(max(fine, key=sharpness)), 1)


def rotate(image: Image.Image, angle: float) -> Image.Image:
    """Turn by `angle` degrees counter-clockwise, the new corners filled with paper white."""
    if angle == 0:
        return image
    if angle in (90, 180, 270):
        return image.rotate(angle, expand=True)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def clean_page(image: Image.Image) -> Image.Image:
    """A page as Tesseract reads it best: grey, no red, even light, no speckles, large enough.

    It is left grey: thresholding here (Otsu, then a median filter) was tried and lost
    diacritics on slightly blurred scans ("đối" read as "đổi"); Tesseract's own
    thresholding reads them right.

    Tilt and orientation are corrected separately (they need the cleaned page to measure).
    """
    image = ImageOps.exif_transpose(image)  # phone photos store their orientation in EXIF
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image.mode == "RGB":
        image = remove_red(image)
    gray = image.convert("L")
    if gray.width < MIN_PAGE_WIDTH:
        factor = MIN_PAGE_WIDTH / gray.width
        gray = gray.resize((MIN_PAGE_WIDTH, round(gray.height * factor)), Image.Resampling.LANCZOS)
    return denoise(flatten_background(gray))
