// Visit: check in and out with position and accuracy, verified locally; outcome, notes, next action.

import { h } from './dom.js';
import { t, fmtDate, fmtTime, fmtDateTime, fmtMoney } from '../lib/i18n.js';
import { currentFix, verify } from '../lib/geo.js';
import { uuid, now } from '../lib/outbox.js';
import { statusBadge } from './badge.js';
import { draftKeeper } from './drafts.js';
import { askFarReason } from './far-reason.js';
import '../lib/i18n-rep.js';
import { isMine } from './today.js';

const OUTCOMES = ['ordered', 'no_order', 'closed', 'not_available', 'other'];

function verificationLine(v) {
  const kind = v.check_in_verification || 'no_fix';
  return h('p', { class: `verify verify-${kind}`, 'data-verification': kind },
    h('strong', {}, t(kind)),
    v.check_in_distance_m != null ? ` · ${t('distance', { m: Math.round(v.check_in_distance_m) })}` : '',
    v.check_in_accuracy_m != null ? ` · ${t('accuracy', { m: Math.round(v.check_in_accuracy_m) })}` : '',
    v.check_in_reason ? h('small', { class: 'far-why', 'data-reason': v.check_in_reason }, h('br'), t(`far_${v.check_in_reason}`), v.check_in_reason_note ? `: ${v.check_in_reason_note}` : '') : null);
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
    : visits.find((x) => x.status === 'checked_in' && isMine(x, me));
  // A planned visit is used by a check-in when it is due (today or before); one planned for a
  // later day is kept for that day unless the rep picks it (a check-in makes a new visit).
  const endOfToday = new Date(); endOfToday.setHours(23, 59, 59, 999);
  const mine = visits.filter((x) => x.status === 'planned' && isMine(x, me))
    .sort((a, b) => String(a.planned_start || '').localeCompare(String(b.planned_start || '')));
  const isDue = (x) => !x.planned_start || new Date(x.planned_start) <= endOfToday;
  // A planned visit opened from the timeline is the one the rep picked: check in on it.
  const picked = v?.status === 'planned' && isMine(v, me) ? v : null;
  if (picked) v = null;
  const planned = !v && (picked || mine.find(isDue));
  const later = !v && !planned && mine.find((x) => !isDue(x));
  const head = [h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`), h('h1', {}, t('visit'), v ? [' ', statusBadge(v)] : null)];

  if (!v) {
    const msg = h('p', { class: 'muted', role: 'status' });
    const checkIn = async (useVisit) => {
        btn.disabled = true;
        if (pick) pick.disabled = true;
        msg.textContent = t('locating');
        const { fix, verification, distance_m, at } = await locate(c);
        // Too far from the pin: the rep says why before the check-in is queued.
        if (verification === 'too_far') msg.textContent = '';
        const why = verification === 'too_far' ? await askFarReason(slot, distance_m) : {};
        if (!why) { btn.disabled = false; if (pick) pick.disabled = false; msg.textContent = ''; return; }
        let id = useVisit?.id;
        if (!id) {
          id = uuid();
          const plan = { customer_id: customerId, rep_id: me.id, planned_start: at };
          await ctx.outbox.add({ collection: 'visits', op: 'create', id, fields: plan, local: { ...plan, status: 'planned', captured_at: at } });
        }
        const pos = wirePosition(fix);
        await ctx.outbox.add({
          collection: 'visits', op: 'update', id, fields: { action: 'check_in', ...pos, ...why, captured_at: at },
          local: {
            check_in_reason: why.reason || '', check_in_reason_note: why.reason_note || '',
            status: 'checked_in', check_in_at: at, check_in_lat: pos.lat, check_in_lng: pos.lng, check_in_accuracy_m: pos.accuracy_m,
            check_in_verification: verification, check_in_distance_m: distance_m, captured_at: at,
          },
        });
        ctx.changed();
        ctx.rerender();
    };
    const btn = h('button', { class: 'btn primary big', id: 'check-in', onclick: () => checkIn(planned) }, t('check_in'));
    const pick = later ? h('button', { class: 'btn', id: 'check-in-planned', onclick: () => checkIn(later) },
      t('use_planned_visit', { date: fmtDate(later.planned_start) })) : null;
    const slot = h('div', { id: 'far-slot' });
    const dueLine = planned?.planned_start ? h('p', { class: 'muted', id: 'visit-due' }, t('due_on', { date: fmtDate(planned.planned_start) })) : null;
    return h('section', { class: 'screen' }, head, h('p', {}, c.name, h('br'), [c.street, c.city].filter(Boolean).join(', ')), dueLine, btn, pick, msg, slot);
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
      // The customer's last visit is now, on this phone too (the server sets the same at
      // check-out; its copy replaces this one at the next pull).
      const shop = await ctx.store.get('customers', customerId);
      if (shop && !(Date.parse(shop.last_visit_at) >= Date.parse(at))) await ctx.store.put('customers', { ...shop, last_visit_at: at });
      await drafts.clear();
      ctx.changed();
      ctx.go(`#/customer/${customerId}`);
    },
  }, t('check_out'));

  // Photos of this visit (ui/photos.js): the camera while checked in, the thumbnails always.
  const photos = await import('./photos.js').then((m) => m.photoSection(ctx, { customerId, visitId: v.id, canAdd: open }));
  // The orders taken in this visit (placing one comes back here, to the check-out).
  const taken = (await ctx.store.byIndex('orders', 'customer_id', customerId)).filter((o) => o.visit_id === v.id);
  const takenList = taken.length ? h('div', { class: 'list', id: 'visit-orders' }, h('h2', {}, t('visit_orders')),
    taken.map((o) => h('a', { class: 'item', href: `#/order/${customerId}/${o.id}`, 'data-order': o.number || o.id },
      h('span', { class: 'grow' }, h('strong', {}, o.number || t('order'))), h('span', {}, fmtMoney(o.total, o.currency || 'EUR')), statusBadge(o)))) : null;

  return h('section', { class: 'screen' }, head,
    h('p', {}, t('checked_in_at', { t: v.check_in_at ? fmtTime(v.check_in_at) : '—' }),
      v.check_out_at ? ` – ${fmtDateTime(v.check_out_at)}` : ''),
    verificationLine(v),
    v._status === 'rejected' ? h('p', { class: 'error' }, v._error?.detail || v._error?.code || t('rejected')) : null,
    h('label', {}, t('outcome'), outcome), h('label', {}, t('notes'), notes), h('label', {}, t('next_action'), next),
    takenList,
    open ? [h('a', { class: 'btn', href: `#/order/${customerId}`, id: 'visit-order' }, t('new_order')), outBtn] : null,
    msg, photos);
}
