"""Pure photo logic: is it really an image, its thumbnail, its storage keys (no I/O but files)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# What the content type claims must match what Pillow finds in the bytes.
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# A camera photo has at most ~50 megapixels; more is a decompression bomb.
MAX_PIXELS = 80_000_000


class NotAnImage(ValueError):
    """The bytes are not an image of the declared type."""


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inspect(path: Path, content_type: str) -> ImageInfo:
    """Open and fully decode the image; raise NotAnImage unless it is one of `content_type`."""
    try:
        with Image.open(path) as im:
            if im.format != PIL_FORMATS.get(content_type):
                raise NotAnImage(f"the bytes are {im.format or 'not an image'}, not {content_type}")
            if im.width * im.height > MAX_PIXELS:
                raise NotAnImage(f"{im.width}×{im.height} pixels is more than a photo has")
            im.load()  # a truncated or corrupt file fails here, not later
            width, height = ImageOps.exif_transpose(im).size if _rotated(im) else im.size
            return ImageInfo(width, height)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as e:
        raise NotAnImage(f"not a readable image: {e}") from None


def _rotated(im: Image.Image) -> bool:
    return im.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def thumbnail(path: Path, size: int) -> bytes:
    """A JPEG at most `size` px on the long side, turned upright by its EXIF orientation."""
    with Image.open(path) as im:
        im.draft("RGB", (size * 2, size * 2))  # JPEG: decode at a fraction of the size
        upright = ImageOps.exif_transpose(im)
        upright.thumbnail((size, size))
        out = io.BytesIO()
        upright.convert("RGB").save(out, "JPEG", quality=75, optimize=True)
        return out.getvalue()


def storage_keys(photo_id: str, content_type: str) -> tuple[str, str]:
    """The photo's and its thumbnail's keys: fanned out by the id's first two characters."""
    base = f"{photo_id[:2]}/{photo_id}"
    return f"{base}.{EXTENSIONS[content_type]}", f"{base}.thumb.jpg"
