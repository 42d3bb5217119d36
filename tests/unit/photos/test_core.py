"""Pure photo logic: what counts as a photo, the upright thumbnail, the store's settings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from backend.photos import core
from backend.photos.storage import FileStore
from backend.settings import PhotoSettings, SettingsError, load_settings


def _jpeg(path: Path, size: tuple[int, int] = (400, 300), orientation: int = 1) -> Path:
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.new("RGB", size, (10, 120, 200)).save(path, "JPEG", exif=exif)
    return path


def test_a_turned_camera_photo_is_measured_and_thumbnailed_upright(tmp_path):
    photo = _jpeg(tmp_path / "a.jpg", orientation=6)
    assert core.inspect(photo, "image/jpeg") == core.ImageInfo(300, 400)
    thumb = Image.open(io.BytesIO(core.thumbnail(photo, 100)))
    assert thumb.format == "JPEG" and thumb.size == (75, 100)


def test_bytes_of_another_type_or_none_are_not_a_photo(tmp_path):
    png = tmp_path / "b.png"
    Image.new("RGB", (10, 10)).save(png, "PNG")
    with pytest.raises(core.NotAnImage, match="PNG, not image/jpeg"):
        core.inspect(png, "image/jpeg")
    assert core.inspect(png, "image/png") == core.ImageInfo(10, 10)
    text = tmp_path / "c.jpg"
    text.write_bytes(b"hello, not a picture")
    with pytest.raises(core.NotAnImage, match="not a readable image"):
        core.inspect(text, "image/jpeg")
    cut = tmp_path / "d.jpg"
    cut.write_bytes(_jpeg(tmp_path / "e.jpg").read_bytes()[:300])
    with pytest.raises(core.NotAnImage):
        core.inspect(cut, "image/jpeg")


def test_storage_keys_fan_out_and_the_file_store_stays_in_its_folder(tmp_path):
    key, thumb = core.storage_keys("ab12-x", "image/webp")
    assert (key, thumb) == ("ab/ab12-x.webp", "ab/ab12-x.thumb.jpg")
    store = FileStore(tmp_path / "photos")
    store.put_bytes(key, b"123", "image/webp")
    assert store.read(key) == b"123"
    with pytest.raises(ValueError, match="outside the store"):
        store.read("../secret")


def test_settings_name_the_variable_that_is_wrong(tmp_path):
    def load_photo_settings(env: dict[str, str]) -> PhotoSettings:
        return load_settings({"ROUNDS_DATA_DIR": str(tmp_path), **env}).photos

    assert load_photo_settings({}) == PhotoSettings()
    with pytest.raises(SettingsError, match="ROUNDS_S3_BUCKET is required"):
        load_photo_settings({"ROUNDS_PHOTO_STORE": "s3"})
    with pytest.raises(SettingsError, match="ROUNDS_PHOTO_STORE must be file or s3"):
        load_photo_settings({"ROUNDS_PHOTO_STORE": "ftp"})
    with pytest.raises(SettingsError, match="ROUNDS_PHOTO_MAX_BYTES must be a whole number"):
        load_photo_settings({"ROUNDS_PHOTO_MAX_BYTES": "big"})
    s3 = load_photo_settings(
        {"ROUNDS_PHOTO_STORE": "S3", "ROUNDS_S3_BUCKET": "b", "ROUNDS_S3_ENDPOINT": "http://x"}
    )
    assert (s3.store, s3.s3_bucket, s3.s3_endpoint) == ("s3", "b", "http://x")
