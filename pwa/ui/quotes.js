// A customer's quotes, newest first, each with its status and sync state.

import { h } from './dom.js';
import { t, fmtDate, fmtMoney } from '../lib/i18n.js';
import { approvalBadge, statusBadge } from './badge.js';
import { warmPdfEngine } from '../lib/quote-kit.js';

export const quoteStatus = (q) => h('span', { class: 'badge badge-due', 'data-quote-status': q.status || 'draft' }, t(`status_${q.status || 'draft'}`));

export async function quotesScreen(ctx, customerId) {
  // A new quote or a PDF is likely next: start the PDF engine now (its start is most of a
  // first PDF's time); it stops with the page.
  warmPdfEngine(ctx);
  const c = await ctx.store.get('customers', customerId);
  if (!c) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const quotes = (await ctx.store.byIndex('quotes', 'customer_id', customerId))
    .sort((a, b) => String(b.captured_at || b.created_at || '').localeCompare(String(a.captured_at || a.created_at || '')));
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: `#/customer/${customerId}` }, `‹ ${c.name}`),
    h('h1', {}, t('quotes')),
    h('a', { class: 'btn primary big', href: `#/quote/${customerId}`, id: 'new-quote' }, t('new_quote')),
    quotes.length ? null : h('p', { class: 'muted' }, t('no_quotes')),
    h('div', { class: 'list', id: 'quote-list' }, quotes.map((q) => h('a', { class: 'item', href: `#/quote/${customerId}/${q.id}`, 'data-quote': q.number || q.id },
      h('span', { class: 'grow' }, h('strong', {}, q.number || '—'),
        h('small', {}, `${fmtMoney(q.total, q.currency || 'EUR')} · ${t('valid_until')} ${fmtDate(q.valid_until)}`)),
      quoteStatus(q), approvalBadge(q), statusBadge(q)))));
}
