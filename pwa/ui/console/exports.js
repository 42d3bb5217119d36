// Exports: any collection the caller may see, as CSV or XLSX, downloaded through the session.

import { h } from '../dom.js';
import { t } from '../../lib/i18n.js';
import { field, select, title, bearer } from './forms.js';

const COLLECTIONS = [
  ['customers', 'customers'], ['contacts', 'contacts'], ['visits', 'c_visits'],
  ['orders', 'c_orders'], ['quotes', 'c_quotes'], ['history', 'history'],
];

export function exportsScreen(ctx) {
  const what = select('collection', COLLECTIONS.map(([v, k]) => [v, t(k)]), 'customers', { id: 'export-collection' });
  const format = select('format', [['xlsx', 'Excel (XLSX)'], ['csv', 'CSV']], 'xlsx', { id: 'export-format' });
  const note = h('p', { role: 'status', id: 'export-note' });
  const button = h('button', { class: 'btn primary', type: 'button', id: 'export-go' }, t('c_download'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    note.className = ''; note.textContent = '…';
    try {
      const res = await fetch(`/api/${what.value}/export?format=${format.value}`, { headers: await bearer(ctx), cache: 'no-store' });
      if (!res.ok) {
        const p = await res.json().catch(() => ({}));
        throw new Error(p.detail || p.title || `HTTP ${res.status}`);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || `${what.value}.${format.value}`;
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      note.className = 'ok'; note.textContent = name;
    } catch (e) {
      note.className = 'error'; note.textContent = e.message;
    } finally { button.disabled = false; }
  });
  return h('section', { class: 'screen', id: 'exports' }, title(t('c_exports')),
    h('p', { class: 'muted' }, t('c_scope_note')),
    h('div', { class: 'toolbar panel' }, field(t('c_export_what'), what), field(t('c_format'), format), button), note);
}
