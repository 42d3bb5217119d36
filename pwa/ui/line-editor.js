// The line editor of a priced document, one for orders and quotes (issue 18): the catalogue
// search over the price list, the line rows (quantity and discount with − / + steppers sized
// for a thumb, remove), live totals with the document's own pricing function, and the price
// list's discount limit marked on the lines as the rep types.

import { h, fill } from './dom.js';
import { t, addTexts, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { dec, above, plus } from '../lib/pricing.js';
import { normalise } from '../lib/search.js';

addTexts({
  step_down: ['Decrease: {what}', 'Уменьшить: {what}', 'Зменшити: {what}', 'Vähenda: {what}'],
  step_up: ['Increase: {what}', 'Увеличить: {what}', 'Збільшити: {what}', 'Suurenda: {what}'],
  in_order: ['{n} added', 'добавлено: {n}', 'додано: {n}', 'lisatud: {n}'],
  added_line: ['Added: {what} ({n})', 'Добавлено: {what} ({n})', 'Додано: {what} ({n})', 'Lisatud: {what} ({n})'],
});

export const validNum = (s) => { try { dec(s || '0'); return true; } catch { return false; } };

/** The customer's price list (a distributor's replica holds its own list only). */
export function pickPriceList(lists, customer, role) {
  const pl = role === 'distributor' ? lists[0]
    : lists.find((p) => p.id === customer.price_list_id) || lists.find((p) => p.is_default) || lists[0];
  return {
    pl,
    prices: new Map((pl?.items || []).map((i) => [i.product_id, String(i.price)])),
    currency: pl?.currency || 'EUR',
    // The list's terms cap discounts (the server refuses more on orders).
    limit: pl?.max_discount_pct != null ? String(pl.max_discount_pct) : null,
  };
}

export async function priceListFor(store, customer, role) {
  return pickPriceList(await store.all('price_lists'), customer, role);
}

/** A product into the lines: one more of it if it is there already. */
export function addProduct(lines, productId) {
  const l = lines.find((x) => x.product_id === productId);
  if (l) l.quantity = validNum(l.quantity) ? plus(l.quantity || '0', '1') : '1';
  else lines.push({ product_id: productId, quantity: '1', discount_pct: '' });
  return lines;
}

/** A stepper's press: value ± 1, never below `min` nor (going up) above `max`. */
export function stepValue(value, delta, min, max = null) {
  if (!validNum(value)) return value;
  const v = value || '0';
  const next = plus(v, String(delta));
  if (delta < 0 && above(min, next)) return above(v, min) ? String(min) : v;
  if (delta > 0 && max != null && above(next, max)) return above(max, v) ? String(max) : v;
  return next;
}

/** The lines whose discount is above the list's limit. */
export function overLimit(lines, limit) {
  if (limit == null) return [];
  return lines.filter((l) => validNum(l.discount_pct) && above(l.discount_pct || '0', limit)).map((l) => l.product_id);
}

/** Lines ready for the pricing function (those with a number in both fields). */
export function toPriceLines(lines, byId, prices) {
  return lines.filter((l) => validNum(l.quantity) && validNum(l.discount_pct)).map((l) => {
    const p = byId.get(l.product_id);
    return { product_id: p.id, sku: p.sku, name: p.name, unit: p.unit || 'pcs', quantity: l.quantity || '0', unit_price: prices.get(p.id), discount_pct: l.discount_pct || '0', tax_rate: String(p.tax_rate ?? '0') };
  });
}

/** Catalogue hits: every word starts a word of the name, SKU or category; 20 at most. */
export function findProducts(products, searchText, q) {
  const words = normalise(q).split(' ').filter(Boolean).map((w) => ` ${w}`);
  return words.length ? products.filter((p) => words.every((w) => searchText.get(p.id).includes(w))).slice(0, 20) : [];
}

/** Subtotal, the document discount when there is one, tax and total. */
export function totalsBox(p, currency) {
  const row = (k, v, attr, label = t(k)) => [h('dt', {}, label), h('dd', { [attr]: v }, fmtMoney(v, currency))];
  const pct = Number(p.document_discount_pct) ? ` (${fmtNumber(p.document_discount_pct)}\u00a0%)` : '';
  return h('dl', { class: 'totals', id: 'totals' },
    row('subtotal', p.subtotal, 'data-subtotal'),
    Number(p.document_discount_amount) ? row('discount_amount', `-${p.document_discount_amount}`, 'data-doc-discount', `${t('discount_amount')}${pct}`) : null,
    row('tax', p.tax_total, 'data-tax'),
    h('dt', {}, h('strong', {}, t('total'))), h('dd', { 'data-total': p.total }, h('strong', {}, fmtMoney(p.total, currency))));
}

/**
 * A saved order's or quote's totals, the way the editor showed them: lines are net, so the
 * subtotal is their sum; the document discount (stored only inside `discount_total`, with the
 * lines' own) is what lies between subtotal plus tax and the total.
 */
export function savedTotals(doc, currency) {
  const cents = Math.round((Number(doc.subtotal) + Number(doc.tax_total) - Number(doc.total)) * 100);
  return totalsBox({
    subtotal: doc.subtotal, tax_total: doc.tax_total, total: doc.total,
    document_discount_pct: doc.document_discount_pct, document_discount_amount: cents > 0 ? (cents / 100).toFixed(2) : 0,
  }, currency);
}

/**
 * The editor over `lines` (the draft's own array, changed in place). `price(lines)` is the
 * document's pricing function, `amount` the line amount shown ('total' or 'net'), `changed()`
 * keeps the draft. Returns the parts a screen places and recalc/problem for its buttons.
 */
export function lineEditor({ products, prices, currency, lines, limit = null, price, amount = 'total', listId, changed }) {
  const byId = new Map(products.map((p) => [p.id, p]));
  const searchText = new Map(products.map((p) => [p.id, ` ${normalise(`${p.name} ${p.sku} ${p.category || ''}`)}`]));
  for (let i = lines.length - 1; i >= 0; i -= 1) if (!byId.has(lines[i].product_id)) lines.splice(i, 1);

  const list = h('div', { class: 'list', id: listId });
  const totals = h('div', { 'aria-live': 'polite' });
  const found = h('div', { class: 'list', id: 'catalogue' });

  const markLimit = () => {
    const over = new Set(overLimit(lines, limit));
    for (const row of list.querySelectorAll('[data-line]')) {
      const input = row.querySelector('input.disc');
      if (over.has(row.dataset.line)) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }
    return over;
  };
  const recalc = () => {
    const priced = price(toPriceLines(lines, byId, prices));
    fill(totals, totalsBox(priced, currency));
    for (const l of priced.lines) {
      const cell = list.querySelector(`[data-line-total="${l.product_id}"]`);
      if (cell) cell.textContent = fmtMoney(l[amount], currency);
    }
    markLimit();
    return priced;
  };
  const edited = () => { changed(); recalc(); };

  /** A number field with − / + around it; the arrow keys step it too. */
  const stepper = (l, key, cls, label, min, max) => {
    const id = `${cls}-${l.product_id}`;
    const input = h('input', {
      id, class: cls, inputmode: 'decimal', value: l[key] || '', placeholder: cls === 'disc' ? '0' : null, 'aria-label': label,
      oninput: (e) => { l[key] = e.target.value.replace(',', '.'); edited(); },
      onkeydown: (e) => {
        if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
        e.preventDefault();
        step(e.key === 'ArrowUp' ? 1 : -1);
      },
    });
    const step = (delta) => {
      const next = stepValue(l[key] || '0', delta, min, max);
      if (next === (l[key] || '0')) return;
      l[key] = next === '0' && key === 'discount_pct' ? '' : next;
      input.value = l[key];
      edited();
    };
    return h('span', { class: 'field' },
      h('label', { for: id }, t(key === 'quantity' ? 'quantity' : 'discount')),
      h('span', { class: 'stepper' },
        h('button', { type: 'button', class: 'btn small', 'aria-label': t('step_down', { what: label }), onclick: () => step(-1) }, '−'),
        input,
        h('button', { type: 'button', class: 'btn small', 'aria-label': t('step_up', { what: label }), onclick: () => step(1) }, '+')));
  };

  const remove = (l) => {
    const at = lines.indexOf(l);
    lines.splice(at, 1);
    changed();
    draw();
    // Focus stays in the list (the next line's remove, else the previous), else the search.
    const buttons = list.querySelectorAll('button.remove');
    (buttons[Math.min(at, buttons.length - 1)] || search).focus();
  };
  const draw = () => {
    fill(list, lines.map((l) => {
      const p = byId.get(l.product_id);
      return h('div', { class: 'item line', 'data-line': p.id },
        h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)}`)),
        h('span', { class: 'line-total', 'data-line-total': p.id }),
        h('button', { type: 'button', class: 'btn small remove', 'aria-label': `${t('remove')} ${p.name}`, onclick: () => remove(l) }, '✕'),
        h('span', { class: 'steps' },
          stepper(l, 'quantity', 'qty', `${t('quantity')} ${p.name}`, '1'),
          stepper(l, 'discount_pct', 'disc', `${t('discount')} ${p.name}`, '0', limit)));
    }));
    recalc();
  };
  // Adding says so where the thumb is: the found item shows how many are in the document
  // (a second tap is visibly one more), and a polite announcement names it.
  const said = h('p', { class: 'sr-only', 'aria-live': 'polite', id: 'line-added' });
  const inOrder = (id) => lines.find((l) => l.product_id === id)?.quantity;
  const showFound = (q) => {
    fill(found, said, ...findProducts(products, searchText, q).map((p) => {
      const count = h('small', { class: 'in-order', 'data-in-order': p.sku }, inOrder(p.id) ? `✓ ${t('in_order', { n: fmtNumber(inOrder(p.id)) })}` : '');
      return h('div', { class: 'item', 'data-product': p.sku },
        h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)} / ${p.unit || ''}`), count),
        h('button', {
          type: 'button', class: 'btn small', 'aria-label': `${t('add')} ${p.name}`,
          onclick: () => {
            addProduct(lines, p.id); changed(); draw();
            const n = fmtNumber(inOrder(p.id));
            count.textContent = `✓ ${t('in_order', { n })}`;
            said.textContent = t('added_line', { what: p.name, n });
          },
        }, '+'));
    }));
  };
  const search = h('input', { type: 'search', class: 'search', placeholder: t('search_products'), 'aria-label': t('search_products'), oninput: (e) => showFound(e.target.value) });

  /** Why the document cannot be saved yet (no lines, a zero quantity, a discount over the limit), or null. */
  const problem = () => {
    const priced = recalc();
    if (!priced.lines.length || priced.lines.some((l) => dec(l.quantity).v <= 0n)) return t('empty_order');
    if (markLimit().size) return t('discount_over_limit', { n: fmtNumber(limit) });
    return null;
  };

  draw();
  return { search, found, list, totals, recalc, problem };
}
