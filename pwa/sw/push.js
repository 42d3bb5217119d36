// Push events for the service worker: show the notification, open the right screen on a
// click, and report display and click back to the server (its random id is the key, since
// the worker holds no session). The inbox in IndexedDB stays the source of truth; push only nudges.

import { Store } from '../lib/db.js';

const FALLBACK_TITLE = 'Rounds';

/** The JSON the server sends (notifications/payload.py), or a plain-text fallback. */
export function parsePush(data) {
  if (!data) return null;
  try {
    const msg = data.json();
    if (msg && typeof msg.title === 'string') return msg;
  } catch { /* not JSON: show the text */ }
  const text = data.text();
  return text ? { title: FALLBACK_TITLE, body: text, data: { url: '/' } } : null;
}

/** Tell the server a notification was displayed or clicked; best effort, never throws. */
export async function report(id, what) {
  if (!id) return;
  try {
    await fetch(`/api/notifications/${encodeURIComponent(id)}/${what}`, { method: 'POST', cache: 'no-store' });
  } catch { /* offline: the inbox still shows it; the report is only statistics */ }
}

/** `push`: show it (a user-visible notification is mandatory) and report the display. */
export async function onPush(event) {
  const msg = parsePush(event.data);
  if (!msg) return;
  const data = msg.data || {};
  await self.registration.showNotification(msg.title, {
    body: msg.body || '',
    tag: msg.tag || data.id || undefined,
    data,
    actions: (msg.actions || []).slice(0, 2),
    icon: msg.icon || '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    image: msg.image || undefined,
    timestamp: Date.now(),
  });
  await report(data.id, 'displayed');
}

/** Where a click goes: an offer's own screen, else the action's URL, else the notification's. */
export function targetUrl(data, action, offerId = data?.offer_id) {
  const offer = offerId && (!action || action === 'open-offer') ? `/#/offer/${encodeURIComponent(offerId)}` : null;
  const wanted = offer || (action && data?.action_urls?.[action]) || data?.url || '/';
  const url = new URL(wanted, self.location.origin);
  return url.origin === self.location.origin ? url.href : new URL('/', self.location.origin).href;
}

/** Focus an open window of the app and take it to `url`, or open a new one. */
export async function openScreen(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((c) => new URL(c.url).origin === self.location.origin);
  if (!client) return self.clients.openWindow(url);
  let target = client;
  try {
    target = (await client.navigate(url)) || client;
  } catch {
    client.postMessage({ type: 'OPEN', url }); // not controlled yet: the page can still route
  }
  try { await target.focus(); } catch { /* focus needs a user's click; a test hook has none */ }
  return target;
}

/** The offer behind an inbox entry, from the replica (the push itself carries only its id). */
async function offerOf(id) {
  if (!id) return null;
  try {
    const store = await Store.open();
    try { return (await store.get('notifications', id))?.offer_id || null; } finally { store.close(); }
  } catch {
    return null; // no replica yet: the notification's own URL
  }
}

/** `notificationclick`: close it, open the right screen, report the click. */
export async function onNotificationClick(notification, action) {
  notification.close();
  const data = notification.data || {};
  await openScreen(targetUrl(data, action, await offerOf(data.id)));
  await report(data.id, 'clicked');
}

/**
 * Page → worker messages. `NOTIFICATION_CLICK` runs the very click handler on a shown
 * notification (by tag): browser tests cannot click a system notification, and a page of
 * this origin could already make the same requests itself.
 */
export function onPushMessage(message) {
  if (message?.type !== 'NOTIFICATION_CLICK') return null;
  return self.registration.getNotifications({ tag: message.tag }).then((shown) => {
    const found = shown[0];
    return found ? onNotificationClick(found, message.action || '') : null;
  });
}
