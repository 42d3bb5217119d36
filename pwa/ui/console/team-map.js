// The team map's drawing: every customer as a canvas circle coloured by territory (10,000 draw
// in well under a second), territory shapes drawn and edited with Leaflet-Geoman, the reps'
// routes of a day, and highlights for a preview. The screen (team.js) owns the data and
// the side panels; this module owns the Leaflet map and emits what the user drew.

import { h } from '../dom.js';
import { loadLeaflet, tileUrl } from '../route-map.js';
import { t } from '../../lib/i18n.js';
import './team-map-texts.js';

const GREY = '#8a94a6';
let geoman = null;

/** Load Leaflet, then Leaflet-Geoman (vendored from npm) once; resolves with `L`. */
export async function loadGeoman() {
  const L = await loadLeaflet();
  if (!geoman) {
    geoman = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/geoman/leaflet-geoman.css' }));
      const s = h('script', { src: '/vendor/geoman/leaflet-geoman.js' });
      s.onload = () => resolve(L);
      s.onerror = () => { geoman = null; reject(new Error('map editor unavailable')); };
      document.head.append(s);
    });
  }
  return geoman;
}

/** Wait until an element is in the document and has a size (Leaflet needs both). */
export function whenAttached(el) {
  return new Promise((resolve) => {
    const check = () => (el.isConnected && el.clientWidth ? resolve() : requestAnimationFrame(check));
    check();
  });
}

/**
 * A team map inside `el`. Returns an object the screen drives:
 * setCustomers(points, colourOf), setTerritories(features), highlight(map id -> fill),
 * showRoutes(routes, colourOfRep), draw(onShape), edit(onEdited) / stopEdit(), fit().
 */
