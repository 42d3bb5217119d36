// Visit photos on the device: compress a camera photo, keep it in IndexedDB, upload it in
// resumable chunks (POST /api/uploads, then PATCH at Upload-Offset; a 409 or a dropped
// connection resumes from the server's offset, never from zero).

import { ApiError, NetworkError } from './api.js';
import { uuid, now } from './outbox.js';

export const STORE = 'photo_blobs';
export const CHUNK = 256 * 1024;
export const LONG_SIDE = 1600;
export const THUMB_SIDE = 320;
export const QUALITY = 0.8;
const RETRY_MS = [2000, 5000, 15000, 30000, 60000];

/** Progress and state changes: {detail: {id, state, offset, size}}. */
export const photoEvents = new EventTarget();
const emit = (rec) => photoEvents.dispatchEvent(new CustomEvent('photo', { detail: { id: rec.id, state: rec.state, offset: rec.offset, size: rec.size, error: rec.error } }));

function canvasOf(w, h) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  return c;
}

async function toJpeg(canvas, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

async function scaled(bitmap, side, quality) {
  const k = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * k));
  const h = Math.max(1, Math.round(bitmap.height * k));
  const canvas = canvasOf(w, h);
  const g = canvas.getContext('2d');
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, 0, 0, w, h);
  return { blob: await toJpeg(canvas, quality), width: w, height: h };
}

/** A camera file as an upright JPEG (long side ≤ 1600 px, quality 0.8) and a small thumbnail. */
export async function compress(file) {
  // 'from-image' turns the pixels by the EXIF orientation, as the camera meant them.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const photo = await scaled(bitmap, LONG_SIDE, QUALITY);
    const thumb = await scaled(bitmap, THUMB_SIDE, 0.7);
    return { ...photo, thumb: thumb.blob };
  } finally {
    bitmap.close?.();
  }
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Take a photo for a visit (or a customer): compressed, stored, queued. Works offline. */
export async function addPhoto(store, { file, customerId, visitId = null, authorId = null }) {
  const { blob, thumb, width, height } = await compress(file);
  const rec = {
    id: uuid(), customer_id: customerId, visit_id: visitId, author_id: authorId,
    blob, thumb, width, height, size: blob.size, sha256: await sha256Hex(blob),
    content_type: 'image/jpeg', taken_at: now(), state: 'queued', offset: 0, attempts: 0, error: null,
    original_size: file.size,
  };
  await store.put(STORE, rec);
  emit(rec);
  return rec;
}

/** Photos taken here and not yet on the server: unsent work, like the outbox. */
export async function unsentPhotos(store) {
  return (await store.all(STORE)).filter((r) => r.blob && r.state !== 'done').length;
}

export const localPhotos = (store, customerId) => store.byIndex(STORE, 'customer_id', customerId);

async function save(store, rec, changes) {
  Object.assign(rec, changes);
  await store.put(STORE, rec);
  emit(rec);
}

/** Uploads every queued photo when online; one run at a time, retried with backoff. */
export class PhotoUploader {
  constructor(ctx) {
    this.ctx = ctx;
    this.running = null;
    this.timer = null;
  }

  /** Start uploading now (and again when the browser comes back online). */
  attach(win = self) {
    if (!this.attached) win.addEventListener('online', () => this.run());
    this.attached = true;
    this.run();
  }

  run() {
    if (!this.running) this.running = this.drain().finally(() => { this.running = null; });
    return this.running;
  }

  later(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
  }

