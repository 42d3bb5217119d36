// Opening hours on the customer card: the whole week, a day without hours reads "closed".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hours } from '../ui/customer.js';
import { setLocale } from '../lib/i18n.js';

test('every day of the week is shown, closed ones as closed, in the reader\'s language', () => {
  setLocale('en');
  const week = { mon: [['08:00', '15:00']], fri: [['08:00', '12:00'], ['13:00', '17:00']], sat: [] };
  assert.equal(hours(week), 'Mon 08:00–15:00; Tue closed; Wed closed; Thu closed; Fri 08:00–12:00, 13:00–17:00; Sat closed; Sun closed');
  setLocale('et');
  assert.match(hours(week), /; L suletud; P suletud$/);
  setLocale('en');
});

test('no hours at all, or hours typed as text, are shown as they are', () => {
  assert.equal(hours(null), '');
  assert.equal(hours({}), '');
  assert.equal(hours('Mon–Fri 9–17'), 'Mon–Fri 9–17');
});
