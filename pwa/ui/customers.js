// Customers: instant offline search, nearby from the phone's position, due/overdue badges.

import '../lib/i18n-rep.js';
import { h, fill } from './dom.js';
import { t } from '../lib/i18n.js';
import { currentFix, distanceM } from '../lib/geo.js';
import { dueBadge, statusBadge } from './badge.js';

const state = { query: '', near: null };

export function customerItem(c, extra) {
  return h('a', { class: 'item', href: `#/customer/${c.id}`, 'data-customer': c.id },
    h('span', { class: 'grow' }, h('strong', {}, c.name), h('small', {}, [c.code, c.street, c.city].filter(Boolean).join(' · '))),
    extra, dueBadge(c), statusBadge(c));
}

export async function customersScreen(ctx) {
  const index = await ctx.index();
  const list = h('div', { class: 'list', id: 'customer-list' });
  const note = h('p', { class: 'muted', id: 'customer-list-note', role: 'status' });
  const show = () => {
    let rows;
    note.textContent = '';
    if (state.near) {
      const { lat, lng } = state.near;
      rows = index.rows.map((r) => r.c).filter((c) => c.lat != null)
        .map((c) => ({ c, d: distanceM(lat, lng, Number(c.lat), Number(c.lng)) }))
        .sort((a, b) => a.d - b.d).slice(0, 30)
        .map(({ c, d }) => customerItem(c, h('small', { class: 'dist' }, d < 1000 ? `${Math.round(d)} m` : `${(d / 1000).toFixed(1)} km`)));
    } else {
      const found = index.search(state.query, Infinity);
      rows = found.slice(0, 30).map((c) => customerItem(c)); // a phone shows ~8; more is noise
      if (found.length > 30) note.textContent = t('showing_of', { n: 30, total: found.length });
    }
    fill(list, rows.length ? rows : h('p', { class: 'muted' }, t('no_results')));
  };
  const input = h('input', {
    type: 'search', class: 'search', placeholder: t('search_customers'), value: state.query, 'aria-label': t('search_customers'),
    oninput: (e) => { state.query = e.target.value; state.near = null; show(); },
  });
  const nearby = h('button', {
    class: 'btn', type: 'button',
    onclick: async () => {
      nearby.disabled = true;
      note.textContent = t('locating');
      const fix = await currentFix();
      nearby.disabled = false;
      state.near = fix;
      show();
      if (!fix) note.textContent = t('nearby_no_fix'); // not a silent alphabetical list
    },
  }, t('nearby'));
  const onMap = h('a', { class: 'btn', href: '#/customers/map', id: 'customers-map-link' }, t('customers_map'));
  show();
  // Reps add prospects they meet on the road (offline too).
  const prospect = ctx.me()?.role === 'rep' ? h('a', { class: 'btn primary', href: '#/prospect', id: 'action-prospect' }, '+ ', t('new_prospect')) : null;
  return h('section', { class: 'screen' }, h('div', { class: 'row sticky' }, input, nearby, onMap), prospect, note, list);
}
