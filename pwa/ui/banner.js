// Banners at the top: the update prompt and the sync state.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

export function updateBanner(onAccept) {
  return h('div', { class: 'banner update', role: 'status' }, h('span', {}, t('update_ready')),
    h('button', { class: 'btn small', id: 'update-accept', onclick: onAccept }, t('update')));
}

const SYNC_KEYS = { syncing: 'syncing', retrying: 'retrying', error: 'sync_error', auth: 'relogin', offline: 'offline' };

/** The sync state in words (for the live region), or '' when all is well. */
export function syncText(status, online) {
  if (!online) return t('offline');
  const key = SYNC_KEYS[status?.state];
  return key ? t(key) : '';
}

// The banners are drawn again on every redraw; app.js announces their text through one live
// region (ui/focus.js) so a screen reader hears a change once.
export function syncLine(status, online) {
  if (!online) return h('div', { class: 'banner offline', 'data-sync': 'offline' }, t('offline'));
  const key = SYNC_KEYS[status.state];
  if (!key) return null;
  return h('div', { class: `banner ${status.state}`, 'data-sync': status.state },
    status.state === 'auth' ? h('a', { href: '#/login' }, t(key)) : t(key));
}
