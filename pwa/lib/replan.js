// Re-planning the rest of today's route on the road: the server's solver when online
// (POST /api/routes/{id}/replan), else the local heuristic (lib/reorder.js) over a great-circle
// matrix, saved as a pending `routes` mutation that the next sync pushes; the server's next
// plan replaces it. Either way nothing is hidden: done and checked-in stops stay where they
// were, and what cannot fit is kept in `stats.left_out` with its reason (shown on Today).

import { NetworkError } from './api.js';
import { durationMatrix, reorder, schedule } from './reorder.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const secs = (iso) => Math.round(new Date(iso).getTime() / 1000);

/** The phone's position, or null after `timeoutMs` or a refusal. */
export function currentPosition(timeoutMs = 8000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve(null); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null), { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 });
  });
}

/** Service-start windows today (epoch seconds) from {mon: [["08:00","12:00"]], closed: [...]}. */
export function windowsToday(hours, serviceS, at = new Date()) {
  if (!hours || typeof hours !== 'object' || !Object.keys(hours).length) return [];
  const iso = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  if ((hours.closed || []).includes(iso)) return [[0, -1]]; // never: it is appended, late
  const spans = hours[DAYS[at.getDay()]] || [];
  if (!spans.length) return [[0, -1]];
  const base = new Date(at.getFullYear(), at.getMonth(), at.getDate()).getTime() / 1000;
  const mins = (s) => { const [hh, mm] = s.split(':').map(Number); return hh * 60 + mm; };
  return spans.map(([a, b]) => {
    const lo = mins(a);
    let hi = mins(b);
    if (hi <= lo) hi += 1440;
    return [Math.round(base + lo * 60), Math.round(base + hi * 60 - serviceS)];
  });
}

/** Epoch seconds of `hhmm` on the local day of `at`. */
export function localSeconds(hhmm, at = new Date()) {
  const [hh, mm] = String(hhmm || '17:00').split(':').map(Number);
  return Math.round(new Date(at.getFullYear(), at.getMonth(), at.getDate(), hh, mm).getTime() / 1000);
}

export const FIXED = ['done', 'checked_in'];

/**
 * Re-order the open stops locally. Done and checked-in stops (on the route or in `fixed`, a
 * Map customer_id -> 'done' | 'checked_in' from today's visits) keep their place and times;
 * what misses its window or would end after the work end (route.stats.work_end, else 17:00)
 * is listed in `left_out` with its reason, never dropped.
 * Returns {customer_ids, stops, left_out}.
 */
export function reorderLocally(route, customers, position, at = new Date(), fixed = new Map()) {
  const all = route.stops || [];
  const statusOf = (s) => fixed.get(s.customer_id) || s.status || 'planned';
  const closedAll = all.map((s) => ({ ...s, status: statusOf(s) })).filter((s) => s.status !== 'planned');
  const closed = [...closedAll.filter((s) => s.status !== 'checked_in'), ...closedAll.filter((s) => s.status === 'checked_in')];
  const closedIds = new Set(closed.map((s) => s.customer_id));
  const earlier = (route.stats?.left_out || []).filter((u) => !closedIds.has(u.customer_id));
  const serverLeft = new Set(earlier.filter((u) => u.origin !== 'device').map((u) => u.customer_id));
  const open = [...all.filter((s) => !closedIds.has(s.customer_id)),
    ...earlier.filter((u) => !all.some((s) => s.customer_id === u.customer_id)).map((u) => ({ ...u, status: 'planned' }))]
    .filter((s) => s.lat != null && s.lng != null);
  const running = closed.find((s) => s.status === 'checked_in');
  const lastDone = [...closed].reverse().find((s) => s.status === 'done');
  const here = running || position || (lastDone ? { lat: lastDone.lat, lng: lastDone.lng } : route.stats?.start) || open[0];
  const end = route.stats?.end || null;
  const points = [[here.lat, here.lng], ...open.map((s) => [s.lat, s.lng])];
  if (end) points.push([end.lat, end.lng]);
  const durations = durationMatrix(points);
  const lengthOf = (s) => (s.service_s != null ? s.service_s
    : Math.max(0, secs(s.planned_departure) - secs(s.planned_start)) || 0);
  let now = Math.round(at.getTime() / 1000);
  if (running) now += lengthOf(running);
  const workEnd = localSeconds(route.stats?.work_end, at);
  const visits = open.map((s, i) => {
    const serviceS = lengthOf(s);
    return { key: s.customer_id, index: i + 1, service_s: serviceS, windows: windowsToday(customers.get(s.customer_id)?.opening_hours, serviceS, at) };
  });
  const byKey = new Map(visits.map((v) => [v.key, v]));
  const byId = new Map(open.map((s) => [s.customer_id, s]));
  const timed = reorder(visits, durations, 0, now, end ? points.length - 1 : null, workEnd);
  const leftOut = [];
  const leave = (key, reason) => {
    const s = byId.get(key);
    leftOut.push({
      customer_id: key, name: s.name || customers.get(key)?.name || '', reason, lat: s.lat, lng: s.lng,
      visit_id: s.visit_id || null, service_s: byKey.get(key).service_s, origin: serverLeft.has(key) ? 'server' : 'device',
    });
  };
  for (const x of timed) if (x.late) leave(x.key, 'window_missed');
  let order = timed.filter((x) => !x.late).map((x) => byKey.get(x.key));
  let kept = schedule(order, durations, 0, now).timed;
  const cut = kept.findIndex((x) => x.departure > workEnd);
  if (cut >= 0) {
    for (const x of kept.slice(cut)) leave(x.key, 'after_work_end');
    order = order.slice(0, cut);
    kept = kept.slice(0, cut);
  }
  let prev = 0;
  const stops = kept.map((x) => {
    const { origin: _o, reason: _r, service_s: _s, detail: _d, ...s } = byId.get(x.key);
    const idx = byKey.get(x.key).index;
    const travel = durations[prev][idx];
    prev = idx;
    return {
      ...s, status: 'planned', travel_s: travel,
      planned_arrival: new Date(x.arrival * 1000).toISOString(),
      planned_start: new Date(x.start * 1000).toISOString(),
      planned_departure: new Date(x.departure * 1000).toISOString(),
    };
  });
  // The server must hear of every stop it still has open, in the new order (left out last).
  const rank = new Map([...closed.map((s) => s.customer_id), ...stops.map((s) => s.customer_id),
    ...leftOut.map((u) => u.customer_id)].map((id, i) => [id, i]));
  const serverOpen = route._server_open || all.filter((s) => !s.status || s.status === 'planned').map((s) => s.customer_id);
  const customer_ids = [...serverOpen].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9));
  return { customer_ids, stops: [...closed, ...stops], left_out: leftOut, server_open: serverOpen };
}

