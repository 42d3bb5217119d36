"""A 4 MB camera photo, from the file input to a queued upload, on a phone with a 4× slower CPU.

Run: python benchmarks/photo_bench.py  (needs /usr/bin/chromium; starts its own server).
Headless Chromium at 390×844 with CDP Emulation.setCPUThrottlingRate 4, offline (so the
upload waits in the queue): the time from the input's change event to the photo stored in
IndexedDB and queued (decode with the EXIF turn, scale to 1600 px, JPEG 0.8, thumbnail,
SHA-256, the IndexedDB write), and the bytes stored on the device. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT))

import conftest as e2e  # noqa: E402  (the e2e helpers start and seed a real server)

from tests.e2e.camera_photo import camera_jpeg  # noqa: E402

RUNS = 5

ARM = """
async () => {
  const m = await import('/lib/photos.js');
  window.__photo = { queued: null, changed: null };
  document.querySelector('#photo-input').addEventListener('change', () => {
    window.__photo = { queued: null, changed: performance.now() };
  }, { capture: true });
  if (!window.__armed) {
    m.photoEvents.addEventListener('photo', (e) => {
      const p = window.__photo;
      if (e.detail.state === 'queued' && p.queued == null) p.queued = performance.now();
    });
    window.__armed = true;
  }
}
"""

STORED = """
() => window.rounds.store.all('photo_blobs').then((rows) => rows.map((r) => ({
  size: r.size, thumb: r.thumb.size, w: r.width, h: r.height, original: r.original_size })))
"""


def measure(browser: Any, server: Any, photo: Path) -> tuple[list[float], list[dict[str, Any]]]:
    customer = server.seed["customers"][5]
    ctx = browser.new_context(
        base_url=server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
        service_workers="allow",
        geolocation={"latitude": customer["lat"], "longitude": customer["lng"], "accuracy": 20},
        permissions=["geolocation"],
    )
    ctx.set_default_timeout(60000)
    page = ctx.new_page()
    e2e.logged_in_and_synced(page, "rep@example.com")
    ctx.set_offline(True)
    page.evaluate(f"location.hash = '#/visit/{customer['id']}'")
    page.click("#check-in")
    page.wait_for_selector("#add-photo")
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    times: list[float] = []
    for _ in range(RUNS):
        page.evaluate(ARM)
        page.set_input_files("#photo-input", str(photo))
        page.wait_for_function("window.__photo && window.__photo.queued != null")
        t = page.evaluate("window.__photo.queued - window.__photo.changed")
        times.append(float(t))
    stored = page.evaluate(STORED)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    ctx.close()
    return times, stored


def main() -> None:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="rounds-photo-bench-"))
    photo = camera_jpeg(data_dir / "IMG_4000x3000.jpg")
    e2e._prepare_database(data_dir)
    server = e2e.start_server(data_dir)
    try:
        server.seed = e2e.seed(server, customers=30)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=e2e.CHROMIUM, args=e2e.CHROMIUM_ARGS)
            times, stored = measure(browser, server, photo)
            browser.close()
    finally:
        e2e.stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)
    s = stored[0]
    print(f"photo: {s['original']:,} bytes, 4000×3000 JPEG with an EXIF turn (rate-4 CPU, 390×844)")
    print(
        f"file input -> queued upload: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} photos"
    )
    print(
        f"stored on the device per photo: {s['size']:,} bytes ({s['w']}×{s['h']} JPEG 0.8) + "
        f"{s['thumb']:,} bytes thumbnail = {s['size'] + s['thumb']:,} bytes "
        f"({100 * (s['size'] + s['thumb']) / s['original']:.1f} % of the camera file)"
    )
    print(f"chunks to upload (256 KiB): {-(-s['size'] // (256 * 1024))}")


if __name__ == "__main__":
    main()