export async function createTeamMap(ctx, el) {
  const [L, url] = await Promise.all([loadGeoman(), tileUrl(ctx)]);
  await whenAttached(el);
  // Only the territory shapes are editable; customers and routes are ignored by Geoman.
  L.PM.setOptIn(true);
  const renderer = L.canvas({ padding: 0.2 });
  const map = L.map(el, { preferCanvas: true, renderer, attributionControl: Boolean(url), zoomSnap: 0.25, pmIgnore: false });
  // The side panels fill in after the map is made and change its width: Leaflet must know,
  // or the fitted view slides off (half the customers out of sight).
  new ResizeObserver(() => map.invalidateSize()).observe(el);
  el.dataset.tiles = url ? 'loading' : 'none';
  if (url) L.tileLayer(url, { maxZoom: 19, crossOrigin: true }).addTo(map);
  else el.append(h('div', { class: 'map-note' }, t('no_tiles')));
  map.pm.setGlobalOptions({ snappable: false, allowSelfIntersection: false });
  const lang = (document.documentElement.lang || 'en').slice(0, 2);
  try { map.pm.setLang(lang === 'uk' ? 'ua' : lang); } catch { /* Geoman keeps English */ }

  const shapes = L.featureGroup().addTo(map);
  const dots = L.featureGroup().addTo(map); // events of its circles reach it (tooltips)
  const routes = L.featureGroup().addTo(map);
  const byId = new Map(); // customer id -> circle marker
  let base = new Map(); // customer id -> colour
  const api = { map, L };
  el.teamMap = api; // the browser tests and the benchmark read the map through its element

  // Customers are many (10,000 in a region is normal): one canvas, plain circle markers in a
  // layer group, a tooltip made only when the pointer is over (or taps) a customer. The map's
  // answer has no names: the name comes from the device's copy of the region, else the server.
  const ids = new Map(); // circle marker -> customer id
  const nameOf = async (id) => {
    const local = await Promise.resolve(ctx.store?.get('customers', id)).catch(() => null);
    return local?.name || (await ctx.api.request('GET', `/api/customers/${id}`)).name;
  };
  const showName = (e) => {
    const m = e.layer;
    if (!ids.has(m)) return;
    if (!m.getTooltip()) {
      m.bindTooltip('…');
      nameOf(ids.get(m)).then((name) => m.setTooltipContent(name), () => m.unbindTooltip());
    }
    m.openTooltip();
  };
  dots.on('mouseover', showName);
  dots.on('click', showName);
  api.setCustomers = (points, colourOf) => {
    const started = performance.now();
    dots.clearLayers();
    byId.clear();
    ids.clear();
    base = new Map();
    for (const p of points) {
      const colour = colourOf(p);
      base.set(p.id, colour);
      const m = L.circleMarker([p.lat, p.lng], {
        renderer, radius: 4, weight: 1, color: '#fff', fillColor: colour, fillOpacity: 0.9, pmIgnore: true,
      });
      ids.set(m, p.id);
      byId.set(p.id, m);
      dots.addLayer(m);
    }
    el.dataset.customers = String(points.length);
    el.dataset.drawMs = String(Math.round(performance.now() - started));
  };

  /** Colour of a drawn customer now (tests read it through the map element). */
  api.colourOf = (id) => base.get(id) || null;

  api.setTerritories = (features) => {
    shapes.clearLayers();
    for (const f of features) {
      if (!f.geometry) continue;
      const layer = L.geoJSON(f.geometry, {
        pmIgnore: false,
        style: { color: f.properties.colour, weight: 2, fillOpacity: 0.08, dashArray: '6 4' },
      });
      layer.eachLayer((l) => {
        l.feature = f;
        l.options.pmIgnore = false;
        L.PM.reInitLayer(l);
        l.on('pm:edit', () => { l._tmEdited = true; });
        shapes.addLayer(l);
      });
    }
    el.dataset.shapes = String(shapes.getLayers().length);
  };

  /** Mark customers: ids -> fill colour (null: their own); everyone else back to normal. */
  api.highlight = (marks = new Map()) => {
    for (const [id, m] of byId) {
      const mark = marks.get(id);
      if (mark !== undefined) m.setStyle({ radius: 7, weight: 3, color: '#000', fillColor: mark || base.get(id) });
      else if (m.options.weight !== 1) m.setStyle({ radius: 4, weight: 1, color: '#fff', fillColor: base.get(id) });
    }
    el.dataset.highlighted = String(marks.size);
  };

  api.showRoutes = (list, colourOfRep) => {
    routes.clearLayers();
    for (const r of list) {
      const pts = r.stops.map((s) => [s.lat, s.lng]);
      if (pts.length < 1) continue;
      const colour = colourOfRep(r.rep_id);
      L.polyline(pts, { color: colour, weight: 4, opacity: 0.85, pmIgnore: true, interactive: false }).addTo(routes);
      r.stops.forEach((s, i) => L.circleMarker([s.lat, s.lng], {
        renderer, radius: 6, weight: 3, color: colour, fillOpacity: 0, pmIgnore: true,
      }).bindTooltip(`${i + 1}. ${s.name}`).addTo(routes));
    }
    el.dataset.routes = String(list.length);
  };

  /** Let the user draw one polygon; calls back with its GeoJSON geometry. */
  api.draw = (onShape) => {
    map.pm.disableGlobalEditMode();
    map.off('pm:create');
    map.once('pm:create', (e) => {
      const geometry = e.layer.toGeoJSON().geometry;
      map.removeLayer(e.layer);
      onShape(geometry);
    });
    map.pm.enableDraw('Polygon', { snappable: false, continueDrawing: false });
    el.dataset.drawing = 'on';
  };
  api.stopDraw = () => { map.pm.disableDraw(); el.dataset.drawing = 'off'; };

  /** Edit every drawn shape; `save` gets [{feature, geometry}] of the changed ones. */
  api.edit = () => { map.pm.enableGlobalEditMode({ snappable: false }); el.dataset.editing = 'on'; };
  api.stopEdit = () => {
    map.pm.disableGlobalEditMode();
    el.dataset.editing = 'off';
    const changed = new Map();
    shapes.eachLayer((l) => { if (l._tmEdited) changed.set(l.feature.id, l); });
    return [...changed.values()].map((l) => ({ feature: l.feature, geometry: shapeOf(l.feature.id) }));
  };

  /** All parts of one territory as one GeoJSON geometry (a MultiPolygon when several). */
  function shapeOf(territoryId) {
    const parts = [];
    shapes.eachLayer((l) => { if (l.feature.id === territoryId) parts.push(l.toGeoJSON().geometry); });
    if (parts.length === 1) return parts[0];
    return { type: 'MultiPolygon', coordinates: parts.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)) };
  }

  api.fit = () => {
    map.invalidateSize();
    const b = dots.getBounds();
    if (shapes.getLayers().length) b.extend(shapes.getBounds());
    if (b.isValid()) map.fitBounds(b, { padding: [20, 20] });
    else map.setView([59.437, 24.7536], 11);
  };
  return api;
}

export const NO_TERRITORY = GREY;
