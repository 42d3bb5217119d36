// One quote: lines, totals, validity; its PDF (made here or now) with View / Share / Download,
// and whether the server's copy of the PDF matched the device's once synced.

import { h } from './dom.js';
import { t, fmtDate, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { approvalBadge, statusBadge } from './badge.js';
import { quoteStatus } from './quotes.js';
import { makePdf, pdfActions } from './quote-pdf.js';
import { warmPdfEngine } from '../lib/quote-kit.js';
import { savedTotals } from './line-editor.js';
import '../lib/i18n-rep.js';

/** The device-vs-server PDF check as the rep reads it. */
export function matchLine(q) {
  if (!q.device_pdf_sha256) return null;
  const state = q.pdf_match === true ? 'yes' : q.pdf_match === false ? 'no' : 'unknown';
  const text = { yes: `✓ ${t('pdf_match')}`, no: `✗ ${t('pdf_mismatch')}`, unknown: t('pdf_unchecked') }[state];
  return h('p', { class: state === 'yes' ? 'match-yes' : state === 'no' ? 'match-no' : 'muted', id: 'pdf-match', 'data-match': state }, text);
}

export function quoteBody(q) {
  const cur = q.currency || 'EUR';
  return [
    h('p', { class: 'muted' }, `${t('valid_until')} ${fmtDate(q.valid_until)}`),
    h('div', { class: 'list' }, (q.lines || []).map((l) => h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('strong', {}, l.name || l.sku || ''),
        h('small', {}, `${fmtNumber(l.quantity)} × ${fmtMoney(l.unit_price, cur)}${Number(l.discount_pct) ? ` −${fmtNumber(l.discount_pct)}%` : ''}`)),
      h('span', {}, fmtMoney(l.net, cur))))),
    savedTotals(q, cur),
    q.notes ? h('p', { class: 'note', id: 'quote-notes' }, q.notes) : null,
    q.terms ? h('p', { class: 'note' }, h('strong', {}, `${t('terms')}: `), q.terms) : null,
  ];
}

export async function quoteViewScreen(ctx, customerId, quoteId) {
  const q = await ctx.store.get('quotes', quoteId);
  if (!q) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const c = await ctx.store.get('customers', customerId);
  const kept = await ctx.store.meta(`pdf:${quoteId}`);
  const progress = h('div', { id: 'pdf-progress' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const filename = `${q.number || 'quote'}.pdf`;
  if (!kept) warmPdfEngine(ctx); // the PDF is likely asked for next: start the engine now
  const make = h('button', {
    class: 'btn primary big', id: 'quote-pdf',
    onclick: async () => {
      make.disabled = true;
      try { await makePdf(ctx, quoteId, q, progress); ctx.rerender(); } catch (e) { msg.textContent = `${t('pdf_failed')}: ${e.message || e}`; make.disabled = false; }
    },
  }, t('make_pdf'));
  // Discounts above the rep's limit: it can be sent once a manager approved them.
  const awaiting = q.approval === 'pending' || q.approval === 'rejected';
  const send = q.status === 'draft' && q._status !== 'rejected' && !awaiting ? h('button', {
    class: 'btn big', id: 'quote-send',
    onclick: async () => {
      const fields = { status: 'sent', ...(kept?.sha256 && !q.device_pdf_sha256 ? { device_pdf_sha256: kept.sha256 } : {}) };
      await ctx.outbox.add({ collection: 'quotes', op: 'update', id: quoteId, fields });
      ctx.changed();
      ctx.rerender();
    },
  }, t('send_quote')) : null;
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/quotes/${customerId}` }, `‹ ${c?.name || t('back')}`),
    h('h1', {}, t('quote'), ' ', h('span', { id: 'quote-number' }, q.number || ''), ' ', statusBadge(q)),
    h('p', {}, quoteStatus(q), ' ', approvalBadge(q)),
    q.approval === 'rejected' && q.approval_reason ? h('p', { class: 'note', id: 'approval-reason' }, q.approval_reason) : null,
    q._status === 'rejected' ? h('p', { class: 'error' }, q._error?.detail || q._error?.code) : null,
    h('div', { class: 'pdf-box' },
      kept ? [h('p', {}, t('pdf_ready', { kb: Math.round(kept.bytes.length / 1024) })),
        h('p', { class: 'sha', 'data-sha256': kept.sha256 }, `${t('pdf_file_checksum')} ${kept.sha256}`), pdfActions(kept, filename)] : make,
      matchLine(q), progress, msg),
    ...quoteBody(q),
    send);
}
