// The rep's record screens' texts: every key in all four languages, refusals in the user's
// language, weekday names from Intl in the user's locale.

import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.self = globalThis;
const { REP_TEXTS, rejectionText, weekdays } = await import('../lib/i18n-rep.js');
const { setLocale } = await import('../lib/i18n.js');

test('every rep text has en, ru, uk and et, with the same placeholders', () => {
  for (const [key, row] of Object.entries(REP_TEXTS)) {
    assert.equal(row.length, 4, key);
    const marks = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    for (const text of row) {
      assert.ok(text && text.trim(), key);
      assert.equal(marks(text), marks(row[0]), key);
    }
    assert.notEqual(row[1], row[0], `${key} is not translated to Russian`);
  }
});

test('an order confirmed before the change arrived is explained in the user language', () => {
  const error = { code: 'conflict', detail: 'This order is confirmed already', errors: [{ field: 'status', code: 'order_locked' }] };
  setLocale('et');
  assert.match(rejectionText(error), /^Kontor kinnitas tellimuse/);
  setLocale('uk');
  assert.match(rejectionText(error), /^Офіс підтвердив/);
  // Unknown refusals keep the server's words rather than saying nothing.
  assert.equal(rejectionText({ code: 'weird', detail: 'Something odd' }), 'Something odd');
  setLocale('en');
});

test('weekday names come from Intl, Monday first, in the user language', () => {
  setLocale('ru');
  assert.deepEqual(weekdays().map(([k]) => k), ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  assert.equal(weekdays()[0][1], 'понедельник');
  setLocale('et');
  assert.equal(weekdays()[6][1], 'pühapäev');
  setLocale('en');
  assert.equal(weekdays()[0][1], 'Monday');
});
