// The office types numbers the way its languages write them; the API reads a dot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimalText } from '../ui/console/forms.js';

test('a decimal comma and spaced thousands become what the API reads', () => {
  assert.equal(decimalText('1,25'), '1.25');
  assert.equal(decimalText(' 12,5 '), '12.5');
  assert.equal(decimalText('1 249,50'), '1249.50');
  assert.equal(decimalText('1\u00a0249,50'), '1249.50');
  assert.equal(decimalText('1.249,50'), '1249.50');
  assert.equal(decimalText('1,249.50'), '1249.50');
  assert.equal(decimalText('3.10'), '3.10');
  assert.equal(decimalText('-2,5'), '-2.5');
});

test('what is not a number is left for the server to refuse', () => {
  assert.equal(decimalText(''), '');
  assert.equal(decimalText('abc'), 'abc');
  assert.equal(decimalText('1,2,3'), '1,2,3');
  assert.equal(decimalText('12 %'), '12 %');
});
