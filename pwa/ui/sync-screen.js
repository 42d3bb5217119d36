// Sync: last sync, pending changes, rejected changes with the server's reason, resolved conflicts.

import { h } from './dom.js';
import { t, tn, tOr, fmtDateTime } from '../lib/i18n.js';

function recordHref(e) {
  const f = { ...(e.base || {}), ...(e.fields || {}) };
  if (e.collection === 'orders') return `#/order/${f.customer_id}/${e.id}`;
  if (e.collection === 'visits') return `#/visit/${f.customer_id}/${e.id}`;
  if (e.collection === 'customers') return `#/customer/${e.id}`;
  return null;
}

async function label(ctx, collection, id, fields = {}) {
  const byId = await ctx.customerMap();
  const cid = collection === 'customers' ? id : fields.customer_id;
  const name = byId.get(cid)?.name || '';
  if (collection === 'history' && fields.kind === 'reorder_request') return t('reorder_requested');
  return `${tOr(`coll_${collection}`, collection)}${fields.number ? ` ${fields.number}` : ''}${name ? ` · ${name}` : ''}`;
}

/** What the user can do about a refusal, by the server's problem slug. */
export function adviceKey(code) {
  return {
    'validation-failed': 'advice_validation', 'permission-denied': 'advice_permission',
    'not-found': 'advice_not_found', conflict: 'advice_conflict',
  }[code] || 'advice_other';
}

export async function syncScreen(ctx) {
  const [entries, journal, last] = await Promise.all([ctx.store.all('outbox'), ctx.store.all('journal'), ctx.store.meta('last_sync_at')]);
  const pending = entries.filter((e) => e.state === 'pending');
  const rejected = entries.filter((e) => e.state === 'rejected');
  const conflicts = journal.filter((j) => j.kind === 'conflict' || j.kind === 'gone').reverse().slice(0, 50);
  const status = ctx.sync.status;
  const btn = h('button', { class: 'btn primary', id: 'sync-now', onclick: async () => { btn.disabled = true; await ctx.sync.run(); ctx.rerender(); } }, t('sync_now'));

  const pendingItems = await Promise.all(pending.map(async (e) => h('div', { class: 'item', 'data-mid': e.mid },
    h('span', { class: 'grow' }, h('strong', {}, await label(ctx, e.collection, e.id, { ...(e.base || {}), ...e.fields })), h('small', {}, `${tOr(`op_${e.op}`, e.op)} · ${fmtDateTime(e.captured_at)}`)),
    h('span', { class: 'badge badge-pending' }, t('pending')))));
  // A refused order is fixed by taking it again: its lines go back into the order form.
  const refill = async (e) => {
    const lines = (e.fields?.lines || []).map((l) => ({ product_id: l.product_id, quantity: String(l.quantity), discount_pct: String(l.discount_pct ?? '') }));
    await ctx.store.put('drafts', { key: `order:${e.fields.customer_id}`, values: { lines, notes: e.fields.notes || '' } });
    await ctx.outbox.discard(e.mid);
    ctx.changed();
    ctx.go(`#/order/${e.fields.customer_id}`);
  };
  const rejectedItems = await Promise.all(rejected.map(async (e) => {
    const href = e.collection === 'orders' && e.op === 'create' ? null : recordHref(e);
    const fields = (e.error?.errors || []).map((f) => [f.field, f.message].filter(Boolean).join(': ')).filter(Boolean);
    return h('div', { class: 'item rejected', 'data-mid': e.mid },
      h('span', { class: 'grow' }, h('strong', {}, await label(ctx, e.collection, e.id, { ...(e.base || {}), ...e.fields })),
        h('small', { class: 'reason' }, `${t('why_refused')}: `, [e.error?.detail || e.error?.code, ...fields].filter(Boolean).join(' · ')),
        h('small', { class: 'advice', 'data-advice': adviceKey(e.error?.code) }, `${t('what_to_do')}: ${t(adviceKey(e.error?.code))}`)),
      href ? h('a', { class: 'btn small', href }, t('fix')) : null,
      e.collection === 'orders' && e.op === 'create' ? h('button', { class: 'btn small', 'data-fix': e.mid, onclick: () => refill(e) }, t('fix')) : null,
      h('button', { class: 'btn small', 'data-discard': e.mid, onclick: async () => { await ctx.outbox.discard(e.mid); ctx.changed(); ctx.rerender(); } }, t('discard')));
  }));
  const conflictItems = await Promise.all(conflicts.map(async (j) => h('div', { class: 'item', 'data-conflict': j.field || j.kind },
    h('span', { class: 'grow' }, h('strong', {}, await label(ctx, j.collection, j.id)),
      h('small', {}, j.kind === 'gone' ? t('not_found') : t('conflict_line', { field: j.field, yours: j.yours ?? '', theirs: j.theirs ?? '', kept: j.kept ?? '' })),
      h('small', {}, fmtDateTime(j.at))))));

  return h('section', { class: 'screen' }, h('h1', {}, t('sync')),
    h('p', {}, `${t('last_sync')}: `, h('strong', { id: 'last-sync' }, last ? fmtDateTime(last) : t('never'))),
    status.error ? h('p', { class: 'error' }, status.error) : null, btn,
    // Never "synced" while refused changes wait: they are not on the server.
    rejected.length ? h('p', { class: 'error', id: 'refused-summary', role: 'alert' }, tn('refused_waiting', rejected.length)) : null,
    h('h2', {}, t('pending_changes'), ` (${pending.length})`),
    h('div', { class: 'list', id: 'pending' }, pendingItems.length ? pendingItems
      : h('p', { class: 'muted', id: 'nothing-pending' }, rejected.length ? t('nothing_pending_but_refused') : t('nothing_pending'))),
    rejectedItems.length ? [h('h2', {}, t('rejected_changes')), h('div', { class: 'list', id: 'rejected' }, rejectedItems)] : null,
    conflictItems.length ? [h('h2', {}, t('conflicts')), h('div', { class: 'list', id: 'conflicts' }, conflictItems)] : null,
    await import('./photos.js').then((m) => m.photoQueueSection(ctx)));
}
