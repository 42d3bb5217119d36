"""Offer images: any common format in, one resized JPEG out, stored in the database.

Stored as rows (not files) so that every server process behind a load balancer serves the
same image; images are small once resized (about 100-200 kB).
"""

from __future__ import annotations

import io
from uuid import UUID, uuid4

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.accounts.principal import Principal, Role
from backend.db import write_transaction
from backend.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from notifications.schemas import OfferImageRead
from notifications.tables import OfferImage

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1200  # px: sharp on a phone, small enough for a push
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
QUALITY = 82


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(
        detail="The image cannot be used.", errors=[FieldError("image", message, "invalid")]
    )


def to_jpeg(raw: bytes) -> tuple[bytes, int, int]:
    """Any image Pillow reads (PNG, WebP, GIF, JPEG, …) as an upright JPEG ≤ MAX_SIDE px."""
    if not raw:
        raise _bad("is empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _bad(f"is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise _bad("has too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(raw)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            if upright.mode in ("RGBA", "LA", "P"):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                upright = flat
            else:
                upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            upright.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
            return out.getvalue(), upright.width, upright.height
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _bad("is not an image in a known format (PNG, JPEG, WebP, GIF)") from None


def image_url(image_id: UUID) -> str:
    return f"/api/offers/images/{image_id}"


async def upload_image(principal: Principal, raw: bytes) -> OfferImageRead:
    """Convert and keep an offer image; answers the URL to put in the offer's image_url."""
    if principal.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(detail="Only managers write offers.")
    jpeg, width, height = to_jpeg(raw)
    image_id = uuid4()
    async with write_transaction():
        await OfferImage.insert(
            OfferImage(
                id=image_id,
                data=jpeg,
                width=width,
                height=height,
                author=principal.user_id,
            )
        )
    return OfferImageRead(
        id=image_id, image_url=image_url(image_id), width=width, height=height, bytes=len(jpeg)
    )


async def image_bytes(image_id: UUID) -> bytes:
    row = await OfferImage.select(OfferImage.data).where(OfferImage.id == image_id).first()
    if row is None:
        raise NotFound(detail="No such image.")
    return bytes(row["data"])
