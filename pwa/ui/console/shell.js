// The desktop console's frame: a side navigation by section, the sync line on top and the
// screen in the middle. app.js draws the phone layout for everyone else.

import { h } from '../dom.js';
import { t, addTexts } from '../../lib/i18n.js';
import './texts.js';
import './plan-texts.js';
import './report-texts.js';

addTexts({ o_offers: ['Offer campaigns', 'Рекламные кампании', 'Рекламні кампанії', 'Pakkumiskampaaniad'] });

// The console's own stylesheet, once (the phone never loads it).
if (!document.querySelector('link[data-console]')) {
  document.head.append(h('link', { rel: 'stylesheet', href: '/ui/console/console.css', 'data-console': '' }));
}

// [nav key, href, text key, roles]. 'team' is the manager's place: the team map and the
// reps' day arrive with the manager's console issue and slot in under this heading.
const SECTIONS = [
  ['c_section_team', [
    ['team', '#/office/team', 'c_team', ['admin', 'manager']],
    ['plan', '#/office/plan', 'tp_title', ['admin', 'manager']],
    ['customers', '#/customers', 'customers', ['admin', 'manager']],
    ['reports', '#/office/reports', 'r_reports', ['admin', 'manager']],
    ['devices', '#/office/devices', 'r_devices', ['admin', 'manager']],
    ['offers', '#/office/offers', 'o_offers', ['admin', 'manager']],
  ]],
  ['c_section_office', [
    ['users', '#/office/users', 'c_users', ['admin', 'manager']],
    ['products', '#/office/products', 'c_products', ['admin']],
    ['price-lists', '#/office/price-lists', 'c_price_lists', ['admin']],
    ['import', '#/office/import', 'c_import', ['admin', 'manager']],
    ['exports', '#/office/exports', 'c_exports', ['admin', 'manager']],
    ['company', '#/office/company', 'c_company', ['admin']],
  ]],
  ['c_section_me', [
    ['settings', '#/settings', 'tab_settings', ['admin', 'manager']],
    ['sync', '#/sync', 'sync', ['admin', 'manager']],
  ]],
];

export function sideNav(current, role, pendingCount = 0) {
  return h('nav', { class: 'console-nav', 'aria-label': t('c_console') },
    h('div', { class: 'console-brand' }, t('app'), h('small', {}, t('c_console'))),
    SECTIONS.map(([title, items]) => {
      const mine = items.filter(([, , , roles]) => roles.includes(role));
      if (!mine.length) return null;
      return h('div', { class: 'console-group' }, h('h2', {}, t(title)),
        mine.map(([key, href, label]) => h('a', {
          href, 'data-nav': key, class: key === current ? 'active' : null,
          'aria-current': key === current ? 'page' : null,
        }, t(label), key === 'sync' && pendingCount ? h('span', { class: 'count' }, String(pendingCount)) : null)));
    }));
}

/** The whole console page around one screen; #chrome gets the sync line as on the phone. */
export function consoleFrame(ctx, current, screen, hash) {
  const me = ctx.me();
  return h('div', { class: 'console' },
    h('aside', { id: 'console-side' }, sideNav(current, me.role)),
    h('div', { class: 'console-body' },
      h('header', { id: 'chrome' }),
      h('div', { class: 'console-user' }, h('span', {}, me.name || me.email),
        // The role, unless the name already says it (the demo's "Administrator").
        (me.name || '').trim().toLowerCase() === t(`role_${me.role}`).toLowerCase() ? null : h('span', { class: 'muted' }, t(`role_${me.role}`))),
      h('main', { 'data-screen': hash.split('/')[hash.startsWith('#/office/') ? 2 : 1] }, screen)));
}
