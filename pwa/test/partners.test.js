// Fast tests of the partner apps' pure pieces: `node --test pwa/test/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { sumMoney, isToday } from '../ui/partner-home.js';
import { above } from '../ui/order.js';
import { adviceKey } from '../ui/sync-screen.js';
import { pushBlocker } from '../ui/push-permission.js';
import { PARTNER_TEXTS } from '../lib/i18n-partners.js';
import { TABLE } from '../lib/i18n.js';

test('the day’s value is summed exactly, never through floats', () => {
  assert.equal(sumMoney(['0.10', '0.20', '0.30']), '0.60');
  assert.equal(sumMoney(['1234.56', '0.01', null]), '1234.57');
  assert.equal(sumMoney([]), '0.00');
});

test('today is the device’s calendar day', () => {
  const noon = new Date(2026, 11, 3, 12, 0);
  assert.equal(isToday(new Date(2026, 11, 3, 0, 5).toISOString(), noon), true);
  assert.equal(isToday(new Date(2026, 11, 2, 23, 59).toISOString(), noon), false);
  assert.equal(isToday('not a date', noon), false);
});

test('a discount above the list’s limit is found exactly', () => {
  assert.equal(above('10.01', '10'), true);
  assert.equal(above('10', '10.00'), false);
  assert.equal(above('9.99', '10'), false);
});

test('every refusal says what to do', () => {
  assert.equal(adviceKey('validation-failed'), 'advice_validation');
  assert.equal(adviceKey('permission-denied'), 'advice_permission');
  assert.equal(adviceKey('not-found'), 'advice_not_found');
  assert.equal(adviceKey('conflict'), 'advice_conflict');
  assert.equal(adviceKey('something-new'), 'advice_other');
  assert.equal(adviceKey(undefined), 'advice_other');
});

const env = ({ ua = 'Mozilla/5.0 (X11; Linux x86_64)', standalone = false, push = true, permission = 'default' } = {}) => ({
  navigator: { userAgent: ua, platform: 'Linux', maxTouchPoints: 0, standalone },
  matchMedia: () => ({ matches: standalone }),
  ...(push ? { PushManager: class {}, Notification: { permission } } : {}),
});

test('push says plainly why it cannot work', () => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)';
  assert.equal(pushBlocker(env({ ua: iphone })), 'push_ios_home');
  assert.equal(pushBlocker(env({ ua: iphone, standalone: true })), null);
  assert.equal(pushBlocker(env({ push: false })), 'push_no_service');
  assert.equal(pushBlocker(env({ permission: 'denied' })), 'push_denied');
  assert.equal(pushBlocker(env()), null);
});

test('the partner texts exist in all four languages and reach the one table', () => {
  for (const [key, row] of Object.entries(PARTNER_TEXTS)) {
    assert.equal(row.length, 4, key);
    assert.ok(row.every((x) => typeof x === 'string' && x.trim()), key);
    assert.equal(TABLE[key], row, key);
  }
});
