// Status badges: every record shows whether it is pending, synced or rejected.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

export function statusBadge(row) {
  const s = row?._status || 'synced';
  return h('span', { class: `badge badge-${s}`, 'data-status': s, title: row?._error?.detail || '' }, t(s));
}

/** The badge only while it says something to a shop owner: waiting to send, or refused. */
export function unsentBadge(row) {
  return (row?._status || 'synced') === 'synced' ? null : statusBadge(row);
}

/** An order or quote whose discounts await (or were refused) a manager's approval; else null. */
export function approvalBadge(row) {
  const a = row?.approval;
  if (a !== 'pending' && a !== 'rejected') return null;
  return h('span', { class: `badge badge-approval-${a}`, 'data-approval': a, title: row.approval_reason || '' }, t(`approval_${a}`));
}

/** Due date from the last visit and the visit frequency; null when unknown. */
export function dueState(c, today = new Date()) {
  if (!c.visit_frequency_days) return null;
  if (!c.last_visit_at) return 'overdue';
  const due = new Date(c.last_visit_at).getTime() + c.visit_frequency_days * 86400000;
  const days = (due - today.getTime()) / 86400000;
  if (days < 0) return 'overdue';
  if (days < 2) return 'due';
  return null;
}

export function dueBadge(c) {
  const s = dueState(c);
  return s ? h('span', { class: `badge badge-${s}` }, t(s)) : null;
}
