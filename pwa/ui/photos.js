// Visit photos on screen: "Add photo" (the camera), thumbnails at once (offline too) with each
// upload's state and progress, photos in the customer's history, the queue on the Sync screen.

import { h } from './dom.js';
import { addTexts, t, fmtDateTime } from '../lib/i18n.js';
import { STORE, addPhoto, localPhotos, photoEvents, retryPhoto, thumbUrl } from '../lib/photos.js';

addTexts({
  photos: ['Photos', 'Фото', 'Фото', 'Fotod'],
  add_photo: ['Add photo', 'Добавить фото', 'Додати фото', 'Lisa foto'],
  photo: ['Photo', 'Фото', 'Фото', 'Foto'],
  photo_by: ['Photo by {name}', 'Фото: {name}', 'Фото: {name}', 'Foto: {name}'],
  photo_preparing: ['Preparing the photo…', 'Готовим фото…', 'Готуємо фото…', 'Foto ettevalmistamine…'],
  photo_queued: ['Waiting for a connection', 'Ждёт подключения', 'Чекає на з’єднання', 'Ootab ühendust'],
  photo_uploading: ['Uploading {pct} %', 'Загрузка {pct} %', 'Завантаження {pct} %', 'Üleslaadimine {pct} %'],
  photo_retrying: ['Upload interrupted, retrying', 'Загрузка прервана, повторяем', 'Завантаження перервано, повторюємо', 'Üleslaadimine katkes, proovime uuesti'],
  photo_failed: ['Upload refused', 'Загрузка отклонена', 'Завантаження відхилено', 'Üleslaadimine keelduti'],
  photo_done: ['Uploaded', 'Загружено', 'Завантажено', 'Üles laaditud'],
  photo_bad_file: ['This file is not a photo', 'Этот файл — не фото', 'Цей файл — не фото', 'See fail pole foto'],
  photo_uploads: ['Photo uploads', 'Загрузка фото', 'Завантаження фото', 'Fotode üleslaadimine'],
  retry: ['Retry', 'Повторить', 'Повторити', 'Proovi uuesti'],
});

/** The line under a thumbnail: what happens to this photo now. */
export function stateText(rec) {
  if (rec.state === 'uploading') return t('photo_uploading', { pct: rec.size ? Math.floor((100 * (rec.offset || 0)) / rec.size) : 0 });
  return t(`photo_${rec.state}`) || rec.state;
}

function tile(rec, url) {
  return h('figure', { class: 'photo-tile', 'data-photo': rec.id, 'data-state': rec.state || 'done' },
    url ? h('img', { src: url, alt: t('photo'), width: 96, height: 96, loading: 'lazy' }) : h('span', { class: 'photo-ph', 'aria-hidden': 'true' }, '▣'),
    h('figcaption', { class: 'photo-state', role: 'status' }, stateText(rec)),
    rec.state === 'uploading' ? h('progress', { max: rec.size, value: rec.offset || 0 }) : null);
}

/** Keep a tile's caption and bar in step with its upload while the tile is on screen. */
function follow(root, { dropDone = false } = {}) {
  const onPhoto = (ev) => {
    if (!root.isConnected) { photoEvents.removeEventListener('photo', onPhoto); return; }
    const el = root.querySelector(`[data-photo="${ev.detail.id}"]`);
    if (!el) return;
    if (dropDone && ev.detail.state === 'done') {
      // Uploaded: it leaves the list of photos still to send (and the list, once empty).
      el.remove();
      if (!root.querySelector('[data-photo]')) root.remove();
      return;
    }
    el.dataset.state = ev.detail.state;
    el.querySelector('.photo-state').textContent = stateText(ev.detail);
    let bar = el.querySelector('progress');
    if (ev.detail.state === 'uploading') {
      if (!bar) { bar = h('progress', { max: ev.detail.size }); el.append(bar); }
      bar.value = ev.detail.offset || 0;
    } else bar?.remove();
  };
  photoEvents.addEventListener('photo', onPhoto);
}

