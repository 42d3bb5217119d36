// Small building blocks of the console's screens: labelled fields, data tables, and the
// problem details of a refused request shown next to the fields they name.

import { h } from '../dom.js';
import { t } from '../../lib/i18n.js';
import './texts.js';

export function field(label, input, cls = null) {
  return h('label', { class: cls }, label, input);
}

/**
 * A number as typed in the office's languages, as the API reads it: "1,25" and "1 249,50"
 * (a decimal comma, spaces between thousands) become "1.25" and "1249.50"; "1.249,50" too.
 * Anything else is left for the server to judge.
 */
export function decimalText(text) {
  let s = String(text ?? '').trim().replace(/[\s\u00a0\u202f]/g, '');
  if (s.includes(',') && s.includes('.')) s = s.lastIndexOf(',') > s.lastIndexOf('.') ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  else if ((s.match(/,/g) || []).length === 1) s = s.replace(',', '.');
  return /^[-+]?\d*\.?\d+$/.test(s) ? s : String(text ?? '').trim();
}

export function input(name, value = '', props = {}) {
  const el = h('input', { name, value: value ?? '', ...props });
  // Decimal fields take a comma: shown back as the dot the server reads once typed.
  if (props.inputmode === 'decimal') el.addEventListener('change', () => { el.value = decimalText(el.value); });
  return el;
}

export function select(name, options, value = '', props = {}) {
  return h('select', { name, ...props }, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
}

export function table(headers, rows, props = {}) {
  return h('table', { class: 'data', ...props },
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows));
}

/** Clear what a previous refusal marked. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const top = form.querySelector('.form-error');
  if (top) top.textContent = '';
}

/** Show an ApiError: its detail on top, each field error under the field it names. */
export function showErrors(form, e) {
  clearErrors(form);
  let top = form.querySelector('.form-error');
  if (!top) { top = h('p', { class: 'error form-error', role: 'alert' }); form.prepend(top); }
  top.textContent = e.detail || e.title || e.message || String(e);
  for (const fe of e.errors || []) {
    const name = String(fe.field || '').replace(/\[\d+\]$/, '');
    const el = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!el) { top.textContent += ` · ${fe.field}: ${fe.message}`; continue; }
    el.setAttribute('aria-invalid', 'true');
    el.after(h('small', { class: 'error field-error', 'data-field': fe.field }, fe.message));
  }
}

/** The form's named controls as an object ('' becomes null when nullable lists the name). */
export function values(form, nullable = []) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') { if (!el.dataset.multi) out[el.name] = el.checked; continue; }
    const text = el.inputMode === 'decimal' ? decimalText(el.value) : el.value.trim();
    out[el.name] = text === '' && nullable.includes(el.name) ? null : text;
  }
  for (const el of form.querySelectorAll('input[type=checkbox][data-multi]')) {
    out[el.name] = out[el.name] || [];
    if (el.checked) out[el.name].push(el.value);
  }
  return out;
}

export const title = (text, ...more) => h('div', { class: 'toolbar' }, h('h1', { style: 'flex:1' }, text), ...more);

export const byName = (a, b) => String(a.name).localeCompare(String(b.name));

export const noneOption = () => ['', t('c_none')];

/** A valid bearer token for requests lib/api.js does not make (uploads, downloads). */
export async function bearer(ctx) {
  let s = await ctx.api.session.load();
  if (!s?.expires_at || s.expires_at - Date.now() < 30000) s = await ctx.api.refresh();
  return { Authorization: `Bearer ${s.access_token}` };
}
