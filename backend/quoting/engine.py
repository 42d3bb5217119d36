"""The device's PDF engine bundle: reportlab, our pure quote modules and the Pillow stand-in.

One zip, built from the installed packages so the device runs exactly the code the server
runs. Pyodide unpacks it (``pyodide.unpackArchive``) into a directory put first on
``sys.path``; the stand-in ``PIL`` package sits at the top so reportlab's unconditional
``from PIL import Image`` finds it (Pillow itself is never loaded on the device).

reportlab's only other dependency, charset_normalizer, is imported lazily by
``reportlab.lib.rparsexml`` alone, which quotes never use, so it is not shipped. The bundle
is deterministic (sorted entries, fixed timestamps): its SHA-256 is a stable ETag. It is
cached in ``<data dir>/quote-engine/`` under a key of the source files' names, sizes and
modification times, so a deploy with new code builds a new one.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import reportlab

import backend
import backend.quotes

_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIP_DIRS = {"__pycache__", "pil_standin"}
_SKIP_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class EngineBundle:
    """The zip's bytes and their SHA-256 (hex), the ETag devices revalidate with."""

    data: bytes
    sha256: str


def _walk(root: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(_SKIP_SUFFIXES):
                continue
            path = Path(directory) / name
            yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def bundle_files() -> list[tuple[str, Path]]:
    """(name in the zip, file on disk) of everything the device needs, sorted by name."""
    reportlab_dir = Path(reportlab.__file__).resolve().parent
    quotes_dir = Path(backend.quotes.__file__).resolve().parent
    files = list(_walk(reportlab_dir, "reportlab"))
    files.append(("backend/__init__.py", Path(backend.__file__).resolve()))
    files += _walk(quotes_dir, "backend/quotes")
    files.append(("PIL/__init__.py", quotes_dir / "pil_standin" / "PIL" / "__init__.py"))
    return sorted(files)


def _key(files: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, path in files:
        stat = path.stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def build_bundle(files: list[tuple[str, Path]]) -> bytes:
    """The zip of these files, byte for byte the same for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=6)
    return buffer.getvalue()


_cached: EngineBundle | None = None
_cached_key: str | None = None


def engine_bundle(data_dir: Path) -> EngineBundle:
    """The bundle for the installed code: from memory, the data dir's cache, or built now."""
    global _cached, _cached_key
    files = bundle_files()
    key = _key(files)
    if _cached is not None and _cached_key == key:
        return _cached
    cache = data_dir / "quote-engine" / f"engine-{key}.zip"
    if cache.is_file():
        data = cache.read_bytes()
    else:
        data = build_bundle(files)
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("engine-*.zip"):
            old.unlink(missing_ok=True)
        # Written aside and renamed: another process never reads a half-written file.
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(cache)
    _cached, _cached_key = EngineBundle(data, hashlib.sha256(data).hexdigest()), key
    return _cached
