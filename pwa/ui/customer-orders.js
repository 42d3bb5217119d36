// A customer's own order: lines, totals and where the office has got with it.

import { h } from './dom.js';
import { t, fmtDateTime, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { unsentBadge } from './badge.js';
import { orderStatus, ORDER_STATUSES } from './order-status.js';
import { uuid } from '../lib/outbox.js';
import { savedTotals } from './line-editor.js';

/** The steps an order goes through, the ones reached marked done. */
function progress(o) {
  if (o.status === 'cancelled') return h('p', { class: 'error', id: 'order-progress' }, t('order_cancelled'));
  const reached = ORDER_STATUSES.indexOf(o.status || 'submitted');
  return h('ol', { class: 'steps', id: 'order-progress' }, ORDER_STATUSES.slice(0, 4).map((s, i) => h('li', {
    class: i <= reached ? 'done' : '', 'data-step': s, 'aria-current': i === reached ? 'step' : null,
  }, t(`order_${s}`))));
}

/** This order's requests to order it again, newest first, as the phone holds them. */
async function requestsFor(ctx, o) {
  const mine = (await ctx.store.byIndex('history', 'customer_id', o.customer_id))
    .filter((e) => e.kind === 'reorder_request' && (e.ref_id === o.id || e.data?.order_id === o.id));
  return mine.sort((a, b) => String(b.captured_at || '').localeCompare(String(a.captured_at || '')));
}

function requestLine(e, who) {
  const s = e._status || 'synced';
  const state = s === 'rejected' ? t('reorder_state_rejected', { why: e._error?.detail || e._error?.code || '' })
    : s === 'pending' ? t('reorder_state_pending') : t('reorder_state_synced', { who });
  return h('li', { 'data-request': e.id, 'data-status': s, class: s === 'rejected' ? 'error' : '' },
    `${fmtDateTime(e.captured_at || e.recorded_at)} · ${state}`);
}

/** Ask for this order again: whoever took it (rep or distributor) confirms it. Kept on the
 * phone first like every write, so it works offline and goes out once the phone is online. */
async function reorderBox(ctx, o) {
  const who = t(o.distributor_id ? 'your_distributor' : 'your_rep');
  const list = h('div', { id: 'reorder-list' });
  const drawList = async () => {
    const asked = await requestsFor(ctx, o);
    list.replaceChildren(...(asked.length ? [h('h2', {}, t('reorder_requests')),
      h('ul', { id: 'reorder-requests' }, asked.map((e) => requestLine(e, who)))] : []));
  };
  const ask = async () => {
      button.disabled = true;
      again.hidden = true;
      const at = new Date().toISOString();
      const id = uuid();
      await ctx.outbox.add({
        collection: 'history', op: 'create', id,
        fields: { kind: 'reorder_request', order_id: o.id },
        local: {
          customer_id: o.customer_id, kind: 'reorder_request', ref_id: o.id, captured_at: at,
          summary: t('reorder_requested'), data: { order_id: o.id, number: o.number },
        },
      });
      const sent = ctx.changed(); // out now, or as soon as the phone is online again
      await drawList();
      if (navigator.onLine) await sent;
      // A toast, not a line on this screen: the sync that sent it may have drawn it again.
      const e = await ctx.store.get('history', id);
      const s = e?._status || 'synced';
      ctx.notify(s === 'rejected' ? t('reorder_state_rejected', { why: e._error?.detail || '' })
        : s === 'pending' ? t('reorder_saved_offline', { who }) : t('reorder_sent', { who }), { untilSent: s === 'pending' });
      ctx.rerender();
  };
  // Asked already in the last day: a second tap asks first, so the rep gets no duplicates.
  const again = h('div', { class: 'confirm', id: 'reorder-again', role: 'alertdialog', hidden: true },
    h('p', { id: 'reorder-again-text' }),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', id: 'reorder-again-yes', onclick: ask }, t('reorder_ask_again')),
      h('button', { class: 'btn', type: 'button', onclick: () => { again.hidden = true; button.focus(); } }, t('cancel'))));
  const button = h('button', {
    class: 'btn primary big', id: 'reorder',
    onclick: async () => {
      const recent = (await requestsFor(ctx, o)).find((e) => Date.now() - Date.parse(e.captured_at || e.recorded_at) < 24 * 3600e3);
      if (!recent) { await ask(); return; }
      again.querySelector('#reorder-again-text').textContent = t('reorder_asked_recently', { when: fmtDateTime(recent.captured_at || recent.recorded_at), who });
      again.hidden = false;
      again.querySelector('#reorder-again-yes').focus();
    },
  }, t('reorder'));
  await drawList();
  return h('div', { class: 'reorder' }, button, again, h('p', { class: 'muted' }, t('reorder_explain', { who })), list);
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
    h('h1', {}, t('order'), ' ', o.number || '', ' ', orderStatus(o), ' ', unsentBadge(o)),
    h('p', { class: 'muted' }, fmtDateTime(o.captured_at || o.created_at)),
    progress(o),
    h('h2', {}, t('lines')),
    h('div', { class: 'list', id: 'my-order-lines' }, (o.lines || []).map((l) => h('div', { class: 'item', 'data-sku': l.sku },
      h('span', { class: 'grow' }, h('strong', {}, l.name || l.sku || ''),
        h('small', {}, `${fmtNumber(l.quantity)} × ${fmtMoney(l.unit_price, cur)}${Number(l.discount_pct) ? ` −${fmtNumber(l.discount_pct)}%` : ''}`)),
      h('span', {}, fmtMoney(l.net, cur))))),
    savedTotals(o, cur),
    o._status === 'synced' || !o._status ? await reorderBox(ctx, o) : null);
}
