"""Visit photos over HTTP: the resumable upload, its checks, the photo's reads and who sees them.

Every test runs twice: with photos in the data directory and in an S3 bucket (moto's server on
a local port, reached through boto3 exactly as a real S3-compatible store would be).
"""

from __future__ import annotations

import hashlib
import io
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import boto3
import pytest
from litestar import Litestar
from PIL import Image

from backend.history.tables import HistoryEvent
from backend.photos.tables import Photo, PhotoUpload
from backend.settings import PhotoSettings, get_settings
from tests.factories import make_world

CHUNK = "application/offset+octet-stream"


def camera_jpeg(width: int = 800, height: int = 600, orientation: int = 6) -> bytes:
    """A landscape JPEG whose EXIF says "turn 90°": upright it is portrait."""
    im = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Stored:
    """What the store holds, whichever it is."""

    def __init__(self, settings: PhotoSettings) -> None:
        self.settings = settings
        self.root = get_settings().data_dir / "photos"

    def keys(self) -> set[str]:
        if self.settings.store == "file":
            if not self.root.exists():
                return set()
            return {
                p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()
            }
        s3 = _s3(self.settings)
        listing = s3.list_objects_v2(Bucket=self.settings.s3_bucket)
        return {o["Key"].removeprefix(self.settings.s3_prefix) for o in listing.get("Contents", [])}

    def read(self, key: str) -> bytes:
        if self.settings.store == "file":
            return (self.root / key).read_bytes()
        s3 = _s3(self.settings)
        body = s3.get_object(Bucket=self.settings.s3_bucket, Key=self.settings.s3_prefix + key)
        return bytes(body["Body"].read())


def _s3(settings: PhotoSettings) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=settings.s3_secret_key,
        region_name=settings.s3_region,
    )


@pytest.fixture(params=["file", "s3"])
def store(request: pytest.FixtureRequest, app: Litestar) -> Iterator[Stored]:
    if request.param == "file":
        settings = PhotoSettings(store="file", max_bytes=2 * 1024 * 1024)
    else:
        endpoint = request.getfixturevalue("moto_s3")
        settings = PhotoSettings(
            store="s3",
            max_bytes=2 * 1024 * 1024,
            s3_endpoint=endpoint,
            s3_bucket=f"rounds-{uuid4().hex[:12]}",
            s3_access_key="test",
            s3_secret_key="test",
        )
        _s3(settings).create_bucket(Bucket=settings.s3_bucket)
    before = app.state.settings
    app.state.settings = replace(before, photos=settings)
    stored = Stored(settings)
    if settings.store == "file" and stored.root.exists():
        import shutil

        shutil.rmtree(stored.root)
    yield stored
    app.state.settings = before


