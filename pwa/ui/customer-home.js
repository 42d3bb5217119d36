// The customer's own view: their quotes (accept or decline, after a confirmation) and orders.
// Decisions go straight to the server (they commit the customer), so they need a connection.

import { h } from './dom.js';
import { t, fmtDate, fmtDateTime, fmtMoney } from '../lib/i18n.js';
import { statusBadge } from './badge.js';
import { quoteStatus } from './quotes.js';
import { quoteBody } from './quote-view.js';

const newest = (a, b) => String(b.captured_at || b.created_at || '').localeCompare(String(a.captured_at || a.created_at || ''));

export async function customerHomeScreen(ctx) {
  const me = ctx.me();
  const [quotes, orders, shop] = await Promise.all([ctx.store.all('quotes'), ctx.store.all('orders'),
    me.customer_id ? ctx.store.get('customers', me.customer_id) : null]);
  const visible = quotes.filter((q) => q.status !== 'draft').sort(newest);
  return h('section', { class: 'screen' },
    h('h1', {}, shop?.name || t('my_account')),
    h('h2', {}, t('quotes')),
    visible.length ? null : h('p', { class: 'muted' }, t('no_quotes')),
    h('div', { class: 'list', id: 'my-quotes' }, visible.map((q) => h('a', { class: 'item', href: `#/my/quote/${q.id}`, 'data-quote': q.number },
      h('span', { class: 'grow' }, h('strong', {}, q.number), h('small', {}, `${fmtMoney(q.total, q.currency)} · ${t('valid_until')} ${fmtDate(q.valid_until)}`)),
      quoteStatus(q), statusBadge(q)))),
    h('h2', {}, t('orders')),
    orders.length ? null : h('p', { class: 'muted' }, t('no_orders')),
    h('div', { class: 'list', id: 'my-orders' }, orders.sort(newest).map((o) => h('div', { class: 'item', 'data-order': o.number || o.id },
      h('span', { class: 'grow' }, h('strong', {}, `${t('order')} ${o.number || ''}`), h('small', {}, fmtDateTime(o.captured_at || o.created_at))),
      h('span', {}, fmtMoney(o.total, o.currency || 'EUR')), statusBadge(o)))));
}

export async function customerQuoteScreen(ctx, quoteId) {
  const q = await ctx.store.get('quotes', quoteId);
  if (!q) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const msg = h('p', { class: 'error', role: 'alert' });
  const decide = (what) => async () => {
    msg.textContent = '';
    try {
      const fresh = await ctx.api.request('POST', `/api/quotes/${quoteId}/${what}`, { body: {} });
      await ctx.store.put('quotes', { ...fresh, _status: 'synced', _error: null });
      await ctx.sync.run(); // the order the acceptance made
      ctx.notify(what === 'accept' ? t('order_made', { n: fresh.number }) : t('status_rejected'));
      ctx.go('#/my');
    } catch (e) {
      msg.textContent = e.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : String(e.message || e);
    }
  };
  const confirmBox = (what, text) => h('div', { class: 'confirm', hidden: true, id: `confirm-${what}`, role: 'alertdialog' },
    h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', id: `confirm-${what}-yes`, onclick: decide(what) }, t('yes')),
      h('button', { class: 'btn', onclick: (e) => { e.target.closest('.confirm').hidden = true; } }, t('cancel'))));
  const acceptBox = confirmBox('accept', t('confirm_accept', { n: q.number, total: fmtMoney(q.total, q.currency) }));
  const rejectBox = confirmBox('reject', t('confirm_reject', { n: q.number }));
  const open = q.status === 'sent';
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: '#/my' }, `‹ ${t('back')}`),
    h('h1', {}, t('quote'), ' ', q.number, ' ', statusBadge(q)),
    h('p', {}, quoteStatus(q)),
    ...quoteBody(q),
    open ? h('div', { class: 'actions' },
      h('button', { class: 'btn primary big', id: 'quote-accept', onclick: () => { acceptBox.hidden = false; rejectBox.hidden = true; acceptBox.scrollIntoView({ block: 'center' }); } }, t('accept')),
      h('button', { class: 'btn big', id: 'quote-reject', onclick: () => { rejectBox.hidden = false; acceptBox.hidden = true; rejectBox.scrollIntoView({ block: 'center' }); } }, t('reject'))) : null,
    acceptBox, rejectBox, msg);
}
