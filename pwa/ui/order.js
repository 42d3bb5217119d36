// Order: catalogue search, the customer's price list, quantities, discounts, live totals.

import { h, fill } from './dom.js';
import { t, fmtMoney, fmtNumber, fmtDateTime } from '../lib/i18n.js';
import { priceOrder, dec } from '../lib/pricing.js';
import { normalise } from '../lib/search.js';
import { uuid, now } from '../lib/outbox.js';
import { statusBadge } from './badge.js';
import { draftKeeper } from './drafts.js';

const LINE_FIELDS = ['product_id', 'quantity', 'unit_price', 'discount_pct', 'tax_rate', 'net', 'tax_amount', 'total'];

const validNum = (s) => { try { dec(s); return true; } catch { return false; } };

async function priceListFor(store, c) {
  const lists = await store.all('price_lists');
  const pl = lists.find((p) => p.id === c.price_list_id) || lists.find((p) => p.is_default) || lists[0];
  return { pl, prices: new Map((pl?.items || []).map((i) => [i.product_id, String(i.price)])), currency: pl?.currency || 'EUR' };
}

function savedOrder(c, o) {
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${c.id}` }, `‹ ${c.name}`),
    h('h1', {}, t('order'), ' ', o.number || '', ' ', statusBadge(o)),
    h('p', { class: 'muted' }, fmtDateTime(o.captured_at)),
    o._status === 'rejected' ? h('p', { class: 'error' }, o._error?.detail || o._error?.code) : null,
    h('div', { class: 'list' }, (o.lines || []).map((l) => h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('strong', {}, l.name || l.sku || l.product_id),
        h('small', {}, `${fmtNumber(l.quantity)} × ${fmtMoney(l.unit_price, o.currency)}${Number(l.discount_pct) ? ` −${fmtNumber(l.discount_pct)}%` : ''}`)),
      h('span', {}, fmtMoney(l.total, o.currency))))),
    totalsBox({ subtotal: o.subtotal, tax_total: o.tax_total, total: o.total }, o.currency || 'EUR'));
}

function totalsBox(p, currency) {
  return h('dl', { class: 'totals', id: 'totals' },
    h('dt', {}, t('subtotal')), h('dd', { 'data-subtotal': p.subtotal }, fmtMoney(p.subtotal, currency)),
    h('dt', {}, t('tax')), h('dd', { 'data-tax': p.tax_total }, fmtMoney(p.tax_total, currency)),
    h('dt', {}, h('strong', {}, t('total'))), h('dd', { 'data-total': p.total }, h('strong', {}, fmtMoney(p.total, currency))));
}

export async function orderScreen(ctx, customerId, orderId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  if (orderId) {
    const o = await ctx.store.get('orders', orderId);
    return o ? savedOrder(c, o) : h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  }
  const { pl, prices, currency } = await priceListFor(ctx.store, c);
  const products = (await ctx.store.all('products')).filter((p) => prices.has(p.id) && p.active !== false);
  const byId = new Map(products.map((p) => [p.id, p]));
  const searchText = new Map(products.map((p) => [p.id, ` ${normalise(`${p.name} ${p.sku} ${p.category || ''}`)}`]));
  const drafts = draftKeeper(ctx.store, `order:${customerId}`);
  const draft = (await drafts.load())?.values || {};
  const lines = (draft.lines || []).filter((l) => byId.has(l.product_id));
  let notesValue = draft.notes || '';

  const linesEl = h('div', { class: 'list', id: 'order-lines' });
  const totalsEl = h('div');
  const msg = h('p', { class: 'error', role: 'alert' });
  const found = h('div', { class: 'list', id: 'catalogue' });

  const toPrice = () => lines.filter((l) => validNum(l.quantity) && validNum(l.discount_pct || '0')).map((l) => {
    const p = byId.get(l.product_id);
    return { product_id: p.id, sku: p.sku, name: p.name, unit: p.unit, quantity: l.quantity || '0', unit_price: prices.get(p.id), discount_pct: l.discount_pct || '0', tax_rate: String(p.tax_rate ?? '0') };
  });
  const persist = () => drafts.save({ lines, notes: notesValue });
  const recalc = () => {
    const priced = priceOrder(toPrice());
    fill(totalsEl, totalsBox(priced, currency));
    for (const l of priced.lines) {
      const cell = linesEl.querySelector(`[data-line-total="${l.product_id}"]`);
      if (cell) cell.textContent = fmtMoney(l.total, currency);
    }
    return priced;
  };
  const drawLines = () => {
    fill(linesEl, lines.map((l) => {
      const p = byId.get(l.product_id);
      const qty = h('input', { class: 'qty', inputmode: 'decimal', value: l.quantity, 'aria-label': `${t('quantity')} ${p.name}`, oninput: (e) => { l.quantity = e.target.value.replace(',', '.'); persist(); recalc(); } });
      const disc = h('input', { class: 'disc', inputmode: 'decimal', value: l.discount_pct || '', placeholder: '0', 'aria-label': `${t('discount')} ${p.name}`, oninput: (e) => { l.discount_pct = e.target.value.replace(',', '.'); persist(); recalc(); } });
      return h('div', { class: 'item line', 'data-line': p.id },
        h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)}`),
          h('span', { class: 'row' }, h('label', { class: 'inline' }, t('quantity'), qty), h('label', { class: 'inline' }, t('discount'), disc))),
        h('span', { class: 'line-total', 'data-line-total': p.id }),
        h('button', { class: 'btn small', 'aria-label': `${t('remove')} ${p.name}`, onclick: () => { lines.splice(lines.indexOf(l), 1); persist(); drawLines(); } }, '✕'));
    }));
    recalc();
  };
  const add = (p) => {
    const l = lines.find((x) => x.product_id === p.id);
    if (l) l.quantity = String(Number(l.quantity || 0) + 1); else lines.push({ product_id: p.id, quantity: '1', discount_pct: '' });
    persist();
    drawLines();
  };
  const showFound = (q) => {
    const words = normalise(q).split(' ').filter(Boolean).map((w) => ` ${w}`);
    const hits = words.length ? products.filter((p) => words.every((w) => searchText.get(p.id).includes(w))).slice(0, 20) : [];
    fill(found, hits.map((p) => h('div', { class: 'item', 'data-product': p.sku },
      h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)} / ${p.unit || ''}`)),
      h('button', { class: 'btn small', onclick: () => add(p), 'aria-label': `${t('add')} ${p.name}` }, '+'))));
  };
  const search = h('input', { type: 'search', class: 'search', placeholder: t('search_products'), 'aria-label': t('search_products'), oninput: (e) => showFound(e.target.value) });
  const notes = h('textarea', { name: 'order-notes', rows: 2, oninput: (e) => { notesValue = e.target.value; persist(); } }, notesValue);

  const place = h('button', {
    class: 'btn primary big', id: 'place-order',
    onclick: async () => {
      const priced = recalc();
      if (!priced.lines.length || priced.lines.some((l) => dec(l.quantity).v <= 0n)) { msg.textContent = t('empty_order'); return; }
      place.disabled = true;
      const visits = await ctx.store.byIndex('visits', 'customer_id', customerId);
      const openVisit = visits.find((v) => v.status === 'checked_in');
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
      ctx.go(`#/customer/${customerId}`);
    },
  }, t('place_order'));

  drawLines();
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('new_order')),
    h('p', { class: 'muted' }, pl ? `${pl.code || ''} · ${currency}` : t('no_price')),
    search, found, h('h2', {}, t('lines')), linesEl, h('label', {}, t('notes'), notes), totalsEl, place, msg);
}