async def _visit(client, w, who: str = "rep1", customer=None) -> str:
    r = await client.post(
        "/api/visits", json={"customer_id": str(customer or w.c1)}, headers=w.headers[who]
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _create(client, headers, data: bytes, **body: Any):
    payload = {
        "id": str(uuid4()),
        "size": len(data),
        "sha256": sha(data),
        "content_type": "image/jpeg",
        **body,
    }
    return await client.post("/api/uploads", json=payload, headers=headers)


async def _patch(client, headers, upload_id: str, offset: int, chunk: bytes):
    return await client.patch(
        f"/api/uploads/{upload_id}",
        content=chunk,
        headers={**headers, "Content-Type": CHUNK, "Upload-Offset": str(offset)},
    )


def _part_files() -> list[Path]:
    folder = get_settings().data_dir / "uploads"
    return list(folder.glob("*.part")) if folder.exists() else []


async def test_a_photo_uploaded_in_chunks_is_stored_with_its_thumbnail_and_history(client, store):
    w = await make_world(client)
    visit = await _visit(client, w)
    data = camera_jpeg()
    r = await _create(
        client, w.headers["rep1"], data, visit_id=visit, taken_at="2026-12-01T09:30:00Z"
    )
    assert r.status_code == 201, r.text
    up = r.json()
    assert (up["offset"], up["size"], up["complete"]) == (0, len(data), False)
    half = len(data) // 2
    r = await _patch(client, w.headers["rep1"], up["id"], 0, data[:half])
    assert r.status_code == 200, r.text
    assert r.json()["offset"] == half and r.headers["upload-offset"] == str(half)
    r = await client.head(f"/api/uploads/{up['id']}", headers=w.headers["rep1"])
    assert r.status_code == 200 and r.headers["upload-offset"] == str(half)
    assert r.headers["upload-length"] == str(len(data))
    r = await _patch(client, w.headers["rep1"], up["id"], half, data[half:])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["complete"] is True
    photo = body["photo"]
    # Upright by its EXIF orientation: the 800×600 landscape frame is a 600×800 portrait.
    assert (photo["width"], photo["height"]) == (600, 800)
    assert photo["visit_id"] == visit and photo["customer_id"] == str(w.c1)
    assert photo["author_id"] == str(w.rep1) and photo["sha256"] == sha(data)
    assert photo["taken_at"].startswith("2026-12-01T09:30:00")

    # The bytes come back as sent, cached for good; the thumbnail is a small upright JPEG.
    r = await client.get(photo["url"], headers=w.headers["rep1"])
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"] == "image/jpeg"
    assert "immutable" in r.headers["cache-control"] and r.headers["etag"]
    again = await client.get(
        photo["url"], headers={**w.headers["rep1"], "If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    r = await client.get(photo["thumb_url"], headers=w.headers["manager"])
    assert r.status_code == 200
    thumb = Image.open(io.BytesIO(r.content))
    assert thumb.format == "JPEG" and max(thumb.size) == 320 and thumb.height > thumb.width

    # Where it is stored: the photo and its thumbnail, nothing left of the upload.
    keys = store.keys()
    assert len(keys) == 2 and any(k.endswith(".thumb.jpg") for k in keys)
    photo_key = next(k for k in keys if not k.endswith(".thumb.jpg"))
    assert store.read(photo_key) == data
    assert _part_files() == [] and await PhotoUpload.count() == 0

    # The customer's history names who took it, with the thumbnail's address.
    r = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["manager"])
    entries = [e for e in r.json()["items"] if e["kind"] == "photo"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["ref_id"] == photo["id"] and entry["actor_id"] == str(w.rep1)
    assert entry["actor_name"] and entry["data"]["thumb_url"] == photo["thumb_url"]
    assert entry["captured_at"].startswith("2026-12-01T09:30:00")


async def test_a_wrong_offset_is_refused_with_the_servers_offset_and_the_upload_resumes(
    client, store
):
    w = await make_world(client)
    data = camera_jpeg()
    up = (await _create(client, w.headers["rep1"], data, customer_id=str(w.c1))).json()
    first = 1000
    assert (await _patch(client, w.headers["rep1"], up["id"], 0, data[:first])).status_code == 200
    # The device lost the answer and sends the first chunk again: refused, offset named.
    r = await _patch(client, w.headers["rep1"], up["id"], 0, data[:first])
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["offset"] == first and r.json()["errors"][0]["field"] == "Upload-Offset"
    r = await _patch(client, w.headers["rep1"], up["id"], 5000, data[5000:6000])
    assert r.status_code == 409 and r.json()["offset"] == first
    # It resumes where the server is, and the photo is whole.
    r = await _patch(client, w.headers["rep1"], up["id"], first, data[first:])
    assert r.status_code == 200 and r.json()["complete"] is True
    r = await client.get(r.json()["photo"]["url"], headers=w.headers["rep1"])
    assert r.content == data


async def test_a_retried_create_or_last_chunk_never_duplicates(client, store):
    w = await make_world(client)
    data = camera_jpeg()
    body = {
        "id": str(uuid4()),
        "size": len(data),
        "sha256": sha(data),
        "content_type": "image/jpeg",
        "customer_id": str(w.c1),
    }
    first = await client.post("/api/uploads", json=body, headers=w.headers["rep1"])
    assert (await _patch(client, w.headers["rep1"], body["id"], 0, data[:500])).status_code == 200
    again = await client.post("/api/uploads", json=body, headers=w.headers["rep1"])
    assert first.status_code == again.status_code == 201
    assert again.json()["offset"] == 500 and await PhotoUpload.count() == 1
    done = await _patch(client, w.headers["rep1"], body["id"], 500, data[500:])
    assert done.json()["complete"] is True
    # The last chunk sent again, and the create sent again: the same photo, once.
    r = await _patch(client, w.headers["rep1"], body["id"], 500, data[500:])
    assert r.status_code == 200 and r.json()["photo"]["id"] == body["id"]
    r = await client.post("/api/uploads", json=body, headers=w.headers["rep1"])
    assert r.json()["complete"] is True and r.json()["photo"]["id"] == body["id"]
    assert await Photo.count() == 1
    assert await HistoryEvent.count().where(HistoryEvent.kind == "photo") == 1
    assert len(store.keys()) == 2
    # The same id for other bytes is a conflict.
    r = await client.post(
        "/api/uploads", json={**body, "sha256": "0" * 64}, headers=w.headers["rep1"]
    )
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "id"


async def test_bytes_that_do_not_match_the_sha256_are_refused_and_nothing_is_stored(client, store):
    w = await make_world(client)
    data = camera_jpeg()
    other = camera_jpeg(orientation=1)
    up = (await _create(client, w.headers["rep1"], data, customer_id=str(w.c1))).json()
    r = await _patch(
        client, w.headers["rep1"], up["id"], 0, other[: len(data)].ljust(len(data), b"\0")
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "sha256"
    assert "nothing was stored" in r.json()["detail"]
    assert store.keys() == set() and _part_files() == []
    assert await Photo.count() == 0 and await PhotoUpload.count() == 0
    assert await HistoryEvent.count().where(HistoryEvent.kind == "photo") == 0
    r = await client.head(f"/api/uploads/{up['id']}", headers=w.headers["rep1"])
    assert r.status_code == 404
    # The device starts again with the same id and the right bytes: it works.
    r = await client.post(
        "/api/uploads",
        json={
            "id": up["id"],
            "size": len(data),
            "sha256": sha(data),
            "content_type": "image/jpeg",
            "customer_id": str(w.c1),
        },
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201 and r.json()["offset"] == 0
    r = await _patch(client, w.headers["rep1"], up["id"], 0, data)
    assert r.json()["complete"] is True


@pytest.mark.parametrize(
    ("payload", "declared"),
    [
        (b"%PDF-1.4 this is a document, not a photo" * 50, "image/jpeg"),
        (None, "image/jpeg"),  # a PNG claiming to be a JPEG
        (b"\xff\xd8\xff\xe0" + b"\0" * 3000, "image/jpeg"),  # a broken JPEG
    ],
)
async def test_what_is_not_a_photo_of_its_type_is_refused(client, store, payload, declared):
    w = await make_world(client)
    if payload is None:
        out = io.BytesIO()
        Image.new("RGB", (50, 40), "red").save(out, "PNG")
        payload = out.getvalue()
    up = (
        await _create(
            client, w.headers["rep1"], payload, customer_id=str(w.c1), content_type=declared
        )
    ).json()
    r = await _patch(client, w.headers["rep1"], up["id"], 0, payload)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "content_type"
    assert r.json()["errors"][0]["code"] == "not_an_image"
    assert store.keys() == set() and await Photo.count() == 0 and _part_files() == []


async def test_limits_and_bad_requests_name_the_field(client, store):
    w = await make_world(client)
    h = w.headers["rep1"]
    data = camera_jpeg()
    big = await client.post(
        "/api/uploads",
        json={
            "id": str(uuid4()),
            "size": 3 * 1024 * 1024,
            "sha256": sha(b"x"),
            "content_type": "image/jpeg",
            "customer_id": str(w.c1),
        },
        headers=h,
    )
    assert big.status_code == 413 and big.json()["errors"][0]["field"] == "size"
    gif = await _create(client, h, data, customer_id=str(w.c1), content_type="image/gif")
    assert gif.status_code == 422 and gif.json()["errors"][0]["field"] == "content_type"
    nowhere = await _create(client, h, data)
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "visit_id"
    future = await _create(client, h, data, customer_id=str(w.c1), taken_at="2999-01-01T00:00:00Z")
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "taken_at"
    up = (await _create(client, h, data, customer_id=str(w.c1))).json()
    r = await client.patch(
        f"/api/uploads/{up['id']}", content=data, headers={**h, "Content-Type": CHUNK}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Upload-Offset"
    r = await client.patch(
        f"/api/uploads/{up['id']}",
        content=data,
        headers={**h, "Content-Type": "image/jpeg", "Upload-Offset": "0"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Content-Type"
    r = await _patch(client, h, up["id"], 0, data + b"more")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    # Nothing of all this was kept but the empty upload.
    assert store.keys() == set() and await Photo.count() == 0
    r = await client.head(f"/api/uploads/{up['id']}", headers=h)
    assert r.headers["upload-offset"] == "0"


async def _photo(client, w, who: str = "rep1") -> dict[str, Any]:
    data = camera_jpeg()
    visit = await _visit(client, w, who)
    up = (await _create(client, w.headers[who], data, visit_id=visit)).json()
    r = await _patch(client, w.headers[who], up["id"], 0, data)
    assert r.status_code == 200, r.text
    return dict(r.json()["photo"])


async def _pulled_photos(client, headers) -> list[dict[str, Any]]:
    cursor, seen = None, []
    while True:
        params = {"limit": 2000, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/api/sync/pull", params=params, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [c for c in body["changes"] if c["collection"] == "photos"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return seen


async def test_who_reads_a_photo_follows_the_visits_rule(client, store):
    w = await make_world(client)
    photo = await _photo(client, w)
    for who, status in [
        ("rep1", 200),
        ("manager", 200),
        ("admin", 200),
        ("rep2", 404),
        ("other_manager", 404),
        ("distributor_user", 403),
        ("customer_user", 403),
    ]:
        for url in (photo["url"], photo["thumb_url"]):
            r = await client.get(url, headers=w.headers[who])
            assert r.status_code == status, (who, url, r.status_code)
    # The listing asks the same rule: a partner role may not read photos at all.
    for who in ("distributor_user", "customer_user"):
        r = await client.get(f"/api/photos?customer_id={w.c1}", headers=w.headers[who])
        assert r.status_code == 403 and r.json()["title"], (who, r.text)
    listed = await client.get(f"/api/photos?customer_id={w.c1}", headers=w.headers["rep2"])
    assert listed.status_code == 200 and listed.json() == []
    # The other rep can neither add a photo to rep1's visit nor see rep1's upload.
    visit = photo["visit_id"]
    r = await _create(client, w.headers["rep2"], camera_jpeg(), visit_id=visit)
    assert r.status_code == 404
    data = camera_jpeg()
    up = (await _create(client, w.headers["rep1"], data, customer_id=str(w.c1))).json()
    r = await client.head(f"/api/uploads/{up['id']}", headers=w.headers["rep2"])
    assert r.status_code == 404
    r = await _patch(client, w.headers["rep2"], up["id"], 0, data)
    assert r.status_code == 404
    r = await _create(client, w.headers["distributor_user"], data, customer_id=str(w.c1))
    assert r.status_code == 403
    # Sync carries the photo's metadata (with its author) to those who may read it, only.
    rep1 = await _pulled_photos(client, w.headers["rep1"])
    assert [c["id"] for c in rep1] == [photo["id"]]
    assert rep1[0]["data"]["author_name"] and rep1[0]["data"]["thumb_url"] == photo["thumb_url"]
    assert await _pulled_photos(client, w.headers["rep2"]) == []
    assert await _pulled_photos(client, w.headers["customer_user"]) == []
