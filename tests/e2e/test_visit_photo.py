"""A rep's visit photo at 390×844: taken offline, seen at once, uploaded in chunks when back
online, resumed (not restarted) after a dropped chunk, and in the server's history by its author.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.e2e.camera_photo import camera_jpeg
from tests.e2e.conftest import PASSWORD, Server, logged_in_and_synced, login

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots")
CHUNK = 256 * 1024


def test_a_photo_taken_offline_is_uploaded_in_resumed_chunks_and_in_the_history(
    server: Server, tall_phone: Any, tmp_path: Path
) -> None:
    customer = server.seed["customers"][23]
    original = camera_jpeg(tmp_path / "IMG_0001.jpg")
    assert original.stat().st_size > 4_000_000
    ctx = tall_phone()
    ctx.set_geolocation({"latitude": customer["lat"], "longitude": customer["lng"], "accuracy": 20})
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")

    # Offline: check in, take the photo; its thumbnail is there at once, waiting.
    ctx.set_offline(True)
    page.evaluate(f"location.hash = '#/visit/{customer['id']}'")
    page.click("#check-in")
    page.wait_for_selector("#add-photo")
    page.set_input_files("#photo-input", str(original))
    tile = page.locator("#visit-photos [data-photo]")
    tile.wait_for()
    page.wait_for_function(
        "document.querySelector('#visit-photos [data-photo] img')?.naturalWidth > 0"
    )
    assert tile.get_attribute("data-state") == "queued"
    assert tile.locator(".photo-state").inner_text() == "Waiting for a connection"
    stored = page.evaluate(
        "window.rounds.store.all('photo_blobs').then((rows) => rows.map((r) => "
        "({id: r.id, size: r.size, type: r.blob.type, w: r.width, h: r.height})))"
    )
    assert len(stored) == 1
    photo = stored[0]
    # Compressed on the phone, upright (the camera's EXIF turn), long side 1600 px.
    assert photo["type"] == "image/jpeg" and (photo["w"], photo["h"]) == (1200, 1600)
    assert photo["size"] < original.stat().st_size / 3
    SHOTS.mkdir(exist_ok=True)
    show = "document.querySelector('section.photos').scrollIntoView({block: 'center'})"
    page.evaluate(show)
    page.screenshot(path=str(SHOTS / "rep-photo-offline.png"))

    # Back online, one chunk is dropped on the way: the upload resumes from the server's offset.
    offsets: list[int] = []
    dropped: list[int] = []

    def flaky(route: Any) -> None:
        req = route.request
        if req.method == "PATCH":
            offset = int(req.headers["upload-offset"])
            offsets.append(offset)
            if offset > 0 and not dropped:
                dropped.append(offset)
                route.abort("connectionreset")
                return
        route.continue_()

    ctx.route("**/api/uploads/**", flaky)
    ctx.route("**/api/uploads", flaky)
    ctx.set_offline(False)
    page.wait_for_function(
        "document.querySelector('#visit-photos [data-photo]')?.dataset.state === 'done'",
        timeout=60000,
    )
    assert tile.locator(".photo-state").inner_text() == "Uploaded"
    assert dropped, f"a chunk was dropped: {offsets} of {photo['size']}"
    assert offsets.count(0) == 1, f"restarted from zero: {offsets}"
    assert offsets == sorted(offsets) and offsets.count(dropped[0]) == 2
    steps = sorted(set(offsets))
    assert steps == list(range(0, photo["size"], CHUNK)), "every chunk once, in order"
    page.evaluate(show)
    page.screenshot(path=str(SHOTS / "rep-photo.png"))

    # The server holds the very bytes the phone made, in the customer's history by the rep.
    admin = server.client()
    meta = admin.get(f"/api/uploads/{photo['id']}")
    assert meta.status_code == 404  # only its author reads an upload
    rep = server.client("rep@example.com")
    up = rep.get(f"/api/uploads/{photo['id']}").json()
    assert up["complete"] is True and up["photo"]["size"] == photo["size"]
    image = Image.open(io.BytesIO(admin.get(up["photo"]["url"]).content))
    assert image.size == (1200, 1600)
    history = admin.get(f"/api/customers/{customer['id']}/history", params={"limit": 50}).json()
    entries = [e for e in history["items"] if e["kind"] == "photo"]
    assert [e["ref_id"] for e in entries] == [photo["id"]]
    assert entries[0]["actor_name"] == server.seed["rep"]["name"]

    # The customer's history on the phone shows the photo with who took it.
    page.evaluate(f"location.hash = '#/customer/{customer['id']}'")
    entry = page.locator(f"#timeline [data-kind=photo][data-photo='{photo['id']}']")
    entry.wait_for()
    assert server.seed["rep"]["name"] in entry.inner_text()
    page.wait_for_function(
        f"document.querySelector(\"[data-photo='{photo['id']}'] img\")?.naturalWidth > 0"
    )
    entry.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "rep-photo-history.png"))


def test_a_refused_upload_shows_on_the_sync_screen_and_is_retried(
    server: Server, tall_phone: Any, tmp_path: Path
) -> None:
    customer = server.seed["customers"][24]
    original = camera_jpeg(tmp_path / "IMG_0002.jpg", width=1600, height=1200, orientation=1)
    ctx = tall_phone()
    ctx.set_geolocation({"latitude": customer["lat"], "longitude": customer["lng"], "accuracy": 20})
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    refused: list[int] = []

    def refuse_once(route: Any) -> None:
        if route.request.method == "PATCH" and len(refused) < 2:
            refused.append(1)
            route.fulfill(
                status=422,
                headers={"Content-Type": "application/problem+json"},
                body='{"type": "https://rounds.dev/problems/validation-failed", "title": "The '
                'request is not valid", "status": 422, "detail": "The chunk was refused."}',
            )
            return
        route.continue_()

    ctx.route("**/api/uploads/**", refuse_once)
    page.evaluate(f"location.hash = '#/visit/{customer['id']}'")
    page.click("#check-in")
    page.wait_for_selector("#add-photo")
    page.set_input_files("#photo-input", str(original))
    page.wait_for_selector("#visit-photos [data-photo][data-state=failed]", timeout=30000)
    assert page.inner_text("#visit-photos .photo-state") == "Upload refused"

    page.evaluate("location.hash = '#/sync'")
    item = page.locator("#photo-queue [data-photo]")
    item.wait_for()
    assert item.get_attribute("data-state") == "failed"
    assert "The chunk was refused." in item.inner_text()
    photo_id = item.get_attribute("data-photo")

    # An unsent photo is unsent work: another user cannot take the phone until it is sent.
    page.wait_for_function("window.rounds.outbox.pending().then((p) => p.length === 0)")
    page.evaluate("location.hash = '#/settings'")
    page.click("#logout")
    page.wait_for_selector("input[name=email]")
    page.fill("input[name=email]", "manager@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("document.querySelector('.login .error')?.textContent.length > 0")
    assert "rep@example.com" in page.inner_text(".login .error")
    # The rep is back: the app tries the photo again by itself (refused once more here) ...
    login(page, "rep@example.com")
    page.wait_for_function(
        f"window.rounds.store.get('photo_blobs', '{photo_id}')"
        ".then((r) => r.state === 'failed' && r.attempts === 2)"
    )
    # ... and the rep's Retry on the Sync screen sends it.
    page.evaluate("location.hash = '#/sync'")
    page.wait_for_selector(f"#photo-queue [data-photo='{photo_id}'][data-state=failed]")
    page.click(f"[data-retry='{photo_id}']")
    page.wait_for_selector("#photo-queue", state="detached", timeout=30000)
    rep = server.client("rep@example.com")
    up = rep.get(f"/api/uploads/{photo_id}").json()
    assert up["complete"] is True and up["photo"]["customer_id"] == customer["id"]
