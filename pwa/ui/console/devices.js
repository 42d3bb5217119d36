// Device sync health: every installed app of the users you see (GET /api/devices), with its
// version, last pull and push, what waits on it, what was rejected and how far behind it is;
// devices silent for over a day are flagged. Sortable by any column.

import { h } from '../dom.js';
import { t, fmtDateTime } from '../../lib/i18n.js';
import { title } from './forms.js';
import './report-texts.js';

const lastHeard = (d) => [d.last_pull_at, d.last_push_at, d.created_at].filter(Boolean).sort().pop();

// [key, text key, value to sort by, cell, numeric]
const COLUMNS = [
  ['user', 'r_user', (d) => d.user.name.toLowerCase(), (d) => [h('strong', {}, d.user.name), ' ', h('span', { class: 'muted' }, t(`role_${d.user.role}`))]],
  ['app_version', 'r_app_version', (d) => d.app_version, (d) => d.app_version || '—'],
  ['last_pull_at', 'r_last_pull', (d) => d.last_pull_at || '', (d) => (d.last_pull_at ? fmtDateTime(d.last_pull_at) : t('r_never'))],
  // Never pushed with nothing waiting is a phone with nothing to send, not one that fails to.
  ['last_push_at', 'r_last_push', (d) => d.last_push_at || '', (d) => (d.last_push_at ? fmtDateTime(d.last_push_at)
    : d.pending === 0 ? t('r_nothing_sent') : t('r_never'))],
  ['pending', 'r_pending', (d) => d.pending ?? -1, (d) => (d.pending == null ? '—' : String(d.pending)), true],
  ['rejected', 'r_rejected', (d) => d.rejected, (d) => String(d.rejected), true],
  ['behind', 'r_behind', (d) => d.behind ?? -1, (d) => (d.behind == null ? '—' : String(d.behind)), true],
  ['stale', 'r_state', (d) => (d.stale ? 0 : 1), (d) => (d.stale
    ? h('span', { class: 'badge bad', 'data-stale': 'true' }, `⚠ ${t('r_stale')}`)
    : h('span', { class: 'badge good' }, t('r_fresh')))],
];

// The chosen sort, kept while the app runs: silent devices first by default.
const sort = { key: 'stale', dir: 1 };

export async function devicesScreen(ctx) {
  const devices = await ctx.api.request('GET', '/api/devices');
  const onlyStale = h('input', { type: 'checkbox', id: 'devices-stale-only' });
  const head = h('tr');
  const body = h('tbody');
  const draw = () => {
    const col = COLUMNS.find((c) => c[0] === sort.key);
    const rows = devices.filter((d) => !onlyStale.checked || d.stale).sort((a, b) => {
      const x = col[2](a); const y = col[2](b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c * sort.dir || String(lastHeard(a)).localeCompare(String(lastHeard(b)));
    });
    head.replaceChildren(...COLUMNS.map(([key, label]) => h('th', {
      'aria-sort': key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none',
    }, h('button', { type: 'button', class: 'sort', 'data-sort': key }, t(label),
      key === sort.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''))));
    body.replaceChildren(...rows.map((d) => h('tr', {
      'data-device': d.client_id, 'data-user': d.user.id, class: d.stale ? 'stale' : null,
    }, COLUMNS.map(([key, , , cell, numeric]) => h('td', { class: numeric ? 'num' : null, 'data-col': key }, cell(d))))));
  };
  head.addEventListener('click', (e) => {
    const key = e.target.closest('button[data-sort]')?.dataset.sort;
    if (!key) return;
    sort.dir = sort.key === key ? -sort.dir : 1;
    sort.key = key;
    draw();
  });
  onlyStale.addEventListener('change', draw);
  draw();
  const stale = devices.filter((d) => d.stale).length;
  return h('section', { class: 'screen', id: 'devices' }, title(t('r_devices')),
    h('div', { class: 'toolbar' },
      h('p', { id: 'devices-count', style: 'flex:1;margin:0' }, t('r_devices_count', { n: devices.length, s: stale })),
      h('label', { class: 'check' }, onlyStale, ' ', t('r_stale_only'))),
    devices.length
      ? h('table', { class: 'data sortable', id: 'devices-table' }, h('thead', {}, head), body)
      : h('p', { class: 'muted', id: 'devices-empty' }, t('r_no_devices')),
    h('p', { class: 'muted' }, t('r_sort_hint')));
}
