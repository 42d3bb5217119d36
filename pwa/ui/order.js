// Order: catalogue search, the customer's price list, quantities, discounts, live totals.

import { h } from './dom.js';
import { t, fmtMoney, fmtNumber, fmtDateTime } from '../lib/i18n.js';
import { priceOrder } from '../lib/pricing.js';
import { uuid, now } from '../lib/outbox.js';
import { approvalBadge, statusBadge } from './badge.js';
import { draftKeeper } from './drafts.js';
import { orderStatus } from './order-status.js';
import { rejectionText } from '../lib/i18n-rep.js';
import { orderBadge, unsentIds } from './order-list.js';
import { lineEditor, priceListFor, savedTotals } from './line-editor.js';
import { isMine } from './today.js';

export { above } from '../lib/pricing.js';

const LINE_FIELDS = ['product_id', 'quantity', 'unit_price', 'discount_pct', 'tax_rate', 'net', 'tax_amount', 'total'];

/** A past order's lines go into the order form: how a rep or distributor confirms a reorder. */
async function orderAgain(ctx, c, o) {
  const lines = (o.lines || []).map((l) => ({ product_id: l.product_id, quantity: String(l.quantity), discount_pct: Number(l.discount_pct) ? String(l.discount_pct) : '' }));
  await ctx.store.put('drafts', { key: `order:${c.id}`, values: { lines, notes: '' } });
  ctx.go(`#/order/${c.id}`);
}

/** Change or cancel: the author's, while the office has not confirmed the order. */
function authorActions(ctx, c, o, unsent) {
  const me = ctx.me();
  const mine = unsent.has(o.id) || (o.author_id && o.author_id === me?.id);
  if (!mine || o.status !== 'submitted' || o._status === 'rejected') return null;
  const sure = h('div', { class: 'actions', hidden: true, id: 'cancel-confirm' },
    h('button', {
      class: 'btn danger', id: 'cancel-order-yes',
      onclick: async () => {
        await ctx.outbox.add({ collection: 'orders', op: 'update', id: o.id, fields: { status: 'cancelled', captured_at: now() }, local: { status: 'cancelled' } });
        ctx.changed();
        ctx.notify(t('order_cancel_queued'));
        ctx.go(`#/customer/${c.id}`);
      },
    }, t('cancel_order_sure')),
    h('button', { class: 'btn', onclick: () => { sure.hidden = true; } }, t('keep_order')));
  return [h('p', { class: 'muted' }, t('order_editable_until')),
    h('div', { class: 'actions' },
      h('a', { class: 'btn primary', href: `#/order-edit/${c.id}/${o.id}`, id: 'edit-order' }, t('edit_order')),
      h('button', { class: 'btn', id: 'cancel-order', onclick: () => { sure.hidden = false; } }, t('cancel_order'))),
    sure];
}

function savedOrder(ctx, c, o, unsent) {
  return h('section', { class: 'screen', 'data-order-id': o.id },
    h('a', { class: 'back', href: `#/customer/${c.id}` }, `‹ ${c.name}`),
    h('h1', {}, t('order'), ' ', o.number || '', ' ', statusBadge(o), ' ', approvalBadge(o)),
    h('p', { class: 'muted' }, fmtDateTime(o.captured_at || o.created_at), ' · ', t('order_status'), ': ', orderBadge(o, unsent)),
    o._status === 'rejected' ? h('p', { class: 'error', id: 'order-rejected' }, rejectionText(o._error)) : null,
    h('div', { class: 'list' }, (o.lines || []).map((l) => h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('strong', {}, l.name || l.sku || l.product_id),
        h('small', {}, `${fmtNumber(l.quantity)} × ${fmtMoney(l.unit_price, o.currency)}${Number(l.discount_pct) ? ` −${fmtNumber(l.discount_pct)}%` : ''}`)),
      h('span', {}, fmtMoney(l.net, o.currency))))),
    savedTotals(o, o.currency || 'EUR'),
    authorActions(ctx, c, o, unsent),
    o.lines?.length ? h('button', { class: 'btn big', id: 'order-again', onclick: () => orderAgain(ctx, c, o) }, t('repeat_order')) : null,
    o.lines?.length ? h('p', { class: 'muted small' }, t('repeat_prices_note')) : null);
}

/** The order form again for an unconfirmed order: its lines, priced with today's list. */
export function orderEditScreen(ctx, customerId, orderId) {
  return orderScreen(ctx, customerId, null, orderId);
}

