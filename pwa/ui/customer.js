// Customer: details, contacts with call/email buttons, the history timeline, actions.

import { h } from './dom.js';
import { t, fmtDate, fmtDateTime, fmtMoney, weekdayName } from '../lib/i18n.js';
import { navigationUrl } from '../lib/geo.js';
import { approvalBadge, dueBadge, statusBadge } from './badge.js';
import { orderStatus } from './order-status.js';
import '../lib/i18n-rep.js';
import { orderList } from './order-list.js';
import { actorLine } from './history-actor.js';

let photosUi = null; // ./photos.js, loaded with the first customer screen
const RECORD_KINDS = new Set(['visit', 'order', 'distributor_order']);
const SHOWN_BY_RECORD = new Set([...RECORD_KINDS, 'order_status', 'order_edited']);
const refOf = (e) => e.ref_id || e.subject_id || e.source_id || e.visit_id || e.order_id || e.entity_id;

/** Visits, orders and the server's history entries of one customer, newest first. */
export async function timeline(store, customerId) {
  const [visits, orders, history] = await Promise.all(['visits', 'orders', 'history']
    .map((s) => store.byIndex(s, 'customer_id', customerId)));
  const own = new Set([...visits, ...orders].map((r) => r.id));
  // A visit or order shown from its own record is named by who did it: an order by whoever
  // took it (its first entry, not the office that moved its status), a visit by its latest
  // step (checked out, cancelled, planned). Oldest first, so later visit steps win.
  const byTime = [...history].sort((a, b) => String(a.captured_at || a.recorded_at || '').localeCompare(String(b.captured_at || b.recorded_at || '')));
  const actors = new Map();
  for (const e of byTime) {
    if (!e.actor || !RECORD_KINDS.has(e.kind)) continue;
    const ref = refOf(e);
    if (e.kind === 'visit' || !actors.has(ref)) actors.set(ref, e.actor);
  }
  const items = [
    // A planned visit sits on the day it is due; a made one on when it happened.
    ...visits.map((v) => ({ kind: 'visit', at: v.status === 'planned' ? v.planned_start || v.captured_at : v.check_in_at || v.captured_at || v.planned_start, row: v, actor: actors.get(v.id) })),
    ...orders.map((o) => ({ kind: 'order', at: o.captured_at, row: o, actor: actors.get(o.id) })),
    // Entries the record itself shows (its making, status and edits) are not repeated; the
    // rest about it (a customer asking for it again, a push opened) are.
    ...history.filter((e) => !(own.has(refOf(e)) && SHOWN_BY_RECORD.has(e.kind))).map((e) => ({ kind: e.kind || 'note', at: e.captured_at || e.recorded_at, row: e, actor: e.actor })),
  ];
  return items.sort((a, b) => String(b.at || '').localeCompare(String(a.at || '')));
}

function entry({ kind, at, row, actor }, ctx) {
  if (kind === 'photo' && photosUi) return photosUi.photoEntry(ctx, { at, row });
  let title;
  let href = null;
  if (kind === 'visit') {
    title = `${t('visit')} · ${t(row.status) || row.status}${row.check_in_verification ? ` · ${t(row.check_in_verification)}` : ''}${row.status === 'planned' && row.planned_start ? ` · ${t('due_on', { date: fmtDate(row.planned_start) })}` : ''}`;
    href = `#/visit/${row.customer_id}/${row.id}`;
  } else if (kind === 'order') {
    title = `${t('order')} ${row.number || ''} · ${fmtMoney(row.total, row.currency || 'EUR')}`;
    href = `#/order/${row.customer_id}/${row.id}`;
  } else {
    title = row.summary || kind;
  }
  const body = [h('span', { class: 'grow' }, h('strong', {}, title),
    h('small', { 'data-captured-at': at || '' }, fmtDateTime(at)),
    actorLine(actor),
    row.notes ? h('small', { class: 'note' }, row.notes) : null,
    row.summary && kind !== 'visit' && kind !== 'order' ? null : null),
  kind === 'order' ? orderStatus(row) : null,
  kind === 'visit' || kind === 'order' ? statusBadge(row) : null,
  kind === 'order' ? approvalBadge(row) : null];
  return href ? h('a', { class: `item kind-${kind}`, href, 'data-kind': kind }, body)
    : h('div', { class: `item kind-${kind}`, 'data-kind': kind }, body);
}

/** Opening hours as text, whether stored as text or as {day: [[from, to]]}. */
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Opening hours Monday to Sunday; a day without hours (empty, or not given) reads "closed". */
export function hours(v) {
  if (!v) return '';
  if (typeof v === 'string') return v;
  const known = Object.keys(v).filter((d) => WEEK.includes(d.slice(0, 3).toLowerCase()));
  if (!known.length) return '';
  const of = (day) => v[known.find((d) => d.slice(0, 3).toLowerCase() === day)];
  return WEEK.map((day) => {
    const spans = [].concat(of(day) || []).filter((s) => s && (!Array.isArray(s) || s.length));
    return `${weekdayName(day)} ${spans.length ? spans.map((s) => (Array.isArray(s) ? s.join('–') : s)).join(', ') : t('hours_closed')}`;
  }).join('; ');
}

const EDITABLE = ['phone', 'email'];

