// Team planning (managers and admins): plan today, the rest of this week or next week for
// every rep of the region at once as a draft; see each rep's day on the map with ETAs and as
// lists; move a stop to another rep or day, lock stops, re-solve the rest, and publish to the
// reps' devices. Every customer left out is listed with its reason.

import { h } from '../dom.js';
import { t, fmtDate, fmtTime } from '../../lib/i18n.js';
import { localDay, whenAttached } from '../today.js';
import { byName, select, title } from './forms.js';
import { reasonText } from './plan-texts.js';

const KEY = 'rounds-team-plan';
const COLOURS = ['#0b3d91', '#b3261e', '#13651a', '#8a4b00', '#6a1b9a', '#00695c', '#37474f', '#ad1457'];

/** The days a choice covers, on this computer's calendar (the server uses the rep's zone). */
export function daysOf(choice, now = new Date()) {
  const d = new Date(now);
  d.setHours(12, 0, 0, 0);
  const dow = (d.getDay() + 6) % 7; // Monday = 0
  if (choice === 'today') return [localDay(d)];
  const start = choice === 'next' ? 7 - dow : 0;
  const n = choice === 'next' ? 7 : 7 - dow;
  return Array.from({ length: n }, (_, i) => { const x = new Date(d); x.setDate(d.getDate() + start + i); return localDay(x); });
}

const dayName = (d) => fmtDate(`${d}T12:00:00`, { weekday: 'short', day: 'numeric', month: 'short' });