const dayOf = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Today's visits at the route's customers: customer_id -> 'done' | 'checked_in'. */
export async function visitStates(ctx, route) {
  const visits = await ctx.store.all('visits');
  const ids = new Set([...(route.stops || []), ...(route.stats?.left_out || [])].map((s) => s.customer_id));
  const out = new Map();
  for (const v of visits) {
    if (!ids.has(v.customer_id) || !FIXED.includes(v.status)) continue;
    const when = v.status === 'done' ? (v.check_out_at || v.check_in_at || v.captured_at) : (v.check_in_at || v.captured_at);
    if (!when || dayOf(new Date(when)) !== route.day) continue;
    if (out.get(v.customer_id) !== 'done') out.set(v.customer_id, v.status);
  }
  return out;
}

/**
 * Re-plan the rest of `route`: the server when reachable, else on the phone.
 * Returns {mode: 'server' | 'device', route}.
 */
export async function replan(ctx, route, { position = undefined, at = new Date(), offline = !navigator.onLine } = {}) {
  const pos = position === undefined ? await currentPosition() : position;
  const pendingOrder = (await ctx.outbox.pending()).some((e) => e.collection === 'routes' && e.id === route.id);
  if (!offline && pos && !pendingOrder) {
    try {
      const states = await visitStates(ctx, route);
      const pick = (st) => [...states].filter(([, v]) => v === st).map(([k]) => k);
      const fresh = await ctx.api.request('POST', `/api/routes/${route.id}/replan`, {
        body: { position: { lat: pos.lat, lng: pos.lng }, at: at.toISOString(), done: pick('done'), checked_in: pick('checked_in') },
      });
      await ctx.store.put('routes', { ...fresh, _status: 'synced', _error: null });
      return { mode: 'server', route: fresh };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }
  const customers = await ctx.customerMap();
  const { customer_ids, stops, left_out, server_open } = reorderLocally(route, customers, pos, at, await visitStates(ctx, route));
  await ctx.outbox.add({
    collection: 'routes', op: 'update', id: route.id,
    fields: {
      customer_ids,
      left_out: left_out.filter((u) => customer_ids.includes(u.customer_id)).map((u) => ({ customer_id: u.customer_id, reason: u.reason })),
      done: stops.filter((s) => s.status === 'done' && customer_ids.includes(s.customer_id)).map((s) => s.customer_id),
    },
    local: { stops, source: 'reordered', stats: { ...(route.stats || {}), left_out }, _server_open: server_open },
  });
  ctx.changed();
  return { mode: 'device', route: await ctx.store.get('routes', route.id) };
}
