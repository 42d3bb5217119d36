// Settings: language, account, personal notification settings, storage used.

import { h } from './dom.js';
import { t, LOCALES, getLocale, fmtNumber } from '../lib/i18n.js';

export async function settingsScreen(ctx) {
  const me = ctx.me();
  const est = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  const select = h('select', { id: 'language', onchange: (e) => ctx.setLanguage(e.target.value) },
    Object.entries(LOCALES).map(([k, name]) => h('option', { value: k, selected: k === getLocale() }, name)));
  const mb = (b) => `${fmtNumber((b || 0) / 1048576, 1)} MB`;
  // Push permission lives here: asked only when the user taps its button (ui/push-permission.js).
  const push = await import('./push-permission.js').then((m) => m.pushPermission(ctx)).catch(() => null);
  const personal = await import('./personal-settings.js').then((m) => m.personalSettings(ctx)).catch(() => null);
  return h('section', { class: 'screen' }, h('h1', {}, t('settings')),
    h('label', {}, t('language'), select),
    h('h2', {}, t('account')),
    h('p', {}, h('strong', {}, me.name || ''), h('br'), me.email || '', h('br'), me.role ? t(`role_${me.role}`) : ''),
    personal,
    push,
    h('h2', {}, t('storage')),
    h('p', { id: 'storage' }, `${mb(est.usage)} / ${mb(est.quota)}`, persisted ? ` · ${t('persisted')}` : ''),
    h('p', { class: 'muted', id: 'app-version' }, `${t('version')}: ${(await ctx.bridge.version()) ?? '—'}`),
    h('button', { class: 'btn', id: 'logout', onclick: () => ctx.logout() }, t('logout')));
}
