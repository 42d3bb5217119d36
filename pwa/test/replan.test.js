// The phone's re-plan rules: `node --test pwa/test/`. Late in the day with one stop done,
// nothing is hidden, the done stop keeps its place and times, nothing ends after work.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { reorderLocally, localSeconds } from '../lib/replan.js';

const day = new Date(2026, 11, 3, 16, 20);
const iso = (hh, mm) => new Date(2026, 11, 3, hh, mm).toISOString();
const stops = Array.from({ length: 8 }, (_, i) => ({
  customer_id: `c${i}`, name: `Shop ${i}`, lat: 59.43 + i * 0.004, lng: 24.74 + (i % 3) * 0.01,
  planned_arrival: iso(9 + i, 0), planned_start: iso(9 + i, 0), planned_departure: iso(9 + i, 30),
  travel_s: 300, distance_m: 3000, visit_id: null, status: 'planned',
}));
const route = { id: 'r1', day: '2026-12-03', version: 1, stops, stats: { start: { lat: 59.43, lng: 24.74 }, work_end: '17:00' } };
const noHours = new Map();

test('late in the day: every stop is placed or listed with a reason, the done one stays put', () => {
  const out = reorderLocally(route, noHours, { lat: 59.44, lng: 24.75 }, day, new Map([['c2', 'done']]));
  const placed = out.stops.map((s) => s.customer_id);
  const left = out.left_out.map((u) => u.customer_id);
  assert.deepEqual([...placed, ...left].sort(), stops.map((s) => s.customer_id).sort());
  assert.equal(new Set([...placed, ...left]).size, 8);
  assert.equal(out.stops[0].customer_id, 'c2');
  assert.equal(out.stops[0].status, 'done');
  assert.equal(out.stops[0].planned_start, stops[2].planned_start); // never re-scheduled
  assert.ok(left.length >= 5, `${left.length} left out`);
  assert.ok(out.left_out.every((u) => u.reason === 'after_work_end' && u.name.startsWith('Shop')));
  const end = localSeconds('17:00', day) * 1000;
  for (const s of out.stops.slice(1)) assert.ok(new Date(s.planned_departure).getTime() <= end, s.planned_departure);
  assert.deepEqual([...out.customer_ids].sort(), stops.map((s) => s.customer_id).sort()); // the server hears of all
});

test('a second offline re-order keeps what the first could not fit', () => {
  const first = reorderLocally(route, noHours, null, day, new Map([['c2', 'done']]));
  const again = reorderLocally({ ...route, stops: first.stops, stats: { ...route.stats, left_out: first.left_out }, _server_open: first.server_open },
    noHours, null, new Date(2026, 11, 3, 16, 40), new Map([['c2', 'done']]));
  const all = [...again.stops.map((s) => s.customer_id), ...again.left_out.map((u) => u.customer_id)];
  assert.equal(new Set(all).size, 8);
  assert.deepEqual([...again.customer_ids].sort(), stops.map((s) => s.customer_id).sort());
});

test('a checked-in stop stays next and the rest starts after its visit', () => {
  const morning = new Date(2026, 11, 3, 9, 10);
  const out = reorderLocally(route, noHours, null, morning, new Map([['c0', 'done'], ['c1', 'checked_in']]));
  assert.deepEqual(out.stops.slice(0, 2).map((s) => [s.customer_id, s.status]), [['c0', 'done'], ['c1', 'checked_in']]);
  const after = morning.getTime() + 30 * 60000;
  for (const s of out.stops.slice(2)) assert.ok(new Date(s.planned_arrival).getTime() >= after);
  assert.equal(out.left_out.length, 0);
});

test('a shop closed today is listed as missed, not planned', () => {
  const hours = new Map([['c5', { opening_hours: { thu: [['08:00', '10:00']] } }]]);
  const out = reorderLocally(route, hours, null, new Date(2026, 11, 3, 11, 0));
  assert.deepEqual(out.left_out.filter((u) => u.reason === 'window_missed').map((u) => u.customer_id), ['c5']);
});
