// Today: the day's KPIs, a switcher Today / Tomorrow / Week, the route's stops in order with
// planned times (the next visit on top), what a re-plan could not fit with its reason, the
// chosen day's route on a map and the re-plan action (map and re-plan load on first use).
// Everything comes from the replica, so it works offline.

import { h } from './dom.js';
import { t, fmtTime, fmtDate, fmtMoney, fmtNumber } from '../lib/i18n.js';
import { tn, reasonText } from '../lib/i18n-day.js';
import { navigationUrl } from '../lib/geo.js';
import { dueBadge, dueState, statusBadge, unsentBadge } from './badge.js';
import { dec, round, str } from '../lib/pricing.js';

const MAP_OPEN = 'rounds-today-map';
const VIEW = 'rounds-today-view';
const REPLAN_MSG = 'rounds-replan-msg';
const VIEWS = [['today', 'today'], ['tomorrow', 'day_tomorrow'], ['week', 'day_week']];
const COLOURS = ['#0b3d91', '#b3261e', '#13651a', '#8a4b00', '#6a1b9a', '#00695c', '#37474f'];

/** Run fn(el) once `el` is in the document (screens are built before they are attached). */
export function whenAttached(el, fn) {
  const tick = (n) => (el.isConnected ? fn(el) : n > 0 && requestAnimationFrame(() => tick(n - 1)));
  requestAnimationFrame(() => tick(120));
}

export const localDay = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const addDays = (d, n) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n, 12);

function sameDay(v, day) { return v && localDay(new Date(v)) === day; }

/** The rep's own visit or route: the replica also holds colleagues' in shared territories.
 * A row with no rep, or no signed-in user to compare with, counts as the rep's own. */
export const isMine = (row, me) => !row.rep_id || !me || row.rep_id === me.id;

/** The visits booked (planned) for a day, in time order: appointments a route may not hold. */
export function bookedOn(visits, day, me = null) {
  return visits.filter((v) => v.status === 'planned' && sameDay(v.planned_start, day) && isMine(v, me))
    .sort((a, b) => String(a.planned_start).localeCompare(String(b.planned_start)));
}

/** Booked visits the day's route does not hold: listed with their time, so none is missed. */
function bookedList(booked, stops, byId, heading) {
  const onRoute = new Set(stops.map((s) => s.customer_id));
  const rest = booked.filter((v) => !onRoute.has(v.customer_id) && byId.has(v.customer_id));
  if (!rest.length) return null;
  return h('section', { id: 'booked' }, h('h2', {}, t(heading)),
    h('div', { class: 'list' }, rest.map((v) => stopItem(byId.get(v.customer_id), v.planned_start, false))));
}

/** Exact sum of decimal strings (2 places), never through floats. */
export function sumMoney(values) {
  let cents = 0n;
  for (const v of values) cents += round(dec(v ?? '0'), 2).v;
  return str({ v: cents, s: 2 });
}

/**
 * The day's figures from local data: visits done of planned, orders taken today and their value.
 * planned = the customers on today's route (placed or could not fit), the visits booked for
 * today, and any visited off-route; only the rep's own visits and orders count (the replica
 * also holds colleagues' in shared territories).
 */
export function dayKpis({ routes, visits: all, orders, me, day }) {
  const visits = all.filter((v) => isMine(v, me));
  const onRoute = new Set(routes.flatMap((r) => [...(r.stops || []), ...(r.stats?.left_out || [])]).map((s) => s.customer_id));
  for (const v of bookedOn(visits, day)) onRoute.add(v.customer_id);
  const doneIds = new Set(visits.filter((v) => v.status === 'done' && sameDay(v.check_in_at || v.captured_at, day)).map((v) => v.customer_id));
  for (const r of routes) for (const s of r.stops || []) if (s.status === 'done') doneIds.add(s.customer_id);
  const planned = new Set([...onRoute, ...doneIds]);
  const mine = orders.filter((o) => o.status !== 'cancelled' && sameDay(o.captured_at || o.created_at, day)
    && (!o.author_id || !me || o.author_id === me.id));
  const currency = mine.find((o) => o.currency)?.currency || 'EUR';
  return { done: doneIds.size, planned: planned.size, orders: mine.length, value: sumMoney(mine.map((o) => o.total)), currency };
}

