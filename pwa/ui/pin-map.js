// A map with one pin the rep can move by hand (drag it, or tap where it belongs): the pin
// then wins over the server's geocoder. Tiles only when configured; a plain background else.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import { loadLeaflet, tileUrl } from './route-map.js';

const TALLINN = [59.437, 24.745];

/**
 * Draw a movable pin in `el` (already in the document).
 * start: {lat, lng} | null; onMove({lat, lng}) is called when the rep moves it.
 */
export async function drawPinMap(ctx, el, start, onMove) {
  const [L, url] = await Promise.all([loadLeaflet(), tileUrl(ctx)]);
  const map = L.map(el, { zoomControl: true, attributionControl: Boolean(url) });
  if (url) L.tileLayer(url, { maxZoom: 19, crossOrigin: true }).addTo(map);
  else el.append(h('div', { class: 'map-note' }, t('no_tiles')));
  const at = start && start.lat != null ? [start.lat, start.lng] : TALLINN;
  map.setView(at, start && start.lat != null ? 16 : 11);
  const icon = L.divIcon({ className: 'stop-pin', iconSize: [36, 36], iconAnchor: [18, 34], html: '<span class="pin" data-pin="1">●</span>' });
  const marker = L.marker(at, { icon, draggable: true, autoPan: true, title: t('pin_hint'), keyboard: true }).addTo(map);
  const moved = (ll) => {
    const pos = { lat: Math.round(ll.lat * 1e6) / 1e6, lng: Math.round(ll.lng * 1e6) / 1e6 };
    el.dataset.pin = `${pos.lat},${pos.lng}`;
    onMove(pos);
  };
  marker.on('dragend', () => moved(marker.getLatLng()));
  map.on('click', (e) => { marker.setLatLng(e.latlng); moved(e.latlng); });
  el.dataset.ready = '1';
  return { map, marker, setView: (pos) => { marker.setLatLng([pos.lat, pos.lng]); map.setView([pos.lat, pos.lng], 16); } };
}

/** The box for drawPinMap, with the hint under it. */
export function pinBox(id) {
  return [h('div', { class: 'map pin-map', id, role: 'application', 'aria-label': t('pin_hint') }),
    h('p', { class: 'muted small', id: `${id}-state` }, t('pin_hint'))];
}