  async drain() {
    const { store } = this.ctx;
    const waiting = (await store.all(STORE)).filter((r) => r.state !== 'done' && r.blob);
    let soonest = null;
    for (const rec of waiting) {
      if (!navigator.onLine) return;
      // A visit made offline must reach the server before a photo can hang off it.
      if (rec.visit_id) {
        const unsent = await store.byIndex('outbox', 'row', ['visits', rec.visit_id]);
        if (unsent.some((e) => e.state === 'pending')) { soonest = Math.min(soonest ?? 3000, 3000); continue; }
      }
      try {
        await this.upload(rec);
      } catch (e) {
        const attempts = (rec.attempts || 0) + 1;
        const permanent = e instanceof ApiError && [400, 403, 413, 415, 422].includes(e.status);
        await save(store, rec, { state: permanent ? 'failed' : 'retrying', attempts, error: e.detail || e.message || String(e) });
        if (!permanent) soonest = Math.min(soonest ?? Infinity, RETRY_MS[Math.min(attempts, RETRY_MS.length) - 1]);
      }
    }
    if (soonest != null) this.later(soonest);
  }

  async token(fresh = false) {
    const s = fresh ? await this.ctx.api.refresh() : await this.ctx.api.session.load();
    return s?.access_token;
  }

  /** One authenticated fetch; a 401 refreshes the token once. */
  async send(method, path, { body, headers = {} } = {}) {
    for (let i = 0; i < 2; i++) {
      let res;
      try {
        res = await fetch(path, { method, body, cache: 'no-store', headers: { ...headers, Authorization: `Bearer ${await this.token(i > 0)}` } });
      } catch (e) {
        throw new NetworkError(e.message || 'network unreachable');
      }
      if (res.status === 401 && i === 0) continue;
      const text = method === 'HEAD' ? '' : await res.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text.slice(0, 200) }; }
      if (!res.ok) throw new ApiError(res.status, data || {});
      return { data, offset: Number(res.headers.get('Upload-Offset')) };
    }
    throw new ApiError(401, {});
  }

  async upload(rec) {
    const { store } = this.ctx;
    await save(store, rec, { state: 'uploading', error: null });
    const created = await this.send('POST', '/api/uploads', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: rec.id, customer_id: rec.customer_id, visit_id: rec.visit_id, size: rec.size,
        sha256: rec.sha256, content_type: rec.content_type, taken_at: rec.taken_at,
      }),
    });
    let state = created.data;
    while (!state.complete) {
      const offset = state.offset;
      await save(store, rec, { offset });
      try {
        state = (await this.send('PATCH', `/api/uploads/${rec.id}`, {
          headers: { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset) },
          body: rec.blob.slice(offset, offset + CHUNK),
        })).data;
      } catch (e) {
        // The server holds another offset (a chunk landed but its answer was lost): resume there.
        if (e instanceof ApiError && e.status === 409) {
          const head = await this.send('HEAD', `/api/uploads/${rec.id}`);
          state = head.offset >= rec.size ? (await this.send('GET', `/api/uploads/${rec.id}`)).data
            : { offset: head.offset, complete: false };
          continue;
        }
        await save(store, rec, { offset: rec.offset });
        throw e;
      }
    }
    // Uploaded: the big blob goes, the thumbnail stays until the server's copy is synced.
    await save(store, rec, { state: 'done', offset: rec.size, blob: null, photo: state.photo || null, error: null });
  }
}

/** Retry a failed photo now (the Sync screen's button). */
export async function retryPhoto(ctx, id) {
  const rec = await ctx.store.get(STORE, id);
  if (!rec) return;
  await save(ctx.store, rec, { state: 'queued', attempts: 0, error: null });
  ctx.photos?.run();
}

/** A server photo's thumbnail as an object URL (fetched with the bearer, kept for offline). */
export async function thumbUrl(ctx, photoId) {
  const local = await ctx.store.get(STORE, photoId);
  if (local?.thumb) return URL.createObjectURL(local.thumb);
  if (!navigator.onLine) return null;
  const s = await ctx.api.session.load();
  let res;
  try {
    res = await fetch(`/api/photos/${photoId}/thumb`, { headers: { Authorization: `Bearer ${s?.access_token}` } });
  } catch { return null; }
  if (!res.ok) return null;
  const thumb = await res.blob();
  await ctx.store.put(STORE, { id: photoId, customer_id: null, state: 'cached', thumb, blob: null });
  return URL.createObjectURL(thumb);
}
