// Edit a customer's address and opening hours (per weekday, named by Intl in the user's
// language) and move its pin by hand; offline through the outbox, merged field by field.

import { h, fill } from './dom.js';
import { t } from '../lib/i18n.js';
import { weekdays } from '../lib/i18n-rep.js';
import { draftKeeper } from './drafts.js';
import { drawPinMap, pinBox } from './pin-map.js';

const ADDRESS = [['street', 'street'], ['postal_code', 'postal_code'], ['city', 'city']];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** The stored hours as {day: [[from, to], ...]} whatever shape they came in. */
function windowsOf(hours, day) {
  const v = hours && typeof hours === 'object' ? hours[day] : null;
  return Array.isArray(v) ? v.filter((w) => Array.isArray(w) && w.length === 2).map((w) => [...w]) : [];
}

/** The per-weekday editor; read() gives {hours, ok}. */
function hoursEditor(initial) {
  const days = weekdays('long').map(([key, name]) => ({ key, name, windows: windowsOf(initial, key) }));
  const el = h('div', { class: 'hours', id: 'hours-editor' });
  const draw = () => fill(el, days.map((d) => {
    const closed = h('input', {
      type: 'checkbox', name: `closed-${d.key}`, checked: !d.windows.length,
      onchange: (e) => { d.windows = e.target.checked ? [] : [['09:00', '17:00']]; draw(); },
    });
    return h('fieldset', { class: 'day', 'data-day': d.key },
      h('legend', {}, d.name),
      h('label', { class: 'check' }, closed, ' ', t('closed_day')),
      d.windows.map((w, i) => h('div', { class: 'row2 window' },
        h('label', {}, t('opens'), h('input', { type: 'time', name: `${d.key}-${i}-from`, value: w[0], oninput: (e) => { w[0] = e.target.value; } })),
        h('label', {}, t('closes'), h('input', { type: 'time', name: `${d.key}-${i}-to`, value: w[1], oninput: (e) => { w[1] = e.target.value; } })))),
      d.windows.length ? h('button', {
        type: 'button', class: 'btn small', 'aria-label': `${t('add')} ${d.name}`,
        onclick: () => { d.windows.push(['', '']); draw(); },
      }, '+') : null);
  }));
  draw();
  const read = () => {
    const hours = {};
    let ok = true;
    for (const d of days) {
      const spans = d.windows.filter((w) => w[0] || w[1]);
      if (spans.some((w) => !TIME.test(w[0]) || !TIME.test(w[1]))) ok = false;
      if (spans.length) hours[d.key] = spans.map((w) => [w[0], w[1]]);
    }
    if (initial && Array.isArray(initial.closed)) hours.closed = initial.closed;
    return { hours, ok };
  };
  return { el, read };
}

const canonical = (v) => JSON.stringify(Object.keys(v || {}).sort().map((k) => [k, v[k]]));

export async function customerEditScreen(ctx, id) {
  const c = await ctx.store.get('customers', id);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const drafts = draftKeeper(ctx.store, `customer-edit:${id}`);
  const draft = (await drafts.load())?.values || {};
  let pin = draft.pin || null;
  const inputs = Object.fromEntries(ADDRESS.map(([k]) => [k, h('input', { name: k, value: draft[k] ?? c[k] ?? '', autocomplete: 'off' })]));
  const hours = hoursEditor(draft.hours || (typeof c.opening_hours === 'object' ? c.opening_hours : {}));
  const values = () => ({ ...Object.fromEntries(ADDRESS.map(([k]) => [k, inputs[k].value.trim()])), hours: hours.read().hours, pin });
  for (const el of Object.values(inputs)) el.addEventListener('input', () => drafts.save(values()));
  hours.el.addEventListener('input', () => drafts.save(values()));
  hours.el.addEventListener('change', () => drafts.save(values()));
  const msg = h('p', { class: 'error', role: 'alert' });
  const [box, state] = pinBox('customer-map');
  const source = c.geocode_quality === 'pending' ? 'location_pending' : c.geocode_quality === 'manual' ? 'location_manual'
    : c.geocode_quality === 'failed' ? 'location_failed' : null;

  const form = h('form', {
    class: 'stack', id: 'customer-edit-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const read = hours.read();
      if (!read.ok) { msg.textContent = t('hours_invalid'); return; }
      const v = values();
      const fields = {};
      for (const [k] of ADDRESS) if (v[k] !== (c[k] || '')) fields[k] = v[k];
      if (canonical(read.hours) !== canonical(c.opening_hours || {})) fields.opening_hours = read.hours;
      if (pin) { fields.lat = pin.lat; fields.lng = pin.lng; }
      if (!Object.keys(fields).length) { msg.textContent = t('no_changes'); return; }
      const addressMoved = ADDRESS.some(([k]) => k in fields);
      const local = { ...fields, ...(pin ? { geocode_quality: 'manual' } : addressMoved && c.geocode_quality !== 'manual' ? { geocode_quality: 'pending' } : {}) };
      await ctx.outbox.add({ collection: 'customers', op: 'update', id, fields, local });
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('changes_saved'));
      ctx.go(`#/customer/${id}`);
    },
  },
  h('h2', {}, t('address')),
  h('label', {}, t('street'), inputs.street),
  h('div', { class: 'row2' }, h('label', {}, t('postal_code'), inputs.postal_code), h('label', {}, t('city'), inputs.city)),
  source ? h('p', { class: 'muted', 'data-location': c.geocode_quality }, t(source)) : null,
  box, state,
  h('h2', {}, t('opening_hours')), hours.el,
  h('button', { class: 'btn primary big', type: 'submit', id: 'customer-edit-save' }, t('save')), msg);

  queueMicrotask(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    if (!box.isConnected) return;
    const start = pin || (c.lat != null ? { lat: c.lat, lng: c.lng } : null);
    await drawPinMap(ctx, box, start, (pos) => {
      pin = pos;
      state.textContent = t('pin_moved');
      drafts.save(values());
    }).catch(() => { box.hidden = true; });
  });

  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${id}` }, `‹ ${c.name}`),
    h('h1', {}, t('edit_address')), form);
}
