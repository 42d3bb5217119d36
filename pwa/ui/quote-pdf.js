// A quote's PDF on the device: compose the server's JSON from the replica, render it in the
// worker (lib: pdf/client.js, loaded on first use) with a progress line, keep the bytes for
// View / Share / Download, even offline and after a reload.

import { h, fill } from './dom.js';
import { companyHeader } from '../lib/quote-kit.js';
import { t } from '../lib/i18n.js';

// The seller's header: kept on the device by lib/quote-kit.js after every sync.
export { companyHeader } from '../lib/quote-kit.js';

/** What wire.py's compose_quote_json needs, from a quote record and the replica. */
export async function quoteParts(ctx, q) {
  const [customer, contact, company, lists, products] = await Promise.all([
    ctx.store.get('customers', q.customer_id), q.contact_id ? ctx.store.get('contacts', q.contact_id) : null,
    companyHeader(ctx), ctx.store.all('price_lists'), ctx.store.all('products')]);
  const pl = lists.find((p) => p.id === q.price_list_id) || lists.find((p) => p.id === customer?.price_list_id);
  const byId = new Map(products.map((p) => [p.id, p]));
  return {
    quote: {
      number: q.number, issue_date: q.issue_date, valid_until: q.valid_until, currency: q.currency || pl?.currency || 'EUR',
      locale: q.locale || 'en', document_discount_pct: String(q.document_discount_pct ?? '0'), terms: q.terms || '', notes: q.notes || '',
    },
    lines: (q.lines || []).map((l) => {
      const p = byId.get(l.product_id) || {};
      return {
        product_id: l.product_id, sku: l.sku ?? p.sku ?? '', name: l.name ?? p.name ?? '', unit: l.unit || p.unit || 'pcs',
        quantity: String(l.quantity), unit_price: String(l.unit_price), tax_rate: String(l.tax_rate ?? p.tax_rate ?? '0'), discount_pct: String(l.discount_pct || '0'),
      };
    }),
    customer: customer || { name: '?' },
    contact: contact ? { name: contact.name, phone: contact.phone || '', email: contact.email || '' } : null,
    company,
    policy: { prices_include_tax: Boolean(pl?.prices_include_tax) },
  };
}

/** A progress line: a moving bar and what is happening. */
export function pdfProgress(el, text) {
  fill(el, text ? [h('div', { class: 'progress', role: 'progressbar', 'aria-label': text }, h('span')), h('p', { class: 'muted', 'data-progress': '' }, text)] : null);
}

/** Render the quote's PDF on the device; keeps the bytes under the quote's id. */
export async function makePdf(ctx, id, q, progressEl) {
  pdfProgress(progressEl, t('pdf_loading'));
  const engine = await import('../pdf/client.js');
  const json = q.document || await engine.composeQuoteJson(await quoteParts(ctx, q));
  pdfProgress(progressEl, t('pdf_rendering'));
  const { bytes, sha256 } = await engine.renderQuotePdf(json);
  await ctx.store.setMeta(`pdf:${id}`, { bytes, sha256, number: q.number });
  pdfProgress(progressEl, null);
  return { bytes, sha256 };
}

/** View / Share / Download buttons for kept PDF bytes. */
export function pdfActions(pdf, filename) {
  const go = (fn) => async () => { const m = await import('../pdf/client.js'); return fn(m); };
  return h('div', { class: 'actions', id: 'pdf-actions' },
    h('button', { class: 'btn', id: 'pdf-view', onclick: go((m) => window.open(m.pdfUrl(pdf.bytes), '_blank')) }, t('view')),
    h('button', { class: 'btn', id: 'pdf-share', onclick: go((m) => m.sharePdf(pdf.bytes, filename).catch(() => null)) }, t('share')),
    h('button', { class: 'btn', id: 'pdf-download', onclick: go((m) => m.downloadPdf(pdf.bytes, filename)) }, t('download')));
}
