// The customer's own view: offers waiting for them (an inbox), their quotes (PDF, accept or
// decline with a reason, after a confirmation) and their orders with the office's status.
// An answer is kept on the phone first, like every write: it goes out at once, or when the
// phone is back online.

import { h } from './dom.js';
import { t, fmtDate, fmtDateTime, fmtMoney } from '../lib/i18n.js';
import { unsentBadge } from './badge.js';
import { quoteStatus } from './quotes.js';
import { quoteBody } from './quote-view.js';
import { pdfActions } from './quote-pdf.js';
import { orderStatus } from './order-status.js';
import { currentOffers, markRead, sendPendingReads } from './inbox.js';

const newest = (a, b) => String(b.captured_at || b.created_at || '').localeCompare(String(a.captured_at || a.created_at || ''));

function inboxItem(ctx, { offer, note }) {
  const unread = note && !note.read_at;
  return h('a', {
    class: `item${unread ? ' unread' : ''}`, href: `#/offer/${offer.id}`, 'data-inbox': offer.id, 'data-unread': unread ? '1' : '0',
    onclick: () => { if (note) markRead(ctx, note); },
  }, h('span', { class: 'grow' }, h('strong', {}, offer.title),
    h('small', {}, [offer.text ? offer.text.slice(0, 80) : '', offer.valid_until ? `${t('valid_until')} ${fmtDate(offer.valid_until)}` : ''].filter(Boolean).join(' · '))),
  unread ? h('span', { class: 'badge badge-due' }, t('unread')) : null);
}

export async function customerHomeScreen(ctx) {
  const me = ctx.me();
  sendPendingReads(ctx);
  const [quotes, orders, shop, inbox] = await Promise.all([ctx.store.all('quotes'), ctx.store.all('orders'),
    me.customer_id ? ctx.store.get('customers', me.customer_id) : null, currentOffers(ctx)]);
  const visible = quotes.filter((q) => q.status !== 'draft').sort(newest);
  return h('section', { class: 'screen' },
    h('h1', {}, shop?.name || t('my_account')),
    h('h2', {}, t('inbox')),
    inbox.length ? null : h('p', { class: 'muted' }, t('inbox_empty')),
    h('div', { class: 'list', id: 'my-inbox' }, inbox.map((e) => inboxItem(ctx, e))),
    h('h2', {}, t('quotes')),
    visible.length ? null : h('p', { class: 'muted' }, t('no_quotes')),
    h('div', { class: 'list', id: 'my-quotes' }, visible.map((q) => h('a', { class: 'item', href: `#/my/quote/${q.id}`, 'data-quote': q.number },
      h('span', { class: 'grow' }, h('strong', {}, q.number), h('small', {}, `${fmtMoney(q.total, q.currency)} · ${t('valid_until')} ${fmtDate(q.valid_until)}`)),
      quoteStatus(q), unsentBadge(q)))),
    h('h2', {}, t('orders')),
    orders.length ? null : h('p', { class: 'muted' }, t('no_orders')),
    h('div', { class: 'list', id: 'my-orders' }, orders.sort(newest).map((o) => h('a', { class: 'item', href: `#/my/order/${o.id}`, 'data-order': o.number || o.id },
      h('span', { class: 'grow' }, h('strong', {}, `${t('order')} ${o.number || ''}`), h('small', {}, `${fmtDateTime(o.captured_at || o.created_at)} · ${fmtMoney(o.total, o.currency || 'EUR')}`)),
      orderStatus(o), unsentBadge(o)))));
}