function kpiStrip(k) {
  const fig = (id, label, value, data) => h('div', { class: 'figure', id, ...data }, h('strong', {}, value), h('small', {}, label));
  return h('div', { class: 'figures kpis', id: 'kpis' },
    fig('kpi-visits', t('kpi_visits'), t('kpi_of', { done: fmtNumber(k.done), planned: fmtNumber(k.planned) }), { 'data-done': k.done, 'data-planned': k.planned }),
    fig('kpi-orders', t('kpi_orders'), fmtNumber(k.orders), { 'data-count': k.orders }),
    fig('kpi-value', t('kpi_value'), fmtMoney(k.value, k.currency), { 'data-value': k.value }));
}

function daySwitch(ctx, view) {
  return h('div', { class: 'seg', id: 'day-switch', role: 'group', 'aria-label': t('day_choice') },
    VIEWS.map(([key, label]) => h('button', {
      type: 'button', class: `btn small${view === key ? ' primary' : ''}`, 'data-day': key, 'aria-pressed': String(view === key),
      onclick: () => { sessionStorage.setItem(VIEW, key); ctx.rerender(); },
    }, t(label))));
}

function mapTools(ctx, layers) {
  const open = sessionStorage.getItem(MAP_OPEN) === '1';
  const box = h('div', { class: 'map', id: 'today-map', hidden: !open });
  const draw = () => whenAttached(box, async () => {
    const [{ drawRouteMap }, { currentPosition }] = await Promise.all([import('./route-map.js'), import('../lib/replan.js')]);
    const pos = await currentPosition(3000);
    await drawRouteMap(ctx, box, layers, pos);
  });
  const toggle = h('button', {
    class: 'btn', id: 'map-toggle', 'aria-pressed': String(open),
    onclick: () => { const now = box.hidden; sessionStorage.setItem(MAP_OPEN, now ? '1' : '0'); ctx.rerender(); },
  }, open ? t('list') : t('map'));
  if (open) draw();
  return { toggle, box };
}

const layerOf = (stops, colour) => ({ colour, stops: stops.map((s, i) => ({ lat: s.lat ?? s.c?.lat, lng: s.lng ?? s.c?.lng, label: i + 1, title: s.c?.name || s.name })) });

function replanButton(ctx, route, msg) {
  const btn = h('button', {
    class: 'btn', id: 'replan',
    onclick: async () => {
      btn.disabled = true;
      msg.textContent = t('replanning');
      try {
        const { replan } = await import('../lib/replan.js');
        const { mode, route: fresh } = await replan(ctx, route);
        const left = fresh?.stats?.left_out?.length || 0;
        const text = [left ? tn('replanned_left', left) : t('replanned_all'), mode === 'device' ? t('offline_note') : '']
          .filter(Boolean).join(' ');
        sessionStorage.setItem(REPLAN_MSG, JSON.stringify({ route: route.id, mode, text }));
        ctx.notify(text);
        ctx.rerender();
      } catch (e) {
        msg.textContent = String(e.userMessage || e.message || e);
        btn.disabled = false;
      }
    },
  }, t('replan'));
  return btn;
}

/** The stops a re-plan could not fit: still the rep's to visit, each with its reason. */
function leftOutList(route, byId) {
  const left = route?.stats?.left_out || [];
  if (!left.length) return null;
  const endAt = route.stats?.work_end || '17:00';
  return h('section', { class: 'left-out', id: 'could-not-fit', 'aria-labelledby': 'could-not-fit-h' },
    h('h2', { id: 'could-not-fit-h' }, `${t('could_not_fit')} (${fmtNumber(left.length)})`),
    h('p', { class: 'muted' }, t('could_not_fit_hint')),
    h('div', { class: 'list' }, left.map((u) => {
      const c = byId.get(u.customer_id);
      return h('a', { class: 'item left', href: `#/customer/${u.customer_id}`, 'data-left-out': u.customer_id, 'data-reason': u.reason },
        h('span', { class: 'grow' }, h('strong', {}, c?.name || u.name), h('small', { class: 'reason' }, reasonText(u.reason, { time: endAt })),
          c?.city ? h('small', {}, c.city) : null),
        c ? dueBadge(c) : null);
    })));
}

function stopItem(c, time, done) {
  return h('a', { class: `item${done ? ' done' : ''}`, href: `#/customer/${c.id}`, 'data-stop-id': c.id },
    time ? h('span', { class: 'time' }, fmtTime(time)) : null,
    h('span', { class: 'grow' }, h('strong', {}, c.name), h('small', {}, c.city || '')),
    done ? h('span', { class: 'badge badge-synced' }, t('done')) : dueBadge(c), unsentBadge(c));
}