export async function orderScreen(ctx, customerId, orderId, editId = null) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  if (orderId) {
    const o = await ctx.store.get('orders', orderId);
    return o ? savedOrder(ctx, c, o, await unsentIds(ctx)) : h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  }
  const editing = editId ? await ctx.store.get('orders', editId) : null;
  if (editId && !editing) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const { pl, prices, currency, limit } = await priceListFor(ctx.store, c, ctx.me()?.role);
  const products = (await ctx.store.all('products')).filter((p) => prices.has(p.id) && p.active !== false);
  const drafts = draftKeeper(ctx.store, editing ? `order-edit:${editId}` : `order:${customerId}`);
  const draft = (await drafts.load())?.values || (editing ? {
    lines: (editing.lines || []).map((l) => ({ product_id: l.product_id, quantity: String(l.quantity), discount_pct: Number(l.discount_pct) ? String(l.discount_pct) : '' })),
    notes: editing.notes || '',
  } : {});
  const lines = draft.lines || [];
  let notesValue = draft.notes || '';
  const persist = () => drafts.save({ lines, notes: notesValue });
  const editor = lineEditor({ products, prices, currency, lines, limit, price: priceOrder, amount: 'net', listId: 'order-lines', changed: persist });
  const msg = h('p', { class: 'error', role: 'alert' });
  const notes = h('textarea', { name: 'order-notes', rows: 2, oninput: (e) => { notesValue = e.target.value; persist(); } }, notesValue);

  const place = h('button', {
    class: 'btn primary big', id: 'place-order',
    onclick: async () => {
      const problem = editor.problem();
      if (problem) { msg.textContent = problem; return; }
      const priced = editor.recalc();
      place.disabled = true;
      if (editing) {
        const lineFields = priced.lines.map((l) => Object.fromEntries(LINE_FIELDS.map((k) => [k, l[k]])));
        await ctx.outbox.add({
          collection: 'orders', op: 'update', id: editId,
          fields: { lines: lineFields, notes: notesValue, device_totals: { subtotal: priced.subtotal, tax_total: priced.tax_total, total: priced.total }, captured_at: now() },
          local: {
            notes: notesValue, subtotal: priced.subtotal, tax_total: priced.tax_total, total: priced.total,
            lines: priced.lines.map((l) => ({ ...lineFields.find((x) => x.product_id === l.product_id), name: l.name, sku: l.sku, unit: l.unit })),
          },
        });
        await drafts.clear();
        ctx.changed();
        ctx.notify(t('order_changed'));
        ctx.go(`#/order/${customerId}/${editId}`);
        return;
      }
      const visits = await ctx.store.byIndex('visits', 'customer_id', customerId);
      const openVisit = visits.find((v) => v.status === 'checked_in' && isMine(v, ctx.me()));
      const number = await ctx.nextNumber();
      // The server's OrderCreate: it prices the order again and flags any mismatch.
      const fields = {
        ...(number ? { number } : {}), customer_id: customerId, visit_id: openVisit?.id ?? null,
        lines: priced.lines.map((l) => Object.fromEntries(LINE_FIELDS.map((k) => [k, l[k]]))),
        device_totals: { subtotal: priced.subtotal, tax_total: priced.tax_total, total: priced.total },
        notes: notesValue, captured_at: now(),
      };
      const id = uuid();
      await ctx.outbox.add({ collection: 'orders', op: 'create', id, fields });
      // For the local display only, until the server's copy arrives on the next pull.
      await ctx.store.put('orders', {
        ...(await ctx.store.get('orders', id)), currency, price_list_id: pl?.id ?? null, status: 'submitted',
        subtotal: priced.subtotal, tax_total: priced.tax_total, total: priced.total,
        lines: priced.lines.map((l) => ({ ...fields.lines.find((x) => x.product_id === l.product_id), name: l.name, sku: l.sku, unit: l.unit })),
      });
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('order_saved', { n: number || '' }));
      // Taken during a visit: back to that visit, which still needs its check-out.
      ctx.go(openVisit ? `#/visit/${customerId}/${openVisit.id}` : `#/customer/${customerId}`);
    },
  }, t(editing ? 'save_order_changes' : 'place_order'));

  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, editing ? `${t('edit_order')} ${editing.number || ''}` : t('new_order')),
    h('p', { class: pl ? 'muted' : 'error', id: 'order-price-list' }, pl ? `${pl.code || ''} · ${currency}${limit ? ` · ${t('discount_up_to', { n: fmtNumber(limit) })}` : ''}` : t(ctx.me()?.role === 'distributor' ? 'no_price_list_dist' : 'no_price')),
    editor.search, editor.found, h('h2', {}, t('lines')), editor.list, h('label', {}, t('notes'), notes), editor.totals, place, msg);
}