/** The quote's PDF as the server renders it; kept on the device so it opens offline later. */
async function fetchPdf(ctx, q) {
  const get = async () => {
    const s = await ctx.store.meta('session');
    return fetch(`/api/quotes/${q.id}/pdf`, { headers: { Authorization: `Bearer ${s?.access_token}` }, cache: 'no-store' });
  };
  let res = await get();
  if (res.status === 401) { await ctx.api.refresh(); res = await get(); }
  if (!res.ok) throw new Error(`${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const kept = { bytes, sha256: (res.headers.get('ETag') || '').replaceAll('"', ''), number: q.number };
  await ctx.store.setMeta(`pdf:${q.id}`, kept);
  return kept;
}

function pdfBox(ctx, q) {
  const box = h('div', { class: 'pdf-box', id: 'my-quote-pdf' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const show = (kept) => box.replaceChildren(h('h2', {}, t('quote_pdf')),
    h('p', { 'data-pdf-bytes': kept.bytes.length }, t('pdf_ready', { kb: Math.max(1, Math.round(kept.bytes.length / 1024)) })),
    pdfActions(kept, `${q.number || 'quote'}.pdf`));
  const button = h('button', {
    class: 'btn', id: 'my-quote-get-pdf',
    onclick: async () => {
      button.disabled = true;
      msg.textContent = '';
      try { show(await fetchPdf(ctx, q)); } catch (e) {
        msg.textContent = e.name === 'TypeError' || !navigator.onLine ? t('pdf_offline') : `${t('pdf_failed')}: ${e.message || e}`;
        button.disabled = false;
      }
    },
  }, t('get_pdf'));
  ctx.store.meta(`pdf:${q.id}`).then((kept) => (kept ? show(kept) : box.replaceChildren(h('h2', {}, t('quote_pdf')), button, msg)));
  return box;
}

/** The order an accepted quote made, by the id the server gave back (synced just before). */
async function orderNumber(ctx, orderId) {
  if (!orderId) return null;
  const local = await ctx.store.get('orders', orderId);
  if (local?.number) return local.number;
  try { return (await ctx.api.request('GET', `/api/orders/${orderId}`)).number; } catch { return null; }
}

/** After an answer was saved: where it went, as the customer needs to hear it. */
async function afterAnswer(ctx, quoteId, what) {
  const fresh = await ctx.store.get('quotes', quoteId);
  if (fresh?._status === 'rejected') { // refused by the server: say why, stay on the quote
    ctx.rerender();
    return;
  }
  if (fresh?._status === 'pending') { // offline, or the server could not be reached
    ctx.notify(t('answer_saved_offline'), { untilSent: true });
    ctx.go('#/my');
    return;
  }
  if (what === 'accept') {
    const number = await orderNumber(ctx, fresh.order_id);
    ctx.notify(number ? t('order_made_from_quote', { n: number, q: fresh.number }) : t('status_accepted'));
    ctx.go(fresh.order_id ? `#/my/order/${fresh.order_id}` : '#/my');
  } else {
    ctx.notify(t('quote_declined', { n: fresh.number }));
    ctx.go('#/my');
  }
}

export async function customerQuoteScreen(ctx, quoteId) {
  const q = await ctx.store.get('quotes', quoteId);
  if (!q) return h('section', { class: 'screen' }, h('p', {}, t('not_found')));
  const msg = h('p', { class: 'error', role: 'alert' });
  const reason = h('textarea', { id: 'reject-reason', rows: 2, maxlength: 200 });
  const decide = (what) => async (ev) => {
    msg.textContent = '';
    ev.currentTarget.disabled = true;
    const status = what === 'accept' ? 'accepted' : 'rejected';
    const note = what === 'reject' ? reason.value.trim() : '';
    await ctx.outbox.add({
      collection: 'quotes', op: 'update', id: quoteId, fields: { status, ...(note ? { note } : {}) }, local: { status },
    });
    const sent = ctx.changed(); // out now, or as soon as the phone is online again
    if (navigator.onLine) await sent; // one sync: it pushes the answer and pulls the order
    await afterAnswer(ctx, quoteId, what);
  };
  const confirmBox = (what, text, ...extra) => h('div', { class: 'confirm', hidden: true, id: `confirm-${what}`, role: 'alertdialog' },
    h('p', {}, text), ...extra,
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', id: `confirm-${what}-yes`, onclick: decide(what) }, t('yes')),
      h('button', { class: 'btn', onclick: (e) => { e.target.closest('.confirm').hidden = true; } }, t('cancel'))));
  const acceptBox = confirmBox('accept', t('confirm_accept', { n: q.number, total: fmtMoney(q.total, q.currency) }));
  const rejectBox = confirmBox('reject', t('confirm_reject', { n: q.number }), h('label', {}, t('decline_reason'), reason));
  const open = q.status === 'sent';
  return h('section', { class: 'screen' },
    h('a', { class: 'back', href: '#/my' }, `‹ ${t('back')}`),
    h('h1', {}, t('quote'), ' ', q.number, ' ', unsentBadge(q)),
    h('p', {}, quoteStatus(q)),
    q._status === 'pending' ? h('p', { class: 'note', id: 'answer-waiting' }, t('answer_waiting')) : null,
    q._status === 'rejected' ? h('p', { class: 'error', id: 'answer-refused' },
      t('answer_refused', { why: q._error?.detail || q._error?.code || '' }), ' ', h('a', { href: '#/sync' }, t('open_sync'))) : null,
    open ? h('div', { class: 'actions' },
      h('button', { class: 'btn primary big', id: 'quote-accept', onclick: () => { acceptBox.hidden = false; rejectBox.hidden = true; acceptBox.scrollIntoView({ block: 'center' }); } }, t('accept')),
      h('button', { class: 'btn big', id: 'quote-reject', onclick: () => { rejectBox.hidden = false; acceptBox.hidden = true; rejectBox.scrollIntoView({ block: 'center' }); reason.focus(); } }, t('reject'))) : null,
    acceptBox, rejectBox, msg,
    ...quoteBody(q),
    pdfBox(ctx, q));
}
