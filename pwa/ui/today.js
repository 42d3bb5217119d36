// Today: the route's stops in order with planned times, the next visit on top; the route on a
// map and the re-plan action (both load their code on first use).

import { h } from './dom.js';
import { t, fmtTime } from '../lib/i18n.js';
import { navigationUrl } from '../lib/geo.js';
import { dueBadge, dueState, statusBadge } from './badge.js';

const MAP_OPEN = 'rounds-today-map';

/** Run fn(el) once `el` is in the document (screens are built before they are attached). */
export function whenAttached(el, fn) {
  const tick = (n) => (el.isConnected ? fn(el) : n > 0 && requestAnimationFrame(() => tick(n - 1)));
  requestAnimationFrame(() => tick(120));
}

function routeTools(ctx, route, stops) {
  const open = sessionStorage.getItem(MAP_OPEN) === '1';
  const box = h('div', { class: 'map', id: 'today-map', hidden: !open });
  const draw = () => whenAttached(box, async () => {
    const [{ drawRouteMap }, { currentPosition }] = await Promise.all([import('./route-map.js'), import('../lib/replan.js')]);
    const pos = await currentPosition(3000);
    await drawRouteMap(ctx, box, [{ colour: '#0b3d91', stops: stops.map((s, i) => ({ lat: s.lat ?? s.c.lat, lng: s.lng ?? s.c.lng, label: i + 1, title: s.c.name })) }], pos);
  });
  const toggle = h('button', {
    class: 'btn', id: 'map-toggle', 'aria-pressed': String(open),
    onclick: () => { const now = box.hidden; sessionStorage.setItem(MAP_OPEN, now ? '1' : '0'); ctx.rerender(); },
  }, open ? t('list') : t('map'));
  const msg = h('p', { class: 'muted', id: 'replan-result', role: 'status' });
  const replanBtn = h('button', {
    class: 'btn', id: 'replan',
    onclick: async () => {
      replanBtn.disabled = true;
      msg.textContent = t('replanning');
      try {
        const { replan } = await import('../lib/replan.js');
        const { mode } = await replan(ctx, route);
        ctx.notify(t(mode === 'server' ? 'replanned' : 'reordered_offline'));
        ctx.rerender();
      } catch (e) {
        msg.textContent = String(e.message || e);
        replanBtn.disabled = false;
      }
    },
  }, t('replan'));
  if (open) draw();
  return [h('div', { class: 'row' }, toggle, replanBtn, statusBadge(route)), msg, box];
}

export const localDay = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function sameDay(v, day) { return v && localDay(new Date(v)) === day; }

export async function todayScreen(ctx) {
  const day = localDay();
  const me = ctx.me();
  const [allRoutes, visits] = await Promise.all([ctx.store.all('routes'), ctx.store.all('visits'), ctx.customers()]);
  const routes = allRoutes.filter((r) => r.day === day && (!r.rep_id || r.rep_id === me.id));
  const visitedToday = new Set(visits.filter((v) => v.status === 'done' && sameDay(v.check_in_at || v.captured_at, day)).map((v) => v.customer_id));
  const byId = await ctx.customerMap();
  const stops = routes.flatMap((r) => r.stops || []).map((s) => ({ ...s, c: byId.get(s.customer_id) })).filter((s) => s.c);

  const card = (s) => h('div', { class: 'card next', 'data-next': s.c.id },
    h('div', { class: 'muted' }, t('next_visit'), s.planned_arrival ? ` · ${fmtTime(s.planned_arrival)}` : ''),
    h('h2', {}, s.c.name), h('div', {}, [s.c.street, s.c.city].filter(Boolean).join(', ')),
    h('div', { class: 'row' },
      h('a', { class: 'btn primary', href: `#/visit/${s.c.id}` }, t('check_in')),
      s.c.lat != null ? h('a', { class: 'btn', href: navigationUrl(s.c), target: '_blank', rel: 'noopener', 'data-nav': '' }, t('navigate')) : null));

  const item = (c, time, done) => h('a', { class: `item${done ? ' done' : ''}`, href: `#/customer/${c.id}`, 'data-stop-id': c.id },
    time ? h('span', { class: 'time' }, fmtTime(time)) : null,
    h('span', { class: 'grow' }, h('strong', {}, c.name), h('small', {}, c.city || '')),
    done ? h('span', { class: 'badge badge-synced' }, t('done')) : dueBadge(c), statusBadge(c));

  if (stops.length) {
    const next = stops.find((s) => !visitedToday.has(s.c.id));
    const route = routes[0];
    return h('section', { class: 'screen' }, h('h1', {}, t('today')), next ? card(next) : null,
      routeTools(ctx, route, stops),
      h('div', { class: 'list', id: 'stops' }, stops.map((s) => item(s.c, s.planned_arrival, visitedToday.has(s.c.id)))));
  }
  const due = [...byId.values()].filter((c) => dueState(c)).sort((a, b) => String(a.last_visit_at || '').localeCompare(String(b.last_visit_at || ''))).slice(0, 30);
  return h('section', { class: 'screen' }, h('h1', {}, t('today')),
    due.length ? card({ c: due[0] }) : null,
    h('p', { class: 'muted' }, t('no_route')),
    h('div', { class: 'list' }, due.map((c) => item(c, null, visitedToday.has(c.id)))));
}
