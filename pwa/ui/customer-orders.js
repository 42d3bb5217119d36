// A customer's own order: lines, totals and where the office has got with it.

import { h } from './dom.js';
import { t, fmtDateTime, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { statusBadge } from './badge.js';
import { orderStatus, ORDER_STATUSES } from './order-status.js';

/** The steps an order goes through, the ones reached marked done. */
function progress(o) {
  if (o.status === 'cancelled') return h('p', { class: 'error', id: 'order-progress' }, t('order_cancelled'));
  const reached = ORDER_STATUSES.indexOf(o.status || 'submitted');
  return h('ol', { class: 'steps', id: 'order-progress' }, ORDER_STATUSES.slice(0, 4).map((s, i) => h('li', {
    class: i <= reached ? 'done' : '', 'data-step': s, 'aria-current': i === reached ? 'step' : null,
  }, t(`order_${s}`))));
}

/** Ask for this order again: whoever took it (rep or distributor) confirms it. */
function reorderBox(ctx, o) {
  const who = t(o.distributor_id ? 'your_distributor' : 'your_rep');
  const msg = h('p', { role: 'status', id: 'reorder-msg' });
  const button = h('button', {
    class: 'btn primary big', id: 'reorder',
    onclick: async () => {
      button.disabled = true;
      msg.className = '';
      try {
        await ctx.api.request('POST', `/api/orders/${o.id}/reorder-request`);
        msg.textContent = t('reorder_sent', { who });
      } catch (e) {
        msg.className = 'error';
        msg.textContent = e.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : String(e.message || e);
        button.disabled = false;
      }
    },
  }, t('reorder'));
  return h('div', { class: 'reorder' }, button, h('p', { class: 'muted' }, t('reorder_explain', { who })), msg);
}

export async function customerOrderScreen(ctx, orderId) {
  let o = await ctx.store.get('orders', orderId);
  if (o && !o.lines && navigator.onLine) {
    try { o = { ...o, ...(await ctx.api.request('GET', `/api/orders/${orderId}`)) }; } catch { /* the replica's copy */ }
  }
  if (!o) return h('section', { class: 'screen' }, h('a', { class: 'back', href: '#/my' }, `‹ ${t('back')}`), h('p', {}, t('not_found')));
  const cur = o.currency || 'EUR';
  return h('section', { class: 'screen', id: 'my-order', 'data-order': o.number },
    h('a', { class: 'back', href: '#/my' }, `‹ ${t('back')}`),
    h('h1', {}, t('order'), ' ', o.number || '', ' ', orderStatus(o), ' ', statusBadge(o)),
    h('p', { class: 'muted' }, fmtDateTime(o.captured_at || o.created_at)),
    progress(o),
    h('h2', {}, t('lines')),
    h('div', { class: 'list', id: 'my-order-lines' }, (o.lines || []).map((l) => h('div', { class: 'item', 'data-sku': l.sku },
      h('span', { class: 'grow' }, h('strong', {}, l.name || l.sku || ''),
        h('small', {}, `${fmtNumber(l.quantity)} × ${fmtMoney(l.unit_price, cur)}${Number(l.discount_pct) ? ` −${fmtNumber(l.discount_pct)}%` : ''}`)),
      h('span', {}, fmtMoney(l.total, cur))))),
    h('dl', { class: 'totals' },
      h('dt', {}, t('subtotal')), h('dd', {}, fmtMoney(o.subtotal, cur)),
      h('dt', {}, t('tax')), h('dd', {}, fmtMoney(o.tax_total, cur)),
      h('dt', {}, h('strong', {}, t('total'))), h('dd', { 'data-total': o.total }, h('strong', {}, fmtMoney(o.total, cur)))),
    o._status === 'synced' || !o._status ? reorderBox(ctx, o) : null);
}
