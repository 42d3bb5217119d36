// The distributor's home: the day in figures, orders as the office moves them, and the way
// to its customers. Everything comes from the replica, so it works offline.

import { h } from './dom.js';
import { t, fmtDateTime, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { dec, round, str } from '../lib/pricing.js';
import { statusBadge } from './badge.js';
import { orderStatus } from './order-status.js';

const when = (o) => o.captured_at || o.created_at || '';
const newest = (a, b) => String(when(b)).localeCompare(String(when(a)));

/** Whether an ISO time falls on the device's today (the distributor's working day). */
export function isToday(iso, today = new Date()) {
  const d = new Date(iso);
  return !Number.isNaN(d.getTime()) && d.toDateString() === today.toDateString();
}

/** Exact sum of decimal strings (2 places). */
export function sumMoney(values) {
  let cents = 0n;
  for (const v of values) cents += round(dec(v ?? '0'), 2).v;
  return str({ v: cents, s: 2 });
}

export function orderItem(o, customer) {
  return h('a', { class: 'item', href: `#/order/${o.customer_id}/${o.id}`, 'data-order': o.number || o.id },
    h('span', { class: 'grow' }, h('strong', {}, `${o.number || t('order')}${customer ? ` · ${customer.name}` : ''}`),
      h('small', {}, `${fmtDateTime(when(o))} · ${fmtMoney(o.total, o.currency || 'EUR')}`)),
    orderStatus(o), statusBadge(o));
}

export async function partnerHomeScreen(ctx) {
  const [orders, customers, outbox, lists] = await Promise.all([ctx.store.all('orders'), ctx.customerMap(),
    ctx.store.all('outbox'), ctx.store.all('price_lists')]);
  const today = orders.filter((o) => isToday(when(o)) && o.status !== 'cancelled');
  const currency = today[0]?.currency || lists[0]?.currency || 'EUR';
  const open = orders.filter((o) => ['submitted', 'confirmed', 'shipped'].includes(o.status || 'submitted'));
  const waiting = outbox.filter((e) => e.state === 'pending').length;
  const refused = outbox.filter((e) => e.state === 'rejected').length;
  const figure = (id, label, value) => h('div', { class: 'figure', id }, h('strong', {}, value), h('small', {}, label));
  return h('section', { class: 'screen', id: 'partner-home' },
    h('h1', {}, ctx.me().name || t('tab_home')),
    lists.length ? null : h('p', { class: 'error', id: 'no-price-list' }, t('no_price_list_dist')),
    h('h2', {}, t('day_summary')),
    h('div', { class: 'figures', id: 'day-summary' },
      figure('sum-orders', t('orders_today'), fmtNumber(today.length)),
      figure('sum-value', t('value_today'), fmtMoney(sumMoney(today.map((o) => o.total)), currency)),
      figure('sum-open', t('open_orders'), fmtNumber(open.length)),
      figure('sum-customers', t('customers_served'), fmtNumber(customers.size))),
    waiting || refused ? h('a', { class: `banner ${refused ? 'error' : 'offline'}`, href: '#/sync', id: 'sum-waiting' },
      refused ? t('refused_waiting', { n: refused }) : `${t('waiting_to_send')}: ${waiting}`) : null,
    h('a', { class: 'btn primary big', href: '#/customers', id: 'take-order' }, t('take_order')),
    h('h2', {}, t('recent_orders')),
    orders.length ? null : h('p', { class: 'muted' }, t('no_orders')),
    h('div', { class: 'list', id: 'partner-orders' }, orders.sort(newest).slice(0, 40).map((o) => orderItem(o, customers.get(o.customer_id)))));
}
