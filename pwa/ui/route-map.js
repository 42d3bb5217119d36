// Route maps with Leaflet (vendored from npm, loaded on first use): numbered stops, the line
// between them, the rep's position. Tiles come from the server's config; without a tile URL,
// or with tiles unreachable, the stops and lines still show on a plain background.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

let leaflet = null;

/** Load leaflet.css and leaflet.js once; resolves with the global `L`. */
export function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/leaflet/leaflet.css' }));
      const s = h('script', { src: '/vendor/leaflet/leaflet.js' });
      s.onload = () => resolve(self.L);
      s.onerror = () => { leaflet = null; reject(new Error('map library unavailable')); };
      document.head.append(s);
    });
  }
  return leaflet;
}

/** The tile URL template from GET /api/config, remembered for offline starts ("" = none). */
export async function tileUrl(ctx) {
  try {
    const cfg = await ctx.api.raw('GET', '/api/config');
    await ctx.store.setMeta('tile_url', cfg.tile_url || '');
    return cfg.tile_url || '';
  } catch {
    return (await ctx.store.meta('tile_url')) || '';
  }
}

export const DAY_COLOURS = ['#0b3d91', '#b3261e', '#13651a', '#8a4b00', '#6a1b9a', '#00695c', '#37474f'];

/**
 * Draw layers of stops on a map inside `el`.
 * layers: [{colour, stops: [{lat, lng, label, title}]}]; position: {lat, lng} | null.
 * Returns {map, tiles: 'none' | 'ok' | 'failed'} (tiles: whether a background loaded).
 */
export async function drawRouteMap(ctx, el, layers, position = null) {
  const [L, url] = await Promise.all([loadLeaflet(), tileUrl(ctx)]);
  const map = L.map(el, { zoomControl: false, attributionControl: Boolean(url), preferCanvas: false });
  // Zoom buttons say what they do in the user's language (styles.css makes them 44 px).
  L.control.zoom({ zoomInTitle: t('zoom_in'), zoomOutTitle: t('zoom_out') }).addTo(map);
  const state = { map, tiles: url ? 'loading' : 'none' };
  el.dataset.tiles = state.tiles;
  const note = h('div', { class: 'map-note', hidden: Boolean(url) }, t('no_tiles'));
  el.append(note);
  if (url) {
    const layer = L.tileLayer(url, { maxZoom: 19, crossOrigin: true });
    let loaded = 0;
    layer.on('tileload', () => { loaded += 1; state.tiles = 'ok'; el.dataset.tiles = 'ok'; });
    layer.on('tileerror', () => {
      if (!loaded) { state.tiles = 'failed'; el.dataset.tiles = 'failed'; note.hidden = false; }
    });
    layer.addTo(map);
  }
  const bounds = [];
  for (const { colour, stops } of layers) {
    const pts = stops.filter((s) => s.lat != null && s.lng != null).map((s) => [s.lat, s.lng]);
    if (pts.length > 1) L.polyline(pts, { color: colour, weight: 4, opacity: 0.85 }).addTo(map);
    for (const s of stops) {
      if (s.lat == null || s.lng == null) continue;
      const icon = L.divIcon({
        className: 'stop-pin', iconSize: [30, 30], iconAnchor: [15, 15],
        html: `<span style="background:${colour}" data-stop="${s.label}">${s.label}</span>`,
      });
      L.marker([s.lat, s.lng], { icon, title: s.title || '', keyboard: false }).addTo(map);
      bounds.push([s.lat, s.lng]);
    }
  }
  if (position) {
    L.circleMarker([position.lat, position.lng], { radius: 9, color: '#fff', weight: 3, fillColor: '#1a73e8', fillOpacity: 1 })
      .bindTooltip(t('you_are_here')).addTo(map);
    el.dataset.position = `${position.lat},${position.lng}`;
    bounds.push([position.lat, position.lng]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  else map.setView([59.437, 24.745], 11);
  el.dataset.stops = String(bounds.length - (position ? 1 : 0));
  el.dataset.ready = '1';
  return state;
}

/** A map box element; call drawRouteMap on it once it is in the document. */
export function mapBox(id) {
  return h('div', { class: 'map', id, role: 'img', 'aria-label': t('map') });
}
