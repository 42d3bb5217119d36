// The quote editor: lines from the catalogue at the customer's prices, per-line and document
// discount, validity and terms, live totals. "Make PDF" numbers the quote on the device
// (<client_code>-Q<n>), renders its PDF in the worker and saves it through the outbox with
// the PDF's SHA-256, so the server can tell whether its own copy is the same document.

import { h, fill } from './dom.js';
import { t, fmtMoney, getLocale } from '../lib/i18n.js';
import { priceQuote, dec } from '../lib/pricing.js';
import { normalise } from '../lib/search.js';
import { uuid, now } from '../lib/outbox.js';
import { draftKeeper } from './drafts.js';
import { makePdf } from './quote-pdf.js';

const validNum = (s) => { try { dec(s || '0'); return true; } catch { return false; } };
const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const plusDays = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return isoDay(d); };

export async function priceListFor(store, c) {
  const lists = await store.all('price_lists');
  const pl = lists.find((p) => p.id === c.price_list_id) || lists.find((p) => p.is_default) || lists[0];
  return { pl, prices: new Map((pl?.items || []).map((i) => [i.product_id, String(i.price)])), currency: pl?.currency || 'EUR' };
}

function totalsBox(p, currency) {
  const row = (k, v, attr) => [h('dt', {}, t(k)), h('dd', { [attr]: v }, fmtMoney(v, currency))];
  return h('dl', { class: 'totals', id: 'totals' },
    row('subtotal', p.subtotal, 'data-subtotal'),
    Number(p.document_discount_amount) ? row('discount_amount', `-${p.document_discount_amount}`, 'data-doc-discount') : null,
    row('tax', p.tax_total, 'data-tax'),
    h('dt', {}, h('strong', {}, t('total'))), h('dd', { 'data-total': p.total }, h('strong', {}, fmtMoney(p.total, currency))));
}

