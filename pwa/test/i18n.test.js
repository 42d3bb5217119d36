// Plural forms, weekday names and completeness of the four languages: `node --test pwa/test/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { setLocale, t, tn, weekdayName, PLURAL_TABLE, TABLE } from '../lib/i18n.js';

const say = (l, key, n) => { setLocale(l); return tn(key, n); };

test('counts take the plural form of each language', () => {
  assert.equal(say('en', 'stops', 1), '1 stop');
  assert.equal(say('en', 'stops', 5), '5 stops');
  assert.deepEqual([1, 3, 5, 21, 22, 25, 11].map((n) => say('ru', 'stops', n)),
    ['1 точка', '3 точки', '5 точек', '21 точка', '22 точки', '25 точек', '11 точек']);
  assert.deepEqual([1, 2, 5, 12].map((n) => say('uk', 'stops', n)), ['1 зупинка', '2 зупинки', '5 зупинок', '12 зупинок']);
  assert.deepEqual([1, 4].map((n) => say('et', 'stops', n)), ['1 peatus', '4 peatust']);
  assert.equal(say('en', 'refused_waiting', 1).startsWith('1 change was refused'), true);
  assert.equal(say('ru', 'every_days', 7), 'каждые 7 дней');
});

test('t() with a numeric n uses plural forms, so screens that pass {n} are fixed without edits', () => {
  setLocale('en');
  assert.equal(t('stops', { n: 1 }), '1 stop');
  setLocale('uk');
  assert.equal(t('unsent_other_user', { email: 'a@b', n: 5 }).includes('5 невідправлених змін'), true);
});

test('every plural key gives "other" and the categories Intl asks for, in all four languages', () => {
  for (const [key, byLocale] of Object.entries(PLURAL_TABLE)) {
    for (const l of ['en', 'ru', 'uk', 'et']) {
      const forms = byLocale[l];
      assert.ok(forms?.other, `${key}.${l}.other`);
      for (const cat of new Intl.PluralRules(l).resolvedOptions().pluralCategories) {
        assert.ok(forms[cat], `${key}.${l}.${cat}`);
      }
    }
  }
});

test('raw sync words and "cancelled" are translated; Estonian quotes and offers differ', () => {
  for (const key of ['cancelled', 'coll_routes', 'op_create', 'op_update', 'skip_to_content', 'zoom_in']) {
    assert.equal(TABLE[key].length, 4, key);
    assert.ok(TABLE[key].every(Boolean), key);
  }
  setLocale('et');
  assert.notEqual(t('quotes'), t('offers'));
  setLocale('ru');
  assert.equal(t('cancelled'), 'Отменён');
});

test('weekday names come from Intl in the user language', () => {
  setLocale('en'); assert.equal(weekdayName('mon', 'long'), 'Monday');
  setLocale('ru'); assert.equal(weekdayName('tue', 'long'), 'вторник');
  setLocale('uk'); assert.equal(weekdayName('sun', 'long'), 'неділя');
  setLocale('et'); assert.equal(weekdayName('fri', 'long'), 'reede');
});
