// The inbox for reps (and the office on a phone): reminders and notifications from the last
// sync, unread first; tapping one marks it read and opens its customer, order, visit or route.

import { h } from './dom.js';
import { t, fmtDateTime } from '../lib/i18n.js';
import { inboxEntries, markReadQueued, targetOf, unreadCount } from './inbox.js';
import '../lib/i18n-day.js'; // the inbox's texts

function entry(ctx, n) {
  const target = targetOf(n);
  const open = async (e) => {
    e.preventDefault();
    await markReadQueued(ctx, n);
    if (target) ctx.go(target); else ctx.rerender();
  };
  const read = h('button', {
    type: 'button', class: 'btn small', 'data-mark-read': n.id, hidden: Boolean(n.read_at),
    onclick: async () => { await markReadQueued(ctx, n); ctx.rerender(); },
  }, t('inbox_mark_read'));
  return h('div', { class: `item inbox-entry${n.read_at ? ' read' : ''}`, 'data-note': n.id, 'data-read': n.read_at ? '1' : '0' },
    h('a', { class: 'grow', href: target || '#/inbox', onclick: open },
      h('strong', {}, n.read_at ? null : h('span', { class: 'badge badge-due' }, t('inbox_new')), n.read_at ? '' : ' ', n.title),
      n.body ? h('small', {}, n.body) : null,
      h('small', {}, fmtDateTime(n.due_at || n.created_at))),
    read);
}

export async function repInboxScreen(ctx) {
  const notes = await inboxEntries(ctx);
  const unread = unreadCount(notes);
  const all = h('button', {
    type: 'button', class: 'btn small', id: 'mark-all-read', hidden: !unread,
    onclick: async () => { for (const n of notes) if (!n.read_at) await markReadQueued(ctx, n); ctx.rerender(); },
  }, t('inbox_mark_all'));
  return h('section', { class: 'screen', id: 'rep-inbox' },
    h('h1', {}, t('rep_inbox')),
    h('div', { class: 'row' }, h('p', { class: 'muted', id: 'unread-count', 'data-unread': unread }, t('inbox_unread', { n: unread })), all),
    navigator.onLine ? null : h('p', { class: 'muted', id: 'inbox-offline' }, t('inbox_offline')),
    notes.length ? h('div', { class: 'list', id: 'inbox-list' }, notes.map((n) => entry(ctx, n)))
      : h('p', { class: 'muted' }, t('inbox_empty')));
}

