// Push permission: explained first, asked only when the user taps the button (never on load).
// Subscribes with the server's VAPID key and registers the device; customers also opt in to offers.

import { h, fill } from './dom.js';
import { getLocale } from '../lib/i18n.js';

// en, ru, uk, et — kept here until the strings move into lib/i18n.js.
const TEXT = {
  title: ['Notifications', 'Уведомления', 'Сповіщення', 'Teavitused'],
  explain: [
    'Get a nudge before a visit, when your day’s plan is ready and when a follow-up is due. Nothing is sent at night in your quiet hours.',
    'Напоминания перед визитом, о готовом плане на день и о запланированных действиях. Ночью в тихие часы ничего не приходит.',
    'Нагадування перед візитом, про готовий план на день і про заплановані дії. Уночі в тихі години нічого не надходить.',
    'Meeldetuletus enne külastust, kui päevaplaan on valmis ja kui järeltegevus on käes. Vaiksetel öötundidel ei saadeta midagi.',
  ],
  explainCustomer: [
    'Hear about offers for your shop. You can turn this off at any time.',
    'Узнавайте о предложениях для вашего магазина. Отключить можно в любой момент.',
    'Дізнавайтеся про пропозиції для вашої крамниці. Вимкнути можна будь-коли.',
    'Saa teada pakkumistest oma poele. Saad selle igal ajal välja lülitada.',
  ],
  enable: ['Turn on notifications', 'Включить уведомления', 'Увімкнути сповіщення', 'Lülita teavitused sisse'],
  disable: ['Turn off notifications', 'Отключить уведомления', 'Вимкнути сповіщення', 'Lülita teavitused välja'],
  on: ['Notifications are on for this device.', 'Уведомления включены на этом устройстве.', 'Сповіщення увімкнено на цьому пристрої.', 'Teavitused on selles seadmes sees.'],
  denied: [
    'Notifications are blocked in the browser settings for this site.',
    'Уведомления заблокированы в настройках браузера для этого сайта.',
    'Сповіщення заблоковано в налаштуваннях браузера для цього сайту.',
    'Teavitused on selle saidi jaoks brauseri seadetes keelatud.',
  ],
  unsupported: ['This browser cannot receive notifications.', 'Этот браузер не получает уведомления.', 'Цей браузер не отримує сповіщень.', 'See brauser ei saa teavitusi vastu võtta.'],
  failed: ['Could not turn on notifications: ', 'Не удалось включить уведомления: ', 'Не вдалося увімкнути сповіщення: ', 'Teavitusi ei õnnestunud sisse lülitada: '],
  offers: ['Send me offers', 'Присылать предложения', 'Надсилати пропозиції', 'Saada mulle pakkumisi'],
};
const IDX = { en: 0, ru: 1, uk: 2, et: 3 };
const tx = (key) => TEXT[key][IDX[getLocale()] ?? 0];

function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** The settings block: explanation, the enable/disable button, and offers for customers. */
export async function pushPermission(ctx) {
  const me = ctx.me() || {};
  const box = h('section', { class: 'push-permission', id: 'push-permission' });
  const reg = ctx.bridge?.reg;
  const supported = Boolean(reg?.pushManager) && 'Notification' in self;

  async function current() { return supported ? reg.pushManager.getSubscription() : null; }

  async function enable(button) {
    button.disabled = true;
    try {
      // Asked here, inside the tap's handler: browsers require the user's gesture.
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') return draw();
      const { public_key: key } = await ctx.api.request('GET', '/api/push/vapid-public-key');
      const sub = (await current()) || await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      const json = sub.toJSON();
      await ctx.api.request('POST', '/api/push/subscriptions', {
        body: { endpoint: json.endpoint, keys: json.keys, device: navigator.userAgent.slice(0, 200) },
      });
      draw();
    } catch (e) {
      draw(tx('failed') + (e.message || e));
    }
  }

  async function disable(button) {
    button.disabled = true;
    const sub = await current();
    if (sub) {
      await ctx.api.request('POST', '/api/push/unsubscribe', { body: { endpoint: sub.endpoint } }).catch(() => null);
      await sub.unsubscribe().catch(() => null);
    }
    draw();
  }

  async function draw(error = '') {
    const explain = me.role === 'customer' ? tx('explainCustomer') : tx('explain');
    const parts = [h('h2', {}, tx('title')), h('p', { class: 'muted' }, explain)];
    if (!supported) {
      parts.push(h('p', {}, tx('unsupported')));
    } else if (Notification.permission === 'denied') {
      parts.push(h('p', {}, tx('denied')));
    } else if (Notification.permission === 'granted' && await current()) {
      parts.push(h('p', {}, tx('on')),
        h('button', { class: 'btn', id: 'push-disable', onclick: (e) => disable(e.currentTarget) }, tx('disable')));
    } else {
      parts.push(h('button', { class: 'btn primary', id: 'push-enable', onclick: (e) => enable(e.currentTarget) }, tx('enable')));
    }
    if (me.role === 'customer') {
      const optedIn = Boolean(me.preferences?.offers_opt_in);
      parts.push(h('label', {}, h('input', {
        type: 'checkbox', id: 'offers-opt-in', checked: optedIn,
        onchange: (e) => ctx.api.request('POST', e.target.checked ? '/api/offers/opt-in' : '/api/offers/opt-out')
          .then(() => { me.preferences = { ...(me.preferences || {}), offers_opt_in: e.target.checked }; })
          .catch(() => { e.target.checked = !e.target.checked; }),
      }), ' ', tx('offers')));
    }
    if (error) parts.push(h('p', { class: 'error', role: 'alert' }, error));
    fill(box, ...parts);
  }

  await draw();
  return box;
}
