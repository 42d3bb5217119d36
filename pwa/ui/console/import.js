// Customer import: choose a CSV or XLSX file, check it (dry run), fix the columns' mapping or
// the file and check again, then import (everything, or only the good rows), then watch the
// new addresses being placed on the map.

import { h, fill } from '../dom.js';
import { t } from '../../lib/i18n.js';
import { field, table, title, bearer } from './forms.js';

const FIELDS = ['code', 'name', 'legal_name', 'street', 'city', 'postal_code', 'country', 'lat', 'lng',
  'region', 'territory', 'distributor', 'price_list', 'segment', 'tier', 'phone', 'email',
  'visit_frequency_days', 'visit_duration_min', 'credit_limit', 'notes'];

export function importScreen(ctx) {
  const file = h('input', { type: 'file', name: 'file', id: 'import-file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const out = h('div', { id: 'import-result' });
  let mapping = null; // header -> field, once the server has read a file
  const check = h('button', { class: 'btn primary', type: 'button', id: 'import-check' }, t('c_check'));

  async function send(dryRun, apply = 'all') {
    const f = file.files[0];
    if (!f) return null;
    const body = new FormData();
    body.append('file', f);
    const q = new URLSearchParams({ dry_run: String(dryRun), apply });
    if (mapping) q.set('mapping', JSON.stringify(mapping));
    const res = await fetch(`/api/customers/import?${q}`, { method: 'POST', body, headers: await bearer(ctx) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      if (data.report) return { ...data.report, refused: data.detail }; // nothing was written
      throw Object.assign(new Error(data.detail || `HTTP ${res.status}`), { errors: data.errors || [] });
    }
    return data;
  }

  function summary(r) {
    return h('p', { id: 'import-summary', class: r.errors.length ? 'error' : 'ok' }, t('c_report', {
      rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.skipped,
    }));
  }

  function mappingTable(r) {
    return table([t('c_column'), t('c_maps_to')], r.headers.map((hd) => h('tr', {},
      h('td', {}, hd),
      h('td', {}, h('select', { 'data-header': hd, onchange: (e) => { mapping = { ...(mapping || r.mapping), [hd]: e.target.value }; } },
        [['', t('c_ignore')], ...FIELDS.map((f) => [f, f])].map(([v, text]) => h('option', { value: v, selected: (r.mapping[hd] || '') === v }, text)))))), { id: 'import-mapping' });
  }

  function errorsTable(r) {
    if (!r.errors.length) return null;
    return table([t('c_row'), t('c_column'), t('c_problem')], r.errors.slice(0, 500).map((e) => h('tr', { 'data-row': e.row },
      h('td', { class: 'num' }, e.row ?? ''), h('td', {}, e.column ?? ''), h('td', {}, e.message))), { id: 'import-errors' });
  }

  async function run(apply) {
    fill(out, h('p', {}, '…'));
    try {
      const r = await send(false, apply);
      const geocode = h('div', { id: 'geocode' });
      fill(out, r.refused ? h('p', { class: 'error', id: 'import-refused' }, r.refused) : h('h2', {}, t('c_done')),
        summary(r), errorsTable(r), geocode);
      if (!r.refused && r.to_geocode?.length) geocodeJob(r.to_geocode, geocode);
    } catch (e) { fill(out, h('p', { class: 'error' }, e.message)); }
  }

  async function geocodeJob(ids, box) {
    const bar = h('span', { style: 'width:0%' });
    const text = h('p', { id: 'geocode-progress', role: 'status' });
    box.replaceChildren(h('h2', {}, t('c_geocode')), h('div', { class: 'bar' }, bar), text);
    try {
      let job = await ctx.api.request('POST', '/api/geocode/jobs', { body: { customer_ids: ids, only_missing: true } });
      for (;;) {
        const done = job.done + job.failed + job.skipped;
        bar.style.width = `${job.percent ?? Math.round((100 * done) / Math.max(job.total, 1))}%`;
        text.textContent = t('c_geocoding', { done, total: job.total });
        text.dataset.status = job.status;
        if (!['queued', 'running', 'pending'].includes(job.status)) {
          if (job.error) box.append(h('p', { class: 'error', id: 'geocode-error' }, job.error));
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
        job = await ctx.api.request('GET', `/api/geocode/jobs/${job.id}`);
      }
    } catch (e) { text.className = 'error'; text.textContent = e.detail || e.message; }
  }

  check.addEventListener('click', async () => {
    fill(out, h('p', {}, '…'));
    try {
      const r = await send(true);
      if (!r) { fill(out); return; }
      mapping = r.mapping;
      const buttons = h('div', { class: 'row' },
        h('button', { class: 'btn primary', type: 'button', id: 'import-apply', disabled: r.errors.length > 0, onclick: () => run('all') }, t('c_apply')),
        r.errors.length ? h('button', { class: 'btn', type: 'button', id: 'import-apply-valid', onclick: () => run('valid') }, t('c_apply_good')) : null);
      fill(out, summary(r), errorsTable(r), buttons, h('h2', {}, t('c_mapping')), mappingTable(r));
    } catch (e) {
      fill(out, h('p', { class: 'error' }, [e.message, ...(e.errors || []).map((x) => ` · ${x.field}: ${x.message}`)].join('')));
    }
  });
  file.addEventListener('change', () => { mapping = null; fill(out); });
  return h('section', { class: 'screen', id: 'import' }, title(t('c_import')),
    h('div', { class: 'toolbar panel' }, field(t('c_file'), file), check), out);
}
