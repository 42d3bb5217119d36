// Re-planning the rest of today's route on the road: the server's solver when online
// (POST /api/routes/{id}/replan), else the local heuristic (lib/reorder.js) over a great-circle
// matrix, saved as a pending `routes` mutation that the next sync pushes; the server's next
// plan replaces it.

import { NetworkError } from './api.js';
import { durationMatrix, reorder } from './reorder.js';

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

/** Re-order the open stops locally; returns {customer_ids, stops} with new planned times. */
export function reorderLocally(route, customers, position, at = new Date()) {
  const closed = (route.stops || []).filter((s) => s.status && s.status !== 'planned');
  const open = (route.stops || []).filter((s) => !s.status || s.status === 'planned');
  const lastDone = [...closed].reverse().find((s) => s.status === 'done');
  const here = position || (lastDone ? { lat: lastDone.lat, lng: lastDone.lng } : route.stats?.start) || open[0];
  const end = route.stats?.end || null;
  const points = [[here.lat, here.lng], ...open.map((s) => [s.lat, s.lng])];
  if (end) points.push([end.lat, end.lng]);
  const durations = durationMatrix(points);
  const now = Math.round(at.getTime() / 1000);
  const visits = open.map((s, i) => {
    const serviceS = Math.max(0, secs(s.planned_departure) - secs(s.planned_start));
    return { key: s.customer_id, index: i + 1, service_s: serviceS, windows: windowsToday(customers.get(s.customer_id)?.opening_hours, serviceS, at) };
  });
  const timed = reorder(visits, durations, 0, now, end ? points.length - 1 : null, null);
  const byId = new Map(open.map((s) => [s.customer_id, s]));
  let prev = 0;
  const stops = timed.map((x) => {
    const s = byId.get(x.key);
    const idx = visits.find((v) => v.key === x.key).index;
    const travel = durations[prev][idx];
    prev = idx;
    return {
      ...s, travel_s: travel,
      planned_arrival: new Date(x.arrival * 1000).toISOString(),
      planned_start: new Date(x.start * 1000).toISOString(),
      planned_departure: new Date(x.departure * 1000).toISOString(),
    };
  });
  return { customer_ids: stops.map((s) => s.customer_id), stops: [...closed, ...stops] };
}

/** Customers checked out today: done on the route for the server's re-plan. */
async function doneToday(ctx, route) {
  const visits = await ctx.store.all('visits');
  const ids = new Set((route.stops || []).map((s) => s.customer_id));
  return [...new Set(visits.filter((v) => v.status === 'done' && ids.has(v.customer_id)
    && String(v.check_out_at || v.captured_at || '').slice(0, 10) === route.day).map((v) => v.customer_id))];
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
      const fresh = await ctx.api.request('POST', `/api/routes/${route.id}/replan`, {
        body: { position: { lat: pos.lat, lng: pos.lng }, at: at.toISOString(), done: await doneToday(ctx, route) },
      });
      await ctx.store.put('routes', { ...fresh, _status: 'synced', _error: null });
      return { mode: 'server', route: fresh };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }
  const customers = await ctx.customerMap();
  const { customer_ids, stops } = reorderLocally(route, customers, pos, at);
  await ctx.outbox.add({
    collection: 'routes', op: 'update', id: route.id,
    fields: { customer_ids }, local: { stops, source: 'reordered' },
  });
  ctx.changed();
  return { mode: 'device', route: await ctx.store.get('routes', route.id) };
}