export async function quoteEditorScreen(ctx, customerId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const { pl, prices, currency } = await priceListFor(ctx.store, c);
  const products = (await ctx.store.all('products')).filter((p) => prices.has(p.id) && p.active !== false);
  const byId = new Map(products.map((p) => [p.id, p]));
  const searchText = new Map(products.map((p) => [p.id, ` ${normalise(`${p.name} ${p.sku} ${p.category || ''}`)}`]));
  const drafts = draftKeeper(ctx.store, `quote:${customerId}`);
  const d = (await drafts.load())?.values || {};
  const lines = (d.lines || []).filter((l) => byId.has(l.product_id));
  const form = { doc_pct: d.doc_pct || '', valid_until: d.valid_until || plusDays(30), terms: d.terms || '' };

  const linesEl = h('div', { class: 'list', id: 'quote-lines' });
  const totalsEl = h('div');
  const msg = h('p', { class: 'error', role: 'alert' });
  const progress = h('div', { id: 'pdf-progress' });
  const found = h('div', { class: 'list', id: 'catalogue' });
  const persist = () => drafts.save({ lines, ...form });

  const toPrice = () => lines.filter((l) => validNum(l.quantity) && validNum(l.discount_pct)).map((l) => {
    const p = byId.get(l.product_id);
    return { product_id: p.id, sku: p.sku, name: p.name, unit: p.unit || 'pcs', quantity: l.quantity || '0', unit_price: prices.get(p.id), discount_pct: l.discount_pct || '0', tax_rate: String(p.tax_rate ?? '0') };
  });
  const recalc = () => {
    const priced = priceQuote(toPrice(), validNum(form.doc_pct) ? form.doc_pct || '0' : '0');
    fill(totalsEl, totalsBox(priced, currency));
    for (const l of priced.lines) {
      const cell = linesEl.querySelector(`[data-line-total="${l.product_id}"]`);
      if (cell) cell.textContent = fmtMoney(l.net, currency);
    }
    return priced;
  };
  const num = (value, label, on, cls) => h('input', { class: cls, inputmode: 'decimal', value, placeholder: '0', 'aria-label': label, oninput: (e) => { on(e.target.value.replace(',', '.')); persist(); recalc(); } });
  const drawLines = () => {
    fill(linesEl, lines.map((l) => {
      const p = byId.get(l.product_id);
      return h('div', { class: 'item line', 'data-line': p.id },
        h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)}`),
          h('span', { class: 'row' },
            h('label', { class: 'inline' }, t('quantity'), num(l.quantity, `${t('quantity')} ${p.name}`, (v) => { l.quantity = v; }, 'qty')),
            h('label', { class: 'inline' }, t('discount'), num(l.discount_pct || '', `${t('discount')} ${p.name}`, (v) => { l.discount_pct = v; }, 'disc')))),
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
      h('span', { class: 'grow' }, h('strong', {}, p.name), h('small', {}, `${p.sku} · ${fmtMoney(prices.get(p.id), currency)}`)),
      h('button', { class: 'btn small', onclick: () => add(p), 'aria-label': `${t('add')} ${p.name}` }, '+'))));
  };

  /** Save through the outbox; with a PDF, its SHA-256 travels with the quote. */
  const save = async (withPdf) => {
    const priced = recalc();
    msg.textContent = '';
    if (!priced.lines.length || priced.lines.some((l) => dec(l.quantity).v <= 0n)) { msg.textContent = t('empty_order'); return; }
    if (!validNum(form.doc_pct)) { msg.textContent = t('doc_discount'); return; }
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const number = await ctx.nextQuoteNumber();
      const contacts = await ctx.store.byIndex('contacts', 'customer_id', customerId);
      const contact = contacts.find((x) => x.is_primary) || contacts[0] || null;
      const id = uuid();
      const fields = {
        ...(number ? { number } : {}), customer_id: customerId, contact_id: contact?.id ?? null,
        lines: priced.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity, discount_pct: l.discount_pct, unit_price: l.unit_price, tax_rate: l.tax_rate, net: l.net, tax_amount: l.tax_amount, total: l.total })),
        document_discount_pct: form.doc_pct || '0', locale: getLocale(), issue_date: isoDay(new Date()),
        valid_until: form.valid_until, terms: form.terms, notes: '', status: 'draft',
        device_totals: { subtotal: priced.subtotal, document_discount_amount: priced.document_discount_amount, net_total: priced.net_total, tax_total: priced.tax_total, total: priced.total },
        captured_at: now(),
      };
      const local = { ...fields, currency, price_list_id: pl?.id ?? null, subtotal: priced.subtotal, discount_total: priced.document_discount_amount, tax_total: priced.tax_total, total: priced.total, lines: priced.lines.map((l) => ({ ...l })) };
      if (withPdf && number) {
        const pdf = await makePdf(ctx, id, local, progress);
        fields.device_pdf_sha256 = pdf.sha256;
        local.device_pdf_sha256 = pdf.sha256;
      }
      await ctx.outbox.add({ collection: 'quotes', op: 'create', id, fields, local });
      await drafts.clear();
      ctx.changed();
      ctx.notify(t('quote_saved', { n: number || '' }));
      ctx.go(`#/quote/${customerId}/${id}`);
    } catch (e) {
      msg.textContent = `${t('pdf_failed')}: ${e.message || e}`;
      fill(progress);
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  const buttons = [
    h('button', { class: 'btn primary big', id: 'quote-pdf', onclick: () => save(true) }, t('make_pdf')),
    h('button', { class: 'btn big', id: 'quote-save', onclick: () => save(false) }, t('save_draft')),
  ];
  ctx.clientCode(); // numbered on the device from now on, even if the signal goes
  // Fetch the PDF engine on Wi-Fi (or an unknown link) while the rep types.
  const conn = navigator.connection;
  if (navigator.onLine && (!conn || conn.type === 'wifi' || conn.type === 'ethernet' || !conn.saveData)) {
    import('../pdf/client.js').then((m) => m.prefetchEngine()).catch(() => null);
  }
  drawLines();
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/quotes/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('new_quote')),
    h('p', { class: 'muted' }, pl ? `${pl.code || ''} · ${currency}` : t('no_price')),
    h('input', { type: 'search', class: 'search', placeholder: t('search_products'), 'aria-label': t('search_products'), oninput: (e) => showFound(e.target.value) }),
    found, h('h2', {}, t('lines')), linesEl,
    h('label', {}, t('doc_discount'), num(form.doc_pct, t('doc_discount'), (v) => { form.doc_pct = v; }, 'doc-disc')),
    h('label', {}, t('valid_until'), h('input', { type: 'date', name: 'valid_until', value: form.valid_until, min: isoDay(new Date()), oninput: (e) => { form.valid_until = e.target.value; persist(); } })),
    h('label', {}, t('terms'), h('textarea', { name: 'terms', rows: 2, oninput: (e) => { form.terms = e.target.value; persist(); } }, form.terms)),
    totalsEl, progress, msg, buttons);
}
