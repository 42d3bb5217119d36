// Fast tests of the line editor's pure pieces (ui/line-editor.js), the one editor of orders
// and quotes: `node --test pwa/test/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { addProduct, stepValue, overLimit, toPriceLines, findProducts, pickPriceList } from '../ui/line-editor.js';
import { priceOrder, priceQuote, plus } from '../lib/pricing.js';
import { normalise } from '../lib/search.js';
import { TABLE } from '../lib/i18n.js';

const PRODUCTS = [
  { id: 'a', sku: 'COF-1', name: 'Coffee beans 1 kg', unit: 'kg', tax_rate: '22', category: 'Drinks' },
  { id: 'b', sku: 'SPR-2', name: 'Smoked sprats', tax_rate: '9' },
];
const PRICES = new Map([['a', '12.90'], ['b', '2.35']]);
const BY_ID = new Map(PRODUCTS.map((p) => [p.id, p]));

test('adding a product twice makes one line of two, not two lines', () => {
  const lines = [];
  addProduct(lines, 'a');
  addProduct(lines, 'b');
  addProduct(lines, 'a');
  assert.deepEqual(lines, [
    { product_id: 'a', quantity: '2', discount_pct: '' },
    { product_id: 'b', quantity: '1', discount_pct: '' },
  ]);
  const half = [{ product_id: 'a', quantity: '2.5', discount_pct: '' }];
  assert.equal(addProduct(half, 'a')[0].quantity, '3.5');
  const typo = [{ product_id: 'a', quantity: 'x', discount_pct: '' }];
  assert.equal(addProduct(typo, 'a')[0].quantity, '1');
});

test('steppers move by one, stop at the minimum and at the discount limit', () => {
  assert.equal(stepValue('3', 1, '1'), '4');
  assert.equal(stepValue('3', -1, '1'), '2');
  assert.equal(stepValue('1', -1, '1'), '1'); // the ✕ removes a line, not the − button
  assert.equal(stepValue('1.5', -1, '1'), '1');
  assert.equal(stepValue('0.5', -1, '1'), '0.5');
  assert.equal(stepValue('0', 1, '0', '10'), '1');
  assert.equal(stepValue('9.5', 1, '0', '10'), '10');
  assert.equal(stepValue('10', 1, '0', '10'), '10');
  assert.equal(stepValue('12', 1, '0', '10'), '12'); // typed above: the warning says so
  assert.equal(stepValue('12', -1, '0', '10'), '11');
  assert.equal(stepValue('abc', 1, '1'), 'abc');
  assert.equal(plus('0.10', '-1'), '-0.90');
});

test('a discount above the limit is found exactly, and only with a limit', () => {
  const lines = [
    { product_id: 'a', quantity: '1', discount_pct: '10.01' },
    { product_id: 'b', quantity: '1', discount_pct: '10.00' },
    { product_id: 'c', quantity: '1', discount_pct: 'x' },
  ];
  assert.deepEqual(overLimit(lines, '10'), ['a']);
  assert.deepEqual(overLimit(lines, null), []);
});

test('lines are priced the same way for an order and for a quote with no discount', () => {
  const lines = [
    { product_id: 'a', quantity: '3', discount_pct: '10' },
    { product_id: 'b', quantity: '', discount_pct: '' },
    { product_id: 'b', quantity: 'two', discount_pct: '' }, // not a number yet: left out
  ];
  const priced = toPriceLines(lines, BY_ID, PRICES);
  assert.deepEqual(priced.map((l) => [l.quantity, l.unit_price, l.discount_pct, l.tax_rate, l.unit]),
    [['3', '12.90', '10', '22', 'kg'], ['0', '2.35', '0', '9', 'pcs']]);
  const order = priceOrder(priced);
  const quote = priceQuote(priced, '0');
  assert.equal(order.total, '42.49'); // 38.70 − 3.87 = 34.83 net, + 7.66 tax
  for (const k of ['subtotal', 'tax_total', 'total']) assert.equal(order[k], quote[k]);
  assert.deepEqual(order.tax_breakdown, quote.tax_breakdown);
  assert.equal('document_discount_amount' in order, false);
});

test('the catalogue search matches word starts in name, SKU and category', () => {
  const text = new Map(PRODUCTS.map((p) => [p.id, ` ${normalise(`${p.name} ${p.sku} ${p.category || ''}`)}`]));
  assert.deepEqual(findProducts(PRODUCTS, text, 'coff').map((p) => p.id), ['a']);
  assert.deepEqual(findProducts(PRODUCTS, text, 'drink bea').map((p) => p.id), ['a']);
  assert.deepEqual(findProducts(PRODUCTS, text, 'prats'), []);
  assert.deepEqual(findProducts(PRODUCTS, text, '  '), []);
});

test('the price list: the customer’s, else the default; a distributor’s own; its limit', () => {
  const lists = [
    { id: 'x', currency: 'USD', items: [] },
    { id: 'd', is_default: true, items: [{ product_id: 'a', price: 5 }], max_discount_pct: 15 },
  ];
  assert.equal(pickPriceList(lists, { price_list_id: 'x' }).pl.id, 'x');
  const fallback = pickPriceList(lists, { price_list_id: 'gone' });
  assert.equal(fallback.pl.id, 'd');
  assert.equal(fallback.prices.get('a'), '5');
  assert.equal(fallback.limit, '15');
  assert.equal(fallback.currency, 'EUR');
  assert.equal(pickPriceList(lists, { price_list_id: 'd' }, 'distributor').pl.id, 'x');
  assert.equal(pickPriceList(lists, { price_list_id: 'x' }).limit, null);
});

test('the steppers’ labels exist in all four languages', () => {
  for (const k of ['step_down', 'step_up']) {
    assert.equal(TABLE[k].length, 4);
    for (const s of TABLE[k]) assert.match(s, /\{what\}/);
  }
});