/** Phone and email, changed on the spot (merged field by field on the server). */
function editForm(ctx, c) {
  const inputs = Object.fromEntries(EDITABLE.map((k) => [k, h('input', { name: k, value: c[k] || '', type: k === 'email' ? 'email' : 'tel' })]));
  const form = h('form', {
    class: 'edit', hidden: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      const fields = Object.fromEntries(EDITABLE.filter((k) => inputs[k].value.trim() !== (c[k] || '')).map((k) => [k, inputs[k].value.trim()]));
      if (Object.keys(fields).length) await ctx.outbox.add({ collection: 'customers', op: 'update', id: c.id, fields });
      ctx.changed();
      ctx.rerender();
    },
  }, EDITABLE.map((k) => h('label', {}, t(k === 'email' ? 'email' : 'phone'), inputs[k])),
  h('button', { class: 'btn primary', type: 'submit', id: 'customer-save' }, t('save')));
  const toggle = h('button', { class: 'btn small', type: 'button', id: 'customer-edit', onclick: () => { form.hidden = !form.hidden; } }, t('edit'));
  return [toggle, form];
}

export async function customerScreen(ctx, id) {
  const c = await ctx.store.get('customers', id);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const contacts = await ctx.store.byIndex('contacts', 'customer_id', id);
  contacts.sort((a, b) => Number(Boolean(b.is_primary)) - Number(Boolean(a.is_primary)));
  const items = await timeline(ctx.store, id);
  // Photos (ui/photos.js): the server's "photo" entries and this device's not yet uploaded.
  photosUi = photosUi || await import('./photos.js');
  items.push(...await photosUi.localPhotoItems(ctx.store, id, new Set(items.map((i) => refOf(i.row)))));
  items.sort((a, b) => String(b.at || '').localeCompare(String(a.at || '')));
  const phone = c.phone ? h('a', { class: 'btn', href: `tel:${c.phone}` }, `${t('call')} ${c.phone}`) : null;
  // A distributor takes orders for the customers it serves: no visits, no quotes, no edits.
  const rep = ctx.me()?.role !== 'distributor';
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: '#/customers' }, `‹ ${t('back')}`),
    h('h1', {}, c.name, ' ', statusBadge(c), ' ', rep ? dueBadge(c) : null),
    h('p', { class: 'muted' }, [c.code, [c.street, c.postal_code, c.city].filter(Boolean).join(', ')].filter(Boolean).join(' · ')),
    h('div', { class: 'actions' },
      rep ? h('a', { class: 'btn primary', href: `#/visit/${id}`, id: 'action-visit' }, t('visit')) : null,
      h('a', { class: 'btn primary', href: `#/order/${id}`, id: 'action-order' }, t('new_order')),
      rep ? h('a', { class: 'btn', href: `#/quotes/${id}`, id: 'action-quotes' }, t('quotes')) : null,
      c.lat != null ? h('a', { class: 'btn', href: navigationUrl(c), target: '_blank', rel: 'noopener' }, t('navigate')) : null,
      phone),
    h('h2', {}, t('details')), rep ? editForm(ctx, c) : null,
    rep ? h('div', { class: 'actions' },
      h('a', { class: 'btn small', href: `#/customer-edit/${id}`, id: 'action-edit-address' }, t('edit_address')),
      h('a', { class: 'btn small', href: `#/contact/${id}`, id: 'action-contact' }, t('add_contact')),
      h('a', { class: 'btn small', href: `#/note/${id}`, id: 'action-note' }, t('add_note'))) : null,
    h('dl', { class: 'details' },
      hours(c.opening_hours) ? [h('dt', {}, t('opening_hours')), h('dd', {}, hours(c.opening_hours))] : null,
      rep && c.visit_frequency_days ? [h('dt', {}, t('frequency')), h('dd', {}, t('every_days', { n: c.visit_frequency_days }))] : null,
      rep ? [h('dt', {}, t('last_visit')), h('dd', { id: 'last-visit', 'data-at': c.last_visit_at || '' }, c.last_visit_at ? fmtDate(c.last_visit_at) : '—')] : null,
      c.phone ? [h('dt', {}, '☎'), h('dd', {}, h('a', { href: `tel:${c.phone}` }, c.phone))] : null,
      c.email ? [h('dt', {}, '@'), h('dd', {}, h('a', { href: `mailto:${c.email}` }, c.email))] : null),
    contacts.length ? h('h2', {}, t('contacts')) : null,
    h('div', { class: 'list' }, contacts.map((p) => h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('strong', {}, p.name), p.is_primary ? h('small', {}, t('primary')) : null),
      p.phone ? h('a', { class: 'btn small', href: `tel:${p.phone}`, 'aria-label': `${t('call')} ${p.name}` }, '☎') : null,
      p.email ? h('a', { class: 'btn small', href: `mailto:${p.email}`, 'aria-label': `${t('write')} ${p.name}` }, '✉') : null))),
    rep ? [h('h2', {}, t('orders')), await orderList(ctx, id)] : null,
    h('h2', {}, rep ? t('history') : t('order_history')),
    h('div', { class: 'list timeline', id: 'timeline' }, (rep ? items : items.filter((i) => i.kind === 'order')).map((i) => entry(i, ctx))));
}
