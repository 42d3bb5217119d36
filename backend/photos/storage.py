"""Where photo bytes live, behind one small interface: the data directory or an S3 bucket.

The upload's chunks are assembled in the data directory first (`uploads/<id>.part`, so a
resumed upload appends to a local file whatever the store); once complete and verified, the
photo and its thumbnail are put into the store. For S3, boto3's `upload_file` sends files
over 8 MiB as a multipart upload by itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Protocol

from backend.settings import PhotoSettings


class PhotoStore(Protocol):
    """Keys are relative names like `ab/abcdef….jpg`; every call blocks (run it in a thread)."""

    def put_file(self, key: str, path: Path, content_type: str) -> None: ...
    def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class FileStore:
    """Photos under `<data dir>/photos/`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key outside the store: {key!r}")
        return path

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(path, tmp)
        tmp.replace(target)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """Photos in an S3-compatible bucket (AWS, MinIO, Ceph, moto in the tests)."""

    def __init__(self, settings: PhotoSettings) -> None:
        import boto3

        self.bucket = settings.s3_bucket
        self.prefix = settings.s3_prefix
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint,
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key,
            region_name=settings.s3_region,
        )

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        self.client.upload_file(
            str(path), self.bucket, self.prefix + key, ExtraArgs={"ContentType": content_type}
        )

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type
        )

    def read(self, key: str) -> bytes:
        body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        return bytes(body.read())

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


_stores: dict[tuple[PhotoSettings, Path], PhotoStore] = {}


def store_for(settings: PhotoSettings, data_dir: Path) -> PhotoStore:
    """The store these settings name (one per settings, made on first use)."""
    key = (settings, data_dir)
    if key not in _stores:
        _stores[key] = (
            S3Store(settings) if settings.store == "s3" else FileStore(data_dir / "photos")
        )
    return _stores[key]
