// "My customers" on a map: every customer of the rep as a canvas circle (thousands draw fast),
// coloured by due state, with filters all / due / overdue. Tapping near a dot shows that
// customer with a link to open it. From the replica, so it works offline; without tiles the
// dots still show on a plain background.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import { tn } from '../lib/i18n-day.js';
import { dueBadge, dueState } from './badge.js';
import { loadLeaflet, tileUrl } from './route-map.js';
import { whenAttached } from './today.js';

const FILTER = 'rounds-customers-map-filter';
const FILTERS = [['all', 'filter_all'], ['due', 'filter_due'], ['overdue', 'filter_overdue']];
const COLOUR = { overdue: '#b3261e', due: '#8a6d00', none: '#0b3d91' };
const TAP_PX = 28; // a thumb's reach around a dot

/** The customers a filter keeps: all, due soon, or overdue. */
export function filterCustomers(rows, filter, today = new Date()) {
  if (filter === 'all') return rows;
  return rows.filter((c) => dueState(c, today) === filter);
}

async function draw(ctx, box, rows, state, info, card) {
  const t0 = performance.now();
  const [L, url] = await Promise.all([loadLeaflet(), tileUrl(ctx)]);
  const map = L.map(box, { preferCanvas: true, zoomControl: true, attributionControl: Boolean(url) });
  box.leafletMap = map; // for the browser tests' pixel look-ups
  const note = h('div', { class: 'map-note', hidden: Boolean(url) }, t('no_tiles'));
  box.append(note);
  if (url) {
    const layer = L.tileLayer(url, { maxZoom: 19, crossOrigin: true });
    let loaded = 0;
    layer.on('tileload', () => { loaded += 1; box.dataset.tiles = 'ok'; });
    layer.on('tileerror', () => { if (!loaded) { box.dataset.tiles = 'failed'; note.hidden = false; } });
    layer.addTo(map);
  } else box.dataset.tiles = 'none';
  const renderer = L.canvas({ padding: 0.2 });
  const dots = L.layerGroup().addTo(map);
  const placed = rows.filter((c) => c.lat != null && c.lng != null);
  const bounds = placed.map((c) => [Number(c.lat), Number(c.lng)]);
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
  else map.setView([59.437, 24.745], 11);
  state.redraw = () => {
    dots.clearLayers();
    const shown = filterCustomers(placed, state.filter);
    for (const c of shown) {
      L.circleMarker([Number(c.lat), Number(c.lng)], {
        renderer, radius: 7, weight: 2, color: '#fff', fillColor: COLOUR[dueState(c) || 'none'], fillOpacity: 0.95, interactive: false,
      }).addTo(dots);
    }
    state.shown = shown;
    box.dataset.shown = String(shown.length);
    box.dataset.filter = state.filter;
    info.textContent = tn('map_shown', shown.length);
    card.hidden = true;
  };
  map.on('click', (e) => {
    let best = null; let bestD = TAP_PX;
    for (const c of state.shown) {
      const p = map.latLngToContainerPoint([Number(c.lat), Number(c.lng)]);
      const d = Math.hypot(p.x - e.containerPoint.x, p.y - e.containerPoint.y);
      if (d <= bestD) { best = c; bestD = d; }
    }
    if (!best) { card.hidden = true; return; }
    card.replaceChildren(
      h('span', { class: 'grow' }, h('strong', {}, best.name), h('small', {}, [best.street, best.city].filter(Boolean).join(', '))),
      dueBadge(best),
      h('a', { class: 'btn primary', href: `#/customer/${best.id}`, 'data-open-customer': best.id }, t('open_customer')));
    card.dataset.customer = best.id;
    card.hidden = false;
  });
  state.redraw();
  box.dataset.drawMs = String(Math.round(performance.now() - t0)); // library, tiles set-up, every dot
  box.dataset.ready = '1';
}

export async function customersMapScreen(ctx) {
  const rows = await ctx.customers();
  const state = { filter: FILTERS.some(([k]) => k === sessionStorage.getItem(FILTER)) ? sessionStorage.getItem(FILTER) : 'all', shown: [], redraw: null };
  const box = h('div', { class: 'map big-map', id: 'customers-map', role: 'region', 'aria-label': t('customers_map_title') });
  const info = h('p', { class: 'muted', id: 'map-shown', role: 'status' });
  const card = h('div', { class: 'item map-card', id: 'map-card', hidden: true });
  const buttons = FILTERS.map(([key, label]) => h('button', {
    type: 'button', class: `btn small${state.filter === key ? ' primary' : ''}`, 'data-filter': key, 'aria-pressed': String(state.filter === key),
    onclick: () => {
      state.filter = key;
      sessionStorage.setItem(FILTER, key);
      for (const b of buttons) { const on = b.dataset.filter === key; b.classList.toggle('primary', on); b.setAttribute('aria-pressed', String(on)); }
      state.redraw?.();
    },
  }, t(label)));
  const unplaced = rows.filter((c) => c.lat == null || c.lng == null).length;
  whenAttached(box, () => draw(ctx, box, rows, state, info, card));
  return h('section', { class: 'screen', id: 'customers-map-screen' },
    h('div', { class: 'row' }, h('a', { class: 'btn small', href: '#/customers', 'aria-label': t('customers') }, '←'), h('h1', {}, t('customers_map_title'))),
    h('div', { class: 'seg', role: 'group', 'aria-label': t('customers_map_title') }, buttons),
    info, box, card,
    h('p', { class: 'muted' }, t('map_pick')),
    unplaced ? h('p', { class: 'muted', id: 'map-unplaced' }, t('map_unplaced', { n: unplaced })) : null);
}
