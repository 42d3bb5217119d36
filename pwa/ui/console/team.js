// The team map (#/office/team): the region's customers coloured by territory, filters, the
// reps' routes of a day, territory shapes drawn, edited, imported and exported, customers
// assigned by shape after a preview, and the workload with a rebalance applied and undone in
// one step. Reads the server (the console's screens do), draws with team-map.js.

import { h, fill } from '../dom.js';
import { t, segmentName } from '../../lib/i18n.js';
import { select } from './forms.js';
import { createTeamMap, NO_TERRITORY } from './team-map.js';
import { workloadPanel } from './team-workload.js';
import './texts.js';
import './team-map-texts.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;
const today = () => new Date().toLocaleDateString('sv'); // YYYY-MM-DD, local

// The last map answer per query: sent back as If-None-Match, a 304 reuses it (a manager who
// comes back to the map does not wait for 10,000 customers again).
const lastMap = new Map();

/** GET /api/territories/map, revalidated with the ETag of the answer kept from last time. */
export async function mapPoints(api, query) {
  const kept = lastMap.get(query);
  try {
    const res = await api.request('GET', `/api/territories/map?${query}`, {
      headers: kept ? { 'If-None-Match': kept.etag } : {}, withHeaders: true,
    });
    const etag = res.headers.get('ETag');
    if (etag) lastMap.set(query, { etag, data: res.data });
    return res.data;
  } catch (e) {
    if (e.status === 304 && kept) return kept.data;
    throw e;
  }
}

/** The answer's columns as one object per customer; due in ms since the epoch or null. */
export function pointsOf(data) {
  const { ids, lat, lng, territory, segment, due, territories, segments, scale } = data;
  const points = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    points[i] = {
      id: ids[i], lat: lat[i] / scale, lng: lng[i] / scale,
      territory_id: territory[i] < 0 ? null : territories[territory[i]],
      segment: segments[segment[i]], due: due[i] == null ? null : due[i] * 1000,
    };
  }
  return points;
}