function nextCard(s) {
  return h('div', { class: 'card next', 'data-next': s.c.id },
    h('div', { class: 'muted' }, t('next_visit'), s.planned_arrival ? ` · ${fmtTime(s.planned_arrival)}` : ''),
    h('h2', {}, s.c.name), h('div', {}, [s.c.street, s.c.city].filter(Boolean).join(', ')),
    h('div', { class: 'row' },
      h('a', { class: 'btn primary', href: `#/visit/${s.c.id}` }, t('check_in')),
      s.c.lat != null ? h('a', { class: 'btn', href: navigationUrl(s.c), target: '_blank', rel: 'noopener', 'data-nav': '' }, t('navigate')) : null));
}

/**
 * The first `n` customers due for a visit, most overdue first: never visited (in id order),
 * then by last visit (ties in id order). Reads a batch at a time until `n` are found, not
 * every customer on the phone.
 */
export async function mostOverdue(store, n) {
  const due = [];
  const [total, visited] = await Promise.all([store.count('customers'), store.countIndex('customers', 'last_visit_at')]);
  if (total > visited) {
    // Never visited: the keys the last-visit index lacks.
    const [all, inIndex] = await Promise.all([store.keys('customers'), store.keys('customers', 'last_visit_at')]);
    const indexed = new Set(inIndex);
    const never = all.filter((id) => !indexed.has(id));
    for (let i = 0; i < never.length && due.length < n; i += 100) {
      for (const c of await store.getMany('customers', never.slice(i, i + 100))) if (c && dueState(c)) due.push(c);
    }
  }
  // Then by last visit, from the oldest; a batch starts at the last one's time again and
  // skips what it already had (several customers may share a time).
  let from = null;
  let seen = new Set();
  let size = 100;
  while (due.length < n) {
    const rows = await store.byIndex('customers', 'last_visit_at', from == null ? null : IDBKeyRange.lowerBound(from), size);
    for (const c of rows) if (!seen.has(c.id) && dueState(c)) due.push(c);
    if (rows.length < size) break;
    const last = rows[rows.length - 1].last_visit_at;
    if (last === from) size *= 2; // the whole batch shares one time: read further next round
    else { from = last; seen = new Set(); }
    for (const c of rows) if (c.last_visit_at === last) seen.add(c.id);
  }
  return due.slice(0, n);
}

const mineOn = (allRoutes, me, day) => allRoutes.filter((r) => r.day === day && isMine(r, me));
const stopsOf = (routes, byId) => routes.flatMap((r) => r.stops || []).map((s) => ({ ...s, c: byId.get(s.customer_id) })).filter((s) => s.c);

function todayView(ctx, { routes, stops, visitedToday, byId, due, booked }) {
  const route = routes[0];
  const bookedBox = bookedList(booked.filter((v) => !visitedToday.has(v.customer_id)), stops, byId, stops.length ? 'booked_off_route' : 'booked_today');
  if (due) {
    return [bookedBox, due.length && !bookedBox ? nextCard({ c: due[0] }) : null,
      h('p', { class: 'muted' }, t('no_route'), ' ', planLink()),
      h('div', { class: 'list' }, due.map((c) => stopItem(c, null, visitedToday.has(c.id))))];
  }
  const isDone = (s) => visitedToday.has(s.c.id) || s.status === 'done';
  const next = stops.find((s) => !isDone(s));
  const { toggle, box } = mapTools(ctx, [layerOf(stops, COLOURS[0])]);
  const saved = JSON.parse(sessionStorage.getItem(REPLAN_MSG) || 'null');
  const msg = h('p', { class: 'muted', id: 'replan-result', role: 'status', 'data-mode': saved?.route === route.id ? saved.mode : '' },
    saved?.route === route.id ? saved.text : '');
  return [next ? nextCard(next) : null,
    h('div', { class: 'row' }, toggle, replanButton(ctx, route, msg), statusBadge(route)), msg, box,
    h('div', { class: 'list', id: 'stops' }, stops.map((s) => stopItem(s.c, s.planned_arrival, isDone(s)))),
    bookedBox, leftOutList(route, byId)];
}

