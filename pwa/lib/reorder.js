// Offline re-ordering of the rest of today's stops: a line-by-line port of geo/reorder.py
// (nearest neighbour, then 2-opt and or-opt, feasibility first) over a great-circle matrix
// with the constants of geo/matrix.py GreatCircleMatrix. Integer seconds throughout, so the
// device and the server pick the same order for the same matrix.

export const EARTH_RADIUS_M = 6371008.8;
export const DETOUR_FACTOR = 1.3;
export const SPEED_KMH = 40.0;

/** numpy.rint: round half to even, as the server rounds the matrix. */
export function rint(x) {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const rad = (d) => (d * Math.PI) / 180;

/** Great-circle distance in metres between two [lat, lng] points. */
export function haversineM([lat1, lng1], [lat2, lng2]) {
  const a = rad(lat1); const b = rad(lat2);
  const h = Math.sin((b - a) / 2) ** 2 + Math.cos(a) * Math.cos(b) * Math.sin((rad(lng2) - rad(lng1)) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, Math.max(0, h))));
}

/** Travel seconds between every pair of points (row = from), as GreatCircleMatrix.table. */
export function durationMatrix(points, detour = DETOUR_FACTOR, speedKmh = SPEED_KMH) {
  const speed = speedKmh / 3.6;
  return points.map((p) => points.map((q) => rint((haversineM(p, q) * detour) / speed)));
}

/** Earliest service start at or after `arrival` inside a window, and whether it is late. */
export function serviceStart(visit, arrival) {
  const windows = visit.windows || [];
  if (!windows.length) return [arrival, false];
  const sorted = [...windows].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  for (const [lo, hi] of sorted) if (arrival <= hi) return [Math.max(arrival, lo), false];
  return [arrival, true];
}

/** Times of visits made in `order`: {timed, late, travel}. */
export function schedule(order, durations, position, now, end = null, endBy = null) {
  const timed = [];
  let here = position; let clock = now; let travel = 0; let late = 0;
  for (const v of order) {
    const leg = durations[here][v.index];
    travel += leg;
    const arrival = clock + leg;
    const [start, isLate] = serviceStart(v, arrival);
    late += isLate ? 1 : 0;
    clock = start + (v.service_s || 0);
    timed.push({ key: v.key, arrival, start, departure: clock, late: isLate });
    here = v.index;
  }
  if (end != null) {
    travel += durations[here][end];
    if (endBy != null && clock + durations[here][end] > endBy) late += 1;
  }
  return { timed, late, travel };
}

/** Lexicographic comparison of equal-length number tuples (Python's tuple <). */
const less = (a, b) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

/** Greedy first order: always the stop where work can start soonest. */
export function nearestNeighbour(visits, durations, position, now) {
  const rest = [...visits];
  const order = [];
  let here = position; let clock = now;
  while (rest.length) {
    let best = null; let bestKey = null;
    for (const v of rest) {
      const [start, late] = serviceStart(v, clock + durations[here][v.index]);
      const key = [late ? 1 : 0, start, durations[here][v.index]];
      if (bestKey === null || less(key, bestKey)) { best = v; bestKey = key; }
    }
    rest.splice(rest.indexOf(best), 1);
    order.push(best);
    const [start] = serviceStart(best, clock + durations[here][best.index]);
    clock = start + (best.service_s || 0);
    here = best.index;
  }
  return order;
}

/**
 * Re-order the remaining visits from matrix index `position` at `now` (seconds).
 * visits: [{key, index, service_s, windows: [[lo, hi], ...]}]; returns the timed visits.
 */
export function reorder(visits, durations, position, now, end = null, endBy = null, maxRounds = 50) {
  let order = nearestNeighbour(visits, durations, position, now);
  const score = (o) => { const s = schedule(o, durations, position, now, end, endBy); return [s.late, s.travel]; };
  let best = score(order);
  const n = order.length;
  for (let round = 0; round < maxRounds; round++) {
    let improved = false;
    for (let i = 0; i < n - 1; i++) { // 2-opt: reverse order[i..j]
      for (let j = i + 1; j < n; j++) {
        const cand = [...order.slice(0, i), ...order.slice(i, j + 1).reverse(), ...order.slice(j + 1)];
        const s = score(cand);
        if (less(s, best)) { order = cand; best = s; improved = true; }
      }
    }
    for (const length of [1, 2, 3]) { // or-opt: move a run of `length` stops to position k
      for (let i = 0; i < n - length + 1; i++) {
        const run = order.slice(i, i + length);
        const rest = [...order.slice(0, i), ...order.slice(i + length)];
        for (let k = 0; k < rest.length + 1; k++) {
          if (k === i) continue;
          const cand = [...rest.slice(0, k), ...run, ...rest.slice(k)];
          const s = score(cand);
          if (less(s, best)) { order = cand; best = s; improved = true; break; }
        }
      }
    }
    if (!improved) break;
  }
  return schedule(order, durations, position, now, end, endBy).timed;
}
