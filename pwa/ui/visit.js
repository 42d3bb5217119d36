// Visit: check in and out with position and accuracy, verified locally; outcome, notes, next action.

import { h } from './dom.js';
import { t, fmtTime, fmtDateTime } from '../lib/i18n.js';
import { currentFix, verify } from '../lib/geo.js';
import { uuid, now } from '../lib/outbox.js';
import { statusBadge } from './badge.js';
import { draftKeeper } from './drafts.js';

const OUTCOMES = ['ordered', 'no_order', 'closed', 'not_available', 'other'];

function verificationLine(v) {
  const kind = v.check_in_verification || 'no_fix';
  return h('p', { class: `verify verify-${kind}`, 'data-verification': kind },
    h('strong', {}, t(kind)),
    v.check_in_distance_m != null ? ` · ${t('distance', { m: Math.round(v.check_in_distance_m) })}` : '',
    v.check_in_accuracy_m != null ? ` · ${t('accuracy', { m: Math.round(v.check_in_accuracy_m) })}` : '');
}

/** The phone's fix and how it compares with the customer's pin. */
async function locate(customer) {
  const fix = await currentFix();
  return { fix, ...verify(customer, fix), at: now() };
}

const wirePosition = (fix) => ({ lat: fix?.lat ?? null, lng: fix?.lng ?? null, accuracy_m: fix ? Math.round(fix.accuracy_m * 10) / 10 : null });

export async function visitScreen(ctx, customerId, visitId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const me = ctx.me();
  const visits = await ctx.store.byIndex('visits', 'customer_id', customerId);
  let v = visitId ? visits.find((x) => x.id === visitId)
    : visits.find((x) => x.status === 'checked_in' && (!x.rep_id || x.rep_id === me.id));
  const planned = !v && visits.find((x) => x.status === 'planned' && (!x.rep_id || x.rep_id === me.id));
  const head = [h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`), h('h1', {}, t('visit'), v ? [' ', statusBadge(v)] : null)];

  if (!v) {
    const msg = h('p', { class: 'muted', role: 'status' });
    const btn = h('button', {
      class: 'btn primary big', id: 'check-in',
      onclick: async () => {
        btn.disabled = true;
        msg.textContent = t('locating');
        const { fix, verification, distance_m, at } = await locate(c);
        let id = planned?.id;
        if (!id) {
          id = uuid();
          const plan = { customer_id: customerId, rep_id: me.id, planned_start: at };
          await ctx.outbox.add({ collection: 'visits', op: 'create', id, fields: plan, local: { ...plan, status: 'planned', captured_at: at } });
        }
        const pos = wirePosition(fix);
        await ctx.outbox.add({
          collection: 'visits', op: 'update', id, fields: { action: 'check_in', ...pos, captured_at: at },
          local: {
            status: 'checked_in', check_in_at: at, check_in_lat: pos.lat, check_in_lng: pos.lng, check_in_accuracy_m: pos.accuracy_m,
            check_in_verification: verification, check_in_distance_m: distance_m, captured_at: at,
          },
        });
        ctx.changed();
        ctx.rerender();
      },
    }, t('check_in'));
    return h('section', { class: 'screen' }, head, h('p', {}, c.name, h('br'), [c.street, c.city].filter(Boolean).join(', ')), btn, msg);
  }

  const open = v.status === 'checked_in';
  const drafts = draftKeeper(ctx.store, `visit:${v.id}`);
  const draft = (await drafts.load())?.values || {};
  const val = (k) => draft[k] ?? v[k] ?? '';
  const outcome = h('select', { name: 'outcome', disabled: !open }, h('option', { value: '' }, '—'),
    OUTCOMES.map((o) => h('option', { value: o, selected: val('outcome') === o }, t(`outcome_${o}`))));
  const notes = h('textarea', { name: 'notes', rows: 4, disabled: !open }, val('notes'));
  const next = h('input', { name: 'next_action', value: val('next_action'), disabled: !open });
  const values = () => ({ outcome: outcome.value, notes: notes.value, next_action: next.value });
  // Typed text lives in the draft until check-out sends it with the visit.
  for (const el of [outcome, notes, next]) el.addEventListener('input', () => drafts.save(values()));
  const msg = h('p', { class: 'muted', role: 'status' });

  const outBtn = h('button', {
    class: 'btn primary big', id: 'check-out',
    onclick: async () => {
      const vals = values();
      if (!vals.outcome) { msg.textContent = `${t('outcome')}?`; outcome.focus(); return; }
      outBtn.disabled = true;
      msg.textContent = t('locating');
      const { fix, at } = await locate(c);
      const pos = wirePosition(fix);
      await ctx.outbox.add({
        collection: 'visits', op: 'update', id: v.id,
        fields: { action: 'check_out', ...vals, ...pos, captured_at: at },
        local: { ...vals, status: 'done', check_out_at: at, check_out_lat: pos.lat, check_out_lng: pos.lng, check_out_accuracy_m: pos.accuracy_m },
      });
      await drafts.clear();
      ctx.changed();
      ctx.go(`#/customer/${customerId}`);
    },
  }, t('check_out'));

  return h('section', { class: 'screen' }, head,
    h('p', {}, t('checked_in_at', { t: v.check_in_at ? fmtTime(v.check_in_at) : '—' }),
      v.check_out_at ? ` – ${fmtDateTime(v.check_out_at)}` : ''),
    verificationLine(v),
    v._status === 'rejected' ? h('p', { class: 'error' }, v._error?.detail || v._error?.code || t('rejected')) : null,
    h('label', {}, t('outcome'), outcome), h('label', {}, t('notes'), notes), h('label', {}, t('next_action'), next),
    open ? [h('a', { class: 'btn', href: `#/order/${customerId}`, id: 'visit-order' }, t('new_order')), outBtn] : null,
    msg);
}
