// The planning view on a phone: pick a rep, see their week on the map (one colour per day) with
// each day's stops, and plan on the server (POST /api/routes/plan) with a progress line: the
// rest of this week (days already over are never planned, today only from now on, in the rep's
// time zone) or next week, Monday to Sunday.

import { h, fill } from './dom.js';
import { t, fmtDate, fmtTime, addTexts } from '../lib/i18n.js';
import { localDay, whenAttached } from './today.js';
import { statusBadge } from './badge.js';

const PICK = 'rounds-plan-pick';

addTexts({
  plan_rest_week: ['Plan the rest of this week', 'Спланировать остаток недели', 'Спланувати решту тижня', 'Planeeri selle nädala ülejäänud päevad'],
  plan_next_week: ['Plan next week', 'Спланировать следующую неделю', 'Спланувати наступний тиждень', 'Planeeri järgmine nädal'],
});

function monday(offsetWeeks = 0) {
  const d = new Date();
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + offsetWeeks * 7);
  return d;
}
const weekDays = (start, n = 5) => Array.from({ length: n }, (_, i) => { const d = new Date(start); d.setDate(d.getDate() + i); return localDay(d); });

/** The week's routes of a rep: fresh from the server when online, else from the replica. */
async function weekRoutes(ctx, repId, days) {
  try {
    const rows = await ctx.api.request('GET', '/api/routes', { query: { rep_id: repId, from: days[0], to: days[days.length - 1] } });
    await ctx.store.tx(['routes'], 'readwrite', (tx) => { for (const r of rows) tx.objectStore('routes').put({ ...r, _status: 'synced', _error: null }); });
    return rows;
  } catch {
    return (await ctx.store.all('routes')).filter((r) => r.rep_id === repId && days.includes(r.day));
  }
}

export async function planningScreen(ctx) {
  const pick = JSON.parse(sessionStorage.getItem(PICK) || '{}');
  const reps = (await ctx.store.all('users')).filter((u) => u.role === 'rep' && u.active !== false).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const repId = reps.some((r) => r.id === pick.rep) ? pick.rep : reps[0]?.id;
  const week = pick.week || 0;
  const days = weekDays(monday(week));
  const remember = (p) => { sessionStorage.setItem(PICK, JSON.stringify({ rep: repId, week, ...p })); ctx.rerender(); };
  const { DAY_COLOURS, drawRouteMap } = await import('./route-map.js');
  const routes = repId ? await weekRoutes(ctx, repId, days) : [];
  const byDay = new Map(routes.map((r) => [r.day, r]));
  const customers = await ctx.customerMap();

  // data-rep and data-week name what this render shows, so a caller can tell it from the last one.
  const box = h('div', { class: 'map', id: 'plan-map', 'data-rep': repId || '', 'data-week': String(week) });
  whenAttached(box, () => drawRouteMap(ctx, box, days.map((d, i) => ({
    colour: DAY_COLOURS[i], stops: (byDay.get(d)?.stops || []).map((s, k) => ({ lat: s.lat, lng: s.lng, label: k + 1, title: s.name })),
  }))));

  const status = h('div', { id: 'plan-status', role: 'status' });
  const planOn = (which) => async () => {
    for (const b of buttons) b.disabled = true;
    const started = Date.now();
    const tick = () => fill(status, h('div', { class: 'progress', role: 'progressbar' }, h('span')),
      h('p', { class: 'muted' }, t('planning_now', { s: Math.floor((Date.now() - started) / 1000) })));
    tick();
    const timer = setInterval(tick, 1000);
    try {
      // The server picks the days from the rep's clock: this = today..Sunday, next = Mon..Sun.
      const res = await ctx.api.request('POST', '/api/routes/plan', { body: { rep_id: repId, week: which } });
      await ctx.store.tx(['routes'], 'readwrite', (tx) => { for (const r of res.routes) tx.objectStore('routes').put({ ...r, _status: 'synced', _error: null }); });
      ctx.notify(t('planned_n', { n: res.routes.filter((r) => r.stops.length).length, u: res.unassigned.length }));
      remember({ week: which === 'next' ? 1 : 0 });
    } catch (e) {
      fill(status, h('p', { class: 'error' }, e.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : String(e.message || e)));
      for (const b of buttons) b.disabled = !repId;
    } finally {
      clearInterval(timer);
    }
  };
  const buttons = [
    h('button', { class: 'btn primary big', id: 'plan-week', disabled: !repId, onclick: planOn('this') }, t('plan_rest_week')),
    h('button', { class: 'btn big', id: 'plan-next-week', disabled: !repId, onclick: planOn('next') }, t('plan_next_week')),
  ];

  return h('section', { class: 'screen' },
    h('h1', {}, t('planning')),
    h('label', {}, t('rep'), h('select', { name: 'rep', onchange: (e) => remember({ rep: e.target.value }) },
      reps.map((r) => h('option', { value: r.id, selected: r.id === repId }, r.name)))),
    h('div', { class: 'row' },
      h('button', { class: 'btn', 'aria-label': t('prev_week'), onclick: () => remember({ week: week - 1 }) }, '‹'),
      h('strong', { class: 'grow', id: 'week-label' }, t('week_of', { d: fmtDate(days[0]) })),
      h('button', { class: 'btn', 'aria-label': t('next_week'), onclick: () => remember({ week: week + 1 }) }, '›')),
    box, ...buttons, status,
    routes.length ? null : h('p', { class: 'muted' }, t('no_routes_week')),
    days.map((d, i) => {
      const r = byDay.get(d);
      if (!r || !(r.stops || []).length) return null;
      return h('div', { class: 'day', 'data-day': d },
        h('h2', { class: 'day-head' }, h('span', { class: 'swatch', style: `background:${DAY_COLOURS[i]}` }),
          fmtDate(`${d}T12:00:00`, { weekday: 'long', day: 'numeric', month: 'short' }), ' · ', t('stops', { n: r.stops.length }), ' ', statusBadge(r)),
        h('div', { class: 'list' }, r.stops.map((s, k) => h('a', { class: 'item', href: customers.has(s.customer_id) ? `#/customer/${s.customer_id}` : null, 'data-plan-stop': s.customer_id },
          h('span', { class: 'time' }, `${k + 1}.`), h('span', { class: 'grow' }, h('strong', {}, s.name), h('small', {}, fmtTime(s.planned_arrival)))))));
    }));
}
