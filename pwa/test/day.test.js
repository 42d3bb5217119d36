// The rep's day, pure pieces: `node --test pwa/test/`. KPIs from the replica, counted phrases
// in every language, re-plan reasons in words, inbox targets.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DAY_TEXTS, tn, reasonText } from '../lib/i18n-day.js';
import { setLocale } from '../lib/i18n.js';
import { dayKpis, bookedOn } from '../ui/today.js';
import { targetOf, unreadCount } from '../ui/inbox.js';

globalThis.self ??= globalThis; // i18n.js looks for self.document

test('every day text is in English, Russian, Ukrainian and Estonian', () => {
  for (const [k, row] of Object.entries(DAY_TEXTS)) {
    assert.equal(row.length, 4, k);
    for (const text of row) assert.ok(text && text.trim(), k);
  }
});

test('counted phrases follow each language’s plural rules', () => {
  setLocale('ru');
  assert.equal(tn('stops_n', 1), '1 остановка');
  assert.equal(tn('stops_n', 3), '3 остановки');
  assert.equal(tn('stops_n', 5), '5 остановок');
  setLocale('uk');
  assert.equal(tn('stops_n', 21), '21 зупинка');
  setLocale('en');
  assert.equal(tn('stops_n', 1), '1 stop');
  assert.equal(tn('stops_n', 7), '7 stops');
});

test('a re-plan reason reads as words, an unknown one as a plain fallback', () => {
  setLocale('et');
  assert.equal(reasonText('after_work_end', { time: '17:00' }), 'Lõpeks pärast tööpäeva lõppu (17:00)');
  setLocale('en');
  assert.equal(reasonText('window_unreachable'), 'Cannot be reached while open and before your work day ends');
  assert.equal(reasonText('something_new'), 'Could not be planned');
});

test('the day’s KPIs count only the rep’s own visits and orders, exactly', () => {
  const day = '2026-12-03';
  const at = '2026-12-03T10:00:00';
  const k = dayKpis({
    day,
    me: { id: 'me' },
    routes: [{ stops: [{ customer_id: 'a' }, { customer_id: 'b' }], stats: { left_out: [{ customer_id: 'c' }] } }],
    visits: [
      { customer_id: 'a', status: 'done', check_in_at: at, rep_id: 'me' },
      { customer_id: 'x', status: 'done', check_in_at: at, rep_id: 'me' }, // off the route
      { customer_id: 'b', status: 'done', check_in_at: at, rep_id: 'colleague' },
      { customer_id: 'c', status: 'done', check_in_at: '2026-12-02T10:00:00', rep_id: 'me' },
    ],
    orders: [
      { status: 'submitted', captured_at: at, author_id: 'me', total: '0.10', currency: 'EUR' },
      { status: 'draft', created_at: at, total: '0.20' }, // made on this phone, not sent yet
      { status: 'cancelled', captured_at: at, author_id: 'me', total: '5.00' },
      { status: 'submitted', captured_at: at, author_id: 'colleague', total: '9.00' },
    ],
  });
  assert.deepEqual(k, { done: 2, planned: 4, orders: 2, value: '0.30', currency: 'EUR' });
});

test('an inbox entry opens its own screen', () => {
  assert.equal(targetOf({ url: '/#/visit/c1/v1' }), '#/visit/c1/v1');
  assert.equal(targetOf({ url: '', customer_id: 'c2' }), '#/customer/c2');
  assert.equal(targetOf({ url: '', customer_id: 'c3', data: { order_id: 'o3' } }), '#/order/c3/o3');
  assert.equal(targetOf({ url: '', kind: 'route_changed', data: {} }), '#/today');
  assert.equal(targetOf({ url: 'https://elsewhere.example/x' }), null);
  assert.equal(unreadCount([{ read_at: null }, { read_at: 'x' }, {}]), 2);
});

test('visits booked for the day count as planned and are listed in time order', () => {
  const day = '2026-12-03';
  const visits = [
    { customer_id: 'p2', status: 'planned', planned_start: '2026-12-03T13:15:00', rep_id: 'me' },
    { customer_id: 'p1', status: 'planned', planned_start: '2026-12-03T09:30:00', rep_id: 'me' },
    { customer_id: 'p3', status: 'planned', planned_start: '2026-12-04T09:30:00', rep_id: 'me' }, // tomorrow
    { customer_id: 'p4', status: 'planned', planned_start: '2026-12-03T10:00:00', rep_id: 'colleague' },
  ];
  assert.deepEqual(bookedOn(visits, day, { id: 'me' }).map((v) => v.customer_id), ['p1', 'p2']);
  const k = dayKpis({ day, me: { id: 'me' }, routes: [{ stops: [{ customer_id: 'p1' }] }], visits, orders: [] });
  assert.equal(k.planned, 2); // p1 on the route and booked, p2 booked only
});
