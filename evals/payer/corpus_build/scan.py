"""Rasterise a block of text into 'scanned' page images (slightly rotated, speckled, JPEG)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DPI = 150
PAGE_PX = (int(6.5 * DPI), int(9.0 * DPI))  # fills the body frame of a Letter page
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu")
FONT_FILES = ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf")
MARGIN = 40
LINE_H = 30


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for d in FONT_DIRS:
        for f in FONT_FILES:
            if (Path(d) / f).is_file():
                return ImageFont.truetype(str(Path(d) / f), size)
    return ImageFont.load_default()


def _wrap(paragraphs: list[str], font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          width: int) -> list[str]:
    lines: list[str] = []
    for para in paragraphs:
        words, cur = para.split(), ""
        for w in words:
            trial = f"{cur} {w}".strip()
            if font.getlength(trial) <= width or not cur:
                cur = trial
            else:
                lines.append(cur)
                cur = w
        lines.extend([cur, ""])
    return lines


def _page(lines: list[str], stamp: str, seed: int) -> bytes:
    rng = random.Random(seed)
    img = Image.new("L", PAGE_PX, 247)
    draw = ImageDraw.Draw(img)
    font, small = _font(21), _font(15)
    draw.text((MARGIN, 12), stamp, fill=70, font=small)
    y = MARGIN + 24
    for line in lines:
        draw.text((MARGIN, y), line, fill=rng.randint(15, 45), font=font)
        y += LINE_H
    for _ in range(2600):  # toner speckle and scanner dust
        x, yy = rng.randrange(PAGE_PX[0]), rng.randrange(PAGE_PX[1])
        draw.point((x, yy), fill=rng.randint(90, 200))
    for _ in range(6):
        x = rng.randrange(PAGE_PX[0])
        draw.line([(x, 0), (x + rng.randint(-3, 3), PAGE_PX[1])], fill=232, width=1)
    img = img.rotate(rng.uniform(-0.9, 0.9), resample=Image.Resampling.BICUBIC, fillcolor=250)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=62, optimize=True)
    return buf.getvalue()


def scanned_pages(paragraphs: list[str], stamp: str, seed: int) -> list[bytes]:
    """JPEG bytes for each page needed to show `paragraphs` as an image-only scan."""
    font = _font(21)
    lines = _wrap(paragraphs, font, PAGE_PX[0] - 2 * MARGIN)
    per_page = (PAGE_PX[1] - 2 * MARGIN - 24) // LINE_H
    chunks = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    return [_page(c, f"{stamp}  p.{n + 1}", seed + n) for n, c in enumerate(chunks)]