const planLink = () => h('a', { class: 'btn', href: '#/planning', id: 'plan-link' }, t('plan_days'));

function dayView(ctx, { routes, stops, byId, booked }) {
  const bookedBox = bookedList(booked, stops, byId, stops.length ? 'booked_off_route' : 'booked_day');
  if (!stops.length) return [bookedBox, h('p', { class: 'muted', id: 'no-route-day' }, t('no_route_day')), planLink()];
  const { toggle, box } = mapTools(ctx, [layerOf(stops, COLOURS[0])]);
  return [h('p', { class: 'muted', id: 'day-count' }, tn('stops_n', stops.length)),
    h('div', { class: 'row' }, toggle), box,
    h('div', { class: 'list', id: 'stops' }, stops.map((s) => stopItem(s.c, s.planned_arrival, false))),
    bookedBox, leftOutList(routes[0], byId)];
}

function weekView(ctx, { allRoutes, me, byId, start }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const perDay = days.map((d) => ({ d, day: localDay(d), stops: stopsOf(mineOn(allRoutes, me, localDay(d)), byId) }));
  const layers = perDay.filter((x) => x.stops.length).map((x, i) => layerOf(x.stops, COLOURS[i % COLOURS.length]));
  const { toggle, box } = mapTools(ctx, layers);
  let colour = 0;
  return [h('div', { class: 'row' }, toggle), box,
    h('div', { id: 'week' }, perDay.map(({ d, day, stops }) => {
      const dot = stops.length ? COLOURS[colour++ % COLOURS.length] : null;
      return h('section', { class: 'week-day', 'data-week-day': day, 'data-count': stops.length },
        h('h2', {}, dot ? h('span', { class: 'dot', style: `background:${dot}`, 'aria-hidden': 'true' }) : null,
          fmtDate(d, { weekday: 'long', day: 'numeric', month: 'short' }), ' · ', h('span', { class: 'count' }, tn('stops_n', stops.length))),
        stops.length ? h('div', { class: 'list' }, stops.map((s) => stopItem(s.c, s.planned_arrival, s.status === 'done'))) : null);
    }))];
}

export async function todayScreen(ctx) {
  const now = new Date();
  const day = localDay(now);
  const me = ctx.me();
  const view = VIEWS.some(([k]) => k === sessionStorage.getItem(VIEW)) ? sessionStorage.getItem(VIEW) : 'today';
  const [allRoutes, visits, orders] = await Promise.all([ctx.store.all('routes'), ctx.store.all('visits'), ctx.store.all('orders')]);
  const routes = mineOn(allRoutes, me, day);
  // Only the customers this view shows are read, not all of them (a cached start with 5,000).
  const days = view === 'week' ? Array.from({ length: 7 }, (_, i) => localDay(addDays(now, i)))
    : [view === 'tomorrow' ? localDay(addDays(now, 1)) : day];
  const shown = days.flatMap((d) => mineOn(allRoutes, me, d));
  const booked = view === 'week' ? [] : bookedOn(visits, days[0], me);
  const ids = [...new Set([...shown.flatMap((r) => [...(r.stops || []), ...(r.stats?.left_out || [])]), ...booked].map((s) => s.customer_id))];
  const byId = new Map((await ctx.store.getMany('customers', ids)).filter(Boolean).map((c) => [c.id, c]));
  const empty = view === 'today' && !stopsOf(routes, byId).length && !routes[0]?.stats?.left_out?.length;
  const due = empty ? await mostOverdue(ctx.store, 30) : null;
  const visitedToday = new Set(visits.filter((v) => v.status === 'done' && sameDay(v.check_in_at || v.captured_at, day)).map((v) => v.customer_id));
  const kpis = dayKpis({ routes, visits, orders, me, day });
  let body;
  if (view === 'tomorrow') {
    const tRoutes = mineOn(allRoutes, me, localDay(addDays(now, 1)));
    body = dayView(ctx, { routes: tRoutes, stops: stopsOf(tRoutes, byId), byId, booked });
  } else if (view === 'week') {
    body = weekView(ctx, { allRoutes, me, byId, start: now });
  } else {
    body = todayView(ctx, { routes, stops: stopsOf(routes, byId), visitedToday, byId, due, booked });
  }
  return h('section', { class: 'screen', 'data-view': view }, h('h1', {}, t('today')), kpiStrip(kpis), daySwitch(ctx, view), ...body);
}
