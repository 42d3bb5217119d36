// Add a contact to a customer, offline through the outbox (merged field by field on the server).

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import '../lib/i18n-rep.js';
import { uuid } from '../lib/outbox.js';
import { draftKeeper } from './drafts.js';

const FIELDS = [['name', 'name', 'text'], ['title', 'contact_title', 'text'], ['phone', 'phone', 'tel'], ['email', 'email', 'email']];

export async function contactScreen(ctx, customerId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const drafts = draftKeeper(ctx.store, `contact:${customerId}`);
  const draft = (await drafts.load())?.values || {};
  const inputs = Object.fromEntries(FIELDS.map(([k, , type]) => [k, h('input', { name: k, type, value: draft[k] || '', autocomplete: 'off' })]));
  const primary = h('input', { type: 'checkbox', name: 'is_primary', checked: Boolean(draft.is_primary) });
  const values = () => ({ ...Object.fromEntries(FIELDS.map(([k]) => [k, inputs[k].value.trim()])), is_primary: primary.checked });
  for (const el of [...Object.values(inputs), primary]) el.addEventListener('input', () => drafts.save(values()));
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'stack', id: 'contact-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const fields = { customer_id: customerId, ...values() };
      if (!fields.name) { msg.textContent = t('name_required'); inputs.name.focus(); return; }
      await ctx.outbox.add({ collection: 'contacts', op: 'create', id: uuid(), fields });
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('contact_saved'));
      ctx.go(`#/customer/${customerId}`);
    },
  }, FIELDS.map(([k, label]) => h('label', {}, t(label), inputs[k])),
  h('label', { class: 'check' }, primary, ' ', t('make_primary')),
  h('button', { class: 'btn primary big', type: 'submit', id: 'contact-save' }, t('save')), msg);
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('add_contact')), form);
}

/** A note on the customer's timeline, without a visit. */
export async function noteScreen(ctx, customerId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const me = ctx.me();
  const drafts = draftKeeper(ctx.store, `note:${customerId}`);
  const text = h('textarea', { name: 'note', rows: 6 }, (await drafts.load())?.values?.text || '');
  text.addEventListener('input', () => drafts.save({ text: text.value }));
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'stack', id: 'note-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      if (!value) { msg.textContent = t('note_empty'); text.focus(); return; }
      const at = new Date().toISOString();
      await ctx.outbox.add({
        collection: 'history', op: 'create', id: uuid(),
        fields: { customer_id: customerId, kind: 'note', text: value },
        local: { customer_id: customerId, kind: 'note', summary: value, captured_at: at, actor_name: me?.name || '' },
      });
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('note_saved'));
      ctx.go(`#/customer/${customerId}`);
    },
  }, h('label', {}, t('note_text'), text),
  h('button', { class: 'btn primary big', type: 'submit', id: 'note-save' }, t('save')), msg);
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('add_note')), form);
}
