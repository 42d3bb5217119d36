// New prospect: name, address, phone and a contact person, made offline through the outbox.
// The pin starts at the rep's position; moved by hand it wins, else the server geocodes.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import '../lib/i18n-rep.js';
import { currentFix } from '../lib/geo.js';
import { uuid } from '../lib/outbox.js';
import { draftKeeper } from './drafts.js';
import { drawPinMap, pinBox } from './pin-map.js';

const FIELDS = ['name', 'street', 'postal_code', 'city', 'phone', 'contact_name', 'contact_phone'];

/** A code no other device can make: the install's code and its own counter, else the id. */
async function prospectCode(ctx, id) {
  const code = await ctx.store.meta('client_code');
  if (code == null) return `P-${id.slice(0, 8).toUpperCase()}`;
  const n = ((await ctx.store.meta('prospect_seq')) || 0) + 1;
  await ctx.store.setMeta('prospect_seq', n);
  return `P-${String(code).padStart(2, '0').toUpperCase()}-${n}`;
}

export async function prospectScreen(ctx) {
  const me = ctx.me();
  const drafts = draftKeeper(ctx.store, 'prospect:new');
  const draft = (await drafts.load())?.values || {};
  let pin = draft.pin || null; // set only when the rep moved it by hand
  const inputs = Object.fromEntries(FIELDS.map((k) => [k, h('input', {
    name: k, value: draft[k] || '', autocomplete: 'off',
    type: k.endsWith('phone') ? 'tel' : 'text', required: k === 'name',
  })]));
  const territories = (await ctx.store.all('territories')).filter((x) => (me.territory_ids || []).includes(x.id));
  const territory = h('select', { name: 'territory_id' },
    (me.territory_ids || []).map((id) => h('option', { value: id, selected: draft.territory_id === id },
      territories.find((x) => x.id === id)?.name || id)));
  const values = () => ({ ...Object.fromEntries(FIELDS.map((k) => [k, inputs[k].value])), territory_id: territory.value, pin });
  for (const el of [...Object.values(inputs), territory]) el.addEventListener('input', () => drafts.save(values()));
  const msg = h('p', { class: 'error', role: 'alert' });
  const [box, state] = pinBox('prospect-map');

  const save = h('button', { class: 'btn primary big', type: 'submit', id: 'prospect-save' }, t('save_prospect'));
  const form = h('form', {
    class: 'stack', id: 'prospect-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const v = values();
      if (!v.name.trim()) { msg.textContent = t('name_required'); inputs.name.focus(); return; }
      save.disabled = true;
      const id = uuid();
      const fields = {
        code: await prospectCode(ctx, id), name: v.name.trim(), street: v.street.trim(),
        postal_code: v.postal_code.trim(), city: v.city.trim(), phone: v.phone.trim(),
        territory_id: v.territory_id || null,
        ...(pin ? { lat: pin.lat, lng: pin.lng } : {}),
      };
      await ctx.outbox.add({
        collection: 'customers', op: 'create', id, fields,
        local: { ...fields, segment: 'prospect', geocode_quality: pin ? 'manual' : 'pending', opening_hours: {}, visit_frequency_days: 0 },
      });
      if (v.contact_name.trim()) {
        const contact = { customer_id: id, name: v.contact_name.trim(), phone: v.contact_phone.trim(), is_primary: true };
        await ctx.outbox.add({ collection: 'contacts', op: 'create', id: uuid(), fields: contact });
      }
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('prospect_saved'));
      ctx.go(`#/customer/${id}`);
    },
  },
  h('label', {}, t('prospect_name'), inputs.name),
  h('label', {}, t('street'), inputs.street),
  h('div', { class: 'row2' }, h('label', {}, t('postal_code'), inputs.postal_code), h('label', {}, t('city'), inputs.city)),
  h('label', {}, t('phone'), inputs.phone),
  territories.length > 1 || (me.territory_ids || []).length > 1 ? h('label', {}, t('territory'), territory) : null,
  box, state,
  h('h2', {}, t('contact_person')),
  h('label', {}, t('name'), inputs.contact_name),
  h('label', {}, t('phone'), inputs.contact_phone),
  save, msg);

  // The map draws once the screen is in the document; the pin starts at the rep's position.
  queueMicrotask(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    if (!box.isConnected) return;
    const fix = pin ? null : await currentFix(4000).catch(() => null);
    const start = pin || (fix ? { lat: fix.lat, lng: fix.lng } : null);
    await drawPinMap(ctx, box, start, (pos) => {
      pin = pos;
      state.textContent = t('pin_moved');
      drafts.save(values());
    }).catch(() => { box.hidden = true; });
  });

  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: '#/customers' }, `‹ ${t('back')}`),
    h('h1', {}, t('new_prospect')), form);
}
