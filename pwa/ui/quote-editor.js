// The quote editor: lines from the catalogue at the customer's prices, per-line and document
// discount, validity and terms, live totals. "Make PDF" numbers the quote on the device
// (<client_code>-Q<n>), renders its PDF in the worker and saves it through the outbox with
// the PDF's SHA-256, so the server can tell whether its own copy is the same document.

import { h, fill } from './dom.js';
import { t, getLocale } from '../lib/i18n.js';
import { priceQuote } from '../lib/pricing.js';
import { uuid, now } from '../lib/outbox.js';
import { lineEditor, priceListFor, validNum } from './line-editor.js';
import { draftKeeper } from './drafts.js';
import { makePdf } from './quote-pdf.js';
import { warmPdfEngine } from '../lib/quote-kit.js';

const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const plusDays = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return isoDay(d); };

export async function quoteEditorScreen(ctx, customerId) {
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const { pl, prices, currency } = await priceListFor(ctx.store, c);
  const products = (await ctx.store.all('products')).filter((p) => prices.has(p.id) && p.active !== false);
  const drafts = draftKeeper(ctx.store, `quote:${customerId}`);
  const d = (await drafts.load())?.values || {};
  const lines = d.lines || [];
  const form = { doc_pct: d.doc_pct || '', valid_until: d.valid_until || plusDays(30), terms: d.terms || '' };
  const persist = () => drafts.save({ lines, ...form });
  // No discount limit here: a quote above the rep's limit waits for a manager's approval.
  const editor = lineEditor({
    products, prices, currency, lines, listId: 'quote-lines', amount: 'net', changed: persist,
    price: (priceLines) => priceQuote(priceLines, validNum(form.doc_pct) ? form.doc_pct || '0' : '0'),
  });
  const msg = h('p', { class: 'error', role: 'alert' });
  const progress = h('div', { id: 'pdf-progress' });
  const docDiscount = h('input', { class: 'doc-disc', inputmode: 'decimal', value: form.doc_pct, placeholder: '0', 'aria-label': t('doc_discount'), oninput: (e) => { form.doc_pct = e.target.value.replace(',', '.'); persist(); editor.recalc(); } });

  /** Save through the outbox; with a PDF, its SHA-256 travels with the quote. */
  const save = async (withPdf) => {
    msg.textContent = '';
    const problem = editor.problem();
    if (problem) { msg.textContent = problem; return; }
    const priced = editor.recalc();
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
      if (number) await ctx.useQuoteNumber(number);
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
  // Start the PDF engine while the rep types (its start is most of a first PDF's time), so
  // "Make PDF" only renders; it loads from the device's cache (lib/quote-kit.js), or from the
  // network when not kept yet and the link is not metered.
  warmPdfEngine(ctx);
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/quotes/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('new_quote')),
    h('p', { class: 'muted' }, pl ? `${pl.code || ''} · ${currency}` : t('no_price')),
    editor.search, editor.found, h('h2', {}, t('lines')), editor.list,
    h('label', {}, t('doc_discount'), docDiscount),
    h('label', {}, t('valid_until'), h('input', { type: 'date', name: 'valid_until', value: form.valid_until, min: isoDay(new Date()), oninput: (e) => { form.valid_until = e.target.value; persist(); } })),
    h('label', {}, t('terms'), h('textarea', { name: 'terms', rows: 2, oninput: (e) => { form.terms = e.target.value; persist(); } }, form.terms)),
    editor.totals, progress, msg, buttons);
}
