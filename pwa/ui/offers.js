// Offers for customers: the list, one offer, and the opt-in/out switch (customer accounts).
// The list comes from the replica (`offers` collection), refreshed from the server when online.

import { h } from './dom.js';
import { t, fmtDate, fmtMoney, fmtNumber, getLocale } from '../lib/i18n.js';

/** The offer's title and text in the reader's language when it has one, else its own. */
export function offerWords(o, locale = getLocale()) {
  const lang = String(locale || '').split('-')[0];
  const w = lang !== o.language ? o.texts?.[lang] : null;
  return w?.title ? { title: w.title, text: w.text || '' } : { title: o.title, text: o.text || '' };
}

async function offerRows(ctx) {
  try {
    const rows = await ctx.api.request('GET', '/api/offers');
    const list = Array.isArray(rows) ? rows : rows.items || [];
    await ctx.store.tx(['offers'], 'readwrite', (tx) => { for (const o of list) tx.objectStore('offers').put({ ...o, _status: 'synced', _error: null }); });
    return list;
  } catch {
    return ctx.store.all('offers');
  }
}

const deal = (o) => (o.price != null ? fmtMoney(o.price, o.currency || 'EUR') : o.discount_pct != null ? `−${fmtNumber(o.discount_pct)}%` : '');

function optSwitch(ctx, on) {
  const msg = h('p', { class: 'error', role: 'alert' });
  const state = h('small', { class: 'muted', id: 'opt-state' }, t(on ? 'offers_on' : 'offers_off'));
  const box = h('input', {
    type: 'checkbox', role: 'switch', id: 'offers-opt', checked: on, 'aria-checked': String(on),
    onchange: async (e) => {
      const want = e.target.checked;
      e.target.disabled = true;
      msg.textContent = '';
      try {
        const res = await ctx.api.request('POST', `/api/offers/${want ? 'opt-in' : 'opt-out'}`);
        await ctx.store.setMeta('offers_opt_in', res.offers_opt_in);
        e.target.checked = res.offers_opt_in;
        e.target.setAttribute('aria-checked', String(res.offers_opt_in));
        state.textContent = t(res.offers_opt_in ? 'offers_on' : 'offers_off');
      } catch (err) {
        e.target.checked = !want;
        msg.textContent = err.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : String(err.message || err);
      } finally {
        e.target.disabled = false;
      }
    },
  });
  return [h('label', { class: 'switch', for: 'offers-opt' }, h('span', {}, t('offers_opt_in'), h('br'), state), box), msg];
}

export async function offersScreen(ctx) {
  const rows = (await offerRows(ctx)).sort((a, b) => String(b.sent_at || b.created_at || '').localeCompare(String(a.sent_at || a.created_at || '')));
  const isCustomer = ctx.me().role === 'customer';
  return h('section', { class: 'screen' },
    h('h1', {}, t('offers')),
    isCustomer ? optSwitch(ctx, Boolean(await ctx.store.meta('offers_opt_in'))) : null,
    rows.length ? null : h('p', { class: 'muted' }, t('no_offers')),
    h('div', { class: 'list', id: 'offer-list' }, rows.map((o) => h('a', { class: 'item', href: `#/offer/${o.id}`, 'data-offer': o.id },
      h('span', { class: 'grow' }, h('strong', {}, offerWords(o).title), h('small', {}, o.valid_until ? `${t('valid_until')} ${fmtDate(o.valid_until)}` : '')),
      h('span', { class: 'dist' }, deal(o))))));
}

export async function offerScreen(ctx, id) {
  let o = await ctx.store.get('offers', id);
  if (!o) {
    try { o = await ctx.api.request('GET', `/api/offers/${id}`); await ctx.store.put('offers', { ...o, _status: 'synced' }); } catch { o = null; }
  }
  if (!o) return h('section', { class: 'screen' }, h('a', { class: 'back', href: '#/offers' }, `‹ ${t('offers')}`), h('p', {}, t('not_found')));
  if (ctx.me().role === 'customer') import('./inbox.js').then((m) => m.offerOpened(ctx, o.id)).catch(() => null);
  const words = offerWords(o);
  return h('section', { class: 'screen', id: 'offer', 'data-offer': o.id },
    h('a', { class: 'back', href: '#/offers' }, `‹ ${t('offers')}`),
    h('h1', {}, words.title),
    o.image_url ? h('img', { class: 'offer-img', src: o.image_url, alt: words.title }) : null,
    deal(o) ? h('p', { class: 'offer-price' }, deal(o)) : null,
    h('p', { class: 'note' }, words.text),
    o.valid_until ? h('p', { class: 'muted' }, `${t('valid_until')} ${fmtDate(o.valid_until)}`) : null,
    ctx.me().role === 'customer' ? optSwitch(ctx, Boolean(await ctx.store.meta('offers_opt_in'))) : null);
}
