"""A camera-like JPEG for the photo tests and the benchmark: 4000×3000, about 4 MB, EXIF turn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def camera_jpeg(path: Path, *, width: int = 4000, height: int = 3000, orientation: int = 6) -> Path:
    """Write a photo-like JPEG (smooth shapes, fine texture, sensor noise) whose EXIF says
    "turn 90°". The texture is coarser than a pixel, as a real scene's detail is, so the
    phone's 1600 px copy keeps some of it (a few hundred KB, like a real photo)."""
    rng = np.random.default_rng(18)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            128 + 90 * np.sin(x / 310) * np.cos(y / 270),
            128 + 80 * np.cos((x + y) / 420),
            128 + 70 * np.sin(y / 190),
        ],
        axis=-1,
    )
    texture = rng.normal(0, 22, size=(-(-height // 3), -(-width // 3), 3)).astype(np.float32)
    texture = np.repeat(np.repeat(texture, 3, axis=0), 3, axis=1)[:height, :width]
    noise = rng.normal(0, 5, size=(height, width, 3)).astype(np.float32)
    pixels = np.clip(base + texture + noise, 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(pixels, "RGB").save(path, "JPEG", quality=85, exif=exif)
    return path