export async function teamScreen(ctx) {
  const opened = performance.now();
  const me = ctx.me();
  const regions = me.role === 'admin' ? await ctx.api.request('GET', '/api/regions') : [];
  const state = { region: me.role === 'admin' ? regions[0]?.id || '' : '', features: [], points: [], reps: [], batch: null };
  const q = () => (state.region ? `region_id=${state.region}` : '');
  const fetchPoints = () => mapPoints(ctx.api, q());

  const status = h('p', { id: 'team-status', class: 'muted', 'aria-live': 'polite' });
  const counts = h('span', { id: 'team-counts', class: 'muted' });
  const visits = select('visits', [['', t('tm_all')], ['due', t('tm_due')], ['overdue', t('tm_overdue')]], '', { id: 'f-visits' });
  const segment = select('segment', [['', t('tm_all')]], '', { id: 'f-segment' });
  const rep = select('rep', [['', t('tm_all')]], '', { id: 'f-rep' });
  const day = h('input', { type: 'date', name: 'day', id: 'f-day', value: today() });
  const regionPick = me.role === 'admin'
    ? select('region', regions.map((r) => [r.id, r.name]), state.region, { id: 'f-region' }) : null;
  const mapEl = h('div', { class: 'map team-map', id: 'team-map', role: 'application', 'aria-label': t('tm_map_label') });
  const territoryList = h('div', { id: 'territory-list' });
  const preview = h('div', { class: 'panel', id: 'assign-preview', hidden: true });
  const undoBar = h('div', { class: 'toolbar', id: 'undo-bar', hidden: true });
  const fileIn = h('input', { type: 'file', accept: '.geojson,.json,application/geo+json,application/json', id: 'geojson-file', hidden: true });
  const editBtn = h('button', { type: 'button', class: 'btn', id: 'edit-shapes' }, t('tm_edit'));
  const labelled = (text, el) => h('label', {}, text, el);

  const section = h('section', { class: 'screen team', id: 'team' },
    h('div', { class: 'toolbar' }, h('h1', { style: 'flex:1' }, t('tm_title')),
      h('button', { type: 'button', class: 'btn', id: 'import-geojson', onclick: () => fileIn.click() }, t('tm_import')),
      h('button', { type: 'button', class: 'btn', id: 'export-geojson', onclick: () => exportShapes() }, t('tm_export')), fileIn),
    h('div', { class: 'toolbar' }, regionPick && labelled(t('c_region'), regionPick), labelled(t('tm_visits'), visits),
      labelled(t('tm_segment'), segment), labelled(t('tm_rep'), rep), labelled(t('tm_routes_day'), day), counts),
    h('div', { class: 'team-grid' }, mapEl,
      h('div', { class: 'team-side' },
        h('div', { class: 'panel' }, h('div', { class: 'toolbar' }, h('h2', { style: 'flex:1;margin:0' }, t('tm_territories')), editBtn), territoryList),
        preview)),
    undoBar, status);

  // The map is made once the section is on the page (Leaflet needs its size).
  let tm = null;
  let colours = new Map();
  const colourOfTerritory = (id) => colours.get(id) || NO_TERRITORY;
  const nameOfTerritory = (id) => state.features.find((f) => f.id === id)?.properties.name || t('tm_none');
  const say = (text, cls = 'muted') => { status.className = cls; status.textContent = text; };
  const fail = (e) => {
    const fields = (e.errors || []).slice(0, 3).map((x) => `${x.field}: ${x.message}`).join('; ');
    say(e.status === 409 ? `${t('tm_stale')} ${fields}` : [e.message, fields].filter(Boolean).join(' — '), 'error');
  };

  const visible = () => {
    const now = Date.now();
    const repTerritories = rep.value
      ? new Set(state.features.filter((f) => f.properties.rep_ids.includes(rep.value)).map((f) => f.id)) : null;
    return state.points.filter((p) => {
      if (segment.value && p.segment !== segment.value) return false;
      if (repTerritories && !repTerritories.has(p.territory_id)) return false;
      if (visits.value) {
        const due = p.due; // ms since the epoch, or null: no regular visits
        if (due == null) return false;
        if (visits.value === 'overdue' && due >= now) return false;
        if (visits.value === 'due' && (due < now || due > now + WEEK_MS)) return false;
      }
      return true;
    });
  };
  const redraw = () => {
    const shown = visible();
    tm.setCustomers(shown, (p) => colourOfTerritory(p.territory_id));
    counts.textContent = t('tm_shown', { n: shown.length, total: state.points.length })
      + (state.unlocated ? ` · ${t('tm_unlocated', { n: state.unlocated })}` : '');
  };

  async function loadShapes(fetched = null) {
    const fc = await (fetched || ctx.api.request('GET', `/api/territories?format=geojson&${q()}`));
    state.features = fc.features.filter((f) => !state.region || f.properties.region_id === state.region);
    colours = new Map(state.features.map((f) => [f.id, f.properties.colour]));
    tm.setTerritories(state.features);
    drawTerritoryList();
  }
  async function loadPoints(fetched = null) {
    const t0 = performance.now();
    const data = await (fetched || fetchPoints());
    mapEl.dataset.fetchMs = String(Math.round(performance.now() - t0));
    state.points = pointsOf(data);
    state.unlocated = data.unlocated;
    const segments = [...new Set(state.points.map((p) => p.segment).filter(Boolean))].sort();
    const keep = segment.value;
    fill(segment, h('option', { value: '' }, t('tm_all')), segments.map((s) => h('option', { value: s, selected: s === keep }, segmentName(s))));
    redraw();
  }
  async function loadReps(fetched = null) {
    const users = await (fetched || ctx.api.request('GET', '/api/users')).catch(() => []);
    state.reps = users.filter((u) => u.role === 'rep' && u.active && (!state.region || u.region_id === state.region));
    fill(rep, h('option', { value: '' }, t('tm_all')), state.reps.map((u) => h('option', { value: u.id }, u.name)));
  }
  const repColour = (id) => state.features.find((f) => f.properties.rep_ids.includes(id))?.properties.colour || '#333';
  async function loadRoutes() {
    if (!day.value) { tm.showRoutes([], repColour); return; }
    const list = await ctx.api.request('GET', `/api/routes?from=${day.value}&to=${day.value}`).catch(() => []);
    const mine = list.filter((r) => !rep.value || r.rep_id === rep.value);
    tm.showRoutes(mine, repColour);
    mapEl.dataset.routeDay = day.value;
    say(mine.length ? t('tm_routes_count', { n: mine.length }) : t('tm_routes_none'));
  }

  function drawTerritoryList() {
    const repName = new Map(state.reps.map((u) => [u.id, u.name]));
    fill(territoryList, state.features.map((f) => h('div', { class: 'territory-row', 'data-territory': f.id },
      h('div', { class: 'territory-name' }, h('span', { class: 'swatch', style: `background:${f.properties.colour}` }),
        h('strong', {}, f.properties.name), h('small', { class: 'muted' }, f.properties.code)),
      h('small', { class: 'muted' }, f.properties.rep_ids.map((id) => repName.get(id) || '').filter(Boolean).join(', ')
        || t('tm_no_rep'), f.geometry ? '' : ` · ${t('tm_no_shape')}`),
      h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'btn', 'data-action': 'draw', onclick: () => drawFor(f) }, t('tm_draw')),
      h('button', { type: 'button', class: 'btn', 'data-action': 'assign', disabled: !f.geometry, onclick: () => previewAssign(f) }, t('tm_assign'))))));
  }

  function drawFor(f) {
    say(t('tm_draw_hint'));
    tm.draw(async (geometry) => {
      mapEl.dataset.drawing = 'off';
      try {
        await ctx.api.request('PATCH', `/api/territories/${f.id}`, { body: { geometry } });
        await loadShapes();
        say(t('tm_saved', { name: f.properties.name }), 'ok');
        await previewAssign(state.features.find((x) => x.id === f.id));
      } catch (e) { fail(e); }
    });
  }

  let editing = false;
  editBtn.addEventListener('click', async () => {
    if (!editing) { editing = true; tm.edit(); editBtn.textContent = t('tm_edit_done'); return; }
    editing = false;
    editBtn.textContent = t('tm_edit');
    try {
      for (const { feature, geometry } of tm.stopEdit()) {
        await ctx.api.request('PATCH', `/api/territories/${feature.id}`, { body: { geometry } });
        say(t('tm_saved', { name: feature.properties.name }), 'ok');
      }
      await loadShapes();
    } catch (e) { fail(e); await loadShapes(); }
  });

  function showMoves(titleText, moves, onApply) {
    fill(preview, h('h2', {}, titleText),
      moves.length ? h('div', { class: 'moves' }, h('table', { class: 'data', id: 'moves' },
        h('thead', {}, h('tr', {}, h('th', {}, t('tm_customer')), h('th', {}, t('tm_from')), h('th', {}, t('tm_to')))),
        h('tbody', {}, moves.map((m) => h('tr', { 'data-customer': m.customer_id },
          h('td', {}, m.name), h('td', {}, nameOfTerritory(m.from_territory_id)), h('td', {}, nameOfTerritory(m.to_territory_id))))))) : null,
      h('div', { class: 'toolbar' },
        moves.length ? h('button', { type: 'button', class: 'btn primary', id: 'apply-moves', onclick: onApply }, t('tm_apply')) : null,
        h('button', { type: 'button', class: 'btn', id: 'cancel-moves', onclick: closePreview }, t('tm_cancel'))));
    preview.hidden = false;
    // Asked from the workload table below the map: bring the map and the list into view.
    if (mapEl.getBoundingClientRect().top < 0) mapEl.scrollIntoView({ block: 'start' });
    tm.highlight(new Map(moves.map((m) => [m.customer_id, colourOfTerritory(m.to_territory_id)])));
  }
  function closePreview() { preview.hidden = true; tm.highlight(); }

  async function previewAssign(f) {
    try {
      const r = await ctx.api.request('POST', `/api/territories/${f.id}/assign-by-polygon?dry_run=true`);
      const name = f.properties.name;
      showMoves(r.moves.length ? t('tm_preview_title', { n: r.moves.length, name }) : t('tm_preview_none', { name }), r.moves, async () => {
        try {
          const done = await ctx.api.request('POST', `/api/territories/${f.id}/assign-by-polygon`);
          await afterApply(done.moves.length, done.batch_id);
        } catch (e) { fail(e); }
      });
    } catch (e) { fail(e); }
  }

  async function afterApply(n, batchId) {
    closePreview();
    state.batch = batchId;
    fill(undoBar, h('span', { class: 'ok', id: 'applied' }, t('tm_applied', { n })),
      h('button', { type: 'button', class: 'btn', id: 'undo-moves', onclick: undo }, t('tm_undo')));
    undoBar.hidden = !batchId;
    say('');
    await Promise.all([loadPoints(), work.reload()]);
  }
  async function undo() {
    try {
      const r = await ctx.api.request('POST', `/api/territories/rebalance/${state.batch}/undo`);
      state.batch = null;
      fill(undoBar, h('span', { class: 'ok', id: 'undone' }, t('tm_undone', { n: r.moves.length })));
      await Promise.all([loadPoints(), work.reload()]);
    } catch (e) { fail(e); }
  }

  const work = workloadPanel(ctx, {
    query: q, nameOfTerritory, fail,
    showProposal: (p) => showMoves(
      p.moves.length ? t('tm_rebalance_title', { n: p.moves.length, a: Math.round(p.spread_before * 100), b: Math.round(p.spread_after * 100) })
        : t('tm_rebalance_none'),
      p.moves, async () => {
        try {
          const moves = p.moves.map(({ customer_id, from_territory_id, to_territory_id }) => ({ customer_id, from_territory_id, to_territory_id }));
          const body = state.region ? { region_id: state.region, moves } : { moves };
          const batch = await ctx.api.request('POST', '/api/territories/rebalance/apply', { body });
          await afterApply(batch.moves.length, batch.id);
        } catch (e) { fail(e); }
      }),
  });
  section.append(work.el);

  async function exportShapes() {
    const fc = await ctx.api.request('GET', `/api/territories?format=geojson&${q()}`);
    const a = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(fc, null, 1)], { type: 'application/geo+json' })), download: 'territories.geojson' });
    document.body.append(a); a.click(); a.remove();
  }
  fileIn.addEventListener('change', async () => {
    const file = fileIn.files[0];
    fileIn.value = '';
    if (!file) return;
    try {
      const r = await ctx.api.request('POST', '/api/territories/geojson', { body: JSON.parse(await file.text()) });
      say(t('tm_imported', { updated: r.updated.length, unchanged: r.unchanged.length }), 'ok');
      await loadShapes();
    } catch (e) { fail(e); }
  });

  for (const el of [visits, segment]) el.addEventListener('change', redraw);
  rep.addEventListener('change', () => { redraw(); loadRoutes(); });
  day.addEventListener('change', loadRoutes);
  regionPick?.addEventListener('change', async () => { state.region = regionPick.value; await reloadAll(); });

  const fetchAll = () => ({
    users: ctx.api.request('GET', '/api/users'),
    shapes: ctx.api.request('GET', `/api/territories?format=geojson&${q()}`),
    points: fetchPoints(),
  });
  async function reloadAll({ users, shapes, points } = fetchAll()) {
    // The reads go out together; the customers are drawn once the shapes' colours are in.
    await loadReps(users);
    await loadShapes(shapes);
    await loadPoints(points);
    tm.fit();
    mapEl.dataset.ready = 'true';
    mapEl.dataset.readyMs = String(Math.round(performance.now() - opened));
    await Promise.all([loadRoutes(), work.reload()]);
  }
  (async () => {
    const first = fetchAll(); // while the map library loads
    first.shapes.catch(() => {});
    first.points.catch(() => {});
    first.users.catch(() => {});
    tm = await createTeamMap(ctx, mapEl);
    await reloadAll(first);
  })().catch(fail);
  return section;
}
