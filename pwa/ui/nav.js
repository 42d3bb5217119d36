// The bottom tab bar: big targets for the thumb, with the outbox count on Sync; the tabs
// depend on the role (managers plan, customers see their quotes and offers).

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

const TODAY = ['today', '#/today', '◷', 'today'];
const CUSTOMERS = ['customers', '#/customers', '☰', 'customers'];
const PLAN = ['plan', '#/planning', '▦', 'tab_plan'];
const MINE = ['mine', '#/my', '✉', 'tab_mine'];
const OFFERS = ['offers', '#/offers', '★', 'offers'];
const SYNC = ['sync', '#/sync', '⇅', 'sync'];
const INBOX = ['inbox', '#/inbox', '✉', 'rep_inbox'];
const SETTINGS = ['settings', '#/settings', '⚙', 'tab_settings'];
const PARTNER = ['partner', '#/partner', '⌂', 'tab_home'];

/** The tabs a role sees, in order. */
export function tabsFor(role) {
  if (role === 'customer') return [MINE, OFFERS, SYNC, SETTINGS];
  if (role === 'distributor') return [PARTNER, CUSTOMERS, SYNC, SETTINGS];
  if (role === 'manager' || role === 'admin') return [TODAY, PLAN, CUSTOMERS, SYNC, SETTINGS];
  return [TODAY, CUSTOMERS, INBOX, SYNC, SETTINGS];
}

export function navBar(current, pendingCount, role = 'rep', unread = 0) {
  return h('nav', { class: 'tabs' }, tabsFor(role).map(([key, href, icon, label]) => h('a', {
    href, class: current === key ? 'tab active' : 'tab', 'aria-current': current === key ? 'page' : null,
  }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), h('span', { class: 'label' }, t(label)),
  key === 'sync' && pendingCount ? h('span', { class: 'count', 'data-pending': pendingCount }, String(pendingCount)) : null,
  key === 'inbox' && unread ? h('span', { class: 'count', 'data-unread': unread, 'aria-label': t('inbox_unread', { n: unread }) }, String(unread)) : null)));
}