export async function teamPlanScreen(ctx) {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || '{}');
  const me = ctx.me();
  const [users, regions] = await Promise.all([
    ctx.api.request('GET', '/api/users', { query: { role: 'rep' } }),
    me.role === 'admin' ? ctx.api.request('GET', '/api/regions') : Promise.resolve([]),
  ]);
  const state = {
    choice: saved.choice || 'this',
    region: me.role === 'admin' ? (saved.region || regions.sort(byName)[0]?.id || null) : null,
    day: saved.day || null,
    plan: { routes: [], unassigned: [] },
    busy: false,
  };
  const reps = () => users.filter((u) => u.role === 'rep' && u.active !== false
    && (!state.region || u.region_id === state.region)).sort(byName);
  const colourOf = (id) => COLOURS[Math.max(0, reps().findIndex((r) => r.id === id)) % COLOURS.length];
  const nameOf = (id) => users.find((u) => u.id === id)?.name || id;
  const days = () => daysOf(state.choice);
  const remember = () => sessionStorage.setItem(KEY, JSON.stringify({ choice: state.choice, region: state.region, day: state.day }));
  const scope = (extra = {}) => ({ days: days(), ...(state.region ? { region_id: state.region } : {}), ...extra });

  const status = h('div', { id: 'tp-status', role: 'status', class: 'muted' });
  const body = h('div', { class: 'tp-body' });
  const say = (text, cls = 'muted') => { status.className = cls; status.textContent = text; };

  /** With no draft, what the reps have: the published routes of these days (read only). */
  async function published(ds) {
    const mine = new Set(reps().map((r) => r.id));
    const live = await ctx.api.request('GET', '/api/routes', { query: { from: ds[0], to: ds[ds.length - 1] } });
    return { routes: live.filter((r) => mine.has(r.rep_id) && r.stops.length), unassigned: [], published: true };
  }

  async function load() {
    const ds = days();
    try {
      state.plan = await ctx.api.request('GET', '/api/routes/drafts', { query: { from: ds[0], to: ds[ds.length - 1], region_id: state.region } });
      if (!state.plan.routes.length) state.plan = await published(ds);
    } catch (e) {
      state.plan = { routes: [], unassigned: [] };
      say(e.detail || e.message || String(e), 'error');
    }
    draw();
  }

  async function act(fn, done) {
    if (state.busy) return;
    state.busy = true;
    for (const b of screen.querySelectorAll('button')) b.disabled = true;
    say(t('tp_working'));
    try {
      const res = await fn();
      if (res && res.routes) state.plan = res.published ? { routes: res.routes, unassigned: [], published: true } : res;
      const said = done(res);
      if (typeof said === 'object') say(said.text, said.cls); else say(said, 'ok');
    } catch (e) {
      say(e.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : (e.detail || e.message || String(e)), 'error');
    }
    state.busy = false;
    draw();
  }

  const plan = () => act(
    () => ctx.api.request('POST', '/api/routes/plan-team', { body: { ...(state.choice === 'today' ? { days: days() } : { week: state.choice }), ...(state.region ? { region_id: state.region } : {}), draft: true } }),
    (res) => t('tp_planned', { n: res.routes.reduce((n, r) => n + r.stops.length, 0), u: res.unassigned.length }));
  const resolve = () => act(
    () => ctx.api.request('POST', '/api/routes/drafts/resolve', { body: scope() }),
    (res) => t('tp_planned', { n: res.routes.reduce((n, r) => n + r.stops.length, 0), u: res.unassigned.length }));
  const publishNow = () => act(
    () => ctx.api.request('POST', '/api/routes/drafts/publish', { body: scope() }),
    (res) => t('tp_published', { n: res.published }));
  // Stops moved by hand keep their old times until re-solved: the reps would get wrong ETAs.
  const stale = h('div', { class: 'confirm', id: 'tp-stale', role: 'alertdialog', hidden: true },
    h('p', {}, t('tp_stale_publish')),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', id: 'tp-solve-publish', onclick: () => { stale.hidden = true; act(async () => {
        await ctx.api.request('POST', '/api/routes/drafts/resolve', { body: scope() });
        return ctx.api.request('POST', '/api/routes/drafts/publish', { body: scope() });
      }, (res) => t('tp_published', { n: res.published })); } }, t('tp_solve_publish')),
      h('button', { class: 'btn', type: 'button', id: 'tp-publish-anyway', onclick: () => { stale.hidden = true; publishNow(); } }, t('tp_publish_anyway')),
      h('button', { class: 'btn', type: 'button', onclick: () => { stale.hidden = true; } }, t('cancel'))));
  const publish = () => {
    if ((state.plan.routes || []).some((r) => r.stats?.needs_solve)) {
      for (const b of stale.querySelectorAll('button')) b.disabled = false; // an earlier act disabled them
      stale.hidden = false;
      return;
    }
    publishNow();
  };
  const lock = (route, stop) => act(async () => {
    const read = await ctx.api.request('POST', `/api/routes/drafts/${route.id}/lock`, { body: { customer_id: stop.customer_id, locked: !stop.locked } });
    return { ...state.plan, routes: state.plan.routes.map((r) => (r.id === read.id ? read : r)) };
  }, () => '');
  const move = (route, stop, target) => act(async () => {
    const [repId, day] = target.split('|');
    await ctx.api.request('POST', `/api/routes/drafts/${route.id}/move`, { body: { customer_id: stop.customer_id, to_rep_id: repId, to_day: day } });
    const ds = days();
    return ctx.api.request('GET', '/api/routes/drafts', { query: { from: ds[0], to: ds[ds.length - 1], region_id: state.region } });
  }, () => ({ text: t('tp_needs_solve'), cls: 'warn' }));

  function stopRow(route, stop, k) {
    if (state.plan.published) { // what the reps have: no lock or move here
      return h('li', { class: 'tp-stop', 'data-stop': stop.customer_id },
        h('span', { class: 'tp-n', style: `background:${colourOf(route.rep_id)}` }, String(k + 1)),
        h('span', { class: 'tp-eta' }, fmtTime(stop.planned_arrival)),
        h('span', { class: 'grow' }, stop.name));
    }
    const targets = reps().flatMap((r) => days().map((d) => [`${r.id}|${d}`, `${r.name} · ${dayName(d)}`]))
      .filter(([v]) => v !== `${route.rep_id}|${route.day}`);
    const to = select('move_to', targets, '', { 'data-move': stop.customer_id, 'aria-label': t('tp_move_to') });
    return h('li', { class: `tp-stop${stop.locked ? ' locked' : ''}`, 'data-stop': stop.customer_id },
      h('span', { class: 'tp-n', style: `background:${colourOf(route.rep_id)}` }, String(k + 1)),
      h('span', { class: 'tp-eta' }, fmtTime(stop.planned_arrival)),
      h('span', { class: 'grow' }, stop.name, stop.locked ? h('small', { class: 'tp-lock-badge' }, t('tp_locked')) : null),
      h('span', { class: 'tp-ctl' },
      h('button', { class: 'btn small', type: 'button', 'data-lock': stop.customer_id, 'aria-pressed': String(Boolean(stop.locked)), onclick: () => lock(route, stop) },
        stop.locked ? t('tp_unlock') : t('tp_lock')),
      to,
      h('button', { class: 'btn small', type: 'button', 'data-move-go': stop.customer_id, onclick: () => move(route, stop, to.value) }, t('tp_move'))));
  }

  function draw() {
    const ds = days();
    if (!ds.includes(state.day)) state.day = ds[0];
    remember();
    const routes = state.plan.routes || [];
    const ofDay = routes.filter((r) => r.day === state.day);
    const anyStale = routes.some((r) => r.stats?.needs_solve);
    const tabs = h('div', { class: 'tp-days', role: 'tablist' }, ds.map((d) => {
      const n = routes.filter((r) => r.day === d).reduce((a, r) => a + r.stops.length, 0);
      return h('button', { class: `btn small${d === state.day ? ' primary' : ''}`, type: 'button', role: 'tab', 'data-day': d, 'aria-selected': String(d === state.day), onclick: () => { state.day = d; draw(); } },
        `${dayName(d)} · ${n}`);
    }));
    const box = h('div', { class: 'map tp-map', id: 'tp-map', role: 'region', 'aria-label': t('map') });
    const layers = ofDay.map((r) => ({
      colour: colourOf(r.rep_id),
      stops: [
        ...(r.stats?.start ? [{ lat: r.stats.start.lat, lng: r.stats.start.lng, label: '⌂', title: `${nameOf(r.rep_id)} · ${t('tp_home')}` }] : []),
        ...r.stops.map((s, k) => ({ lat: s.lat, lng: s.lng, label: k + 1, title: `${s.name} · ${fmtTime(s.planned_arrival)}` })),
      ],
    }));
    whenAttached(box, async () => { const { drawRouteMap } = await import('../route-map.js'); drawRouteMap(ctx, box, layers); });
    const lists = h('div', { class: 'tp-lists' }, reps().map((rep) => {
      const r = ofDay.find((x) => x.rep_id === rep.id);
      const stops = r ? r.stops : [];
      return h('div', { class: 'panel tp-rep', 'data-rep-day': `${rep.id}|${state.day}` },
        h('h2', {}, h('span', { class: 'swatch', style: `background:${colourOf(rep.id)}` }), ' ', rep.name,
          h('small', { class: 'muted' }, ` · ${rep.work_start || '08:00'}–${rep.work_end || '17:00'}`,
            r ? ` · ${(r.distance_m / 1000).toFixed(1)} km` : '')),
        stops.length ? h('ol', { class: 'tp-stops' }, stops.map((s, k) => stopRow(r, s, k))) : h('p', { class: 'muted' }, t('tp_no_stops')));
    }));
    const left = state.plan.unassigned || [];
    const leftOut = h('div', { class: 'panel', id: 'tp-left-out' }, h('h2', {}, `${t('tp_left_out')} · ${left.length}`),
      left.length ? h('ul', {}, left.map((u) => h('li', { 'data-left-out': u.customer_id, 'data-reason': u.reason }, h('strong', {}, u.name), ' — ', reasonText(t, u))))
        : h('p', { class: 'muted' }, routes.length ? t('tp_none_left') : ''));
    const live = Boolean(state.plan.published);
    body.replaceChildren(
      live && routes.length ? h('p', { class: 'tp-live', id: 'tp-live' }, t('tp_live'))
        : routes.length ? h('p', { class: 'tp-draft', id: 'tp-draft' }, t('tp_draft'), anyStale ? h('strong', { class: 'warn' }, ` ${t('tp_needs_solve')}`) : null)
          : h('p', { class: 'muted', id: 'tp-empty' }, t('tp_no_draft')),
      tabs,
      h('div', { class: 'tp-grid' }, box, h('div', { class: 'tp-side' }, lists, leftOut)));
    for (const b of screen.querySelectorAll('.tp-actions button')) b.disabled = state.busy;
    screen.querySelector('#tp-resolve').disabled = state.busy || !routes.length || live;
    screen.querySelector('#tp-publish').disabled = state.busy || !routes.length || live;
  }

  const choice = select('week', [['today', t('tp_today')], ['this', t('tp_this_week')], ['next', t('tp_next_week')]], state.choice, { id: 'tp-week', 'aria-label': t('tp_period') });
  choice.addEventListener('change', () => { state.choice = choice.value; load(); });
  const regionPick = me.role === 'admin'
    ? select('region', regions.map((r) => [r.id, r.name]), state.region, { id: 'tp-region', 'aria-label': t('tp_region') }) : null;
  regionPick?.addEventListener('change', () => { state.region = regionPick.value; load(); });
  const screen = h('section', { class: 'screen', id: 'team-plan' },
    title(t('tp_title')),
    h('div', { class: 'toolbar tp-actions' }, regionPick, choice,
      h('button', { class: 'btn primary', type: 'button', id: 'tp-plan', onclick: plan }, t('tp_plan')),
      h('button', { class: 'btn', type: 'button', id: 'tp-resolve', onclick: resolve }, t('tp_resolve')),
      h('button', { class: 'btn', type: 'button', id: 'tp-publish', onclick: publish }, t('tp_publish'))),
    status, stale, body);
  await load();
  return screen;
}
