"""Draw the app icons (192, 512 and a maskable 512) as PNGs with only the standard library."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BRAND = (11, 61, 145)
WHITE = (255, 255, 255)


def png(width: int, height: int, pixel) -> bytes:  # type: ignore[no-untyped-def]
    """Encode an RGB image given pixel(x, y) -> (r, g, b)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def mark(size: int, scale: float):  # type: ignore[no-untyped-def]
    """A white ring with a dot (a stop on a round) centred in a brand-blue square."""
    c = size / 2
    outer, inner, dot = 0.34 * size * scale, 0.24 * size * scale, 0.09 * size * scale

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        d = ((x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2) ** 0.5
        return WHITE if inner <= d <= outer or d <= dot else BRAND

    return pixel


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "icons"
    out.mkdir(exist_ok=True)
    (out / "icon-192.png").write_bytes(png(192, 192, mark(192, 1.0)))
    (out / "icon-512.png").write_bytes(png(512, 512, mark(512, 1.0)))
    # Maskable: the mark stays inside the 80 % safe zone, the background fills the rest.
    (out / "maskable-512.png").write_bytes(png(512, 512, mark(512, 0.75)))


if __name__ == "__main__":
    main()
