// Push permission: explained first, asked only when the user taps the button (never on load),
// and when push cannot work here it says plainly why: no push service in this browser, the
// permission was denied, or (iPhone, iPad) the app is not on the Home Screen.
// Subscribes with the server's VAPID key and registers the device; customers also opt in to offers.

import { h, fill } from './dom.js';
import { t } from '../lib/i18n.js';

function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Why push cannot work on this device, or null when it can be tried. */
export function pushBlocker(env = self) {
  const nav = env.navigator || {};
  const ios = /iPad|iPhone|iPod/.test(nav.userAgent || '') || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
  const standalone = nav.standalone === true || Boolean(env.matchMedia?.('(display-mode: standalone)').matches);
  if (ios && !standalone) return 'push_ios_home';
  if (!('Notification' in env) || !('PushManager' in env)) return 'push_no_service';
  if (env.Notification.permission === 'denied') return 'push_denied';
  return null;
}

/** A subscribe error in the user's words: a missing push service is not their fault. */
function failure(e) {
  const text = String(e?.message || e);
  if (e?.name === 'AbortError' || /push service/i.test(text)) return t('push_no_service');
  if (e?.name === 'NetworkError' || !navigator.onLine) return t('push_offline');
  if (e?.name === 'NotAllowedError') return t('push_denied');
  return t('push_failed', { why: text });
}

/** The settings block: explanation, the state in words, on/off, and offers for customers. */
export async function pushPermission(ctx) {
  const me = ctx.me() || {};
  const box = h('section', { class: 'push-permission', id: 'push-permission' });
  const reg = ctx.bridge?.reg;

  async function current() { return reg?.pushManager ? reg.pushManager.getSubscription() : null; }

  async function enable(button) {
    button.disabled = true;
    draw(null, t('push_asking'));
    try {
      // Asked here, inside the tap's handler: browsers require the user's gesture.
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') return draw();
      if (!reg?.pushManager) throw Object.assign(new Error('no push service'), { name: 'AbortError' });
      const { public_key: key } = await ctx.api.request('GET', '/api/push/vapid-public-key');
      const fresh = () => reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      const register = (sub) => {
        const json = sub.toJSON();
        return ctx.api.request('POST', '/api/push/subscriptions', {
          body: { endpoint: json.endpoint, keys: json.keys, device: navigator.userAgent.slice(0, 200) },
        });
      };
      const sub = (await current()) || await fresh();
      try {
        await register(sub);
      } catch (e) {
        // 409: this browser's endpoint still belongs to the previous user of the device. A new
        // subscription (a new endpoint) is ours; the old one goes dead at the push service.
        if (e.status !== 409) throw e;
        await sub.unsubscribe();
        await register(await fresh());
      }
      return draw();
    } catch (e) {
      return draw(failure(e));
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

  function offersSwitch() {
    const state = h('small', { class: 'muted', id: 'offers-opt-state' });
    const show = (on) => { state.textContent = t(on ? 'offers_on' : 'offers_off'); };
    // The phone's copy of the server's answer (the Offers tab keeps it too; GET /api/me
    // refreshes it), so both switches always agree.
    ctx.store.meta('offers_opt_in').then((on) => { input.checked = Boolean(on); show(input.checked); });
    const input = h('input', {
      type: 'checkbox', id: 'offers-opt-in', role: 'switch', checked: false,
      onchange: (e) => {
        const want = e.target.checked;
        ctx.api.request('POST', want ? '/api/offers/opt-in' : '/api/offers/opt-out')
          .then((res) => { show(res.offers_opt_in); return ctx.store.setMeta('offers_opt_in', res.offers_opt_in); })
          .catch((err) => { e.target.checked = !want; state.textContent = err.name === 'NetworkError' || !navigator.onLine ? t('needs_network') : String(err.message || err); });
      },
    });
    show(input.checked);
    return h('label', { class: 'switch' }, h('span', {}, t('offers_opt_in'), h('br'), state), input);
  }

  async function draw(error = '', busy = '') {
    const explain = { customer: 'push_explain_customer', distributor: 'push_explain_partner' }[me.role] || 'push_explain_rep';
    const parts = [h('h2', {}, t('push_title')), h('p', { class: 'muted' }, t(explain))];
    const blocker = pushBlocker();
    const state = (key) => h('p', { id: 'push-state', 'data-push-state': key }, t(key));
    if (blocker) {
      parts.push(state(blocker));
    } else if (Notification.permission === 'granted' && await current()) {
      parts.push(state('push_on'),
        h('button', { class: 'btn', id: 'push-disable', onclick: (e) => disable(e.currentTarget) }, t('push_disable')));
    } else {
      parts.push(state('push_off'),
        h('button', { class: 'btn primary', id: 'push-enable', disabled: Boolean(busy), onclick: (e) => enable(e.currentTarget) }, busy || t('push_enable')));
    }
    if (error) parts.push(h('p', { class: 'error', role: 'alert', id: 'push-error' }, error));
    if (me.role === 'customer') parts.push(offersSwitch());
    fill(box, ...parts);
  }

  await draw();
  return box;
}