/** The visit screen's block: the camera button and this visit's photos. */
export async function photoSection(ctx, { customerId, visitId, canAdd = true }) {
  const [mine, synced] = await Promise.all([localPhotos(ctx.store, customerId), ctx.store.byIndex('photos', 'customer_id', customerId)]);
  const ofVisit = (r) => !visitId || r.visit_id === visitId;
  const local = mine.filter((r) => r.state !== 'cached' && ofVisit(r));
  const seen = new Set(local.map((r) => r.id));
  const rows = [...local, ...synced.filter((p) => ofVisit(p) && !seen.has(p.id)).map((p) => ({ ...p, state: 'done' }))];
  const grid = h('div', { class: 'photo-grid', id: 'visit-photos' });
  for (const rec of rows) {
    const url = rec.thumb ? URL.createObjectURL(rec.thumb) : await thumbUrl(ctx, rec.id);
    grid.append(tile(rec, url));
  }
  const msg = h('p', { class: 'muted', role: 'status' });
  const input = h('input', {
    type: 'file', accept: 'image/*', capture: 'environment', id: 'photo-input', class: 'visually-hidden',
    onchange: async () => {
      const file = input.files?.[0];
      if (!file) return;
      msg.textContent = t('photo_preparing');
      try {
        const rec = await addPhoto(ctx.store, { file, customerId, visitId, authorId: ctx.me()?.id });
        grid.prepend(tile(rec, URL.createObjectURL(rec.thumb)));
        msg.textContent = '';
        ctx.photos?.run();
      } catch (e) {
        console.warn('photo', e);
        msg.textContent = t('photo_bad_file');
      }
      input.value = '';
    },
  });
  const section = h('section', { class: 'photos', 'aria-labelledby': 'photos-h' },
    h('h2', { id: 'photos-h' }, t('photos')),
    canAdd ? h('label', { class: 'btn big', for: 'photo-input', id: 'add-photo' }, t('add_photo')) : null,
    canAdd ? input : null, msg, grid);
  follow(section);
  return section;
}

/** The customer history's photo entries: the device's own photos not yet on the server. */
export async function localPhotoItems(store, customerId, known) {
  return (await localPhotos(store, customerId))
    .filter((r) => r.state !== 'cached' && !known.has(r.id))
    .map((r) => ({ kind: 'photo', at: r.taken_at, row: { ...r, ref_id: r.id } }));
}

/** One history entry of kind "photo": the thumbnail, who took it, and when. */
export function photoEntry(ctx, { at, row }) {
  const id = row.ref_id || row.data?.photo_id;
  const img = h('img', { alt: t('photo'), width: 64, height: 64, class: 'photo-thumb' });
  thumbUrl(ctx, id).then((url) => { if (url) img.src = url; }).catch(() => null);
  const by = row.actor_name || ctx.me()?.name;
  return h('div', { class: 'item kind-photo', 'data-kind': 'photo', 'data-photo': id, 'data-state': row.state || 'done' }, img,
    h('span', { class: 'grow' }, h('strong', {}, by ? t('photo_by', { name: by }) : t('photo')),
      h('small', { 'data-captured-at': at || '' }, fmtDateTime(at)),
      row.state && row.state !== 'done' ? h('small', { class: 'photo-state' }, stateText(row)) : null));
}

/** The Sync screen's list of photos still to upload, with a retry for refused ones. */
export async function photoQueueSection(ctx) {
  const rows = (await ctx.store.all(STORE)).filter((r) => r.blob && r.state !== 'done');
  if (!rows.length) return null;
  const byId = await ctx.customerMap();
  const list = h('div', { class: 'list', id: 'photo-queue' }, rows.map((r) => h('div', { class: 'item', 'data-photo': r.id, 'data-state': r.state },
    r.thumb ? h('img', { src: URL.createObjectURL(r.thumb), alt: t('photo'), width: 48, height: 48 }) : null,
    h('span', { class: 'grow' }, h('strong', {}, `${t('photo')} · ${byId.get(r.customer_id)?.name || ''}`),
      h('small', { class: 'photo-state' }, stateText(r)), r.error ? h('small', { class: 'reason' }, r.error) : null),
    // "Retry" sends it now, whatever it waits for (a refusal, the backoff, the next start).
    h('button', { class: 'btn small', 'data-retry': r.id, onclick: async () => { await retryPhoto(ctx, r.id); ctx.rerender(); } }, t('retry')))));
  const section = h('div', {}, h('h2', {}, t('photo_uploads'), ` (${rows.length})`), list);
  follow(section, { dropDone: true });
  return section;
}
