// A customer's orders on the rep's phone: number, date, total, where the office has got with
// each (submitted, confirmed, shipped, delivered, cancelled; "not sent yet" while only on the
// device), and whether the phone's own changes are pending, synced or refused.

import { h } from './dom.js';
import { t, fmtDate, fmtMoney } from '../lib/i18n.js';
import { rejectionText } from '../lib/i18n-rep.js';
import { statusBadge } from './badge.js';
import { orderStatus } from './order-status.js';

/** Never sent to the server: the create is still in the outbox. */
export async function unsentIds(ctx) {
  return new Set((await ctx.outbox.all()).filter((e) => e.collection === 'orders' && e.op === 'create' && e.state === 'pending').map((e) => e.id));
}

export function orderBadge(o, unsent) {
  // Cancelled on the phone (sent or not): it reads cancelled at once, not "not sent yet".
  if (unsent.has(o.id) && o.status !== 'cancelled') return h('span', { class: 'ostatus ostatus-draft', 'data-order-status': 'draft' }, t('order_draft'));
  return orderStatus(o);
}

export async function orderList(ctx, customerId) {
  const orders = (await ctx.store.byIndex('orders', 'customer_id', customerId))
    .sort((a, b) => String(b.captured_at || b.created_at || '').localeCompare(String(a.captured_at || a.created_at || '')));
  const unsent = await unsentIds(ctx);
  return h('div', { class: 'list', id: 'order-list' }, orders.length ? orders.map((o) => h('a', {
    class: 'item', href: `#/order/${customerId}/${o.id}`, 'data-order': o.number || o.id,
  },
  h('span', { class: 'grow' }, h('strong', {}, `${o.number || t('order')}`),
    h('small', {}, `${fmtDate(o.captured_at || o.created_at)} · ${fmtMoney(o.total, o.currency || 'EUR')}`),
    o._status === 'rejected' ? h('small', { class: 'error' }, rejectionText(o._error)) : null),
  h('span', { class: 'badges' }, orderBadge(o, unsent), ' ', statusBadge(o)))) : h('p', { class: 'muted' }, t('no_orders')));
}
